//go:build !amd64

package minilm

// narrow rounds src into dst (of src's length) to the nearest half floats, ties to even.
func narrow(dst []uint16, src []float32) { narrowGo(dst, src) }
