package verify

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

// box is a grid of N x N points over the free weights of the setpoint
// plane, WEE ∈ [WEE[0], WEE[1]] and WIE ∈ [WIE[0], WIE[1]], ends included.
type box struct {
	WEE, WIE [2]float64
	N        int
}

// paperBox is the box of every region plot of the paper and the SI,
// WEE ∈ [0, 10] and WIE ∈ [0, 20] (analytics.md §7), with n points per
// axis.
func paperBox(n int) box {
	return box{WEE: [2]float64{0, 10}, WIE: [2]float64{0, 20}, N: n}
}

// at returns point (i, j): i indexes WEE, j indexes WIE.
func (b box) at(i, j int) (x, y float64) {
	f := func(r [2]float64, k int) float64 {
		if k == b.N-1 {
			return r[1]
		}
		return r[0] + (r[1]-r[0])*float64(k)/float64(b.N-1)
	}
	return f(b.WEE, i), f(b.WIE, j)
}

// each calls fn at every point, WIE-major. It stops early, returning
// ctx.Err(), when ctx is cancelled.
func (b box) each(ctx context.Context, fn func(x, y float64)) error {
	for j := 0; j < b.N; j++ {
		if j%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i := 0; i < b.N; i++ {
			fn(b.at(i, j))
		}
	}
	return nil
}

func (b box) String() string {
	return fmt.Sprintf("[%g, %g] x [%g, %g], %d x %d points", b.WEE[0], b.WEE[1], b.WIE[0], b.WIE[1], b.N, b.N)
}

// tally counts the cells of a scan by stability.
type tally struct {
	// Total counts every cell; Neural the neural-stable ones, and Stable
	// those where both subsystems are stable. The Pos variants count
	// only cells whose four setpoint weights are positive.
	Total, Neural, Stable, NeuralPos, StablePos int
}

// countCells scans b with k.
func countCells(ctx context.Context, b box, k *jacobian.PlaneKernel) (tally, error) {
	var t tally
	err := b.each(ctx, func(x, y float64) {
		s := k.At(x, y)
		t.Total++
		if !s.NeuralStable() {
			return
		}
		pos := positive(s.W)
		t.Neural++
		if pos {
			t.NeuralPos++
		}
		if s.PlasticityStable() {
			t.Stable++
			if pos {
				t.StablePos++
			}
		}
	})
	return t, err
}

// positive reports whether all four weights are > 0.
func positive(w model.Weights) bool {
	return w.WEE > 0 && w.WEI > 0 && w.WIE > 0 && w.WII > 0
}

// frac returns n/d, or NaN when d = 0.
func frac(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return float64(n) / float64(d)
}

// newRand returns the PCG of a claim: the run's seed and a constant per
// claim, so that claims draw independent streams.
func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// randomParams draws model constants over wide ranges around the
// paper's (the ranges of jacobian's closed-form tests): τE ∈ [2, 30] ms,
// τI ∈ [1, 10] ms, θE ∈ [0, 10], θI ∈ [5, 40], gE ∈ [0.3, 3],
// gI ∈ [0.5, 6], Eset ∈ [1, 20] Hz, Iset ∈ [2, 40] Hz, Iext ∈ [−5, 15].
func randomParams(rnd *rand.Rand) model.Params {
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rnd.Float64() }
	return model.Params{
		TauE: u(2, 30), TauI: u(1, 10), ThetaE: u(0, 10), ThetaI: u(5, 40),
		GE: u(0.3, 3), GI: u(0.5, 6), Eset: u(1, 20), Iset: u(2, 40), Iext: u(-5, 15),
	}
}

// logUniform draws from [lo, hi] uniformly in log.
func logUniform(rnd *rand.Rand, lo, hi float64) float64 {
	return lo * math.Exp(rnd.Float64()*math.Log(hi/lo))
}

// randomRates draws all eight rates log-uniform in [1e-4, 1e-1]: ratios
// up to 1000 between any two.
func randomRates(rnd *rand.Rand) jacobian.Rates {
	var r jacobian.Rates
	for k := 0; k < 4; k++ {
		r.A[k] = logUniform(rnd, 1e-4, 1e-1)
		r.H[k] = logUniform(rnd, 1e-4, 1e-1)
	}
	return r
}

// eiRates are rates aEE = aEI = aE and aIE = aII = aI, the same for the
// homeostatic terms.
func eiRates(aE, aI float64) jacobian.Rates {
	return jacobian.Rates{A: [4]float64{aE, aE, aI, aI}, H: [4]float64{aE, aE, aI, aI}}
}

// twoTermRates are the SI's two-term rates: alpha on the cross terms and
// beta on the homeostatic terms, the same for all four weights.
func twoTermRates(alpha, beta float64) jacobian.Rates {
	return jacobian.Rates{A: [4]float64{alpha, alpha, alpha, alpha}, H: [4]float64{beta, beta, beta, beta}}
}

// bisect returns a root of f in [lo, hi], where f(lo) and f(hi) have
// opposite signs, to an absolute width tol. ok is false without a sign
// change or when f is NaN.
func bisect(f func(float64) float64, lo, hi, tol float64) (x float64, ok bool) {
	flo, fhi := f(lo), f(hi)
	if math.IsNaN(flo) || math.IsNaN(fhi) || (flo < 0) == (fhi < 0) {
		return 0, false
	}
	for hi-lo > tol {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break // the bracket is one ulp wide
		}
		fm := f(mid)
		if math.IsNaN(fm) {
			return 0, false
		}
		if (fm < 0) == (flo < 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2, true
}

// pct formats a fraction as a percentage.
func pct(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case x != 0 && math.Abs(x) < 0.001:
		return fmt.Sprintf("%.3f %%", 100*x)
	}
	return fmt.Sprintf("%.2f %%", 100*x)
}
