package multiunit

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"

	"github.com/paradoxlab/paradox/sim"
)

// batchBytes serialises every number of a batch result.
func batchBytes(r *BatchResult) []byte {
	return append(runsBytes(r.Runs), exampleBytes(&r.Example)...)
}

// exampleBytes serialises the weights and unit rates of a run.
func exampleBytes(r *Result) []byte {
	var b bytes.Buffer
	put := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	put(r.W0.W)
	put(r.W.W)
	for _, u := range r.Units {
		put(u)
	}
	return b.Bytes()
}

// runsBytes serialises every number of the run summaries.
func runsBytes(runs []RunSummary) []byte {
	var b bytes.Buffer
	put := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	for _, s := range runs {
		put(int64(s.Run))
		put(s.W0Sums.Array())
		for _, t := range s.Trials {
			put(int64(t.Trial))
			put([]float64{t.E, t.ESD, t.I, t.ISD, t.EMin, t.EMax, t.IMin, t.IMax, t.MeanE, t.MeanI})
			put(t.Sums.Array())
		}
	}
	return b.Bytes()
}

// TestBatchWorkers: run k is seeded from (seed, k) alone, so a batch
// gives the same bytes on 1 and on 4 workers (issue 6), and its run 0 is
// the single run of the same seed.
func TestBatchWorkers(t *testing.T) {
	c := DefaultBatchConfig()
	c.Runs, c.Trials, c.KeepUnits = 5, 3, true
	rule := mustRule(t, "twoterm", AlphaTwoTerm)
	var got [][]byte
	for _, w := range []int{1, 4} {
		c.Workers = w
		r, err := Batch(context.Background(), c, rule, SeedPaper, nil)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, batchBytes(&r))
		if w == 1 {
			w0, _ := c.Init.Draw(c.NE, c.NI, SeedPaper, 0)
			one, err := Run(context.Background(), c.Config, rule, w0, SeedPaper, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := one.Trials[2], r.Runs[0].Final(); a != b {
				t.Errorf("run 0: batch %+v, single run %+v", b, a)
			}
			if r.Runs[1].Final() == r.Runs[2].Final() {
				t.Error("runs 1 and 2 agree; want different weights and noise")
			}
		}
	}
	if !bytes.Equal(got[0], got[1]) {
		t.Errorf("1 worker and 4 workers give different results (%d and %d bytes)", len(got[0]), len(got[1]))
	}
}

// TestBatchRange: the runs of a range are those of the whole batch, for
// any split and number of workers (the shards of 'paradox multiunit
// --shard'), and only the range that holds run 0 has the example.
func TestBatchRange(t *testing.T) {
	c := DefaultBatchConfig()
	c.Runs, c.Trials, c.KeepUnits, c.Workers = 5, 2, true, 2
	rule := mustRule(t, "cross", AlphaCross)
	whole, err := Batch(context.Background(), c, rule, SeedPaper, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ranges  [][2]int
		workers int
	}{
		{[][2]int{{0, 2}, {2, 5}}, 1},
		{[][2]int{{0, 1}, {1, 4}, {4, 5}}, 3},
	} {
		var runs []RunSummary
		for _, r := range tc.ranges {
			c.Range, c.Workers = r, tc.workers
			var done, total int
			part, err := Batch(context.Background(), c, rule, SeedPaper, func(d, n int) { done, total = d, n })
			if err != nil {
				t.Fatalf("range %v: %v", r, err)
			}
			if want := (r[1] - r[0]) * c.Trials; done != want || total != want {
				t.Errorf("range %v: progress %d of %d, want %d of %d", r, done, total, want, want)
			}
			if part.Runs[0].Run != r[0] {
				t.Errorf("range %v: first run %d, want %d", r, part.Runs[0].Run, r[0])
			}
			if got := part.Example.W0 != nil; got != (r[0] == 0) {
				t.Errorf("range %v: has the example %v, want %v", r, got, r[0] == 0)
			}
			if r[0] == 0 && !bytes.Equal(exampleBytes(&part.Example), exampleBytes(&whole.Example)) {
				t.Errorf("range %v: the example differs from the whole batch's", r)
			}
			runs = append(runs, part.Runs...)
		}
		if !bytes.Equal(runsBytes(runs), runsBytes(whole.Runs)) {
			t.Errorf("ranges %v on %d workers: the runs differ from the whole batch's", tc.ranges, tc.workers)
		}
	}

	for _, r := range [][2]int{{-1, 2}, {2, 2}, {3, 1}, {0, 6}} {
		c.Range = r
		_, err := Batch(context.Background(), c, rule, SeedPaper, nil)
		if ce, ok := err.(*sim.ConfigError); !ok || ce.Field != "Range" {
			t.Errorf("range %v: err %v, want a *sim.ConfigError for Range", r, err)
		}
	}
}
