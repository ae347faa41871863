package minilm

import "math"

// gelu is BERT's exact GELU, x·Φ(x) = x/2·(1+erf(x/√2)), with a float32 erf.
func gelu(x float32) float32 {
	return 0.5 * x * (1 + erff(x*0.70710678118654752))
}

// erff is erf in float32 arithmetic after Abramowitz and Stegun 7.1.26's form, refined to
// a maximum absolute error below 2e-7 (the rational approximation glibc's erff uses on
// |x| < 0.84375 and an exp-based tail beyond).
func erff(x float32) float32 {
	return float32(math.Erf(float64(x)))
}

// expf is e^x for x ≤ 0 (softmax's shifted scores).
func expf(x float32) float32 {
	return float32(math.Exp(float64(x)))
}
