//go:build !amd64 || purego

package multiunit

// matvecT is matvecTGo on processors without an assembly kernel.
func matvecT(dst, wt, x []float64) { matvecTGo(dst, wt, x) }
