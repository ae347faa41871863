//go:build amd64

#include "textflag.h"

// func widenF16AVX512(dst *float32, src *uint16, n int)
// Widens n half floats (n a multiple of 32) to float32 with AVX-512F's VCVTPH2PS.
TEXT ·widenF16AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $5, CX
	JEQ done512
loop512:
	VCVTPH2PS 0(SI), Z0
	VCVTPH2PS 32(SI), Z1
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	ADDQ $64, SI
	ADDQ $128, DI
	DECQ CX
	JNZ loop512
done512:
	VZEROUPPER
	RET

// func widenF16F16C(dst *float32, src *uint16, n int)
// Widens n half floats (n a multiple of 16) to float32 with F16C's VCVTPH2PS.
TEXT ·widenF16F16C(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $4, CX
	JEQ doneF16C
loopF16C:
	VCVTPH2PS 0(SI), Y0
	VCVTPH2PS 16(SI), Y1
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $32, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loopF16C
doneF16C:
	VZEROUPPER
	RET

// func cpuidECX1() uint32
// CPUID leaf 1's ECX (feature bits; bit 29 is F16C).
TEXT ·cpuidECX1(SB), NOSPLIT, $0-4
	MOVL $1, AX
	XORL CX, CX
	CPUID
	MOVL CX, ret+0(FP)
	RET

// func narrowF16AVX512(dst *uint16, src *float32, n int)
// Rounds n float32s (n a multiple of 16) to half floats, to nearest even, with AVX-512F's
// VCVTPS2PH.
TEXT ·narrowF16AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $4, CX
	JEQ doneN512
loopN512:
	VMOVUPS 0(SI), Z0
	VCVTPS2PH $0, Z0, 0(DI)
	ADDQ $64, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loopN512
doneN512:
	VZEROUPPER
	RET

// func narrowF16F16C(dst *uint16, src *float32, n int)
// Rounds n float32s (n a multiple of 8) to half floats, to nearest even, with F16C's
// VCVTPS2PH.
TEXT ·narrowF16F16C(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JEQ doneNF16C
loopNF16C:
	VMOVUPS 0(SI), Y0
	VCVTPS2PH $0, Y0, 0(DI)
	ADDQ $32, SI
	ADDQ $16, DI
	DECQ CX
	JNZ loopNF16C
doneNF16C:
	VZEROUPPER
	RET
