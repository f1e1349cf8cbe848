package multiunit

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// relErr is |got − want|/max(1, |want|).
func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(1, math.Abs(want))
}

// TestReducesToTwoPopulations: with identical rows (Identical) every
// unit of a population receives the same input, so the network is the
// two-population model of package sim (rate-models.md §1-2): each E
// unit's rate must follow sim's E step for step, and the row sums must
// follow sim's weights trial for trial, when sim's rule has the rates
// n·α of the summed synapses (n = 79, 20, 80, 19 inputs; see Rule) and
// the same summed floor 0.1.
//
// The two differ only in rounding: a unit's input is a sum of 79 equal
// products instead of one product, and a per-synapse update is x·G
// with G expanded instead of the family's factored form. Each step
// contracts such differences except at an Up-state ignition, so they
// stay near 1e-13 relative; tolReduce allows for their growth over the
// trials.
func TestReducesToTwoPopulations(t *testing.T) {
	const tolReduce = 1e-9
	trials := 30
	if testing.Short() {
		trials = 12
	}
	n := [4]float64{79, 20, 80, 19}
	for _, tc := range []struct {
		rule  string
		alpha float64 // of the summed weights; α/n per synapse
		w0    model.Weights
	}{
		// Fig. 1B's network is Up from trial 1; the code's Fig. 4B start
		// is silent, so the rate floors act. The rates are those of
		// Figs. 2 and 4.
		{"cross", 5e-4, sim.Fig1B},
		{"cross", 5e-4, sim.Fig4BCode},
		{"twoterm", 1e-4, sim.Fig1B},
		{"standard", 1e-4, sim.Fig2E},
	} {
		t.Run(fmt.Sprintf("rule=%s,W0=%v", tc.rule, tc.w0.Array()), func(t *testing.T) {
			fam, err := jacobian.Builtin(tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			c := DefaultConfig()
			c.Sigma, c.Trials, c.KeepUnits = 0, trials, true
			c.TraceTrials, c.TraceUnits = []int{1, trials}, []int{0, 17, c.NE, c.NE + 5}
			p := c.Params
			var rates jacobian.Rates
			for k := range n {
				rates.A[k] = tc.alpha / n[k]
			}
			rates.H = rates.A
			sumRates := jacobian.UniformRates(tc.alpha)
			two, err := fam.Compile(p, sumRates)
			if err != nil {
				t.Fatal(err)
			}
			one, err := fam.Compile(p, rates)
			if err != nil {
				t.Fatal(err)
			}
			rule, err := NewRule(one)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sim.Run(context.Background(), c.Config, two, tc.w0, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Run(context.Background(), c, rule, Identical(c.NE, c.NI, tc.w0), 1, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			compareRuns(t, &got, &want, tolReduce)
		})
	}
}

// compareRuns checks got against the two-population run want, trial by
// trial and, in the traced trials, step by step.
func compareRuns(t *testing.T, got *Result, want *sim.Result, tol float64) {
	t.Helper()
	up, worst := false, 0.0
	check := func(what string, trial, step int, g, w float64) {
		e := relErr(g, w)
		worst = math.Max(worst, e)
		if e > tol {
			t.Fatalf("trial %d, step %d, %s: got %.15g, want %.15g", trial, step, what, g, w)
		}
	}
	for k, w := range want.Trials {
		g := got.Trials[k]
		up = up || w.MeanE > 1
		check("MeanE", w.Trial, -1, g.MeanE, w.MeanE)
		check("MeanI", w.Trial, -1, g.MeanI, w.MeanI)
		check("E", w.Trial, -1, g.E, w.E)
		check("I", w.Trial, -1, g.I, w.I)
		for j, x := range g.Sums.Array() {
			check(model.Names[j]+"p", w.Trial, -1, x, w.W.Array()[j])
		}
		u, ne := got.Units[k], got.W.NE
		for j := range u {
			first := u[0]
			if j >= ne {
				first = u[ne]
			}
			if u[j] != first {
				t.Fatalf("trial %d: unit %d has %v, unit 0 of its population %v; want identical units", w.Trial, j, u[j], first)
			}
		}
	}
	for k, wt := range want.Traces {
		gt := got.Traces[k]
		for u, unit := range gt.Units {
			ref := wt.E
			if unit >= got.W.NE {
				ref = wt.I
			}
			if len(gt.R[u]) != len(ref) {
				t.Fatalf("trial %d: %d samples, want %d", wt.Trial, len(gt.R[u]), len(ref))
			}
			for s := range ref {
				check(fmt.Sprintf("rate of unit %d", unit), wt.Trial, s, gt.R[u][s], ref[s])
			}
		}
	}
	last := want.Final()
	t.Logf("%d trials agree, largest relative difference %.2g; final E = %.4f Hz, I = %.4f Hz, W = %v; Up state reached: %v",
		len(want.Trials), worst, last.E, last.I, last.W, up)
}
