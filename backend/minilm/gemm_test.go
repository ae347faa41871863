package minilm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/viterin/vek/vek32"
)

func randMatrix(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = rng.Float32()*2 - 1
	}
	return out
}

// naiveMul adds A·B to C in float64: A[i][l] = a[i*lda+l], B[l][j] = b[l*bk+j*bn].
func naiveMul(c []float32, ldc, m, n, k int, a []float32, lda int, b []float32, bk, bn int) {
	for i := range m {
		for j := range n {
			var s float64
			for l := range k {
				s += float64(a[i*lda+l]) * float64(b[l*bk+j*bn])
			}
			c[i*ldc+j] += float32(s)
		}
	}
}

// TestGemm: every kernel this CPU runs (the assembly ones and the portable one) agrees
// with a plain triple loop on shapes whose edges are no multiple of any tile, with A and C
// wider than the product, B packed from row-major and from transposed storage, and depths
// past one pass; for kernels that widen half floats, also with B packed as half floats
// (against the product with B rounded to them).
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {14, 32, 8}, {15, 33, 9}, {29, 47, 300}, {256, 48, 32}, {37, 70, 513}, {6, 16, 1}}
	for _, kern := range kernels() {
		for _, sh := range shapes {
			m, n, k := sh[0], sh[1], sh[2]
			for _, v := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				transB, half := v[0], v[1]
				if half && kern.widen == nil {
					continue
				}
				name := fmt.Sprintf("%s/%dx%dx%d/transB=%v/half=%v", kern.name, m, n, k, transB, half)
				t.Run(name, func(t *testing.T) {
					lda := k + 5
					a := randMatrix(rng, m*lda)
					// B stored [n][k] as PyTorch keeps weights (B[l][j] = w[j*k+l]), or [k][n].
					w := randMatrix(rng, n*k)
					bk, bn := 1, k
					if transB {
						bk, bn = n, 1
					}
					ldc := n + 3
					c0 := randMatrix(rng, m*ldc)
					want := append([]float32(nil), c0...)
					wr := w
					if half {
						wr = make([]float32, len(w))
						for i, x := range w {
							wr[i] = f16ToF32(f32ToF16(x))
						}
					}
					naiveMul(want, ldc, m, n, k, a, lda, wr, bk, bn)
					got := append([]float32(nil), c0...)
					g := gemmer{kern: kern}
					bp := packB(nil, k, n, kern.nr, w, bk, bn)
					if half {
						bp = packBHalf(k, n, kern.nr, w, bk, bn)
					}
					g.mul(got, ldc, m, a, lda, bp)
					for i := range m {
						for j := range ldc {
							gv, wv := got[i*ldc+j], want[i*ldc+j]
							if j >= n {
								if gv != c0[i*ldc+j] {
									t.Fatalf("C[%d][%d] outside the product changed: %g, was %g", i, j, gv, c0[i*ldc+j])
								}
								continue
							}
							if math.Abs(float64(gv-wv)) > 1e-4*math.Sqrt(float64(k))+1e-5 {
								t.Fatalf("C[%d][%d] = %g, want %g", i, j, gv, wv)
							}
						}
					}
				})
			}
		}
	}
}

// TestGemmEveryRowCount: every row count up to two tiles high, so each kernel meets a
// last row block of every height it has (the short-block kernels, or the padded copy).
func TestGemmEveryRowCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, k = 40, 19
	w := randMatrix(rng, n*k)
	for _, kern := range kernels() {
		bp := packB(nil, k, n, kern.nr, w, 1, k)
		for m := 1; m <= 2*kern.mr+1; m++ {
			a := randMatrix(rng, m*k)
			want := make([]float32, m*n)
			naiveMul(want, n, m, n, k, a, k, w, 1, k)
			got := make([]float32, m*n)
			g := gemmer{kern: kern}
			g.mul(got, n, m, a, k, bp)
			for i := range got {
				if math.Abs(float64(got[i]-want[i])) > 1e-4 {
					t.Fatalf("%s, %d rows: C[%d][%d] = %g, want %g", kern.name, m, i/n, i%n, got[i], want[i])
				}
			}
		}
	}
}

// TestKernelsAgree: the assembly kernels give the portable kernel's results (to float32
// rounding) on the forward pass's largest shape.
func TestKernelsAgree(t *testing.T) {
	ks := kernels()
	if len(ks) == 1 {
		t.Skip("no assembly kernel runs on this CPU")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	m, n, k := 250, 1536, 384
	a, w := randMatrix(rng, m*k), randMatrix(rng, n*k)
	run := func(kern kernel) []float32 {
		c := make([]float32, m*n)
		g := gemmer{kern: kern}
		g.mul(c, n, m, a, k, packB(nil, k, n, kern.nr, w, 1, k))
		return c
	}
	ref := run(goKernel)
	for _, kern := range ks[:len(ks)-1] {
		got := run(kern)
		for i := range got {
			if math.Abs(float64(got[i]-ref[i])) > 1e-3 {
				t.Fatalf("%s: C[%d] = %g, the portable kernel %g", kern.name, i, got[i], ref[i])
			}
		}
	}
}

// BenchmarkGemm reports GFLOPS on the forward pass's shapes (m×k by k×n) for each kernel,
// and on the feed-forward shape for vek32.MatMul (vek's AVX2 matrix product, spread over
// all cores), by wall time and by CPU time (the figure that holds on a shared machine).
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range []struct {
		name    string
		m, k, n int
	}{{"ffn-in", 256, 384, 1536}, {"ffn-out", 256, 1536, 384}, {"qkv", 256, 384, 1152}, {"scores", 256, 32, 256}, {"context", 256, 256, 32}} {
		a, w := randMatrix(rng, sh.m*sh.k), randMatrix(rng, sh.n*sh.k)
		c := make([]float32, sh.m*sh.n)
		flops := 2 * float64(sh.m*sh.n*sh.k)
		for _, kern := range kernels() {
			if kern.name == goKernel.name && sh.name != "ffn-in" {
				continue
			}
			for _, half := range []bool{false, true} {
				// Half-float B where the forward pass uses it: the weights' shapes.
				if half && (kern.widen == nil || sh.name == "scores" || sh.name == "context") {
					continue
				}
				name := sh.name + "/" + kern.name
				if half {
					name += "-half"
				}
				b.Run(name, func(b *testing.B) {
					g := gemmer{kern: kern}
					bp := packB(nil, sh.k, sh.n, kern.nr, w, 1, sh.k)
					if half {
						bp = packBHalf(sh.k, sh.n, kern.nr, w, 1, sh.k)
					}
					cpu0 := cpuTime()
					b.ResetTimer()
					for range b.N {
						g.mul(c, sh.n, sh.m, a, sh.k, bp)
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
					b.ReportMetric(flops*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e9, "GFLOPS-cpu")
				})
			}
		}
	}
	m, n, k := 256, 1536, 384
	a, w := randMatrix(rng, m*k), randMatrix(rng, n*k)
	flops := 2 * float64(m*n*k)
	c := make([]float32, m*n)
	b.Run("ffn-in/vek32.MatMul", func(b *testing.B) {
		wt := make([]float32, k*n) // vek wants B as k×n row-major
		for j := range n {
			for l := range k {
				wt[l*n+j] = w[j*k+l]
			}
		}
		cpu0 := cpuTime()
		b.ResetTimer()
		for range b.N {
			vek32.MatMul_Into(c, a, wt, k)
		}
		b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		b.ReportMetric(flops*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e9, "GFLOPS-cpu")
	})
}
