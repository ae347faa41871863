package minilm

import (
	"math"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestNarrowAsm: VCVTPS2PH, in its AVX-512F and F16C forms where the CPU has them, rounds
// as f32ToF16 does, bit for bit, over float32s spread across every bit pattern (NaNs and
// infinities included) and at lengths that leave a tail for Go.
func TestNarrowAsm(t *testing.T) {
	var src []float32
	for bits := uint64(0); bits < 1<<32; bits += 4093 {
		src = append(src, math.Float32frombits(uint32(bits)))
	}
	src = append(src, 65520, 65519, 1023.5/(1<<24), 3.0/(1<<25), 1.0/(1<<25), float32(math.Inf(-1)), float32(math.NaN()))
	want := make([]uint16, len(src))
	narrowGo(want, src)
	forms := map[string]func(dst []uint16, src []float32){"narrow": narrow}
	if cpu.X86.HasAVX512F {
		forms["avx512"] = func(dst []uint16, src []float32) {
			if n := len(src) &^ 15; n > 0 {
				narrowF16AVX512(&dst[0], &src[0], n)
			}
			narrowGo(dst[len(src)&^15:], src[len(src)&^15:])
		}
	}
	if hasF16C {
		forms["f16c"] = func(dst []uint16, src []float32) {
			if n := len(src) &^ 7; n > 0 {
				narrowF16F16C(&dst[0], &src[0], n)
			}
			narrowGo(dst[len(src)&^7:], src[len(src)&^7:])
		}
	}
	for name, f := range forms {
		for _, length := range []int{len(src), 1, 7, 9, 17, 1000} {
			got := make([]uint16, length+1)
			got[length] = 7 // past the end: must stay
			f(got[:length], src[len(src)-length:])
			for i := range length {
				if w := want[len(src)-length+i]; got[i] != w {
					t.Fatalf("%s, %d values: %g (%#08x) rounded to %#04x, want %#04x", name, length,
						src[len(src)-length+i], math.Float32bits(src[len(src)-length+i]), got[i], w)
				}
			}
			if got[length] != 7 {
				t.Fatalf("%s wrote past %d values", name, length)
			}
		}
	}
	t.Logf("forms checked: %d", len(forms))
}
