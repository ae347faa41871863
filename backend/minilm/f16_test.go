package minilm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestF32ToF16: rounding to half floats against hand-worked values: exact ones, ties to
// even among normals and subnormals, the carry from the largest subnormal into the
// normals and from the largest finite half into infinity, underflow, infinities, NaN.
func TestF32ToF16(t *testing.T) {
	p2 := func(e int) float32 { return float32(math.Ldexp(1, e)) }
	up := func(f float32) float32 { return math.Nextafter32(f, float32(math.Inf(1))) }
	for _, c := range []struct {
		f    float32
		want uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{0.5, 0x3800},
		{0.1, 0x2e66},
		{3.14159265, 0x4248},
		{65504, 0x7bff}, // the largest half
		{65519, 0x7bff}, // below the midpoint to infinity
		{65520, 0x7c00}, // the midpoint: 0x7bff is odd, so up to infinity
		{1e6, 0x7c00},   // overflow
		{-1e6, 0xfc00},  //
		{float32(math.Inf(1)), 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{1 + p2(-11), 0x3c00},      // a tie: stays on the even 0x3c00
		{up(1 + p2(-11)), 0x3c01},  // just past it
		{1 + 3*p2(-11), 0x3c02},    // a tie from the odd 0x3c01: up
		{p2(-14), 0x0400},          // the smallest normal
		{p2(-24), 0x0001},          // the smallest subnormal
		{-p2(-24), 0x8001},         //
		{p2(-25), 0x0000},          // half of it, a tie: down to the even zero
		{up(p2(-25)), 0x0001},      // just past the tie
		{3 * p2(-25), 0x0002},      // 1.5 subnormal units: up to 2
		{5 * p2(-25), 0x0002},      // 2.5: down to 2
		{1023 * p2(-24), 0x03ff},   // the largest subnormal
		{1023.5 * p2(-24), 0x0400}, // a tie from the odd 0x3ff: up into the normals
		{p2(-26), 0x0000},          // underflow
		{math.SmallestNonzeroFloat32, 0x0000},
		{-math.SmallestNonzeroFloat32, 0x8000},
	} {
		if got := f32ToF16(c.f); got != c.want {
			t.Errorf("f32ToF16(%g = %#08x) = %#04x, want %#04x", c.f, math.Float32bits(c.f), got, c.want)
		}
	}
	if h := f32ToF16(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("f32ToF16(NaN) = %#04x, not a NaN", h)
	}
}

// TestF16RoundTrip: every half float widens exactly and rounds back to itself, and
// f16ToF32 agrees with the bit layout on hand-worked values.
func TestF16RoundTrip(t *testing.T) {
	for h := range 1 << 16 {
		f := f16ToF32(uint16(h))
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			if !math.IsNaN(float64(f)) {
				t.Fatalf("f16ToF32(%#04x) = %g, want NaN", h, f)
			}
			continue
		}
		if back := f32ToF16(f); back != uint16(h) {
			t.Fatalf("f32ToF16(f16ToF32(%#04x) = %g) = %#04x", h, f, back)
		}
	}
	for h, want := range map[uint16]float32{0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x0001: float32(math.Ldexp(1, -24)),
		0x03ff: float32(1023 * math.Ldexp(1, -24)), 0x0400: float32(math.Ldexp(1, -14)), 0x3555: 0.333251953125} {
		if got := f16ToF32(h); got != want {
			t.Errorf("f16ToF32(%#04x) = %g, want %g", h, got, want)
		}
	}
}

// TestF32ToF16Nearest: over float32s spread across the half's range and beyond (a prime
// stride through every bit pattern), the half chosen is a nearest one, and the even one
// on a tie.
func TestF32ToF16Nearest(t *testing.T) {
	for bits := uint64(0); bits < 1<<32; bits += 4093 {
		f := math.Float32frombits(uint32(bits))
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			continue
		}
		h := f32ToF16(f)
		x := math.Abs(float64(f))
		mag := h & 0x7fff
		if math.Signbit(float64(f)) != (h&0x8000 != 0) {
			t.Fatalf("f32ToF16(%g) = %#04x: sign lost", f, h)
		}
		if mag == 0x7c00 {
			// Infinity: only from at least the midpoint between 65504 and 2¹⁶.
			if x < 65520 {
				t.Fatalf("f32ToF16(%g) = infinity", f)
			}
			continue
		}
		got := float64(f16ToF32(mag))
		d := math.Abs(x - got)
		for _, n := range []uint16{mag - 1, mag + 1} {
			if n > 0x7bff || mag == 0 && n == 0xffff {
				continue
			}
			dn := math.Abs(x - float64(f16ToF32(n)))
			if dn < d || dn == d && mag&1 == 1 {
				t.Fatalf("f32ToF16(%g) = %#04x (%g), but %#04x (%g) is nearer or the even one of a tie", f, h, got, n, f16ToF32(n))
			}
		}
	}
}

// TestWiden: each kernel's widening gives f16ToF32's bits for every half float, at
// lengths that leave a tail for the scalar loop.
func TestWiden(t *testing.T) {
	src := make([]uint16, 1<<16)
	for i := range src {
		src[i] = uint16(i)
	}
	want := make([]float32, len(src))
	widenGo(want, src)
	n := 0
	for _, kern := range kernels() {
		if kern.widen == nil {
			continue
		}
		n++
		for _, length := range []int{len(src), 1, 15, 31, 33, 1000} {
			got := make([]float32, length+1)
			got[length] = 7 // past the end: must stay
			kern.widen(got[:length], src[len(src)-length:])
			for i := range length {
				if math.Float32bits(got[i]) != math.Float32bits(want[len(src)-length+i]) {
					t.Fatalf("%s, %d values: half %#04x widened to %#08x, want %#08x", kern.name, length,
						src[len(src)-length+i], math.Float32bits(got[i]), math.Float32bits(want[len(src)-length+i]))
				}
			}
			if got[length] != 7 {
				t.Fatalf("%s wrote past %d values", kern.name, length)
			}
		}
	}
	if n == 0 {
		t.Skip("no kernel on this CPU widens half floats")
	}
}

// TestNewLinearHalf: a dense layer's weights are packed as half floats (two bytes a
// weight) for a kernel that widens them, and as float32 for one that does not.
func TestNewLinearHalf(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const out, in = 70, 40
	w, b := randMatrix(rng, out*in), randMatrix(rng, out)
	for _, kern := range kernels() {
		t.Run(kern.name, func(t *testing.T) {
			l := newLinear(w, b, out, in, kern)
			panels := (out + kern.nr - 1) / kern.nr
			if kern.widen == nil {
				if l.w.half != nil || len(l.w.data) != panels*in*kern.nr {
					t.Fatalf("float32 panels: %d floats, %d halves", len(l.w.data), len(l.w.half))
				}
				return
			}
			if l.w.data != nil || len(l.w.half) != panels*in*kern.nr {
				t.Fatalf("half-float panels: %d floats, %d halves", len(l.w.data), len(l.w.half))
			}
			// B[i][j] = W[j][i], rounded.
			for _, ij := range [][2]int{{0, 0}, {in - 1, out - 1}, {17, 33}} {
				i, j := ij[0], ij[1]
				got := l.w.half[(j/kern.nr)*in*kern.nr+i*kern.nr+j%kern.nr]
				if want := f32ToF16(w[j*in+i]); got != want {
					t.Errorf("B[%d][%d] = %#04x, want %#04x", i, j, got, want)
				}
			}
		})
	}
}
