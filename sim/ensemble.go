package sim

import (
	"context"
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/internal/parallel"
	"github.com/paradoxlab/paradox/model"
)

// InitKind selects how an ensemble draws its initial weights. The
// paper's supplementary methods, which define its initialisations, are
// not available; these two are ours.
type InitKind int

const (
	// InitPlane starts around the setpoint plane, as Fig. 4D's caption
	// says ("initialized around the final stable weights"): WEE and
	// WIE uniform in a box, WEI and WII on the plane (Methods Eqs.
	// 4-5), then every weight scaled by 1 + Jitter·U(−1, 1) and
	// floored at WeightFloor; redrawn until the weights are positive
	// and have a stable Up state.
	InitPlane InitKind = iota

	// InitBroad starts from a silent network, as the paper's
	// development story does: every weight uniform in [Lo, Hi],
	// redrawn until a noise-free trial leaves the network silent
	// (window mean E below SilentHz).
	InitBroad
)

var initNames = [...]string{"plane", "broad"}

func (k InitKind) String() string {
	if k >= 0 && int(k) < len(initNames) {
		return initNames[k]
	}
	return fmt.Sprintf("InitKind(%d)", int(k))
}

// ParseInitKind returns the InitKind named "plane" or "broad".
func ParseInitKind(s string) (InitKind, error) {
	for k, n := range initNames {
		if n == s {
			return InitKind(k), nil
		}
	}
	return 0, fmt.Errorf("sim: unknown initialisation %q (want plane or broad)", s)
}

// Init describes the initial weights of an ensemble.
type Init struct {
	Kind InitKind

	// WEE and WIE are the ranges of the free weights for InitPlane.
	// The defaults are [3, 7] and [7, 13].
	WEE, WIE [2]float64

	// Jitter is the relative spread of InitPlane around the plane. The
	// default is 0.2.
	Jitter float64

	// Lo and Hi bound each weight for InitBroad. The defaults are 0.5
	// and (3, 5, 8, 3) for (WEE, WEI, WIE, WII).
	Lo, Hi model.Weights

	// SilentHz is the window mean of E below which InitBroad calls a
	// network silent. The default is 0.01 Hz.
	SilentHz float64

	// MaxTries is the number of draws before either kind gives up.
	// The default is 1000.
	MaxTries int
}

// DefaultInit returns the default initialisation of the given kind.
func DefaultInit(kind InitKind) Init {
	return Init{
		Kind: kind,
		WEE:  [2]float64{3, 7}, WIE: [2]float64{7, 13}, Jitter: 0.2,
		Lo:       model.Weights{WEE: 0.5, WEI: 0.5, WIE: 0.5, WII: 0.5},
		Hi:       model.Weights{WEE: 3, WEI: 5, WIE: 8, WII: 3},
		SilentHz: 0.01, MaxTries: 1000,
	}
}

// EnsembleConfig is an ensemble of development runs (Figs. 2D, 4D-G).
type EnsembleConfig struct {
	Config

	// Runs is the number of runs. The default is 100.
	Runs int

	// Workers is the number of goroutines; 0 means runtime.NumCPU().
	// The result does not depend on it.
	Workers int

	// Init draws the initial weights. The default is
	// DefaultInit(InitPlane).
	Init Init

	// KeepEvery keeps every KeepEvery-th trial record of each run (and
	// always the last), for trajectories; 0 keeps only the last. The
	// default is 0.
	KeepEvery int

	// Range selects the runs [Range[0], Range[1]) of the Runs to
	// compute, for one shard of an ensemble split across machines; the
	// zero value selects all of them. Run k is the same whatever the
	// range, so the shards' runs put together are the whole ensemble.
	Range [2]int
}

// runRange returns the runs [lo, hi) that c selects.
func (c *EnsembleConfig) runRange() (lo, hi int) {
	if c.Range == [2]int{} {
		return 0, c.Runs
	}
	return c.Range[0], c.Range[1]
}

// DefaultEnsembleConfig returns 100 runs of 1000 trials of the default
// protocol from around the setpoint plane.
func DefaultEnsembleConfig() EnsembleConfig {
	c := DefaultConfig()
	c.Trials = 1000
	return EnsembleConfig{Config: c, Runs: 100, Init: DefaultInit(InitPlane)}
}

// RunSummary is one run of an ensemble.
type RunSummary struct {
	// Run is the 0-based run index.
	Run int

	// W0 are the initial weights.
	W0 model.Weights

	// Trials are the kept records (see EnsembleConfig.KeepEvery).
	Trials []TrialRecord

	// Final is the record of the last completed trial.
	Final TrialRecord

	// Err is non-nil if the run stopped early, an *OverflowError.
	Err error
}

// EnsembleResult is an ensemble, or the runs of it that
// EnsembleConfig.Range selects.
type EnsembleResult struct {
	Seed uint64

	// Runs are the runs in order of their index: Runs[j].Run is
	// Range[0] + j.
	Runs []RunSummary
}

// Stats are a mean and its standard error over N values.
type Stats struct {
	Mean, SEM float64
	N         int
}

// FinalRates returns the mean and SEM over the runs without error of
// the final filtered rates E and I (Figs. 2D, 4E).
func (r *EnsembleResult) FinalRates() (E, I Stats) {
	var es, is []float64
	for _, s := range r.Runs {
		if s.Err == nil {
			es = append(es, s.Final.E)
			is = append(is, s.Final.I)
		}
	}
	return meanSEM(es), meanSEM(is)
}

func meanSEM(x []float64) Stats {
	n := float64(len(x))
	if len(x) == 0 {
		return Stats{Mean: math.NaN(), SEM: math.NaN()}
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= n
	if len(x) == 1 {
		return Stats{Mean: m, N: 1}
	}
	var ss float64
	for _, v := range x {
		ss += float64((v - m) * (v - m))
	}
	return Stats{Mean: m, SEM: math.Sqrt(ss/(n-1)) / math.Sqrt(n), N: len(x)}
}

// initStream is added to the run index to get the stream of a run's
// initial weights; its noise uses the run index itself.
const initStream = 1 << 63

// Ensemble runs c.Runs development runs with the rule, in parallel, or
// the runs c.Range selects. Run k draws its initial weights from stream
// 2⁶³+k of seed and its noise from stream k, so its result is the same
// for any number of workers and any range that holds it. progress, if
// not nil, is called with the trials done over the selected runs and
// their total, from one goroutine at a time.
//
// A run that overflows keeps its *OverflowError in RunSummary.Err and
// the others go on. Ensemble returns a *ConfigError for a bad setting or
// when InitBroad finds no silent network, and ctx.Err() when ctx is
// cancelled, with the runs finished so far.
func Ensemble(ctx context.Context, c EnsembleConfig, rule Rule, seed uint64, progress func(done, total int)) (EnsembleResult, error) {
	tp, err := c.plan()
	if err != nil {
		return EnsembleResult{}, err
	}
	if err := c.validateEnsemble(); err != nil {
		return EnsembleResult{}, err
	}
	lo, hi := c.runRange()
	res := EnsembleResult{Seed: seed, Runs: make([]RunSummary, hi-lo)}
	tick := parallel.Tally((hi-lo)*c.Trials, progress)
	err = parallel.For(ctx, lo, hi, c.Workers, func(k int) error {
		sum, err := c.one(ctx, &tp, rule, seed, k, tick)
		res.Runs[k-lo] = sum
		return err
	})
	return res, err
}

// one runs run k of the ensemble. Its error is a fatal one (bad
// initialisation, cancellation); an overflow goes into the summary.
func (c *EnsembleConfig) one(ctx context.Context, tp *trialPlan, rule Rule, seed uint64, k int, tick func(int, int)) (RunSummary, error) {
	g := fastrand.NewState(seed, initStream+uint64(k))
	w0, err := c.draw(tp, &g)
	if err != nil {
		return RunSummary{Run: k}, err
	}
	sum := RunSummary{Run: k, W0: w0, Final: TrialRecord{W: w0}}
	keep := func(r TrialRecord) {
		sum.Final = r
		if r.Trial == c.Trials || (c.KeepEvery > 0 && r.Trial%c.KeepEvery == 0) {
			sum.Trials = append(sum.Trials, r)
		}
	}
	s := state{rng: fastrand.NewState(seed, uint64(k))}
	err = tp.develop(ctx, &c.Config, rule, w0, &s, keep, nil, tick)
	if _, ok := err.(*OverflowError); ok {
		sum.Err, err = err, nil
	}
	return sum, err
}

// draw returns initial weights as c.Init describes.
func (c *EnsembleConfig) draw(tp *trialPlan, g *fastrand.State) (model.Weights, error) {
	u := func(lo, hi float64) float64 {
		var x float64
		x, *g = g.Float64()
		return lo + float64(x*(hi-lo))
	}
	in := c.Init
	if in.Kind == InitPlane {
		for range in.MaxTries {
			a := c.Params.OnPlane(u(in.WEE[0], in.WEE[1]), u(in.WIE[0], in.WIE[1])).Array()
			for j := range a {
				a[j] = math.Max(c.WeightFloor, a[j]*(1+float64(in.Jitter*u(-1, 1))))
			}
			if w := model.FromArray(a); stableUp(c.Params, w) {
				return w, nil
			}
		}
		return model.Weights{}, &ConfigError{Field: "Init", Value: float64(in.MaxTries),
			Want: "ranges WEE, WIE that contain stable points of the setpoint plane (none found in MaxTries draws)"}
	}
	quiet := *tp
	quiet.noisy = false
	lo, hi := in.Lo.Array(), in.Hi.Array()
	for range in.MaxTries {
		var a [4]float64
		for j := range a {
			a[j] = u(lo[j], hi[j])
		}
		w := model.FromArray(a)
		var s state
		if e, _ := quiet.trial(&s, w); e < in.SilentHz {
			return w, nil
		}
	}
	return model.Weights{}, &ConfigError{Field: "Init", Value: float64(in.MaxTries),
		Want: "bounds Lo, Hi that contain silent networks (none found in MaxTries draws)"}
}

// validateEnsemble checks the settings Config.validate does not.
func (c *EnsembleConfig) validateEnsemble() error {
	in := c.Init
	switch {
	case c.Runs < 1:
		return &ConfigError{Field: "Runs", Value: float64(c.Runs), Want: ">= 1"}
	case c.KeepEvery < 0:
		return &ConfigError{Field: "KeepEvery", Value: float64(c.KeepEvery), Want: ">= 0"}
	case c.Range != [2]int{} && !(0 <= c.Range[0] && c.Range[0] < c.Range[1] && c.Range[1] <= c.Runs):
		return &ConfigError{Field: "Range", Value: float64(c.Range[0]),
			Want: fmt.Sprintf("such that [%d, %d) is a non-empty part of the runs [0, %d)", c.Range[0], c.Range[1], c.Runs)}
	case in.Kind != InitPlane && in.Kind != InitBroad:
		return &ConfigError{Field: "Init.Kind", Value: float64(in.Kind), Want: "InitPlane or InitBroad"}
	case in.MaxTries < 1:
		return &ConfigError{Field: "Init.MaxTries", Value: float64(in.MaxTries), Want: ">= 1"}
	}
	vals := []float64{in.WEE[0], in.WEE[1], in.WIE[0], in.WIE[1], in.Jitter, in.SilentHz}
	lo, hi := in.Lo.Array(), in.Hi.Array()
	vals = append(vals, lo[:]...)
	vals = append(vals, hi[:]...)
	for _, v := range vals {
		if !finite(v) {
			return &ConfigError{Field: "Init", Value: v, Want: "finite"}
		}
	}
	if in.Jitter < 0 || in.Jitter >= 1 {
		return &ConfigError{Field: "Init.Jitter", Value: in.Jitter, Want: "in [0, 1)"}
	}
	return nil
}

// stableUp reports whether w has positive weights and a stable Up state
// with both rates positive (analytics.md §2): C = gE gI WEI WIE − a b > 0,
// b τE > a τI, E* > 0 and I* > 0, with a = gE WEE − 1, b = gI WII + 1.
func stableUp(p model.Params, w model.Weights) bool {
	if !(w.WEE > 0 && w.WEI > 0 && w.WIE > 0 && w.WII > 0) {
		return false
	}
	// Products are wrapped so that no FMA changes a decision.
	a := float64(p.GE*w.WEE) - 1
	b := float64(p.GI*w.WII) + 1
	C := float64(p.GE*p.GI*w.WEI*w.WIE) - float64(a*b)
	thE := p.ThetaEEff()
	E := p.GE * (float64(p.GI*p.ThetaI*w.WEI) - float64(b*thE)) / C
	I := p.GI * (float64(a*p.ThetaI) - float64(p.GE*thE*w.WIE)) / C
	return C > 0 && b*p.TauE > a*p.TauI && E > 0 && I > 0
}
