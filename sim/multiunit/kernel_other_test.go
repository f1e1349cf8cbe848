//go:build !amd64 || purego

package multiunit

func kernels() map[string]func(dst, wt, x []float64) {
	return map[string]func(dst, wt, x []float64){"go": matvecTGo, "dispatch": matvecT}
}
