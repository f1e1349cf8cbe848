package multiunit

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
)

// batchBytes serialises every number of a batch result.
func batchBytes(r *BatchResult) []byte {
	var b bytes.Buffer
	put := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	for _, s := range r.Runs {
		put(int64(s.Run))
		put(s.W0Sums.Array())
		for _, t := range s.Trials {
			put(int64(t.Trial))
			put([]float64{t.E, t.ESD, t.I, t.ISD, t.EMin, t.EMax, t.IMin, t.IMax, t.MeanE, t.MeanI})
			put(t.Sums.Array())
		}
	}
	put(r.Example.W0.W)
	put(r.Example.W.W)
	for _, u := range r.Example.Units {
		put(u)
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
