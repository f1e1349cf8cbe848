package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

// The per-step constants must be the code's exactly: Etau = 100 and
// Itau = 20 steps, OUtau = OUsigma = 0.1 (rate-models.md §1).
func TestCodeConstants(t *testing.T) {
	p, err := DefaultNeural().plan()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"τE/dt", p.tE * model.Default().GE, 100},
		{"τI/dt", p.tI * model.Default().GI, 20},
		{"dt/τOU", p.ouA, 0.1},
		{"σ√dt", p.ouS, 0.1},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want exactly %v", c.name, c.got, c.want)
		}
	}
}

// Without noise and plasticity the end of a trial is the analytic Up
// state (analytics.md §2) at Fig. 2E's weights. Both neural eigenvalues
// there are below −0.25/ms, so after 1.75 s the transient is far below
// rounding; tol allows for the rounding of the fixed-point map.
func TestSteadyStateIsFixedPoint(t *testing.T) {
	const tol = 1e-12
	for _, tc := range []struct {
		name string
		p    model.Params
		w    model.Weights
	}{
		{"Fig2E", model.Default(), Fig2E},
		{"Fig1B", model.Default(), Fig1B},
		{"nonparadoxical,gE=0.5,Iext=8", nonParadoxParams(), model.Weights{WEE: 1.5, WEI: 1, WIE: 10, WII: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Sigma = 0
			c.Params = tc.p
			tp, err := c.plan()
			if err != nil {
				t.Fatal(err)
			}
			var s state
			mE, mI := tp.trial(&s, tc.w)
			E, I := fixedPoint(tc.p, tc.w)
			for _, v := range []struct {
				name      string
				got, want float64
			}{{"E(end)", s.e, E}, {"I(end)", s.i, I}, {"mean E", mE, E}, {"mean I", mI, I}} {
				if relErr(v.got, v.want) > tol {
					t.Errorf("%s: got %.15g, want %.15g (E*, I* of analytics.md §2)", v.name, v.got, v.want)
				}
			}
		})
	}
}

// The window mean converges to the fixed point as the trial lengthens:
// with a 500 ms window, a 600 ms trial averages over the pulse and its
// transient; longer trials leave the transient out.
func TestWindowMeanConverges(t *testing.T) {
	const tol = 1e-12
	E, _ := fixedPoint(model.Default(), Fig2E)
	prev := math.Inf(1)
	for _, ms := range []float64{600, 650, 700, 800, 1000, 2000, 4000} {
		c := DefaultConfig()
		c.Sigma = 0
		c.TrialMs = ms
		tp, err := c.plan()
		if err != nil {
			t.Fatal(err)
		}
		var s state
		mE, _ := tp.trial(&s, Fig2E)
		err1 := relErr(mE, E)
		if err1 > tol && err1 >= prev {
			t.Errorf("TrialMs=%v: |mean E − E*| = %.3g, not below %.3g of the shorter trial", ms, err1, prev)
		}
		prev = err1
	}
	if prev > tol {
		t.Errorf("4 s trial: relative error %.3g, want <= %g", prev, tol)
	}
}

// nonParadoxParams is the non-paradoxical set of the SageMath notebooks
// (analytics.md §1): gE = 0.5 and Iext = 8, so that a stable state with
// gE WEE < 1 exists.
func nonParadoxParams() model.Params {
	p := model.Default()
	p.GE, p.Iext = 0.5, 8
	return p
}

// The paradoxical step (Figs. 1B, 3): more drive into I lowers I exactly
// when gE WEE > 1 (analytics.md §3). Both sides of the border are
// tested in the non-paradoxical parameter set, where a stable Up state
// exists for every WEE here; the paper's own network (Fig. 1B) is on the
// paradoxical side. The steady rates before and during the step must
// equal the analytic fixed points with θI lowered by the step.
func TestParadoxicalStep(t *testing.T) {
	const tol = 1e-9
	type tc struct {
		p model.Params
		w model.Weights
	}
	cases := []tc{{model.Default(), Fig1B}}
	for _, wee := range []float64{1, 1.5, 1.9, 2.1, 2.5, 3} {
		cases = append(cases, tc{nonParadoxParams(), model.Weights{WEE: wee, WEI: 1, WIE: 10, WII: 1}})
	}
	for _, c := range cases {
		name := fmt.Sprintf("gE=%g,Iext=%g,WEE=%g", c.p.GE, c.p.Iext, c.w.WEE)
		t.Run(name, func(t *testing.T) {
			sc := DefaultStepConfig()
			sc.Params, sc.W = c.p, c.w
			r, err := Step(sc, 1)
			if err != nil {
				t.Fatal(err)
			}
			paradoxical := c.p.GE*c.w.WEE > 1
			if r.ILowered() != paradoxical {
				t.Errorf("I %v -> %v: lowered = %v, want %v (gE WEE = %v)",
					r.IBefore, r.IDuring, r.ILowered(), paradoxical, c.p.GE*c.w.WEE)
			}
			E0, I0 := fixedPoint(c.p, c.w)
			q := c.p
			q.ThetaI -= sc.StepI
			E1, I1 := fixedPoint(q, c.w)
			for _, v := range []struct {
				name      string
				got, want float64
			}{{"E before", r.EBefore, E0}, {"I before", r.IBefore, I0}, {"E during", r.EDuring, E1}, {"I during", r.IDuring, I1}} {
				if relErr(v.got, v.want) > tol {
					t.Errorf("%s: got %.12g, want %.12g", v.name, v.got, v.want)
				}
			}
		})
	}
}

// Fig. 1C: raising WIE from 10 to 12 in the Fig. 1B network lowers I.
func TestParadoxicalWeightStep(t *testing.T) {
	const tol = 1e-9
	sc := DefaultStepConfig()
	sc.StepI, sc.StepWeight, sc.StepWeightTo = 0, "WIE", 12
	r, err := Step(sc, 1)
	if err != nil {
		t.Fatal(err)
	}
	w := Fig1B
	w.WIE = 12
	_, want := fixedPoint(model.Default(), w)
	if !r.ILowered() || relErr(r.IDuring, want) > tol {
		t.Errorf("I %v -> %v, want a fall to %v", r.IBefore, r.IDuring, want)
	}
}

// The OU noise is the code's AR(1), ξ ← 0.9 ξ + 0.1 N(0,1): stationary
// SD 0.1/√(1 − 0.81) = 0.2294 and lag-1 autocorrelation 0.9
// (rate-models.md §1). 1e6 steps are about 5e4 independent samples;
// the tolerances are 5 standard errors.
func TestOUStatistics(t *testing.T) {
	p, err := DefaultNeural().plan()
	if err != nil {
		t.Fatal(err)
	}
	s := state{rng: fastrand.NewState(9, 0)}
	w := model.Weights{}
	const n = 1_000_000
	var s2, s11, prev float64
	for k := range n + 1000 {
		p.step(&s, &w, 0, 0)
		if k >= 1000 {
			s2 += s.xe * s.xe
			s11 += s.xe * prev
		}
		prev = s.xe
	}
	v := s2 / n
	const wantV = 0.01 / (1 - 0.81)
	if math.Abs(v-wantV) > 5*wantV*math.Sqrt(2.0/(n/19.0)) {
		t.Errorf("stationary variance %v, want %v", v, wantV)
	}
	if r := s11 / s2; math.Abs(r-0.9) > 0.005 {
		t.Errorf("lag-1 autocorrelation %v, want 0.9", r)
	}
}
