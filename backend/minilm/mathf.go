package minilm

import (
	"math"

	"github.com/viterin/vek/vek32"
)

// gelu is BERT's exact GELU, x·Φ(x) = x/2·(1+erf(x/√2)).
func gelu(x float32) float32 {
	return 0.5 * x * (1 + erff(x*0.70710678118654752))
}

// erff is erf by Abramowitz and Stegun's formula 7.1.26 (absolute error 1.5e-7, below 5e-7
// after float32 rounding) with expf.
func erff(x float32) float32 {
	s := float32(1)
	if x < 0 {
		s, x = -1, -x
	}
	if x > 4 {
		return s // erf(4) = 1 - 1.5e-8
	}
	t := 1 / (1 + 0.3275911*x)
	y := 1 - t*(0.254829592+t*(-0.284496736+t*(1.421413741+t*(-1.453152027+t*1.061405429))))*expf(-x*x)
	return s * y
}

// expf is e^x in float32 (relative error about 1e-7, Cephes' expf polynomial); x ≤ 88.
func expf(x float32) float32 {
	if x < -87 {
		return 0
	}
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
	)
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*ln2hi - n*ln2lo
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return math.Float32frombits(math.Float32bits(p) + uint32(int32(n))<<23)
}

// softmax replaces row by its softmax.
func softmax(row []float32) {
	mx := vek32.Max(row)
	done, sum := expSubVec(row, mx)
	for i, a := range row[done:] {
		e := expf(a - mx)
		row[done+i] = e
		sum += e
	}
	vek32.MulNumber_Inplace(row, 1/sum)
}

// geluInPlace applies gelu to every element of x.
func geluInPlace(x []float32) {
	done := geluVec(x)
	for i, a := range x[done:] {
		x[done+i] = gelu(a)
	}
}
