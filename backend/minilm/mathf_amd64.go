package minilm

import "golang.org/x/sys/cpu"

//go:noescape
func expSumAVX512(x []float32, mx float32) float32

//go:noescape
func geluAVX512(x []float32)

// vecMath says whether expSubVec and geluVec use AVX-512 (tests turn it off to compare).
var vecMath = cpu.X86.HasAVX512F

// expSubVec sets x[i] = e^(x[i]-mx) for a prefix of x, returning the prefix's length and sum.
func expSubVec(x []float32, mx float32) (int, float32) {
	n := len(x) &^ 15
	if !vecMath || n == 0 {
		return 0, 0
	}
	return n, expSumAVX512(x[:n], mx)
}

// geluVec applies gelu to a prefix of x and returns its length.
func geluVec(x []float32) int {
	n := len(x) &^ 15
	if !vecMath || n == 0 {
		return 0
	}
	geluAVX512(x[:n])
	return n
}
