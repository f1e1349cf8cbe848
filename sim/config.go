package sim

import (
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/model"
)

// Rule is a plasticity rule with its learning rates and setpoints bound:
// Delta returns the increments of WEE, WEI, WIE and WII at rates E, I (Hz)
// and weights w. The trial protocol adds it to w once per trial, the
// online mode once per time step. Ensemble calls Delta from several
// goroutines at once, so it must be safe for concurrent use.
// *jacobian.Rule satisfies Rule.
type Rule interface {
	Delta(E, I float64, w model.Weights) model.Weights
}

// Neural are the settings of the neural dynamics shared by every
// experiment: the model constants, the time step, the noise, the rate
// ceilings and the external pulse.
type Neural struct {
	// Params are the model constants: τE, τI (ms), θE, θI, gE, gI and
	// Iext. Eset and Iset are not used here; the rule carries its own.
	// The default is model.Default().
	Params model.Params

	// Dt is the Euler time step in ms. The default is 0.1 ms.
	Dt float64

	// Sigma is the σ of the Ornstein-Uhlenbeck noise in s^-½, the
	// paper's σx = 10; each step adds σ√dt N(0,1), 0.1 with the
	// defaults (the code's OUsigma). 0 turns the noise off. The
	// default is 10.
	Sigma float64

	// TauOU is the correlation time of the noise in ms; each step
	// relaxes ξ by dt/τOU (the code's OUtau = 0.1). The default is 1 ms.
	TauOU float64

	// EMax and IMax are the rate ceilings in Hz applied after every
	// step (the code's E_MAX, I_MAX). The defaults are 100 and 250 Hz.
	EMax, IMax float64

	// PulseAmp is the amplitude of the pulse into E. The default is 7.
	PulseAmp float64

	// PulseMs is the pulse length in ms. The default is 10 ms, which
	// is 101 samples with the code's inclusive ends (see HalfOpen).
	PulseMs float64

	// HalfOpen selects the paper's reading of durations: the pulse
	// covers PulseMs/dt samples and the averaging window WindowMs/dt.
	// The default, false, follows the code, whose inclusive index
	// ranges hold one sample more: a 101-sample (10.1 ms) pulse and a
	// 5001-sample window.
	HalfOpen bool
}

// DefaultNeural returns the settings of the authors' code
// (rate-models.md §1), which match the paper's Methods.
func DefaultNeural() Neural {
	return Neural{
		Params: model.Default(),
		Dt:     0.1, Sigma: 10, TauOU: 1,
		EMax: 100, IMax: 250,
		PulseAmp: 7, PulseMs: 10,
	}
}

// Config is the trial-based development protocol of Figs. 2 and 4.
type Config struct {
	Neural

	// TrialMs is the length of a trial in ms. The default is 2000 ms
	// (20000 steps).
	TrialMs float64

	// PulseOnsetMs is the time of the first pulse sample in ms; sample k
	// (0-based) lies at t = (k+1) dt, so the default 250 ms is the
	// code's 1-based step 2500. Traces are plotted relative to it.
	PulseOnsetMs float64

	// WindowMs is the length of the averaging window at the end of each
	// trial in ms. The default is 500 ms (5001 samples; see HalfOpen).
	WindowMs float64

	// TrialTau is the time constant, in trials, of the leaky average of
	// the window means across trials: Ē ← Ē + (m − Ē)/TrialTau, from 0.
	// 1 uses each trial's window mean alone. The default is 2 (code;
	// the paper does not describe the filter).
	TrialTau float64

	// RateFloor is the floor in Hz on the filtered rates before they
	// enter the rule, as presynaptic factors and in the errors:
	// max(RateFloor, Ē). 0 disables it. The default is 1 Hz (code; the
	// paper does not mention it).
	RateFloor float64

	// WeightFloor is the least value of every weight after an update.
	// The default is 0.1 (code). There is no ceiling.
	WeightFloor float64

	// Trials is the number of trials. The default is 500.
	Trials int

	// TraceTrials are the trials (1-based) whose E and I traces Run
	// keeps. The default is none.
	TraceTrials []int

	// TraceEvery keeps every TraceEvery-th sample of a trace. The
	// default is 1.
	TraceEvery int
}

// DefaultConfig returns the protocol of the authors' Fig2 and Fig4
// scripts (rate-models.md §1).
func DefaultConfig() Config {
	return Config{
		Neural:  DefaultNeural(),
		TrialMs: 2000, PulseOnsetMs: 250, WindowMs: 500,
		TrialTau: 2, RateFloor: 1, WeightFloor: 0.1,
		Trials: 500, TraceEvery: 1,
	}
}

// Initial weights of the paper's examples.
var (
	// Fig4BCode is the start of the authors' Fig2 and Fig4 scripts.
	Fig4BCode = model.Weights{WEE: 2.1, WEI: 3, WIE: 4, WII: 1.5}
	// Fig4BPaper is the start the legends of Figs. 2B and 4B give (and
	// the S4 script uses); it differs from the code in WII.
	Fig4BPaper = model.Weights{WEE: 2.1, WEI: 3, WIE: 4, WII: 2}
	// Fig2E is the start of Fig. 2E: the setpoint-plane point with
	// WEE = 5, WIE = 10, rounded to two decimals.
	Fig2E = model.Weights{WEE: 5, WEI: 1.09, WIE: 10, WII: 1.54}
	// Fig1B is the network of Figs. 1B-C.
	Fig1B = model.Weights{WEE: 5, WEI: 1.52, WIE: 10, WII: 2.25}
)

// ConfigError reports a setting outside its allowed range. Field names
// the setting as in the Go struct.
type ConfigError struct {
	Field string
	Value float64
	Want  string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("sim: %s = %v: must be %s", e.Field, e.Value, e.Want)
}

// OverflowError reports a weight that stopped being finite after an
// update. The result returned with it holds everything computed before.
type OverflowError struct {
	// Trial is the 1-based trial whose update failed; in online mode
	// it is 0 and Step is the 0-based time step.
	Trial, Step int
	// Weight is the weight's name (WEE, WEI, WIE or WII) and Value its
	// value after the update.
	Weight string
	Value  float64
	// E and I are the rates (Hz) that entered the rule.
	E, I float64
}

func (e *OverflowError) Error() string {
	where := fmt.Sprintf("trial %d", e.Trial)
	if e.Trial == 0 {
		where = fmt.Sprintf("step %d", e.Step)
	}
	return fmt.Sprintf("sim: %s: %s = %v after the update at E = %g Hz, I = %g Hz (learning rates too large?)",
		where, e.Weight, e.Value, e.E, e.I)
}

// checkWeights returns a *ConfigError if a weight is not finite.
func checkWeights(field string, w model.Weights) error {
	for k, v := range w.Array() {
		if !finite(v) {
			return &ConfigError{Field: field + "." + model.Names[k], Value: v, Want: "a finite number"}
		}
	}
	return nil
}

// overflow returns an *OverflowError for the first weight of w that is
// not finite, or nil.
func overflow(w model.Weights, trial, step int, E, I float64) error {
	for k, v := range w.Array() {
		if !finite(v) {
			return &OverflowError{Trial: trial, Step: step, Weight: model.Names[k], Value: v, E: E, I: I}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
