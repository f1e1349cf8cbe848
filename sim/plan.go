package sim

import (
	"math"
	"slices"
)

// plan holds the per-step constants derived from a Neural setting.
type plan struct {
	dt         float64 // ms
	tE, tI     float64 // Euler divisors τE/(dt gE) and τI/(dt gI)
	rE, rI     float64 // 1/gE and 1/gI
	thE, thI   float64 // θE' = θE − Iext and θI
	emax, imax float64
	ouA, ouS   float64 // dt/τOU and σ√dt
	noisy      bool
	amp        float64
	pulseN     int // pulse length in samples
}

// validate returns the first setting of n that is out of range.
func (n Neural) validate() error {
	if err := n.Params.Validate(); err != nil {
		return &ConfigError{Field: "Params", Value: math.NaN(), Want: "valid: " + err.Error()}
	}
	for _, c := range []struct {
		name string
		v    float64
		ok   bool
		want string
	}{
		{"Dt", n.Dt, n.Dt > 0, "> 0 ms"},
		{"Sigma", n.Sigma, n.Sigma >= 0, ">= 0"},
		{"TauOU", n.TauOU, n.TauOU > n.Dt, "> Dt"},
		{"Params.TauE", n.Params.TauE, n.Params.TauE > n.Dt, "> Dt"},
		{"Params.TauI", n.Params.TauI, n.Params.TauI > n.Dt, "> Dt"},
		{"EMax", n.EMax, n.EMax > 0, "> 0 Hz"},
		{"IMax", n.IMax, n.IMax > 0, "> 0 Hz"},
		{"PulseAmp", n.PulseAmp, true, "finite"},
		{"PulseMs", n.PulseMs, n.PulseMs >= 0, ">= 0 ms"},
	} {
		if !finite(c.v) {
			return &ConfigError{Field: c.name, Value: c.v, Want: "a finite number"}
		}
		if !c.ok {
			return &ConfigError{Field: c.name, Value: c.v, Want: c.want}
		}
	}
	return nil
}

// plan validates n and derives the per-step constants.
func (n Neural) plan() (plan, error) {
	if err := n.validate(); err != nil {
		return plan{}, err
	}
	p := n.Params
	pl := plan{
		dt: n.Dt,
		tE: divisor(p.TauE/n.Dt) / p.GE, tI: divisor(p.TauI/n.Dt) / p.GI,
		rE: 1 / p.GE, rI: 1 / p.GI,
		thE: p.ThetaE - p.Iext, thI: p.ThetaI,
		emax: n.EMax, imax: n.IMax,
		ouA:   divisor(n.Dt / n.TauOU),
		ouS:   n.Sigma * math.Sqrt(n.Dt/1000),
		noisy: n.Sigma != 0,
		amp:   n.PulseAmp,
	}
	var err error
	pl.pulseN, err = n.samples("PulseMs", n.PulseMs)
	return pl, err
}

// divisor rounds x to the nearest integer when it is within 1e-9 of it,
// so that τE/dt is exactly the code's Etau = 100 and τI/dt its Itau = 20
// whatever the rounding of the quotient.
func divisor(x float64) float64 {
	if r := math.Round(x); math.Abs(x-r) <= 1e-9*math.Max(1, r) {
		return r
	}
	return x
}

// steps converts a duration in ms to a whole number of steps; it fails
// if the duration is not a multiple of Dt.
func (n Neural) steps(field string, ms float64) (int, error) {
	if !finite(ms) || ms < 0 {
		return 0, &ConfigError{Field: field, Value: ms, Want: ">= 0 ms"}
	}
	x := ms / n.Dt
	r := math.Round(x)
	if math.Abs(x-r) > 1e-6*math.Max(1, r) || r > math.MaxInt32 {
		return 0, &ConfigError{Field: field, Value: ms, Want: "a multiple of Dt"}
	}
	return int(r), nil
}

// samples is the number of samples in an interval of ms: ms/dt, plus the
// code's extra end sample unless HalfOpen.
func (n Neural) samples(field string, ms float64) (int, error) {
	k, err := n.steps(field, ms)
	if err != nil || n.HalfOpen || ms == 0 {
		return k, err
	}
	return k + 1, nil
}

// trialPlan is a Config turned into step indices.
type trialPlan struct {
	plan
	n                    int // steps per trial
	pulseStart, pulseEnd int // pulse samples [pulseStart, pulseEnd)
	winStart, winN       int // window samples [winStart, n)
	segs                 []segment
}

// segment is a run of steps with the same pulse and window state.
type segment struct {
	n             int
	pulse, window bool
}

// validate returns the first setting of c that is out of range.
func (c Config) validate() error {
	if c.Trials < 1 {
		return &ConfigError{Field: "Trials", Value: float64(c.Trials), Want: ">= 1"}
	}
	if c.TraceEvery < 1 {
		return &ConfigError{Field: "TraceEvery", Value: float64(c.TraceEvery), Want: ">= 1"}
	}
	for _, t := range c.TraceTrials {
		if t < 1 || t > c.Trials {
			return &ConfigError{Field: "TraceTrials", Value: float64(t), Want: "in [1, Trials]"}
		}
	}
	for _, f := range []struct {
		name string
		v    float64
		ok   bool
		want string
	}{
		{"TrialMs", c.TrialMs, c.TrialMs > 0, "> 0 ms"},
		{"PulseOnsetMs", c.PulseOnsetMs, c.PulseOnsetMs >= c.Dt, ">= Dt"},
		{"WindowMs", c.WindowMs, c.WindowMs > 0, "> 0 ms"},
		{"TrialTau", c.TrialTau, c.TrialTau >= 1, ">= 1 trial"},
		{"RateFloor", c.RateFloor, c.RateFloor >= 0, ">= 0 Hz"},
		{"WeightFloor", c.WeightFloor, c.WeightFloor >= 0, ">= 0"},
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

// plan validates c and turns its durations into step indices.
func (c Config) plan() (trialPlan, error) {
	if err := c.validate(); err != nil {
		return trialPlan{}, err
	}
	pl, err := c.Neural.plan()
	if err != nil {
		return trialPlan{}, err
	}
	tp := trialPlan{plan: pl}
	if tp.n, err = c.steps("TrialMs", c.TrialMs); err != nil {
		return tp, err
	}
	on, err := c.steps("PulseOnsetMs", c.PulseOnsetMs)
	if err != nil {
		return tp, err
	}
	tp.pulseStart = on - 1
	tp.pulseEnd = tp.pulseStart + pl.pulseN
	if tp.pulseEnd > tp.n {
		return tp, &ConfigError{Field: "PulseOnsetMs", Value: c.PulseOnsetMs, Want: "such that the pulse ends within the trial"}
	}
	if tp.winN, err = c.samples("WindowMs", c.WindowMs); err != nil {
		return tp, err
	}
	if tp.winN > tp.n {
		return tp, &ConfigError{Field: "WindowMs", Value: c.WindowMs, Want: "at most the trial length"}
	}
	tp.winStart = tp.n - tp.winN
	tp.segs = segments(tp.n, tp.pulseStart, tp.pulseEnd, tp.winStart)
	return tp, nil
}

// segments cuts [0, n) at the pulse and window boundaries.
func segments(n, ps, pe, ws int) []segment {
	cuts := []int{0, ps, pe, ws, n}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var segs []segment
	for k := 0; k+1 < len(cuts); k++ {
		a, b := cuts[k], cuts[k+1]
		segs = append(segs, segment{n: b - a, pulse: a >= ps && a < pe, window: a >= ws})
	}
	return segs
}
