package linalg

import "fmt"

// CharPoly returns the coefficients c of the characteristic polynomial of
// the n x n row-major matrix a,
//
//	det(λ I − A) = λⁿ + c[1] λⁿ⁻¹ + … + c[n],
//
// with c[0] = 1, by the Faddeev-LeVerrier recursion
// (M₁ = I, c[k] = −tr(A Mₖ)/k, Mₖ₊₁ = A Mₖ + c[k] I).
// It is exact in exact arithmetic and well conditioned for the small
// matrices used here (n ≤ 4).
func CharPoly(a []float64, n int) []float64 {
	if len(a) != n*n {
		panic(fmt.Sprintf("linalg: %d values for a %dx%d matrix", len(a), n, n))
	}
	c := make([]float64, n+1)
	c[0] = 1
	m := make([]float64, n*n) // Mₖ
	for i := 0; i < n; i++ {
		m[i*n+i] = 1
	}
	am := make([]float64, n*n)
	for k := 1; k <= n; k++ {
		mulTo(am, a, m, n)
		tr := 0.0
		for i := 0; i < n; i++ {
			tr += am[i*n+i]
		}
		c[k] = -tr / float64(k)
		copy(m, am)
		for i := 0; i < n; i++ {
			m[i*n+i] += c[k]
		}
	}
	return c
}

// mulTo sets dst = x y for n x n row-major matrices.
func mulTo(dst, x, y []float64, n int) {
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += x[i*n+k] * y[k*n+j]
			}
			dst[i*n+j] = s
		}
	}
}

// Hurwitz reports whether every root of the polynomial
// c[0] λⁿ + c[1] λⁿ⁻¹ + … + c[n] (c[0] > 0) has a negative real part,
// by the Routh array: all entries of its first column must be positive.
// A zero in the first column (a root on or symmetric about the imaginary
// axis) gives false.
func Hurwitz(c []float64) bool {
	n := len(c) - 1
	if n < 1 || c[0] <= 0 {
		return false
	}
	for _, v := range c {
		if v <= 0 {
			return false // necessary condition
		}
	}
	// Rows of the Routh array.
	w := n/2 + 1
	prev := make([]float64, w)
	cur := make([]float64, w)
	for i := 0; i <= n; i += 2 {
		prev[i/2] = c[i]
	}
	for i := 1; i <= n; i += 2 {
		cur[i/2] = c[i]
	}
	for row := 1; row <= n; row++ {
		if cur[0] <= 0 {
			return false
		}
		next := make([]float64, w)
		for j := 0; j+1 < w; j++ {
			next[j] = (cur[0]*prev[j+1] - prev[0]*cur[j+1]) / cur[0]
		}
		prev, cur = cur, next
	}
	return true
}

// Reduce removes the k zero roots of a polynomial with c[n−k+1..n] = 0:
// it returns c[0..n−k]. Coefficients whose magnitude is at most tol times
// the largest are treated as zero. It counts the trailing zeros and
// returns the reduced polynomial and k.
func Reduce(c []float64, tol float64) ([]float64, int) {
	big := 0.0
	for _, v := range c {
		big = max(big, abs(v))
	}
	n := len(c)
	k := 0
	for n-k > 1 && abs(c[n-1-k]) <= tol*big {
		k++
	}
	return c[:n-k], k
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
