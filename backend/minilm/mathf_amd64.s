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

// The constants above, eight of each, for the AVX2 forms.
DATA mathc<>+0(SB)/4, $0x3fb8aa3b
DATA mathc<>+4(SB)/4, $0x3fb8aa3b
DATA mathc<>+8(SB)/4, $0x3fb8aa3b
DATA mathc<>+12(SB)/4, $0x3fb8aa3b
DATA mathc<>+16(SB)/4, $0x3fb8aa3b
DATA mathc<>+20(SB)/4, $0x3fb8aa3b
DATA mathc<>+24(SB)/4, $0x3fb8aa3b
DATA mathc<>+28(SB)/4, $0x3fb8aa3b
DATA mathc<>+32(SB)/4, $0x3f318000
DATA mathc<>+36(SB)/4, $0x3f318000
DATA mathc<>+40(SB)/4, $0x3f318000
DATA mathc<>+44(SB)/4, $0x3f318000
DATA mathc<>+48(SB)/4, $0x3f318000
DATA mathc<>+52(SB)/4, $0x3f318000
DATA mathc<>+56(SB)/4, $0x3f318000
DATA mathc<>+60(SB)/4, $0x3f318000
DATA mathc<>+64(SB)/4, $0xb95e8083
DATA mathc<>+68(SB)/4, $0xb95e8083
DATA mathc<>+72(SB)/4, $0xb95e8083
DATA mathc<>+76(SB)/4, $0xb95e8083
DATA mathc<>+80(SB)/4, $0xb95e8083
DATA mathc<>+84(SB)/4, $0xb95e8083
DATA mathc<>+88(SB)/4, $0xb95e8083
DATA mathc<>+92(SB)/4, $0xb95e8083
DATA mathc<>+96(SB)/4, $0x39506967
DATA mathc<>+100(SB)/4, $0x39506967
DATA mathc<>+104(SB)/4, $0x39506967
DATA mathc<>+108(SB)/4, $0x39506967
DATA mathc<>+112(SB)/4, $0x39506967
DATA mathc<>+116(SB)/4, $0x39506967
DATA mathc<>+120(SB)/4, $0x39506967
DATA mathc<>+124(SB)/4, $0x39506967
DATA mathc<>+128(SB)/4, $0x3ab743ce
DATA mathc<>+132(SB)/4, $0x3ab743ce
DATA mathc<>+136(SB)/4, $0x3ab743ce
DATA mathc<>+140(SB)/4, $0x3ab743ce
DATA mathc<>+144(SB)/4, $0x3ab743ce
DATA mathc<>+148(SB)/4, $0x3ab743ce
DATA mathc<>+152(SB)/4, $0x3ab743ce
DATA mathc<>+156(SB)/4, $0x3ab743ce
DATA mathc<>+160(SB)/4, $0x3c088908
DATA mathc<>+164(SB)/4, $0x3c088908
DATA mathc<>+168(SB)/4, $0x3c088908
DATA mathc<>+172(SB)/4, $0x3c088908
DATA mathc<>+176(SB)/4, $0x3c088908
DATA mathc<>+180(SB)/4, $0x3c088908
DATA mathc<>+184(SB)/4, $0x3c088908
DATA mathc<>+188(SB)/4, $0x3c088908
DATA mathc<>+192(SB)/4, $0x3d2aa9c1
DATA mathc<>+196(SB)/4, $0x3d2aa9c1
DATA mathc<>+200(SB)/4, $0x3d2aa9c1
DATA mathc<>+204(SB)/4, $0x3d2aa9c1
DATA mathc<>+208(SB)/4, $0x3d2aa9c1
DATA mathc<>+212(SB)/4, $0x3d2aa9c1
DATA mathc<>+216(SB)/4, $0x3d2aa9c1
DATA mathc<>+220(SB)/4, $0x3d2aa9c1
DATA mathc<>+224(SB)/4, $0x3e2aaaaa
DATA mathc<>+228(SB)/4, $0x3e2aaaaa
DATA mathc<>+232(SB)/4, $0x3e2aaaaa
DATA mathc<>+236(SB)/4, $0x3e2aaaaa
DATA mathc<>+240(SB)/4, $0x3e2aaaaa
DATA mathc<>+244(SB)/4, $0x3e2aaaaa
DATA mathc<>+248(SB)/4, $0x3e2aaaaa
DATA mathc<>+252(SB)/4, $0x3e2aaaaa
DATA mathc<>+256(SB)/4, $0x3f000000
DATA mathc<>+260(SB)/4, $0x3f000000
DATA mathc<>+264(SB)/4, $0x3f000000
DATA mathc<>+268(SB)/4, $0x3f000000
DATA mathc<>+272(SB)/4, $0x3f000000
DATA mathc<>+276(SB)/4, $0x3f000000
DATA mathc<>+280(SB)/4, $0x3f000000
DATA mathc<>+284(SB)/4, $0x3f000000
DATA mathc<>+288(SB)/4, $0x3f800000
DATA mathc<>+292(SB)/4, $0x3f800000
DATA mathc<>+296(SB)/4, $0x3f800000
DATA mathc<>+300(SB)/4, $0x3f800000
DATA mathc<>+304(SB)/4, $0x3f800000
DATA mathc<>+308(SB)/4, $0x3f800000
DATA mathc<>+312(SB)/4, $0x3f800000
DATA mathc<>+316(SB)/4, $0x3f800000
DATA mathc<>+320(SB)/4, $0xc2ae0000
DATA mathc<>+324(SB)/4, $0xc2ae0000
DATA mathc<>+328(SB)/4, $0xc2ae0000
DATA mathc<>+332(SB)/4, $0xc2ae0000
DATA mathc<>+336(SB)/4, $0xc2ae0000
DATA mathc<>+340(SB)/4, $0xc2ae0000
DATA mathc<>+344(SB)/4, $0xc2ae0000
DATA mathc<>+348(SB)/4, $0xc2ae0000
DATA mathc<>+352(SB)/4, $0x3f3504f3
DATA mathc<>+356(SB)/4, $0x3f3504f3
DATA mathc<>+360(SB)/4, $0x3f3504f3
DATA mathc<>+364(SB)/4, $0x3f3504f3
DATA mathc<>+368(SB)/4, $0x3f3504f3
DATA mathc<>+372(SB)/4, $0x3f3504f3
DATA mathc<>+376(SB)/4, $0x3f3504f3
DATA mathc<>+380(SB)/4, $0x3f3504f3
DATA mathc<>+384(SB)/4, $0x3ea7ba05
DATA mathc<>+388(SB)/4, $0x3ea7ba05
DATA mathc<>+392(SB)/4, $0x3ea7ba05
DATA mathc<>+396(SB)/4, $0x3ea7ba05
DATA mathc<>+400(SB)/4, $0x3ea7ba05
DATA mathc<>+404(SB)/4, $0x3ea7ba05
DATA mathc<>+408(SB)/4, $0x3ea7ba05
DATA mathc<>+412(SB)/4, $0x3ea7ba05
DATA mathc<>+416(SB)/4, $0x80000000
DATA mathc<>+420(SB)/4, $0x80000000
DATA mathc<>+424(SB)/4, $0x80000000
DATA mathc<>+428(SB)/4, $0x80000000
DATA mathc<>+432(SB)/4, $0x80000000
DATA mathc<>+436(SB)/4, $0x80000000
DATA mathc<>+440(SB)/4, $0x80000000
DATA mathc<>+444(SB)/4, $0x80000000
DATA mathc<>+448(SB)/4, $0x3f87dc22
DATA mathc<>+452(SB)/4, $0x3f87dc22
DATA mathc<>+456(SB)/4, $0x3f87dc22
DATA mathc<>+460(SB)/4, $0x3f87dc22
DATA mathc<>+464(SB)/4, $0x3f87dc22
DATA mathc<>+468(SB)/4, $0x3f87dc22
DATA mathc<>+472(SB)/4, $0x3f87dc22
DATA mathc<>+476(SB)/4, $0x3f87dc22
DATA mathc<>+480(SB)/4, $0xbfba00e3
DATA mathc<>+484(SB)/4, $0xbfba00e3
DATA mathc<>+488(SB)/4, $0xbfba00e3
DATA mathc<>+492(SB)/4, $0xbfba00e3
DATA mathc<>+496(SB)/4, $0xbfba00e3
DATA mathc<>+500(SB)/4, $0xbfba00e3
DATA mathc<>+504(SB)/4, $0xbfba00e3
DATA mathc<>+508(SB)/4, $0xbfba00e3
DATA mathc<>+512(SB)/4, $0x3fb5f0e3
DATA mathc<>+516(SB)/4, $0x3fb5f0e3
DATA mathc<>+520(SB)/4, $0x3fb5f0e3
DATA mathc<>+524(SB)/4, $0x3fb5f0e3
DATA mathc<>+528(SB)/4, $0x3fb5f0e3
DATA mathc<>+532(SB)/4, $0x3fb5f0e3
DATA mathc<>+536(SB)/4, $0x3fb5f0e3
DATA mathc<>+540(SB)/4, $0x3fb5f0e3
DATA mathc<>+544(SB)/4, $0xbe91a98e
DATA mathc<>+548(SB)/4, $0xbe91a98e
DATA mathc<>+552(SB)/4, $0xbe91a98e
DATA mathc<>+556(SB)/4, $0xbe91a98e
DATA mathc<>+560(SB)/4, $0xbe91a98e
DATA mathc<>+564(SB)/4, $0xbe91a98e
DATA mathc<>+568(SB)/4, $0xbe91a98e
DATA mathc<>+572(SB)/4, $0xbe91a98e
DATA mathc<>+576(SB)/4, $0x3e827906
DATA mathc<>+580(SB)/4, $0x3e827906
DATA mathc<>+584(SB)/4, $0x3e827906
DATA mathc<>+588(SB)/4, $0x3e827906
DATA mathc<>+592(SB)/4, $0x3e827906
DATA mathc<>+596(SB)/4, $0x3e827906
DATA mathc<>+600(SB)/4, $0x3e827906
DATA mathc<>+604(SB)/4, $0x3e827906
DATA mathc<>+608(SB)/4, $0x3f000000
DATA mathc<>+612(SB)/4, $0x3f000000
DATA mathc<>+616(SB)/4, $0x3f000000
DATA mathc<>+620(SB)/4, $0x3f000000
DATA mathc<>+624(SB)/4, $0x3f000000
DATA mathc<>+628(SB)/4, $0x3f000000
DATA mathc<>+632(SB)/4, $0x3f000000
DATA mathc<>+636(SB)/4, $0x3f000000
GLOBL mathc<>(SB), RODATA|NOPTR, $640

// EXP8 sets Y0 to e^Y0 as expf does, using Y1 to Y3.
#define EXP8 \
	VMAXPS mathc<>+320(SB), Y0, Y0; \
	VMULPS mathc<>+0(SB), Y0, Y1; \
	VROUNDPS $0, Y1, Y1; \
	VFNMADD231PS mathc<>+32(SB), Y1, Y0; \
	VFNMADD231PS mathc<>+64(SB), Y1, Y0; \
	VMOVUPS mathc<>+96(SB), Y2; \
	VFMADD213PS mathc<>+128(SB), Y0, Y2; \
	VFMADD213PS mathc<>+160(SB), Y0, Y2; \
	VFMADD213PS mathc<>+192(SB), Y0, Y2; \
	VFMADD213PS mathc<>+224(SB), Y0, Y2; \
	VFMADD213PS mathc<>+256(SB), Y0, Y2; \
	VMULPS Y0, Y0, Y3; \
	VFMADD213PS Y0, Y3, Y2; \
	VADDPS mathc<>+288(SB), Y2, Y2; \
	VCVTPS2DQ Y1, Y1; \
	VPSLLD $23, Y1, Y1; \
	VPADDD Y1, Y2, Y0

// func expSumAVX2(x []float32, mx float32) float32
// x[i] = e^(x[i]-mx) for the first len(x)/8*8 elements; returns their sum.
TEXT ·expSumAVX2(SB), NOSPLIT, $0-36
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $3, CX
	VBROADCASTSS mx+24(FP), Y7
	VXORPS Y5, Y5, Y5
	TESTQ CX, CX
	JEQ expsum8_done
expsum8_loop:
	VMOVUPS (SI), Y0
	VSUBPS Y7, Y0, Y0
	EXP8
	VMOVUPS Y0, (SI)
	VADDPS Y0, Y5, Y5
	ADDQ $32, SI
	DECQ CX
	JNZ expsum8_loop
expsum8_done:
	VEXTRACTF128 $1, Y5, X6
	VADDPS X6, X5, X5
	VHADDPS X5, X5, X5
	VHADDPS X5, X5, X5
	VZEROUPPER
	MOVSS X5, ret+32(FP)
	RET

// func geluAVX2(x []float32)
// x[i] = gelu(x[i]) as mathf.go computes it, for the first len(x)/8*8 elements.
TEXT ·geluAVX2(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $3, CX
	VMOVUPS mathc<>+416(SB), Y15
	VMOVUPS mathc<>+288(SB), Y14
	TESTQ CX, CX
	JEQ gelu8_done
gelu8_loop:
	VMOVUPS (SI), Y8             // x
	VMULPS mathc<>+352(SB), Y8, Y9 // z = x/√2
	VANDNPS Y9, Y15, Y10         // |z|
	VXORPS Y10, Y9, Y9           // sign of z
	VMOVUPS mathc<>+384(SB), Y4
	VFMADD213PS Y14, Y10, Y4     // 1 + p|z|
	VDIVPS Y4, Y14, Y4           // t
	VMOVUPS mathc<>+448(SB), Y5
	VFMADD213PS mathc<>+480(SB), Y4, Y5
	VFMADD213PS mathc<>+512(SB), Y4, Y5
	VFMADD213PS mathc<>+544(SB), Y4, Y5
	VFMADD213PS mathc<>+576(SB), Y4, Y5
	VMULPS Y4, Y5, Y5            // t·poly(t)
	VMULPS Y10, Y10, Y0
	VXORPS Y15, Y0, Y0           // -z²
	EXP8
	VFNMADD213PS Y14, Y0, Y5     // erf|z| = 1 - t·poly(t)·e^(-z²)
	VXORPS Y9, Y5, Y5            // erf z
	VADDPS Y14, Y5, Y5
	VMULPS Y8, Y5, Y5
	VMULPS mathc<>+608(SB), Y5, Y5   // x/2·(1 + erf z)
	VMOVUPS Y5, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ gelu8_loop
gelu8_done:
	VZEROUPPER
	RET
