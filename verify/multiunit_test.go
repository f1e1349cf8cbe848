package verify

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim/multiunit"
)

// The quick profile's multiunit verdicts rest on numbers that tell the
// rules apart: the cross rule's units scatter and sit off the balance
// line, the two-term rule's do not, and the batch finds starts at the
// ceilings that miss the setpoints.
func TestUnitClaimsQuick(t *testing.T) {
	byID := map[string]Result{}
	for _, r := range quickResults(t) {
		byID[r.ID] = r
	}
	cross, two, batch := byID["multiunit.cross-means"], byID["multiunit.twoterm-units"], byID["multiunit.batch"]
	for _, r := range []Result{cross, two, batch} {
		if r.Values == nil {
			t.Fatalf("no values for %q: %+v", r.ID, r)
		}
		t.Logf("%s (%.1f s): %s", r.ID, r.Seconds, r.Measured)
	}
	if d := cross.Values["E_line_distance"]; d <= unitLineTol {
		t.Errorf("cross: E units' largest line distance %.3g; want the units off the line, > %g", d, unitLineTol)
	}
	if a, b := cross.Values["E_sd"], two.Values["E_sd"]; b >= a {
		t.Errorf("unit SD of E: two-term %.3g Hz, cross %.3g Hz; want the two-term spread smaller", b, a)
	}
	s := batch.Values["saturated_fraction"]
	if !(s > 0 && s < 1) {
		t.Errorf("batch: %.3g of draws saturated; want some, not all", s)
	}
	for _, f := range []string{"cross", "twoterm"} {
		// No start at the ceilings reaches the setpoints, so at most
		// the fraction below them does.
		if got, ok := batch.Values["reach_"+f]; !ok || got > 1-s+1e-12 {
			t.Errorf("batch %s: reach fraction %.3g with %.3g of draws saturated; want ≤ %.3g", f, got, s, 1-s)
		}
	}
}

// heldErr and firstReached read the criterion over a window of
// trials.
func TestUnitCriterion(t *testing.T) {
	p := model.Default()
	rec := func(E float64) multiunit.TrialRecord {
		return multiunit.TrialRecord{E: E, EMin: E, EMax: E, I: p.Iset, IMin: p.Iset, IMax: p.Iset}
	}
	// 20 trials at 2 Hz, then at Eset, with one excursion to 10 % off at
	// trial 35.
	var tr []multiunit.TrialRecord
	for i := range 50 {
		E := p.Eset
		switch {
		case i < 20:
			E = 2
		case i == 34:
			E = 1.1 * p.Eset
		}
		tr = append(tr, rec(E))
	}
	const tol = 1e-12
	for _, tc := range []struct {
		t    int
		want float64
	}{
		{20, 0.6}, {30, 0}, {40, 0.1}, {44, 0.1}, {45, 0}, {50, 0}, {51, math.Inf(1)},
	} {
		if got := heldErr(p, true, tr, tc.t); math.Abs(got-tc.want) > tol && got != tc.want {
			t.Errorf("heldErr(trial %d) = %g, want %g", tc.t, got, tc.want)
		}
	}
	if got := firstReached(p, true, tr); got != 21 {
		t.Errorf("firstReached = %d, want 21", got)
	}
	if got := firstReached(p, true, tr[:29]); got != 0 {
		t.Errorf("firstReached of 29 trials = %d, want 0 (9 trials at the setpoints)", got)
	}
}

// Weights whose rows are identical and whose sums lie on the setpoint
// plane put every unit on its balance line.
func TestLineDistancesOnPlane(t *testing.T) {
	const tol = 1e-12 // a few flops of the plane and sums of ≤ 99 terms
	p := model.Default()
	for _, pt := range [][2]float64{{8, 8}, {3, 12}} {
		w := multiunit.Identical(80, 20, p.OnPlane(pt[0], pt[1]))
		if dE, dI := lineDistances(p, w); dE > tol || dI > tol {
			t.Errorf("plane point %v: distances %g, %g; want 0", pt, dE, dI)
		}
		// Adding δ to every WEI entry moves the E units by NI·δ.
		const delta = 0.01
		for i := range w.NE {
			for j := w.NE; j < w.N(); j++ {
				w.W[i*w.N()+j] += delta
			}
		}
		if dE, _ := lineDistances(p, w); math.Abs(dE-float64(w.NI)*delta) > 1e-9 {
			t.Errorf("plane point %v, WEI entries +%g: distance %g, want %g", pt, delta, dE, float64(w.NI)*delta)
		}
	}
}

// The batch runs are runs 0 … R−1 plus the first start of each kind
// outside them; the first MultiunitLong saturated ones get the longer
// budget.
func TestUnitBatchRuns(t *testing.T) {
	sat := []bool{false, false, true, true, false, true}
	for _, tc := range []struct {
		R, long, below, at int
		runs               []int
		longRuns           []int
	}{
		{0, 0, 0, 2, []int{0, 2}, nil},
		{0, 1, 4, 3, []int{4, 3}, []int{3}},
		{3, 2, 0, 2, []int{0, 1, 2}, []int{2}},
		{5, 2, 0, 2, []int{0, 1, 2, 3, 4}, []int{2, 3}},
		{2, 0, 0, 5, []int{0, 1, 5}, nil},
		{9, 9, 0, 2, []int{0, 1, 2, 3, 4, 5}, []int{2, 3, 5}},
	} {
		t.Run(fmt.Sprintf("R=%d,long=%d,below=%d,at=%d", tc.R, tc.long, tc.below, tc.at), func(t *testing.T) {
			e := NewEnv(Options{Profile: Profile{Name: "test", MultiunitRuns: tc.R, MultiunitLong: tc.long}})
			runs, long := e.unitBatchRuns(sat, tc.below, tc.at)
			var lr []int
			for k := range long {
				lr = append(lr, k)
			}
			slices.Sort(lr)
			if !slices.Equal(runs, tc.runs) || !slices.Equal(lr, tc.longRuns) {
				t.Errorf("got runs %v, long %v; want %v, %v", runs, lr, tc.runs, tc.longRuns)
			}
		})
	}
}

func TestIntList(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{
		{nil, ""}, {[]int{3}, "3"}, {[]int{0, 1, 2, 5}, "0-2, 5"}, {[]int{4, 2}, "4, 2"},
	} {
		if got := intList(tc.in); got != tc.want {
			t.Errorf("intList(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
