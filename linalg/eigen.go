package linalg

import (
	"cmp"
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Eig2 returns the eigenvalues of the 2x2 matrix [[a, b], [c, d]], sorted
// by decreasing real part:
//
//	λ = tr/2 ± sqrt(tr²/4 − det),  tr = a + d,  det = a d − b c.
func Eig2(a, b, c, d float64) [2]complex128 {
	return Eig2TrDet(a+d, a*d-b*c)
}

// Eig2TrDet returns the eigenvalues of a 2x2 matrix with trace tr and
// determinant det, sorted by decreasing real part (then imaginary part).
func Eig2TrDet(tr, det float64) [2]complex128 {
	h := tr / 2
	disc := h*h - det
	if disc >= 0 {
		s := math.Sqrt(disc)
		// Avoid cancellation: the root of larger magnitude first.
		big := h + math.Copysign(s, h)
		if big == 0 {
			return [2]complex128{0, 0}
		}
		small := det / big
		hi, lo := math.Max(big, small), math.Min(big, small)
		return [2]complex128{complex(hi, 0), complex(lo, 0)}
	}
	s := math.Sqrt(-disc)
	return [2]complex128{complex(h, s), complex(h, -s)}
}

// MaxRe2 returns the largest real part of the eigenvalues of a 2x2 matrix
// with trace tr and determinant det, without allocating.
func MaxRe2(tr, det float64) float64 {
	h := tr / 2
	disc := h*h - det
	if disc <= 0 {
		return h
	}
	return h + math.Sqrt(disc)
}

// Stable2 reports whether a 2x2 matrix with trace tr and determinant det
// has both eigenvalues in the open left half plane (Routh-Hurwitz for
// λ² − tr λ + det: tr < 0 and det > 0).
func Stable2(tr, det float64) bool { return tr < 0 && det > 0 }

// Eigenvalues returns the eigenvalues of the n x n row-major matrix a
// (len(a) == n*n), computed by gonum's mat.Eigen and sorted by SortEig.
// It returns an error if the factorisation fails or a is not finite.
func Eigenvalues(a []float64, n int) ([]complex128, error) {
	if len(a) != n*n {
		panic(fmt.Sprintf("linalg: %d values for a %dx%d matrix", len(a), n, n))
	}
	for _, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("linalg: matrix has a non-finite entry")
		}
	}
	var e mat.Eigen
	if !e.Factorize(mat.NewDense(n, n, slices.Clone(a)), mat.EigenNone) {
		return nil, fmt.Errorf("linalg: eigenvalue decomposition did not converge")
	}
	vals := e.Values(nil)
	SortEig(vals)
	return vals, nil
}

// SortEig sorts eigenvalues by decreasing real part, then by decreasing
// imaginary part.
func SortEig(v []complex128) {
	slices.SortFunc(v, func(x, y complex128) int {
		if c := cmp.Compare(real(y), real(x)); c != 0 {
			return c
		}
		return cmp.Compare(imag(y), imag(x))
	})
}

// MaxAbs returns the largest modulus among v, or 0 for an empty slice.
func MaxAbs(v []complex128) float64 {
	m := 0.0
	for _, z := range v {
		m = math.Max(m, cmplx.Abs(z))
	}
	return m
}
