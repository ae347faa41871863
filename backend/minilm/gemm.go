package minilm

//go:generate go run gen_kernels.go

import (
	"fmt"
	"unsafe"
)

// A kernel adds A·B to an mr×nr tile of C: A is mr rows of kc floats with lda floats
// between rows (read in place), B an nr-column panel packed k-major (b[k*nr+j]), C
// row-major with ldc floats between rows. gemm_amd64.s holds the assembly ones
// (gen_kernels.go writes it).
type kernel struct {
	name   string
	mr, nr int
	fn     kernelFunc
	// rows[r-1], where set, is the kernel for r < mr rows (the last row block); without
	// it the last rows are copied to a zero-padded block.
	rows []kernelFunc
	// widen, where set, widens half floats to float32 (dst as long as src): B panels of
	// weights are then kept as half floats (packBHalf) and widened a panel pass at a time
	// into a float32 buffer the kernel reads from L1 for every row block. Without it
	// (the portable and NEON kernels) weights stay float32.
	widen func(dst []float32, src []uint16)
}

type kernelFunc func(kc int, a *float32, lda int, b, c *float32, ldc int)

// goKernel is the portable kernel, used where no assembly one runs.
var goKernel = kernel{name: "go", mr: 4, nr: 4, fn: kern4x4go}

// bestKernel is the fastest kernel this CPU runs (see kernels_amd64.go).
var bestKernel = pickKernel()

func kern4x4go(kc int, a *float32, lda int, b, c *float32, ldc int) {
	as := unsafe.Slice(a, 3*lda+kc)
	a0s, a1s, a2s, a3s := as[:kc], as[lda:lda+kc], as[2*lda:2*lda+kc], as[3*lda:3*lda+kc]
	bs := unsafe.Slice(b, kc*4)
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	for k := range kc {
		bk := (*[4]float32)(bs[k*4 : k*4+4])
		b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
		a0, a1, a2, a3 := a0s[k], a1s[k], a2s[k], a3s[k]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	cs := unsafe.Slice(c, 3*ldc+4)
	r0, r1, r2, r3 := cs[0:4:4], cs[ldc:ldc+4:ldc+4], cs[2*ldc:2*ldc+4:2*ldc+4], cs[3*ldc:3*ldc+4:3*ldc+4]
	r0[0], r0[1], r0[2], r0[3] = r0[0]+c00, r0[1]+c01, r0[2]+c02, r0[3]+c03
	r1[0], r1[1], r1[2], r1[3] = r1[0]+c10, r1[1]+c11, r1[2]+c12, r1[3]+c13
	r2[0], r2[1], r2[2], r2[3] = r2[0]+c20, r2[1]+c21, r2[2]+c22, r2[3]+c23
	r3[0], r3[1], r3[2], r3[3] = r3[0]+c30, r3[1]+c31, r3[2]+c32, r3[3]+c33
}

// packedB is a k×n right-hand matrix cut into panels of nr columns, each stored k-major
// and padded with zeros to nr columns: B[i][j] is data[(j/nr)*k*nr + i*nr + j%nr], or
// half[…] at the same index as a half float (packBHalf; data is then nil).
type packedB struct {
	k, n, nr int
	data     []float32
	half     []uint16
}

// packBHalf packs B as packB does, rounding each value to the nearest half float.
func packBHalf(k, n, nr int, b []float32, sk, sn int) packedB {
	p := packB(nil, k, n, nr, b, sk, sn)
	half := make([]uint16, len(p.data))
	narrow(half, p.data)
	return packedB{k: k, n: n, nr: nr, half: half}
}

// packB packs B[i][j] = b[i*sk+j*sn] (i < k, j < n) into dst (grown as needed).
func packB(dst []float32, k, n, nr int, b []float32, sk, sn int) packedB {
	panels := (n + nr - 1) / nr
	size := panels * k * nr
	if cap(dst) < size {
		dst = make([]float32, size)
	}
	dst = dst[:size]
	for p := range panels {
		pd := dst[p*k*nr : (p+1)*k*nr]
		cols := min(nr, n-p*nr)
		if sn == 1 {
			for i := range k {
				row := pd[i*nr : (i+1)*nr]
				src := i*sk + p*nr
				copy(row, b[src:src+cols])
				clear(row[cols:])
			}
			continue
		}
		// Column j of B is read along its length (contiguous where sk is 1).
		for j := range cols {
			src := b[(p*nr+j)*sn:]
			for i := range k {
				pd[i*nr+j] = src[i*sk]
			}
		}
		if cols < nr {
			for i := range k {
				clear(pd[i*nr+cols : (i+1)*nr])
			}
		}
	}
	return packedB{k: k, n: n, nr: nr, data: dst}
}

// gemmer multiplies with one kernel, reusing its buffers; one per goroutine.
type gemmer struct {
	kern kernel
	edge []float32 // the last rows of A, when fewer than the kernel's, padded with zeros
	tile []float32 // a tile of C at its right edge
	wide []float32 // a half-float B panel's pass, widened
}

// kcMax bounds the depth of one pass, so a kernel's B panel (kc×nr) and A rows (mr×kc)
// stay in L1 while it runs.
const kcMax = 256

// mul adds A·B to C: A[i][l] = a[i*lda+l] (i < m, l < b.k), C[i][j] = c[i*ldc+j]
// (j < b.n). b must have been packed with g.kern.nr columns a panel.
func (g *gemmer) mul(c []float32, ldc, m int, a []float32, lda int, b packedB) {
	mr, nr, k, n := g.kern.mr, g.kern.nr, b.k, b.n
	if b.nr != nr {
		panic(fmt.Sprintf("minilm: B packed for %d-column panels, kernel %s takes %d", b.nr, g.kern.name, nr))
	}
	if b.half != nil && g.kern.widen == nil {
		panic(fmt.Sprintf("minilm: B packed as half floats, kernel %s takes float32", g.kern.name))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if len(c) < (m-1)*ldc+n || len(a) < (m-1)*lda+k || lda < k || ldc < n {
		panic("minilm: gemm operand too short")
	}
	full := m / mr // row blocks of mr rows
	var last kernelFunc
	if rows := m % mr; rows != 0 && g.kern.rows != nil {
		last = g.kern.rows[rows-1]
	} else if rows != 0 {
		// Copy the last rows to a block of mr rows, zero past m.
		size := mr * k
		if cap(g.edge) < size {
			g.edge = make([]float32, size)
		}
		g.edge = g.edge[:size]
		rows := m - full*mr
		for r := range rows {
			copy(g.edge[r*k:(r+1)*k], a[(full*mr+r)*lda:])
		}
		clear(g.edge[rows*k:])
	}
	if cap(g.tile) < mr*nr {
		g.tile = make([]float32, mr*nr)
	}
	tile := g.tile[:mr*nr]
	if b.half != nil && cap(g.wide) < min(k, kcMax)*nr {
		g.wide = make([]float32, min(k, kcMax)*nr)
	}
	passes := (k + kcMax - 1) / kcMax
	kc := (k + passes - 1) / passes
	panels := (n + nr - 1) / nr
	blocks := (m + mr - 1) / mr
	for k0 := 0; k0 < k; k0 += kc {
		kk := min(kc, k-k0)
		for p := range panels {
			var bp *float32
			if b.half != nil {
				wide := g.wide[:kk*nr]
				g.kern.widen(wide, b.half[p*k*nr+k0*nr:p*k*nr+(k0+kk)*nr])
				bp = &wide[0]
			} else {
				bp = &b.data[p*k*nr+k0*nr]
			}
			cols := min(nr, n-p*nr)
			for rb := range blocks {
				ap, ldap, fn := &a[rb*mr*lda+k0], lda, g.kern.fn
				rows := min(mr, m-rb*mr)
				if rb == full {
					if last != nil {
						fn = last
					} else {
						ap, ldap = &g.edge[k0], k
					}
				}
				c0 := rb*mr*ldc + p*nr
				if cols == nr && (rows == mr || last != nil) {
					fn(kk, ap, ldap, bp, &c[c0], ldc)
					continue
				}
				// An edge tile: work on a copy, then write back the part inside C.
				clear(tile)
				for r := range rows {
					copy(tile[r*nr:r*nr+cols], c[c0+r*ldc:c0+r*ldc+cols])
				}
				fn(kk, ap, ldap, bp, &tile[0], nr)
				for r := range rows {
					copy(c[c0+r*ldc:c0+r*ldc+cols], tile[r*nr:r*nr+cols])
				}
			}
		}
	}
}
