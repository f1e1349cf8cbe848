package sim

import (
	"context"
	"math"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

// TrialRecord is what one trial of the protocol produced.
type TrialRecord struct {
	// Trial is the 1-based trial number.
	Trial int

	// W are the weights after this trial's update (the code's
	// trialhistW).
	W model.Weights

	// E and I are the trial-filtered window means in Hz, before the
	// rate floor: the rates that drove this trial's update (the code's
	// trialhistFCa, the "Mean E/I" curves of Figs. 2C and 4C).
	E, I float64

	// MeanE and MeanI are this trial's own window means in Hz.
	MeanE, MeanI float64
}

// Trace is the E and I time course of one trial or experiment.
type Trace struct {
	// Trial is the 1-based trial number (0 outside the protocol).
	Trial int

	// W are the weights during the trace.
	W model.Weights

	// T0 is the time of sample 0 and Dt the time between samples, in
	// ms, relative to the pulse onset (Figs. 2B, 4B) or to the step
	// onset (StepResult).
	T0, Dt float64

	// E and I are the rates in Hz.
	E, I []float64
}

// Time returns the time of sample k in ms.
func (t *Trace) Time(k int) float64 { return t.T0 + float64(k)*t.Dt }

// Result is a development run.
type Result struct {
	// W0 are the initial weights and Seed the seed of the noise.
	W0   model.Weights
	Seed uint64

	// Trials holds one record per completed trial, in order.
	Trials []TrialRecord

	// Traces holds the traces of Config.TraceTrials, in trial order.
	Traces []Trace
}

// Final returns the last record, or a zero record with the initial
// weights if no trial completed.
func (r *Result) Final() TrialRecord {
	if len(r.Trials) == 0 {
		return TrialRecord{W: r.W0}
	}
	return r.Trials[len(r.Trials)-1]
}

// Run runs the trial protocol of c from the weights w0 with the rule,
// drawing the noise from stream 0 of seed. progress, if not nil, is
// called after every trial with the number of trials done and c.Trials.
//
// Run returns a *ConfigError for a setting out of range or a weight that
// is not finite, an *OverflowError when an update leaves a weight that is
// not finite, and ctx.Err() when ctx is cancelled. In the last two cases
// the result holds the trials completed before.
func Run(ctx context.Context, c Config, rule Rule, w0 model.Weights, seed uint64, progress func(done, total int)) (Result, error) {
	tp, err := c.plan()
	if err != nil {
		return Result{}, err
	}
	if err := checkWeights("W0", w0); err != nil {
		return Result{}, err
	}
	res := Result{W0: w0, Seed: seed, Trials: make([]TrialRecord, 0, c.Trials)}
	s := state{rng: fastrand.NewState(seed, 0)}
	keep := func(r TrialRecord) { res.Trials = append(res.Trials, r) }
	err = tp.develop(ctx, &c, rule, w0, &s, keep, &res.Traces, progress)
	return res, err
}

// develop runs c.Trials trials from w, handing each record to keep and
// appending the traces of c.TraceTrials to traces (if not nil).
func (tp *trialPlan) develop(ctx context.Context, c *Config, rule Rule, w model.Weights, s *state,
	keep func(TrialRecord), traces *[]Trace, progress func(done, total int)) error {
	traced := map[int]bool{}
	if traces != nil {
		for _, t := range c.TraceTrials {
			traced[t] = true
		}
	}
	var eAvg, iAvg float64
	for t := 1; t <= c.Trials; t++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var mE, mI float64
		if traced[t] {
			tr := tp.tracedTrial(s, w, c.TraceEvery, c.PulseOnsetMs)
			tr.Trial = t
			mE, mI = tr.meanE, tr.meanI
			*traces = append(*traces, tr.Trace)
		} else {
			mE, mI = tp.trial(s, w)
		}

		// Filter across trials, floor, and update all four weights
		// from the old ones.
		eAvg = eAvg + (mE-eAvg)/c.TrialTau
		iAvg = iAvg + (mI-iAvg)/c.TrialTau
		ef, inf := math.Max(c.RateFloor, eAvg), math.Max(c.RateFloor, iAvg)
		d := rule.Delta(ef, inf, w)
		nw := model.Weights{WEE: w.WEE + d.WEE, WEI: w.WEI + d.WEI, WIE: w.WIE + d.WIE, WII: w.WII + d.WII}
		if err := overflow(nw, t, 0, ef, inf); err != nil {
			return err
		}
		w = floorWeights(nw, c.WeightFloor)
		keep(TrialRecord{Trial: t, W: w, E: eAvg, I: iAvg, MeanE: mE, MeanI: mI})
		if progress != nil {
			progress(t, c.Trials)
		}
	}
	return nil
}

func floorWeights(w model.Weights, min float64) model.Weights {
	return model.Weights{
		WEE: math.Max(w.WEE, min), WEI: math.Max(w.WEI, min),
		WIE: math.Max(w.WIE, min), WII: math.Max(w.WII, min),
	}
}

// trial runs one trial from E = I = 0 with the weights w and returns its
// window means.
func (tp *trialPlan) trial(s *state, w model.Weights) (mE, mI float64) {
	s.e, s.i = 0, 0
	var se, si float64
	for _, sg := range tp.segs {
		var a, b float64
		if sg.window {
			a, b = se, si
		}
		switch {
		case sg.pulse:
			a, b = tp.runPulse(s, w, sg.n, tp.amp, a, b)
		case tp.noisy:
			a, b = tp.runNoisy(s, w, sg.n, a, b)
		default:
			a, b = tp.runQuiet(s, w, sg.n, a, b)
		}
		if sg.window {
			se, si = a, b
		}
	}
	return se / float64(tp.winN), si / float64(tp.winN)
}

// tracedTrial is trial with a record of every every-th sample.
type tracedTrial struct {
	Trace
	meanE, meanI float64
}

func (tp *trialPlan) tracedTrial(s *state, w model.Weights, every int, onsetMs float64) tracedTrial {
	m := (tp.n + every - 1) / every
	tr := tracedTrial{Trace: Trace{
		W: w, T0: tp.dt - onsetMs, Dt: float64(every) * tp.dt,
		E: make([]float64, 0, m), I: make([]float64, 0, m),
	}}
	s.e, s.i = 0, 0
	var se, si float64
	for k := range tp.n {
		amp := 0.0
		if k >= tp.pulseStart && k < tp.pulseEnd {
			amp = tp.amp
		}
		tp.step(s, &w, amp, 0)
		if k >= tp.winStart {
			se += s.e
			si += s.i
		}
		if k%every == 0 {
			tr.E = append(tr.E, s.e)
			tr.I = append(tr.I, s.i)
		}
	}
	tr.meanE, tr.meanI = se/float64(tp.winN), si/float64(tp.winN)
	return tr
}
