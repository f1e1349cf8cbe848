package linalg

import (
	"fmt"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// eigTol is the agreement expected between the closed form and LAPACK's
// QR iteration for well-scaled 2x2 and 4x4 matrices with entries in
// [-10, 10]: a few hundred ulps of the largest eigenvalue.
const eigTol = 1e-10

func TestEig2MatchesGonum(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1000; i++ {
		a, b, c, d := 20*rnd.Float64()-10, 20*rnd.Float64()-10, 20*rnd.Float64()-10, 20*rnd.Float64()-10
		got := Eig2(a, b, c, d)
		want, err := Eigenvalues([]float64{a, b, c, d}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for k := range got {
			if cmplx.Abs(got[k]-want[k]) > eigTol*(1+cmplx.Abs(want[k])) {
				t.Fatalf("case %d [[%g %g][%g %g]]: got %v, want %v", i, a, b, c, d, got, want)
			}
		}
		if mr := MaxRe2(a+d, a*d-b*c); cmplx.Abs(complex(mr, 0)-complex(real(want[0]), 0)) > eigTol*(1+cmplx.Abs(want[0])) {
			t.Fatalf("MaxRe2 = %g, want %g", mr, real(want[0]))
		}
	}
}

func TestCharPolyAndHurwitz(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 500; i++ {
		a := make([]float64, 16)
		for k := range a {
			a[k] = 4*rnd.Float64() - 2
		}
		// Shift the spectrum so that both stable and unstable cases occur.
		shift := 4*rnd.Float64() - 2
		for k := 0; k < 4; k++ {
			a[k*5] -= shift
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			vals, err := Eigenvalues(a, 4)
			if err != nil {
				t.Fatal(err)
			}
			c := CharPoly(a, 4)
			for _, l := range vals {
				// p(λ) = 0 at every eigenvalue, relative to the scale of
				// the terms.
				p, scale := complex(0, 0), 0.0
				for k, ck := range c {
					term := complex(ck, 0) * cmplx.Pow(l, complex(float64(4-k), 0))
					p += term
					scale += cmplx.Abs(term)
				}
				if cmplx.Abs(p) > eigTol*(1+scale) {
					t.Fatalf("p(%v) = %v, want 0", l, p)
				}
			}
			want := real(vals[0]) < 0
			if got := Hurwitz(c); got != want {
				t.Fatalf("Hurwitz = %v, want %v (eigenvalues %v)", got, want, vals)
			}
		})
	}
}

func TestReduce(t *testing.T) {
	c, k := Reduce([]float64{1, 2, 3, 1e-18, 0}, 1e-12)
	if k != 2 || len(c) != 3 {
		t.Fatalf("got %v, %d; want 3 coefficients and 2 zero roots", c, k)
	}
}
