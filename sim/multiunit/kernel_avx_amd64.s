//go:build !purego

#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET


// func matvecTAVX(dst, wt, x []float64)
//
// The same sums as matvecTSSE2 (and matvecTGo), four rows per
// instruction: VMULPD then VADDPD, never fused. Registers: DI dst, SI
// wt, DX x, R8 m, R9 n, R10 column stride 8m in bytes, R11 first row of
// the block, BX the block's place in column j, CX j, X9 zero, Y8 x[j],
// Y0-Y7 the sums.
TEXT ·matvecTAVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ wt_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ x_len+56(FP), R9
	MOVQ R8, R10
	SHLQ $3, R10
	VXORPD X9, X9, X9
	XORQ R11, R11

rows32:
	MOVQ R8, AX
	SUBQ R11, AX
	CMPQ AX, $32
	JLT  rows16
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col32:
	CMPQ CX, R9
	JGE  store32
	VUCOMISD (DX)(CX*8), X9
	JNE  mul32
	JPS  mul32
	ADDQ R10, BX
	INCQ CX
	JMP  col32

mul32:
	VBROADCASTSD (DX)(CX*8), Y8
	VMULPD 0(BX), Y8, Y10
	VADDPD Y10, Y0, Y0
	VMULPD 32(BX), Y8, Y11
	VADDPD Y11, Y1, Y1
	VMULPD 64(BX), Y8, Y12
	VADDPD Y12, Y2, Y2
	VMULPD 96(BX), Y8, Y13
	VADDPD Y13, Y3, Y3
	VMULPD 128(BX), Y8, Y10
	VADDPD Y10, Y4, Y4
	VMULPD 160(BX), Y8, Y11
	VADDPD Y11, Y5, Y5
	VMULPD 192(BX), Y8, Y12
	VADDPD Y12, Y6, Y6
	VMULPD 224(BX), Y8, Y13
	VADDPD Y13, Y7, Y7
	ADDQ R10, BX
	INCQ CX
	JMP  col32

store32:
	VMOVUPD Y0, 0(DI)(R11*8)
	VMOVUPD Y1, 32(DI)(R11*8)
	VMOVUPD Y2, 64(DI)(R11*8)
	VMOVUPD Y3, 96(DI)(R11*8)
	VMOVUPD Y4, 128(DI)(R11*8)
	VMOVUPD Y5, 160(DI)(R11*8)
	VMOVUPD Y6, 192(DI)(R11*8)
	VMOVUPD Y7, 224(DI)(R11*8)
	ADDQ $32, R11
	JMP  rows32

rows16:
	MOVQ R8, AX
	SUBQ R11, AX
	CMPQ AX, $16
	JLT  rows4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col16:
	CMPQ CX, R9
	JGE  store16
	VUCOMISD (DX)(CX*8), X9
	JNE  mul16
	JPS  mul16
	ADDQ R10, BX
	INCQ CX
	JMP  col16

mul16:
	VBROADCASTSD (DX)(CX*8), Y8
	VMULPD 0(BX), Y8, Y10
	VADDPD Y10, Y0, Y0
	VMULPD 32(BX), Y8, Y11
	VADDPD Y11, Y1, Y1
	VMULPD 64(BX), Y8, Y12
	VADDPD Y12, Y2, Y2
	VMULPD 96(BX), Y8, Y13
	VADDPD Y13, Y3, Y3
	ADDQ R10, BX
	INCQ CX
	JMP  col16

store16:
	VMOVUPD Y0, 0(DI)(R11*8)
	VMOVUPD Y1, 32(DI)(R11*8)
	VMOVUPD Y2, 64(DI)(R11*8)
	VMOVUPD Y3, 96(DI)(R11*8)
	ADDQ $16, R11
	JMP  rows16

rows4:
	MOVQ R8, AX
	SUBQ R11, AX
	CMPQ AX, $4
	JLT  rows1
	VXORPD Y0, Y0, Y0
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col4:
	CMPQ CX, R9
	JGE  store4
	VUCOMISD (DX)(CX*8), X9
	JNE  mul4
	JPS  mul4
	ADDQ R10, BX
	INCQ CX
	JMP  col4

mul4:
	VBROADCASTSD (DX)(CX*8), Y8
	VMULPD 0(BX), Y8, Y10
	VADDPD Y10, Y0, Y0
	ADDQ R10, BX
	INCQ CX
	JMP  col4

store4:
	VMOVUPD Y0, 0(DI)(R11*8)
	ADDQ $4, R11
	JMP  rows4

rows1:
	CMPQ R11, R8
	JGE  done
	VXORPD X0, X0, X0
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col1:
	CMPQ CX, R9
	JGE  store1
	VMOVSD (DX)(CX*8), X8
	VUCOMISD X9, X8
	JNE  mul1
	JPS  mul1
	ADDQ R10, BX
	INCQ CX
	JMP  col1

mul1:
	VMULSD 0(BX), X8, X10
	VADDSD X10, X0, X0
	ADDQ R10, BX
	INCQ CX
	JMP  col1

store1:
	VMOVSD X0, 0(DI)(R11*8)
	INCQ R11
	JMP  rows1

done:
	VZEROUPPER
	RET
