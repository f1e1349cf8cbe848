package parallel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// TestForWorkers: every index in [lo, hi) is done exactly once, into its
// own slot, so the result is the same for any number of workers.
func TestForWorkers(t *testing.T) {
	const lo, hi = 3, 40
	want := make([]int, hi-lo)
	for k := range want {
		want[k] = (lo + k) * (lo + k)
	}
	for _, workers := range []int{0, 1, 2, 5, 100} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			got := make([]int, hi-lo)
			var calls atomic.Int64
			err := For(context.Background(), lo, hi, workers, func(k int) error {
				calls.Add(1)
				got[k-lo] = k * k
				return nil
			})
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if n := calls.Load(); n != hi-lo {
				t.Errorf("got %d calls, want %d", n, hi-lo)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestForError: the first error stops the loop and is returned; with one
// worker no index after the failing one is taken.
func TestForError(t *testing.T) {
	errBad := errors.New("bad")
	var last atomic.Int64
	err := For(context.Background(), 0, 100, 1, func(k int) error {
		last.Store(int64(k))
		if k == 7 {
			return errBad
		}
		return nil
	})
	if !errors.Is(err, errBad) {
		t.Errorf("got error %v, want %v", err, errBad)
	}
	if k := last.Load(); k != 7 {
		t.Errorf("got last index %d, want 7", k)
	}

	// With many workers, the calls stop soon after the error.
	var calls atomic.Int64
	err = For(context.Background(), 0, 1000, 4, func(k int) error {
		calls.Add(1)
		return errBad
	})
	if !errors.Is(err, errBad) {
		t.Errorf("got error %v, want %v", err, errBad)
	}
	if n := calls.Load(); n > 4 {
		t.Errorf("got %d calls after errors, want at most one per worker", n)
	}
}

// TestForCancel: a cancelled context stops the loop and wins over the
// errors of the calls.
func TestForCancel(t *testing.T) {
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var calls atomic.Int64
			err := For(ctx, 0, 1000, workers, func(k int) error {
				if calls.Add(1) == 10 {
					cancel()
				}
				return ctx.Err()
			})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got error %v, want %v", err, context.Canceled)
			}
			if n := calls.Load(); n > int64(10+workers) {
				t.Errorf("got %d calls, want at most %d", n, 10+workers)
			}
		})
	}
}

// TestTally: the steps of all jobs are counted once each, and progress
// sees every count from 1 to total.
func TestTally(t *testing.T) {
	const jobs, steps = 8, 25
	seen := make([]bool, jobs*steps+1)
	tick := Tally(jobs*steps, func(done, total int) {
		if total != jobs*steps {
			t.Errorf("got total %d, want %d", total, jobs*steps)
		}
		seen[done] = true // serialised by Tally
	})
	err := For(context.Background(), 0, jobs, 4, func(int) error {
		for s := range steps {
			tick(s+1, steps)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	for d, ok := range seen[1:] {
		if !ok {
			t.Errorf("count %d never reached progress", d+1)
		}
	}
	Tally(1, nil)(0, 0) // nil progress only counts
}
