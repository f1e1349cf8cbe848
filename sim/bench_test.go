package sim

import (
	"testing"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

var sinkF float64

// benchTrial runs whole trials of the default protocol at fixed weights
// and reports integration steps per second.
func benchTrial(b *testing.B, w model.Weights, sigma float64) {
	c := DefaultConfig()
	c.Sigma = sigma
	tp, err := c.plan()
	if err != nil {
		b.Fatal(err)
	}
	s := state{rng: fastrand.NewState(1, 0)}
	b.ReportAllocs()
	for b.Loop() {
		e, i := tp.trial(&s, w)
		sinkF += e + i
	}
	b.ReportMetric(float64(b.N)*float64(tp.n)/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e3, "ms/trial")
}

// The Up state of Fig. 2E (both populations active all trial) is the
// slowest case: the E→I→E dependency chain is never cut by a rectifier.
func BenchmarkTrialQuietUp(b *testing.B)     { benchTrial(b, Fig2E, 0) }
func BenchmarkTrialQuietSilent(b *testing.B) { benchTrial(b, Fig4BCode, 0) }
func BenchmarkTrialNoisyUp(b *testing.B)     { benchTrial(b, Fig2E, 10) }
func BenchmarkTrialNoisySilent(b *testing.B) { benchTrial(b, Fig4BCode, 10) }

// BenchmarkEnsemble100x1000 is the paper's ensemble size: 100 runs of
// 1000 noisy trials of the cross rule from around the setpoint plane, on
// all cores.
func BenchmarkEnsemble100x1000(b *testing.B) {
	if testing.Short() {
		b.Skip("100 x 1000 trials")
	}
	c := DefaultEnsembleConfig()
	for b.Loop() {
		r, err := Ensemble(b.Context(), c, cross(5e-4), 1, nil)
		if err != nil {
			b.Fatal(err)
		}
		sinkF += r.Runs[0].Final.E
	}
	steps := float64(b.N) * float64(c.Runs*c.Trials) * 20000
	b.ReportMetric(steps/b.Elapsed().Seconds(), "steps/s")
}
