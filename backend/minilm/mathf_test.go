package minilm

import (
	"math"
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
