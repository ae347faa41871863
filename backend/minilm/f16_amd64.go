package minilm

import "golang.org/x/sys/cpu"

//go:noescape
func widenF16AVX512(dst *float32, src *uint16, n int)

//go:noescape
func widenF16F16C(dst *float32, src *uint16, n int)

//go:noescape
func narrowF16AVX512(dst *uint16, src *float32, n int)

//go:noescape
func narrowF16F16C(dst *uint16, src *float32, n int)

func cpuidECX1() uint32

// hasF16C: the CPU converts half floats (VCVTPH2PS on 128- and 256-bit registers). Every
// CPU with AVX2 has it, but it is a separate CPUID bit (leaf 1, ECX bit 29) and
// golang.org/x/sys/cpu at this version does not report it.
var hasF16C = cpu.X86.HasAVX && cpuidECX1()&(1<<29) != 0

// widenAVX512 widens src into dst with AVX-512F, the last len(src)%32 values in Go.
func widenAVX512(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	n := len(src) &^ 31
	if n > 0 {
		widenF16AVX512(&dst[0], &src[0], n)
	}
	widenGo(dst[n:], src[n:])
}

// widenF16C widens src into dst with F16C, the last len(src)%16 values in Go.
func widenF16C(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	n := len(src) &^ 15
	if n > 0 {
		widenF16F16C(&dst[0], &src[0], n)
	}
	widenGo(dst[n:], src[n:])
}

// narrow rounds src into dst (of src's length) to the nearest half floats, ties to even,
// as f32ToF16 does: with AVX-512F or F16C where the CPU has them, else in Go.
func narrow(dst []uint16, src []float32) {
	dst = dst[:len(src)]
	n := 0
	switch {
	case cpu.X86.HasAVX512F:
		n = len(src) &^ 15
		if n > 0 {
			narrowF16AVX512(&dst[0], &src[0], n)
		}
	case hasF16C:
		n = len(src) &^ 7
		if n > 0 {
			narrowF16F16C(&dst[0], &src[0], n)
		}
	}
	narrowGo(dst[n:], src[n:])
}
