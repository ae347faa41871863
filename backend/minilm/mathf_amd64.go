package minilm

import "golang.org/x/sys/cpu"

//go:noescape
func expSumAVX512(x []float32, mx float32) float32

//go:noescape
func geluAVX512(x []float32)

//go:noescape
func expSumAVX2(x []float32, mx float32) float32

//go:noescape
func geluAVX2(x []float32)

// Vector forms of softmax's exp and of GELU.
const (
	scalarMath = iota
	avx2Math
	avx512Math
)

// mathLevels lists the forms this CPU runs, fastest first.
func mathLevels() []int {
	var ls []int
	if cpu.X86.HasAVX512F {
		ls = append(ls, avx512Math)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ls = append(ls, avx2Math)
	}
	return append(ls, scalarMath)
}

// mathLevel is the form expSubVec and geluVec use (tests change it to compare).
var mathLevel = mathLevels()[0]

// expSubVec sets x[i] = e^(x[i]-mx) for a prefix of x, returning the prefix's length and sum.
func expSubVec(x []float32, mx float32) (int, float32) {
	switch n := len(x); {
	case mathLevel == avx512Math && n >= 16:
		n &^= 15
		return n, expSumAVX512(x[:n], mx)
	case mathLevel >= avx2Math && n >= 8:
		n &^= 7
		return n, expSumAVX2(x[:n], mx)
	}
	return 0, 0
}

// geluVec applies gelu to a prefix of x and returns its length.
func geluVec(x []float32) int {
	switch n := len(x); {
	case mathLevel == avx512Math && n >= 16:
		n &^= 15
		geluAVX512(x[:n])
		return n
	case mathLevel >= avx2Math && n >= 8:
		n &^= 7
		geluAVX2(x[:n])
		return n
	}
	return 0
}
