package multiunit

import (
	"fmt"
	"math"
	"testing"

	"github.com/paradoxlab/paradox/internal/fastrand"
)

// kernelCase returns a column-major m×n matrix and a vector of n rates
// with every third rate 0 (the kernels skip those columns) and a few
// negative weights (the normal initialisation has some).
func kernelCase(m, n int) (wt, x []float64) {
	g := fastrand.New(uint64(m), uint64(n))
	wt, x = make([]float64, m*n), make([]float64, n)
	for i := range wt {
		wt[i] = 0.1 + 0.04*g.Normal()
	}
	for j := range x {
		if j%3 != 1 {
			x[j] = 100 * g.Float64()
		}
	}
	return wt, x
}

// TestKernelBits: the assembly kernels must give the bits of the plain
// Go loop (matvecTGo), for every shape the block and remainder code
// paths meet, and matvecTGo must be the sequential sum it documents.
func TestKernelBits(t *testing.T) {
	for _, m := range []int{1, 2, 3, 4, 5, 15, 16, 17, 20, 31, 32, 33, 48, 79, 80, 100} {
		for _, n := range []int{0, 1, 5, 20, 80} {
			t.Run(fmt.Sprintf("m=%d,n=%d", m, n), func(t *testing.T) {
				wt, x := kernelCase(m, n)
				want := make([]float64, m)
				for i := range want {
					for j, xj := range x {
						want[i] += float64(wt[j*m+i] * xj)
					}
				}
				got := make([]float64, m)
				for name, k := range kernels() {
					for i := range got {
						got[i] = math.NaN() // the kernel must overwrite
					}
					k(got, wt, x)
					for i := range got {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("%s: row %d: got %v, want %v", name, i, got[i], want[i])
						}
					}
				}
			})
		}
	}
}
