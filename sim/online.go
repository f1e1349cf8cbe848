package sim

import (
	"context"
	"math"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

// OnlineConfig is the online variant of Fig. S4 (the authors'
// FigS4_crosshomeo_demo_ONLINE.m; rate-models.md §3): one continuous run,
// never reset, in which slow rate sensors drive a weight update at every
// time step.
type OnlineConfig struct {
	Neural

	// DurationMs is the length of the run in ms. The default is
	// 100 s (10⁶ steps).
	DurationMs float64

	// CaTauMs is the time constant in ms of the "Ca sensors"
	// Ca ← Ca + (r − Ca)/(CaTau/dt), one for E and one for I, which
	// start at 0. The default is 1000 ms.
	CaTauMs float64

	// PulseRateHz is the rate of the pulses into E: each step starts
	// one with probability PulseRateHz·dt (a Bernoulli train, drawn
	// before the run). The default is 0.1 Hz.
	PulseRateHz float64

	// ForcedOnsetMs is the time of an extra pulse onset in ms; 0 means
	// none. The default is 200 ms.
	ForcedOnsetMs float64

	// RateFloor is the floor in Hz on the sensor values before they
	// enter the rule. The default is 0: the code has no floor, so a
	// silent network does not learn.
	RateFloor float64

	// WeightFloor is the least value of every weight after each
	// step's update. The default is 0.1.
	WeightFloor float64

	// RecordEveryMs is the time between recorded samples in ms. The
	// default is 10 ms.
	RecordEveryMs float64
}

// DefaultOnlineConfig returns the settings of the S4 script. The rule's
// learning rates are per step; the script's are 5e-7.
func DefaultOnlineConfig() OnlineConfig {
	return OnlineConfig{
		Neural:     DefaultNeural(),
		DurationMs: 100000, CaTauMs: 1000,
		PulseRateHz: 0.1, ForcedOnsetMs: 200,
		WeightFloor: 0.1, RecordEveryMs: 10,
	}
}

// FigS4 is the start of the S4 script, the same as Fig4BPaper.
var FigS4 = Fig4BPaper

// OnlineSample is the state of an online run at one time.
type OnlineSample struct {
	// TMs is the time in ms.
	TMs float64
	// E and I are the rates and CaE, CaI the sensors, in Hz.
	E, I, CaE, CaI float64
	// W are the weights.
	W model.Weights
}

// OnlineResult is an online run.
type OnlineResult struct {
	W0   model.Weights
	Seed uint64

	// OnsetsMs are the pulse onsets in ms.
	OnsetsMs []float64

	// Samples are taken every RecordEveryMs, the first at
	// RecordEveryMs.
	Samples []OnlineSample
}

// validate returns the first setting of c that is out of range.
func (c OnlineConfig) validate() error {
	for _, f := range []struct {
		name string
		v    float64
		ok   bool
		want string
	}{
		{"DurationMs", c.DurationMs, c.DurationMs > 0, "> 0 ms"},
		{"CaTauMs", c.CaTauMs, c.CaTauMs > c.Dt, "> Dt"},
		{"PulseRateHz", c.PulseRateHz, c.PulseRateHz >= 0, ">= 0 Hz"},
		{"ForcedOnsetMs", c.ForcedOnsetMs, c.ForcedOnsetMs >= 0 && c.ForcedOnsetMs <= c.DurationMs, "in [0, DurationMs]"},
		{"RateFloor", c.RateFloor, c.RateFloor >= 0, ">= 0 Hz"},
		{"WeightFloor", c.WeightFloor, c.WeightFloor >= 0, ">= 0"},
		{"RecordEveryMs", c.RecordEveryMs, c.RecordEveryMs >= c.Dt, ">= Dt"},
	} {
		if !finite(f.v) {
			return &ConfigError{Field: f.name, Value: f.v, Want: "a finite number"}
		}
		if !f.ok {
			return &ConfigError{Field: f.name, Value: f.v, Want: f.want}
		}
	}
	return nil
}

// RunOnline runs the online protocol of c from w0 with the rule, whose
// learning rates are per time step. The pulse onsets and then the noise
// come from stream 0 of seed. progress, if not nil, is called about a
// hundred times with the steps done and the total.
//
// Errors are as for Run; an *OverflowError names the step.
func RunOnline(ctx context.Context, c OnlineConfig, rule Rule, w0 model.Weights, seed uint64, progress func(done, total int)) (OnlineResult, error) {
	if err := c.Neural.validate(); err != nil {
		return OnlineResult{}, err
	}
	if err := c.validate(); err != nil {
		return OnlineResult{}, err
	}
	if err := checkWeights("W0", w0); err != nil {
		return OnlineResult{}, err
	}
	p, err := c.Neural.plan()
	if err != nil {
		return OnlineResult{}, err
	}
	n, err := c.steps("DurationMs", c.DurationMs)
	if err != nil {
		return OnlineResult{}, err
	}
	rec, err := c.steps("RecordEveryMs", c.RecordEveryMs)
	if err != nil {
		return OnlineResult{}, err
	}
	forced := -1
	if c.ForcedOnsetMs > 0 {
		k, err := c.steps("ForcedOnsetMs", c.ForcedOnsetMs)
		if err != nil {
			return OnlineResult{}, err
		}
		forced = k - 1
	}
	caT := divisor(c.CaTauMs / c.Dt)

	s := state{rng: fastrand.NewState(seed, 0)}
	onsets := drawOnsets(&s.rng, n, c.PulseRateHz*c.Dt/1000, forced)
	res := OnlineResult{W0: w0, Seed: seed, OnsetsMs: make([]float64, len(onsets)),
		Samples: make([]OnlineSample, 0, n/rec)}
	for k, on := range onsets {
		res.OnsetsMs[k] = float64(on+1) * c.Dt
	}

	w := w0
	var caE, caI float64
	until, next := 0, 0
	for k := range n {
		if k&(1<<14-1) == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if progress != nil {
				progress(k, n)
			}
		}
		if next < len(onsets) && onsets[next] == k {
			until = k + p.pulseN
			next++
		}
		amp := 0.0
		if k < until {
			amp = p.amp
		}
		p.step(&s, &w, amp, 0)

		// Sensors, then the weights from the sensors.
		caE = caE + (s.e-caE)/caT
		caI = caI + (s.i-caI)/caT
		ef, inf := math.Max(c.RateFloor, caE), math.Max(c.RateFloor, caI)
		d := rule.Delta(ef, inf, w)
		nw := model.Weights{WEE: w.WEE + d.WEE, WEI: w.WEI + d.WEI, WIE: w.WIE + d.WIE, WII: w.WII + d.WII}
		if err := overflow(nw, 0, k, ef, inf); err != nil {
			return res, err
		}
		w = floorWeights(nw, c.WeightFloor)
		if (k+1)%rec == 0 {
			res.Samples = append(res.Samples, OnlineSample{
				TMs: float64(k+1) * c.Dt, E: s.e, I: s.i, CaE: caE, CaI: caI, W: w})
		}
	}
	if progress != nil {
		progress(n, n)
	}
	return res, nil
}

// drawOnsets draws a Bernoulli train with probability q per step over n
// steps, as the script does before the run, and merges in the forced
// onset (if >= 0). The onsets are sorted and distinct.
func drawOnsets(g *fastrand.State, n int, q float64, forced int) []int {
	var on []int
	for k := range n {
		var u float64
		u, *g = g.Float64()
		if u < q || k == forced {
			on = append(on, k)
		}
	}
	return on
}
