//go:build !purego

package multiunit

// kernels are the implementations of matvecT on this processor.
func kernels() map[string]func(dst, wt, x []float64) {
	k := map[string]func(dst, wt, x []float64){"go": matvecTGo, "sse2": matvecTSSE2, "dispatch": matvecT}
	if useAVX {
		k["avx"] = matvecTAVX
	}
	return k
}
