//go:build !purego

package multiunit

// useAVX reports whether the processor and the operating system support
// AVX: CPUID.1:ECX bits 27 (OSXSAVE) and 28 (AVX), and XCR0 bits 1-2
// (the OS saves the SSE and AVX registers).
var useAVX = func() bool {
	_, _, c, _ := cpuid(1, 0)
	if c&(1<<27) == 0 || c&(1<<28) == 0 {
		return false
	}
	return xgetbv()&6 == 6
}()

// matvecT is matvecTGo in assembly: with AVX four rows per instruction
// and 32 rows per pass over x, else SSE2 (part of every amd64
// processor) two rows per instruction and 16 per pass. The lanes do the
// same IEEE operations as the Go loop in the same order, a product and
// then a sum, never fused, so all three give the same bits
// (TestKernelBits).
func matvecT(dst, wt, x []float64) {
	if len(wt) < len(dst)*len(x) {
		panic("multiunit: matvecT: weight slice too short")
	}
	if useAVX {
		matvecTAVX(dst, wt, x)
		return
	}
	matvecTSSE2(dst, wt, x)
}

//go:noescape
func matvecTSSE2(dst, wt, x []float64)

//go:noescape
func matvecTAVX(dst, wt, x []float64)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)
