package verify

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
)

// A cell far inside each region is classified by the simulation as the
// analysis says. Distances to the nearest border (computed by hand from
// analytics.md §2 and §5.1, perpendicular in the WEE-WIE plane):
// standard, equal rates, (5, 10): plasticity border 2.8 WEE + 2.2 is
// 2.1 away, trace line 0.14 WEE + 4.86 is 4.4 below; (8, 30): 1.8 above
// the border, 1.2 below the det line 5.2083 (WEE − 1); (3, 16): 1.05
// above the det line (C < 0). Two-term, α = β, (5, 10): its border
// 0.4737 WEE + 1.0947 lies far below the wedge.
func TestAgreementFarInside(t *testing.T) {
	std, _ := jacobian.Builtin("standard")
	tt, _ := jacobian.Builtin("twoterm")
	for _, tc := range []struct {
		fam  *jacobian.Family
		x, y float64
		want regions.Class
	}{
		{std, 5, 10, regions.PlasticityUnstable},
		{std, 8, 30, regions.Stable},
		{std, 3, 16, regions.NeuralUnstable},
		{tt, 5, 10, regions.Stable},
	} {
		t.Run(fmt.Sprintf("rule=%s,WEE=%g,WIE=%g", tc.fam.Name, tc.x, tc.y), func(t *testing.T) {
			cfg := AgreementConfig{Family: tc.fam, Rates: jacobian.UniformRates(0.02)}
			c, err := AgreementAt(context.Background(), cfg, tc.x, tc.y)
			if err != nil {
				t.Fatal(err)
			}
			if c.Class != tc.want {
				t.Fatalf("analytic class %v, want %v", c.Class, tc.want)
			}
			if !c.Agrees() {
				t.Errorf("simulation stays=%v, analysis predicts stays=%v (errors %.3g → %.3g, drift %.3g)",
					c.Stays, c.Predicted, c.EarlyErr, c.LateErr, c.Drift)
			}
			t.Logf("%v: stays=%v, errors %.3g → %.3g, ripple %.3g, drift %.3g, Re λ/|λ| %.3g", c.Class, c.Stays, c.EarlyErr, c.LateErr, c.Ripple, c.Drift, c.CosTheta)
		})
	}
}

// Agreement's result does not depend on the number of workers, and its
// tallies add up.
func TestAgreementWorkers(t *testing.T) {
	tt, _ := jacobian.Builtin("twoterm")
	var got []string
	for _, w := range []int{1, 2} {
		cfg := AgreementConfig{Family: tt, Rates: jacobian.UniformRates(0.02), Cells: 2, Trials: 60, Workers: w}
		r, err := Agreement(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		n := r.Confusion[0][0] + r.Confusion[0][1] + r.Confusion[1][0] + r.Confusion[1][1]
		if n != len(r.Cells) || r.Far.Total+r.Near.Total != n || n+r.Excluded != 4 {
			t.Errorf("tallies do not add up: %+v", r)
		}
		got = append(got, fmt.Sprintf("%+v", r.Cells))
	}
	if got[0] != got[1] {
		t.Errorf("1 and 2 workers differ:\n%s\n%s", got[0], got[1])
	}
}

// stepRadius is the spectral radius of the protocol's Euler step: the
// growth per step of an iterated perturbation, measured by iterating
// the same linear map, must match it. At (7.79, 5.9) the continuous Up
// state is unstable (trace > 0) while the step is stable.
func TestStepRadius(t *testing.T) {
	const tol = 1e-3 // the n-th root of a norm after 20000 steps
	p := model.Default()
	for _, pt := range [][2]float64{{7.79, 5.9}, {5, 10}, {3, 16}} {
		w := p.OnPlane(pt[0], pt[1])
		a, b := p.GE*w.WEE-1, p.GI*w.WII+1
		const dt, n = 0.1, 20000
		e, i, logGrowth := 1.0, 0.0, 0.0
		for range n {
			e = e + dt*(a*e-p.GE*w.WEI*i)/p.TauE
			i = i + dt*(p.GI*w.WIE*e-b*i)/p.TauI
			norm := math.Hypot(e, i)
			logGrowth += math.Log(norm)
			e, i = e/norm, i/norm
		}
		got, want := math.Exp(logGrowth/n), stepRadius(p, w, dt)
		if math.Abs(got-want) > tol {
			t.Errorf("(%g, %g): iterated growth %.6f per step, stepRadius %.6f", pt[0], pt[1], got, want)
		}
		if n := jacobian.NeuralStability(p, w); pt == [2]float64{7.79, 5.9} && (n.Stable || want >= 1) {
			t.Errorf("(7.79, 5.9): continuous stable=%v, step radius %g; want unstable and < 1", n.Stable, want)
		}
	}
}
