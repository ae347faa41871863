//go:build !amd64

package minilm

const scalarMath = 0

func mathLevels() []int { return []int{scalarMath} }

var mathLevel = scalarMath

// expSubVec and geluVec have no vector form off amd64: they leave all of x to the caller.
func expSubVec(x []float32, mx float32) (int, float32) { return 0, 0 }

func geluVec(x []float32) int { return 0 }
