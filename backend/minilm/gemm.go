package minilm

//go:generate go run gen_kernels.go

import (
	"fmt"
	"unsafe"
)

// A kernel adds A·B to an mr×nr tile of C: A is an mr-row panel packed k-major
// (a[k*mr+r]), B an nr-column panel packed k-major (b[k*nr+j]), C row-major with ldc
// floats between rows. gemm_amd64.s holds the assembly ones (gen_kernels.go writes it).
type kernel struct {
	name   string
	mr, nr int
	fn     func(kc int, a, b, c *float32, ldc int)
}

// goKernel is the portable kernel, used where no assembly one runs.
var goKernel = kernel{name: "go", mr: 4, nr: 4, fn: kern4x4go}

// bestKernel is the fastest kernel this CPU runs (see kernels_amd64.go).
var bestKernel = pickKernel()

func kern4x4go(kc int, a, b, c *float32, ldc int) {
	as := unsafe.Slice(a, kc*4)
	bs := unsafe.Slice(b, kc*4)
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	for k := range kc {
		ak := (*[4]float32)(as[k*4 : k*4+4])
		bk := (*[4]float32)(bs[k*4 : k*4+4])
		b0, b1, b2, b3 := bk[0], bk[1], bk[2], bk[3]
		a0, a1, a2, a3 := ak[0], ak[1], ak[2], ak[3]
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
// and padded with zeros to nr columns: B[i][j] is data[(j/nr)*k*nr + i*nr + j%nr].
type packedB struct {
	k, n, nr int
	data     []float32
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
		for i := range k {
			row := pd[i*nr : (i+1)*nr]
			src := i*sk + p*nr*sn
			if sn == 1 {
				copy(row, b[src:src+cols])
			} else {
				for j := range cols {
					row[j] = b[src+j*sn]
				}
			}
			clear(row[cols:])
		}
	}
	return packedB{k: k, n: n, nr: nr, data: dst}
}

// gemmer multiplies with one kernel, reusing its packing buffers; one per goroutine.
type gemmer struct {
	kern  kernel
	apack []float32
	tile  []float32
}

// kcMax bounds the depth of one pass, so a kernel's B panel (kc×nr) stays in L1 while
// the A panels stream from L2.
const kcMax = 256

// mul adds A·B to C: A[i][l] = a[i*sm+l*sk] (i < m, l < b.k), C[i][j] = c[i*ldc+j]
// (j < b.n). b must have been packed with g.kern.nr columns a panel.
func (g *gemmer) mul(c []float32, ldc, m int, a []float32, sm, sk int, b packedB) {
	mr, nr, k, n := g.kern.mr, g.kern.nr, b.k, b.n
	if b.nr != nr {
		panic(fmt.Sprintf("minilm: B packed for %d-column panels, kernel %s takes %d", b.nr, g.kern.name, nr))
	}
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if len(c) < (m-1)*ldc+n || len(a) < (m-1)*sm+(k-1)*sk+1 {
		panic("minilm: gemm operand too short")
	}
	// Pack A into mr-row panels, k-major, rows past m zero.
	blocks := (m + mr - 1) / mr
	size := blocks * k * mr
	if cap(g.apack) < size {
		g.apack = make([]float32, size)
	}
	ap := g.apack[:size]
	for rb := range blocks {
		pd := ap[rb*k*mr : (rb+1)*k*mr]
		rows := min(mr, m-rb*mr)
		for r := range rows {
			src := (rb*mr + r) * sm
			if sk == 1 {
				for l, v := range a[src : src+k] {
					pd[l*mr+r] = v
				}
			} else {
				for l := range k {
					pd[l*mr+r] = a[src+l*sk]
				}
			}
		}
		for r := rows; r < mr; r++ {
			for l := range k {
				pd[l*mr+r] = 0
			}
		}
	}
	if cap(g.tile) < mr*nr {
		g.tile = make([]float32, mr*nr)
	}
	tile := g.tile[:mr*nr]
	passes := (k + kcMax - 1) / kcMax
	kc := (k + passes - 1) / passes
	panels := (n + nr - 1) / nr
	for k0 := 0; k0 < k; k0 += kc {
		kk := min(kc, k-k0)
		for p := range panels {
			bp := &b.data[p*k*nr+k0*nr]
			cols := min(nr, n-p*nr)
			for rb := range blocks {
				apr := &ap[rb*k*mr+k0*mr]
				rows := min(mr, m-rb*mr)
				c0 := rb*mr*ldc + p*nr
				if rows == mr && cols == nr {
					g.kern.fn(kk, apr, bp, &c[c0], ldc)
					continue
				}
				// An edge tile: work on a copy, then write back the part inside C.
				clear(tile)
				for r := range rows {
					copy(tile[r*nr:r*nr+cols], c[c0+r*ldc:c0+r*ldc+cols])
				}
				g.kern.fn(kk, apr, bp, &tile[0], nr)
				for r := range rows {
					copy(c[c0+r*ldc:c0+r*ldc+cols], tile[r*nr:r*nr+cols])
				}
			}
		}
	}
}
