//go:build !purego

#include "textflag.h"

// func matvecTSSE2(dst, wt, x []float64)
//
// dst[i] = Σ_j wt[j*m+i]*x[j] for i < m = len(dst), in order of j,
// skipping x[j] == 0; MULPD then ADDPD, never fused. Registers:
// DI dst, SI wt, DX x, R8 m, R9 n = len(x), R10 column stride 8m in
// bytes, R11 first row of the block, BX the block's place in column j,
// CX j, X9 zero, X8 x[j] in both lanes, X0-X7 the sums.
TEXT ·matvecTSSE2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), R8
	MOVQ wt_base+24(FP), SI
	MOVQ x_base+48(FP), DX
	MOVQ x_len+56(FP), R9
	MOVQ R8, R10
	SHLQ $3, R10
	XORPS X9, X9
	XORQ R11, R11

rows16:
	MOVQ R8, AX
	SUBQ R11, AX
	CMPQ AX, $16
	JLT  rows2
	XORPS X0, X0
	XORPS X1, X1
	XORPS X2, X2
	XORPS X3, X3
	XORPS X4, X4
	XORPS X5, X5
	XORPS X6, X6
	XORPS X7, X7
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col16:
	CMPQ CX, R9
	JGE  store16
	MOVSD (DX)(CX*8), X8
	UCOMISD X9, X8
	JNE  mul16
	JPS  mul16
	ADDQ R10, BX
	INCQ CX
	JMP  col16

mul16:
	UNPCKLPD X8, X8
	MOVUPD 0(BX), X10
	MULPD  X8, X10
	ADDPD  X10, X0
	MOVUPD 16(BX), X11
	MULPD  X8, X11
	ADDPD  X11, X1
	MOVUPD 32(BX), X12
	MULPD  X8, X12
	ADDPD  X12, X2
	MOVUPD 48(BX), X13
	MULPD  X8, X13
	ADDPD  X13, X3
	MOVUPD 64(BX), X10
	MULPD  X8, X10
	ADDPD  X10, X4
	MOVUPD 80(BX), X11
	MULPD  X8, X11
	ADDPD  X11, X5
	MOVUPD 96(BX), X12
	MULPD  X8, X12
	ADDPD  X12, X6
	MOVUPD 112(BX), X13
	MULPD  X8, X13
	ADDPD  X13, X7
	ADDQ R10, BX
	INCQ CX
	JMP  col16

store16:
	MOVUPD X0, 0(DI)(R11*8)
	MOVUPD X1, 16(DI)(R11*8)
	MOVUPD X2, 32(DI)(R11*8)
	MOVUPD X3, 48(DI)(R11*8)
	MOVUPD X4, 64(DI)(R11*8)
	MOVUPD X5, 80(DI)(R11*8)
	MOVUPD X6, 96(DI)(R11*8)
	MOVUPD X7, 112(DI)(R11*8)
	ADDQ $16, R11
	JMP  rows16

rows2:
	MOVQ R8, AX
	SUBQ R11, AX
	CMPQ AX, $2
	JLT  rows1
	XORPS X0, X0
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col2:
	CMPQ CX, R9
	JGE  store2
	MOVSD (DX)(CX*8), X8
	UCOMISD X9, X8
	JNE  mul2
	JPS  mul2
	ADDQ R10, BX
	INCQ CX
	JMP  col2

mul2:
	UNPCKLPD X8, X8
	MOVUPD 0(BX), X10
	MULPD  X8, X10
	ADDPD  X10, X0
	ADDQ R10, BX
	INCQ CX
	JMP  col2

store2:
	MOVUPD X0, 0(DI)(R11*8)
	ADDQ $2, R11
	JMP  rows2

rows1:
	CMPQ R11, R8
	JGE  done
	XORPS X0, X0
	LEAQ (SI)(R11*8), BX
	XORQ CX, CX

col1:
	CMPQ CX, R9
	JGE  store1
	MOVSD (DX)(CX*8), X8
	UCOMISD X9, X8
	JNE  mul1
	JPS  mul1
	ADDQ R10, BX
	INCQ CX
	JMP  col1

mul1:
	MOVSD 0(BX), X10
	MULSD X8, X10
	ADDSD X10, X0
	ADDQ R10, BX
	INCQ CX
	JMP  col1

store1:
	MOVSD X0, 0(DI)(R11*8)
	INCQ R11

done:
	RET
