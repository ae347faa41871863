//go:build amd64

#include "textflag.h"

// The constants of expf (mathf.go), one per register.
#define EXP_CONSTS \
	MOVL $0x3fb8aa3b, AX; VPBROADCASTD AX, Z16 \ // log2(e)
	MOVL $0x3f318000, AX; VPBROADCASTD AX, Z17 \ // ln 2, high part
	MOVL $0xb95e8083, AX; VPBROADCASTD AX, Z18 \ // ln 2, low part
	MOVL $0x39506967, AX; VPBROADCASTD AX, Z19 \
	MOVL $0x3ab743ce, AX; VPBROADCASTD AX, Z20 \
	MOVL $0x3c088908, AX; VPBROADCASTD AX, Z21 \
	MOVL $0x3d2aa9c1, AX; VPBROADCASTD AX, Z22 \
	MOVL $0x3e2aaaaa, AX; VPBROADCASTD AX, Z23 \
	MOVL $0x3f000000, AX; VPBROADCASTD AX, Z24 \
	MOVL $0x3f800000, AX; VPBROADCASTD AX, Z25 \ // 1
	MOVL $0xc2ae0000, AX; VPBROADCASTD AX, Z26   // -87

// EXP sets Z0 to e^Z0 as expf does (x = n·ln2 + r, Cephes' polynomial in r, times 2^n),
// using Z1 to Z3.
#define EXP \
	VMAXPS Z26, Z0, Z0; \
	VMULPS Z16, Z0, Z1; \
	VRNDSCALEPS $0, Z1, Z1; \
	VFNMADD231PS Z17, Z1, Z0; \
	VFNMADD231PS Z18, Z1, Z0; \
	VMOVAPS Z19, Z2; \
	VFMADD213PS Z20, Z0, Z2; \
	VFMADD213PS Z21, Z0, Z2; \
	VFMADD213PS Z22, Z0, Z2; \
	VFMADD213PS Z23, Z0, Z2; \
	VFMADD213PS Z24, Z0, Z2; \
	VMULPS Z0, Z0, Z3; \
	VFMADD213PS Z0, Z3, Z2; \
	VADDPS Z25, Z2, Z2; \
	VSCALEFPS Z1, Z2, Z0

// func expSumAVX512(x []float32, mx float32) float32
// x[i] = e^(x[i]-mx) for the first len(x)/16*16 elements; returns their sum.
TEXT ·expSumAVX512(SB), NOSPLIT, $0-36
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $4, CX
	VBROADCASTSS mx+24(FP), Z27
	EXP_CONSTS
	VPXORD Z5, Z5, Z5
	TESTQ CX, CX
	JEQ expsum_done
expsum_loop:
	VMOVUPS (SI), Z0
	VSUBPS Z27, Z0, Z0
	EXP
	VMOVUPS Z0, (SI)
	VADDPS Z0, Z5, Z5
	ADDQ $64, SI
	DECQ CX
	JNZ expsum_loop
expsum_done:
	VEXTRACTF64X4 $1, Z5, Y6
	VADDPS Y6, Y5, Y5
	VEXTRACTF128 $1, Y5, X6
	VADDPS X6, X5, X5
	VHADDPS X5, X5, X5
	VHADDPS X5, X5, X5
	VZEROUPPER
	MOVSS X5, ret+32(FP)
	RET

// func geluAVX512(x []float32)
// x[i] = gelu(x[i]) as mathf.go computes it, for the first len(x)/16*16 elements.
TEXT ·geluAVX512(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $4, CX
	EXP_CONSTS
	MOVL $0x3f3504f3, AX; VPBROADCASTD AX, Z27 // 1/√2
	MOVL $0x3ea7ba05, AX; VPBROADCASTD AX, Z28 // p of A&S 7.1.26
	MOVL $0x80000000, AX; VPBROADCASTD AX, Z29 // sign bit
	MOVL $0x3f87dc22, AX; VPBROADCASTD AX, Z30 // a5
	MOVL $0xbfba00e3, AX; VPBROADCASTD AX, Z31 // a4
	MOVL $0x3fb5f0e3, AX; VPBROADCASTD AX, Z11 // a3
	MOVL $0xbe91a98e, AX; VPBROADCASTD AX, Z12 // a2
	MOVL $0x3e827906, AX; VPBROADCASTD AX, Z13 // a1
	MOVL $0x3f000000, AX; VPBROADCASTD AX, Z14 // 0.5
	TESTQ CX, CX
	JEQ gelu_done
gelu_loop:
	VMOVUPS (SI), Z8           // x
	VMULPS Z27, Z8, Z9         // z = x/√2
	VPANDND Z9, Z29, Z10       // |z|
	VPXORD Z10, Z9, Z9         // sign of z
	VMOVAPS Z28, Z4
	VFMADD213PS Z25, Z10, Z4   // 1 + p|z|
	VDIVPS Z4, Z25, Z4         // t
	VMOVAPS Z30, Z5
	VFMADD213PS Z31, Z4, Z5
	VFMADD213PS Z11, Z4, Z5
	VFMADD213PS Z12, Z4, Z5
	VFMADD213PS Z13, Z4, Z5
	VMULPS Z4, Z5, Z5          // t·poly(t)
	VMULPS Z10, Z10, Z0
	VPXORD Z29, Z0, Z0         // -z²
	EXP
	VFNMADD213PS Z25, Z0, Z5   // erf|z| = 1 - t·poly(t)·e^(-z²)
	VPXORD Z9, Z5, Z5          // erf z
	VADDPS Z25, Z5, Z5
	VMULPS Z8, Z5, Z5
	VMULPS Z14, Z5, Z5         // x/2·(1 + erf z)
	VMOVUPS Z5, (SI)
	ADDQ $64, SI
	DECQ CX
	JNZ gelu_loop
gelu_done:
	VZEROUPPER
	RET
