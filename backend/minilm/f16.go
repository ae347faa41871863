package minilm

import "math"

// The encoder's weight matrices are kept as IEEE 754 half floats (binary16) where a
// kernel widens them (kernel.widen): half the memory of float32, and vectors within
// cosine 0.999999 of float32 weights' (testdata/quant_quality.py). Activations and the
// attention products stay float32.

// f32ToF16 rounds f to the nearest half float, ties to even: magnitudes past the largest
// half (65504) that do not round down to it become infinities, those below the smallest
// subnormal (2⁻²⁴) round to zero or to it, and NaNs stay NaNs (quiet).
func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	man := b & 0x7fffff
	if exp == 0xff {
		if man == 0 {
			return sign | 0x7c00
		}
		return sign | 0x7e00 | uint16(man>>13)
	}
	e := exp - 127 + 15 // the half's biased exponent
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// A subnormal half (or zero): |f| = m·2^(exp-150) = q·2⁻²⁴ with q = m·2^(e-14).
		if e < -10 {
			return sign // below 2⁻²⁵, half the smallest subnormal
		}
		m := man | 0x800000 // float32 subnormals are far below 2⁻²⁵, caught above
		shift := uint(14 - e)
		q := m >> shift
		rem, half := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > half || rem == half && q&1 == 1 {
			q++ // may carry into the smallest normal, whose bits are the next ones
		}
		return sign | uint16(q)
	}
	h := uint32(e)<<10 | man>>13
	if rem := man & 0x1fff; rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // a carry out of the significand steps the exponent, up to infinity
	}
	return sign | uint16(h)
}

// f16ToF32 widens a half float exactly (a NaN comes back quiet, as VCVTPH2PS gives it).
func f16ToF32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0:
		v := float32(man) * (1.0 / (1 << 24))
		return math.Float32frombits(sign | math.Float32bits(v))
	case exp == 0x1f && man == 0:
		return math.Float32frombits(sign | 0x7f800000)
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7fc00000 | man<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | man<<13)
}

// widenGo widens src into dst (of src's length) in Go.
func widenGo(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	for i, h := range src {
		dst[i] = f16ToF32(h)
	}
}

// narrowGo rounds src into dst (of src's length) to half floats in Go.
func narrowGo(dst []uint16, src []float32) {
	dst = dst[:len(src)]
	for i, f := range src {
		dst[i] = f32ToF16(f)
	}
}
