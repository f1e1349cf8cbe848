package multiunit

import (
	"context"
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/internal/parallel"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// BatchConfig is a batch of runs from different initial weights (the
// 400 initialisations of Figs. 5G-H, 6G-H).
type BatchConfig struct {
	Config

	// Init draws each run's initial weights. The default is
	// DefaultInit(InitNormal).
	Init Init

	// Runs is the number of runs. The default is 400.
	Runs int

	// Workers is the number of goroutines; 0 means runtime.NumCPU().
	// The result does not depend on it.
	Workers int

	// Range selects the runs [Range[0], Range[1]) of the Runs to
	// compute, for one shard of a batch split across machines; the
	// zero value selects all of them. Run k is the same whatever the
	// range, so the shards' runs put together are the whole batch.
	Range [2]int
}

// runRange returns the runs [lo, hi) that c selects.
func (c *BatchConfig) runRange() (lo, hi int) {
	if c.Range == [2]int{} {
		return 0, c.Runs
	}
	return c.Range[0], c.Range[1]
}

// validate returns a *sim.ConfigError for a batch setting out of range.
func (c *BatchConfig) validate() error {
	if err := c.Init.validate(); err != nil {
		return err
	}
	if c.Runs < 1 {
		return &sim.ConfigError{Field: "Runs", Value: float64(c.Runs), Want: ">= 1"}
	}
	if r := c.Range; r != [2]int{} && !(0 <= r[0] && r[0] < r[1] && r[1] <= c.Runs) {
		return &sim.ConfigError{Field: "Range", Value: float64(r[0]),
			Want: fmt.Sprintf("such that [%d, %d) is a non-empty part of the runs [0, %d)", r[0], r[1], c.Runs)}
	}
	return nil
}

// DefaultBatchConfig returns 400 runs of the default protocol from the
// paper's normal initialisation.
func DefaultBatchConfig() BatchConfig {
	return BatchConfig{Config: DefaultConfig(), Init: DefaultInit(InitNormal), Runs: 400}
}

// RunSummary is one run of a batch.
type RunSummary struct {
	// Run is the 0-based run index.
	Run int

	// W0Sums are the mean summed incoming weights of the initial
	// weights (Weights.ClassSums).
	W0Sums model.Weights

	// Trials are the records of the completed trials.
	Trials []TrialRecord

	// Err is non-nil if the run stopped early, a *sim.OverflowError.
	Err error
}

// First returns the record of trial 1 (zero if none completed). Its
// MeanE and MeanI, the first trial's window means, are the initial rates
// of Figs. 5H, 6H.
func (s *RunSummary) First() TrialRecord {
	if len(s.Trials) == 0 {
		return TrialRecord{}
	}
	return s.Trials[0]
}

// Final returns the record of the last completed trial (zero if none).
func (s *RunSummary) Final() TrialRecord {
	if len(s.Trials) == 0 {
		return TrialRecord{}
	}
	return s.Trials[len(s.Trials)-1]
}

// BatchResult is a batch of runs, or the runs of it that
// BatchConfig.Range selects.
type BatchResult struct {
	Seed uint64

	// Runs are the summaries in run order: Runs[j].Run is Range[0] + j.
	Runs []RunSummary

	// Example is run 0 in full (weights, unit rates with
	// Config.KeepUnits, traces), for the panels of one network; zero
	// when the range does not hold run 0.
	Example Result
}

// Stats returns the mean and SEM over the runs without error of f of
// each run's summary.
func (b *BatchResult) Stats(f func(*RunSummary) float64) sim.Stats {
	var x []float64
	for k := range b.Runs {
		if s := &b.Runs[k]; s.Err == nil && len(s.Trials) > 0 {
			x = append(x, f(s))
		}
	}
	if len(x) == 0 {
		return sim.Stats{Mean: math.NaN(), SEM: math.NaN()}
	}
	m, sd := meanSD(x)
	return sim.Stats{Mean: m, SEM: sd / math.Sqrt(float64(len(x))), N: len(x)}
}

// FinalRates returns the mean and SEM over runs of the final population
// means of the trial-filtered rates (Figs. 5G, 6G).
func (b *BatchResult) FinalRates() (E, I sim.Stats) {
	return b.Stats(func(s *RunSummary) float64 { return s.Final().E }),
		b.Stats(func(s *RunSummary) float64 { return s.Final().I })
}

// Batch runs c.Runs runs with the rule, in parallel, or the runs c.Range
// selects. Run k draws its initial weights with c.Init.Draw(…, seed, k)
// and its noise from stream k of seed, so its result is the same for any
// number of workers and any range that holds it. Only run 0 keeps its
// unit rates and traces (Example). progress, if not nil, is called with
// the trials done over the selected runs and their total, from one
// goroutine at a time.
//
// A run that overflows keeps its *sim.OverflowError in RunSummary.Err
// and the others go on. Batch returns a *sim.ConfigError for a bad
// setting and ctx.Err() when ctx is cancelled, with the runs finished so
// far.
func Batch(ctx context.Context, c BatchConfig, rule *Rule, seed uint64, progress func(done, total int)) (BatchResult, error) {
	if _, err := c.plan(); err != nil {
		return BatchResult{}, err
	}
	if err := c.validate(); err != nil {
		return BatchResult{}, err
	}
	lo, hi := c.runRange()
	res := BatchResult{Seed: seed, Runs: make([]RunSummary, hi-lo)}
	tick := parallel.Tally((hi-lo)*c.Trials, progress)
	err := parallel.For(ctx, lo, hi, c.Workers, func(k int) error {
		r, err := c.one(ctx, rule, seed, k, tick)
		s := &res.Runs[k-lo]
		*s = RunSummary{Run: k, Trials: r.Trials}
		if r.W0 != nil {
			s.W0Sums = r.W0.ClassSums()
		}
		if k == 0 {
			res.Example = r
		}
		if _, ok := err.(*sim.OverflowError); ok {
			s.Err, err = err, nil
		}
		return err
	})
	return res, err
}

// one runs run k of the batch.
func (c *BatchConfig) one(ctx context.Context, rule *Rule, seed uint64, k int, tick func(int, int)) (Result, error) {
	w0, err := c.Init.Draw(c.NE, c.NI, seed, k)
	if err != nil {
		return Result{}, err
	}
	cfg := c.Config
	if k != 0 {
		cfg.KeepUnits, cfg.TraceTrials = false, nil
	}
	return Run(ctx, cfg, rule, w0, seed, k, tick)
}
