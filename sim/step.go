package sim

import (
	"slices"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

// StepConfig is the paradoxical-effect experiment of Figs. 1B-C and 3 on
// fixed weights: a pulse into E ignites the Up state, then a step of
// current into I, or a step change of one weight, is held for StepMs.
// In an inhibition-stabilized network (gE WEE > 1) more drive to I
// lowers I at the new steady state: the paradoxical effect.
type StepConfig struct {
	Neural

	// W are the weights. The default is Fig1B (Figs. 1B-C).
	W model.Weights

	// DurationMs is the length of the run in ms. The default is
	// 3000 ms.
	DurationMs float64

	// KickOnsetMs is the onset in ms of the pulse (Neural.PulseAmp,
	// PulseMs) that ignites the Up state; 0 means no pulse. The
	// default is 250 ms.
	KickOnsetMs float64

	// StepOnsetMs and StepMs are the onset and length of the step in
	// ms. The defaults are 1000 ms and 1000 ms.
	StepOnsetMs, StepMs float64

	// StepI is the current added to the I input during the step; the
	// paper's Fig. 1B uses Iext = 7. The default is 7.
	StepI float64

	// StepWeight names a weight (WEE, WEI, WIE or WII) that takes the
	// value StepWeightTo during the step; "" changes none. Fig. 1C
	// raises WIE from 10 to 12. The default is "".
	StepWeight   string
	StepWeightTo float64

	// AverageMs is the length in ms of the two averaging windows: the
	// one that ends at the step onset and the one that ends with the
	// step. The default is 200 ms.
	AverageMs float64

	// TraceEvery keeps every TraceEvery-th sample. The default is 1.
	TraceEvery int
}

// DefaultStepConfig returns the experiment of Fig. 1B without noise
// (Sigma 0; the paper does not say whether its panels had noise).
func DefaultStepConfig() StepConfig {
	n := DefaultNeural()
	n.Sigma = 0
	return StepConfig{
		Neural: n, W: Fig1B,
		DurationMs: 3000, KickOnsetMs: 250,
		StepOnsetMs: 1000, StepMs: 1000, StepI: 7,
		AverageMs: 200, TraceEvery: 1,
	}
}

// StepResult is the outcome of the step experiment.
type StepResult struct {
	// Trace holds E and I, with time relative to the step onset.
	Trace Trace

	// EBefore, IBefore are the mean rates in Hz over the AverageMs
	// before the step; EDuring, IDuring over the last AverageMs of it.
	EBefore, IBefore, EDuring, IDuring float64

	// WDuring are the weights during the step.
	WDuring model.Weights
}

// ILowered reports whether the step lowered the mean I rate: the
// paradoxical response to more drive into I.
func (r *StepResult) ILowered() bool { return r.IDuring < r.IBefore }

// Step runs the step experiment c with noise from stream 0 of seed. It
// returns a *ConfigError for a setting out of range.
func Step(c StepConfig, seed uint64) (StepResult, error) {
	p, err := c.Neural.plan()
	if err != nil {
		return StepResult{}, err
	}
	if err := checkWeights("W", c.W); err != nil {
		return StepResult{}, err
	}
	ix, err := c.indices()
	if err != nil {
		return StepResult{}, err
	}
	wStep := c.W
	if c.StepWeight != "" {
		a := wStep.Array()
		a[slices.Index(model.Names[:], c.StepWeight)] = c.StepWeightTo
		wStep = model.FromArray(a)
	}
	every := c.TraceEvery
	res := StepResult{WDuring: wStep, Trace: Trace{
		W: c.W, T0: c.Dt - c.StepOnsetMs, Dt: float64(every) * c.Dt}}
	s := state{rng: fastrand.NewState(seed, 0)}
	var sb, ib, sd, id float64
	for k := range ix.n {
		amp := 0.0
		if k >= ix.kick && k < ix.kick+p.pulseN {
			amp = p.amp
		}
		w, ampI := c.W, 0.0
		if k >= ix.on && k < ix.off {
			w, ampI = wStep, c.StepI
		}
		p.step(&s, &w, amp, ampI)
		if k >= ix.on-ix.avg && k < ix.on {
			sb += s.e
			ib += s.i
		}
		if k >= ix.off-ix.avg && k < ix.off {
			sd += s.e
			id += s.i
		}
		if k%every == 0 {
			res.Trace.E = append(res.Trace.E, s.e)
			res.Trace.I = append(res.Trace.I, s.i)
		}
	}
	m := float64(ix.avg)
	res.EBefore, res.IBefore, res.EDuring, res.IDuring = sb/m, ib/m, sd/m, id/m
	return res, nil
}

// stepIndices are a StepConfig's times in steps (sample indices).
type stepIndices struct {
	n, kick, on, off, avg int
}

func (c StepConfig) indices() (stepIndices, error) {
	var ix stepIndices
	if c.TraceEvery < 1 {
		return ix, &ConfigError{Field: "TraceEvery", Value: float64(c.TraceEvery), Want: ">= 1"}
	}
	if c.StepWeight != "" && !slices.Contains(model.Names[:], c.StepWeight) {
		return ix, &ConfigError{Field: "StepWeight " + c.StepWeight, Value: 0, Want: "one of WEE, WEI, WIE, WII"}
	}
	if !finite(c.StepI) || !finite(c.StepWeightTo) {
		return ix, &ConfigError{Field: "StepI/StepWeightTo", Value: c.StepI + c.StepWeightTo, Want: "finite"}
	}
	var err error
	conv := func(field string, ms float64) int {
		if err != nil {
			return 0
		}
		var k int
		k, err = c.steps(field, ms)
		return k
	}
	ix.n = conv("DurationMs", c.DurationMs)
	ix.kick = conv("KickOnsetMs", c.KickOnsetMs) - 1
	ix.on = conv("StepOnsetMs", c.StepOnsetMs) - 1
	ix.off = ix.on + conv("StepMs", c.StepMs)
	ix.avg = conv("AverageMs", c.AverageMs)
	if err != nil {
		return ix, err
	}
	if c.KickOnsetMs == 0 {
		ix.kick = -1 << 40
	}
	switch {
	case ix.n < 1:
		return ix, &ConfigError{Field: "DurationMs", Value: c.DurationMs, Want: "> 0 ms"}
	case ix.on < 0 || ix.off > ix.n || ix.off <= ix.on:
		return ix, &ConfigError{Field: "StepOnsetMs", Value: c.StepOnsetMs, Want: "> 0 with the step (StepMs > 0) ending within DurationMs"}
	case ix.avg < 1 || ix.avg > ix.on || ix.avg > ix.off-ix.on:
		return ix, &ConfigError{Field: "AverageMs", Value: c.AverageMs, Want: "> 0 and at most StepOnsetMs and StepMs"}
	}
	return ix, nil
}
