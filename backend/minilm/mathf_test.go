package minilm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The float32 approximations hold their stated error over the range the model feeds them.
func TestFastMath(t *testing.T) {
	var worstErf, worstExp float64
	for i := -100000; i <= 100000; i++ {
		x := float32(i) / 10000 // -10 … 10
		worstErf = max(worstErf, math.Abs(float64(erff(x))-math.Erf(float64(x))))
		if x <= 0 {
			want := math.Exp(float64(x) * 8) // softmax scores reach -80
			got := float64(expf(x * 8))
			worstExp = max(worstExp, math.Abs(got-want)/want)
		}
	}
	if worstErf > 5e-7 {
		t.Errorf("erff: largest absolute error %g, want ≤ 5e-7", worstErf)
	}
	if worstExp > 3e-7 {
		t.Errorf("expf: largest relative error %g, want ≤ 3e-7", worstExp)
	}
	if expf(-100) != 0 || expf(0) != 1 {
		t.Errorf("expf(-100) = %g, expf(0) = %g", expf(-100), expf(0))
	}
	t.Logf("erff abs error ≤ %.2g, expf rel error ≤ %.2g", worstErf, worstExp)
}

// TestVectorMath: the vector softmax and GELU (AVX-512 and AVX2, where the CPU runs them)
// give what the scalar code gives, over lengths with and without a tail past the last
// full register.
func TestVectorMath(t *testing.T) {
	levels := mathLevels()
	if len(levels) == 1 {
		t.Skip("no vector math on this CPU")
	}
	defer func(l int) { mathLevel = l }(mathLevel)
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 255, 256, 1536} {
		x := make([]float32, n)
		for i := range x {
			x[i] = (rng.Float32()*2 - 1) * 12
		}
		x[0] = 100 // past erf's and exp's cut-offs
		if n > 1 {
			x[1] = -100
		}
		run := func(level int, f func([]float32)) []float32 {
			mathLevel = level
			y := append([]float32(nil), x...)
			f(y)
			return y
		}
		for _, op := range []struct {
			name string
			f    func([]float32)
			tol  float64
		}{{"gelu", geluInPlace, 2e-6}, {"softmax", softmax, 1e-7}} {
			scalar := run(scalarMath, op.f)
			for _, level := range levels[:len(levels)-1] {
				vector := run(level, op.f)
				for i := range x {
					d := math.Abs(float64(scalar[i] - vector[i]))
					if d > op.tol*max(1, math.Abs(float64(scalar[i]))) || math.IsNaN(float64(vector[i])) {
						t.Fatalf("%s, level %d, n %d: x[%d] = %g: vector %g, scalar %g", op.name, level, n, i, x[i], vector[i], scalar[i])
					}
				}
			}
		}
	}
}
