package multiunit

import (
	"context"
	"testing"
)

// TestFigs5GH6GHBatch runs 8 initialisations of each rule (the paper
// runs 400; BenchmarkBatch20 times 20) for 250 trials and checks the
// claims of Figs. 5G-H and 6G-H on every run whose first trial is below
// the rate ceilings: the cross rule takes the population means to the
// setpoints (tolerances of TestFig5CrossBalancesPopulations), the
// two-term rule every unit (those of TestFig6TwoTermBalancesUnits).
//
// About half of the paper's initial distribution (4 of these 8, 10 of
// the first 20) starts with every unit at the ceilings, E = 100 Hz and
// I = 250 Hz; the first updates then drive the network silent with
// large inhibitory weights, and 250 trials are too few to recover (run
// 1 of seed 44 reaches the setpoints after about 400 trials under the
// cross rule and 800 under the two-term rule). The paper reports all 400 runs at the setpoints; this
// test logs how many runs started saturated and leaves them out (see
// the package documentation).
func TestFigs5GH6GHBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("2 x 8 runs of 250 trials")
	}
	for _, tc := range []struct {
		rule   string
		alpha  float64
		tolE   float64 // Hz: population mean (cross), every unit (two-term)
		tolI   float64
		perUnt bool
	}{
		{"cross", AlphaCross, 0.15, 0.6, false},
		{"twoterm", AlphaTwoTerm, 0.25, 1.0, true},
	} {
		t.Run("rule="+tc.rule, func(t *testing.T) {
			c := DefaultBatchConfig()
			c.Runs = 8
			r, err := Batch(context.Background(), c, mustRule(t, tc.rule, tc.alpha), SeedPaper, nil)
			if err != nil {
				t.Fatal(err)
			}
			saturated := 0
			for _, s := range r.Runs {
				if s.Err != nil {
					t.Fatalf("run %d: %v", s.Run, s.Err)
				}
				if s.First().MeanE >= c.EMax {
					saturated++
					continue
				}
				f := s.Final()
				lo, hi, loI, hiI := f.E, f.E, f.I, f.I
				if tc.perUnt {
					lo, hi, loI, hiI = f.EMin, f.EMax, f.IMin, f.IMax
				}
				if lo < 5-tc.tolE || hi > 5+tc.tolE || loI < 14-tc.tolI || hiI > 14+tc.tolI {
					t.Errorf("run %d: E in [%.3f, %.3f], I in [%.3f, %.3f] Hz; want 5 ± %v, 14 ± %v",
						s.Run, lo, hi, loI, hiI, tc.tolE, tc.tolI)
				}
			}
			e, i := r.FinalRates()
			t.Logf("%d of %d runs started at the ceilings; final means over all runs E = %.3f ± %.3f, I = %.3f ± %.3f Hz (SEM)",
				saturated, c.Runs, e.Mean, e.SEM, i.Mean, i.SEM)
			if saturated == c.Runs {
				t.Error("every run started saturated; nothing was checked")
			}
		})
	}
}
