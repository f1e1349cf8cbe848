package multiunit

import (
	"context"
	"testing"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/jacobian"
)

var sinkF float64

// octaveSecondsPerTrial is the time the authors' code takes for one
// trial of the 80/20 network under GNU Octave on these machines (issue
// 6), the reference of the speed-up reported by BenchmarkTrial.
const octaveSecondsPerTrial = 2.9

// BenchmarkTrial runs 2-s trials of the 80/20 network with noise, at
// the weights of the paper's normal initialisation (seed 44), and
// reports ms per trial and the speed-up over the authors' Octave code.
func BenchmarkTrial(b *testing.B) {
	c := DefaultConfig()
	p, err := c.plan()
	if err != nil {
		b.Fatal(err)
	}
	w, err := DefaultInit(InitNormal).Draw(c.NE, c.NI, SeedPaper, 0)
	if err != nil {
		b.Fatal(err)
	}
	nw := newNetwork(c.NE, c.NI, fastrand.NewState(1, 0))
	nw.load(w)
	b.ReportAllocs()
	for b.Loop() {
		nw.trial(&p, nil)
		sinkF += nw.winE[0]
	}
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(per*1e3, "ms/trial")
	b.ReportMetric(octaveSecondsPerTrial/per, "x-octave")
}

// BenchmarkBatch20 is a batch of 20 runs of 250 trials of the cross
// rule on all cores (a 400-run batch takes 20 times as long).
func BenchmarkBatch20(b *testing.B) {
	if testing.Short() {
		b.Skip("20 runs x 250 trials")
	}
	c := DefaultBatchConfig()
	c.Runs = 20
	rule := mustRule(b, "cross", AlphaCross)
	for b.Loop() {
		r, err := Batch(context.Background(), c, rule, SeedPaper, nil)
		if err != nil {
			b.Fatal(err)
		}
		sinkF += r.Runs[0].Final().E
	}
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(per, "s/batch")
	b.ReportMetric(per*20/60, "min/400-runs")
}

func mustRule(tb testing.TB, name string, alpha float64) *Rule {
	tb.Helper()
	f, err := jacobian.Builtin(name)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := f.Compile(DefaultConfig().Params, jacobian.UniformRates(alpha))
	if err != nil {
		tb.Fatal(err)
	}
	mr, err := NewRule(r)
	if err != nil {
		tb.Fatal(err)
	}
	return mr
}
