package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// render writes every number of an ensemble in full precision, so that
// equal strings mean equal bytes in any output.
func render(r EnsembleResult) string {
	var b strings.Builder
	for _, s := range r.Runs {
		fmt.Fprintf(&b, "%d %v %v %v %v\n", s.Run, s.W0.Array(), s.Final, s.Trials, s.Err)
	}
	return b.String()
}

// Run k is seeded from (seed, k), never from a worker, so the number of
// workers cannot change a bit of the result.
func TestEnsembleWorkerIndependence(t *testing.T) {
	for _, kind := range []InitKind{InitPlane, InitBroad} {
		c := DefaultEnsembleConfig()
		c.Runs, c.Trials, c.KeepEvery = 6, 15, 5
		c.Init = DefaultInit(kind)
		var got []string
		for _, workers := range []int{1, 4} {
			c.Workers = workers
			r, err := Ensemble(context.Background(), c, cross(5e-4), 11, nil)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, render(r))
		}
		if got[0] != got[1] {
			t.Errorf("init=%v: 1 and 4 workers differ:\n%s\n%s", kind, got[0], got[1])
		}
	}
}

// A shard computes a range of the runs: the runs of any split into
// ranges, each with any number of workers, put together are the runs of
// the whole ensemble, bit for bit.
func TestEnsembleRangeIndependence(t *testing.T) {
	c := DefaultEnsembleConfig()
	c.Runs, c.Trials, c.KeepEvery, c.Workers = 7, 12, 4, 1
	whole, err := Ensemble(context.Background(), c, cross(5e-4), 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := render(whole)
	for _, split := range []struct {
		cuts    []int
		workers int
	}{
		{[]int{0, 7}, 3},
		{[]int{0, 1, 7}, 2},
		{[]int{0, 2, 4, 7}, 4},
		{[]int{0, 3, 5, 6, 7}, 1},
	} {
		var all EnsembleResult
		for k := 0; k+1 < len(split.cuts); k++ {
			c.Range = [2]int{split.cuts[k], split.cuts[k+1]}
			c.Workers = split.workers
			part, err := Ensemble(context.Background(), c, cross(5e-4), 5, nil)
			if err != nil {
				t.Fatal(err)
			}
			for j, s := range part.Runs {
				if s.Run != c.Range[0]+j {
					t.Errorf("range %v: Runs[%d].Run = %d, want %d", c.Range, j, s.Run, c.Range[0]+j)
				}
			}
			all.Runs = append(all.Runs, part.Runs...)
		}
		if got := render(all); got != want {
			t.Errorf("cuts=%v,workers=%d: runs differ from the whole ensemble:\n%s\nwant\n%s", split.cuts, split.workers, got, want)
		}
	}
}

// Figs. 4E and 2D: with noise, the cross rule (α = 5e-4) brings every run
// started around the setpoint plane to the setpoints, and the standard
// rule (α = 1e-4, as Fig. 2) does not. The tolerances are about ten
// times the spread we see across runs and seeds.
func TestEnsembleCrossVsStandard(t *testing.T) {
	runs, trials := 4, 300
	if !testing.Short() {
		runs, trials = 16, 1000
	}
	ens := func(rule Rule) EnsembleResult {
		c := DefaultEnsembleConfig()
		c.Runs, c.Trials = runs, trials
		r, err := Ensemble(context.Background(), c, rule, 2022, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	const tolE, tolI = 0.3, 0.6
	cr := ens(cross(5e-4))
	for _, s := range cr.Runs {
		if s.Err != nil || math.Abs(s.Final.E-5) > tolE || math.Abs(s.Final.I-14) > tolI {
			t.Errorf("cross, run %d from %v: final E=%.3f I=%.3f (%v), want 5±%v, 14±%v",
				s.Run, s.W0, s.Final.E, s.Final.I, s.Err, tolE, tolI)
		}
	}
	e, i := cr.FinalRates()
	t.Logf("cross: E %.3f ± %.3f, I %.3f ± %.3f (Fig. 4E)", e.Mean, e.SEM, i.Mean, i.SEM)

	// Fig. 2D: the standard rule's final rates are far from the
	// setpoints on average (I ends below a third of Iset).
	st := ens(standard(1e-4))
	e, i = st.FinalRates()
	t.Logf("standard: E %.3f ± %.3f, I %.3f ± %.3f (Fig. 2D)", e.Mean, e.SEM, i.Mean, i.SEM)
	if !(i.Mean < 14.0/3) {
		t.Errorf("standard: mean final I = %.3f, want far below Iset = 14", i.Mean)
	}
}

func TestEnsembleErrors(t *testing.T) {
	c := DefaultEnsembleConfig()
	c.Runs, c.Trials = 2, 5
	c.Init = DefaultInit(InitBroad)
	// Every network in this box ignites: no silent start exists.
	c.Init.Lo.WEE, c.Init.Hi.WEE = 8, 9
	c.Init.Lo.WEI, c.Init.Hi.WEI = 0.1, 0.2
	c.Init.MaxTries = 20
	if _, err := Ensemble(context.Background(), c, cross(5e-4), 1, nil); err == nil {
		t.Error("want an error when no silent network can be drawn")
	}
	c = DefaultEnsembleConfig()
	c.Runs, c.Trials = 3, 5
	for _, rg := range [][2]int{{-1, 2}, {2, 2}, {1, 4}, {2, 1}} {
		c.Range = rg
		if _, err := Ensemble(context.Background(), c, cross(5e-4), 1, nil); err == nil {
			t.Errorf("Range=%v: want an error", rg)
		}
	}
	c.Range = [2]int{}
	r, err := Ensemble(context.Background(), c, cross(1e306), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Runs {
		if s.Err == nil {
			t.Errorf("run %d: want an overflow error", s.Run)
		}
	}
}
