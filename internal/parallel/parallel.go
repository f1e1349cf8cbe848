// Package parallel runs independent jobs, numbered by an index, on a
// pool of goroutines. Each job writes its own result slot, so a result
// does not depend on the number of workers or on the order they finish.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls do(k) for each k in [lo, hi) on up to workers goroutines;
// workers <= 0 means runtime.NumCPU(). The goroutines take the indices
// in increasing order, each as soon as it is free.
//
// After do returns an error or ctx is cancelled no further index is
// taken; the calls already running finish. For returns ctx.Err() if ctx
// is cancelled, else the first error of do, else nil.
func For(ctx context.Context, lo, hi, workers int, do func(k int) error) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, hi-lo)

	var (
		next     atomic.Int64
		failed   atomic.Bool
		once     sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	next.Store(int64(lo))
	for range workers {
		wg.Go(func() {
			for !failed.Load() && ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= hi {
					return
				}
				if err := do(k); err != nil {
					once.Do(func() { firstErr = err })
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()

	if err := ctx.Err(); err != nil {
		return err
	}
	return firstErr
}

// Tally returns a progress callback to hand to each of many jobs that
// report their own steps. Every call of it, whatever its arguments,
// counts one step, and progress, if not nil, is called with the steps
// counted over all jobs and total, from one goroutine at a time. The
// counts may reach progress slightly out of order.
func Tally(total int, progress func(done, total int)) func(done, total int) {
	var (
		done atomic.Int64
		mu   sync.Mutex
	)
	return func(int, int) {
		d := int(done.Add(1))
		if progress != nil {
			mu.Lock()
			progress(d, total)
			mu.Unlock()
		}
	}
}
