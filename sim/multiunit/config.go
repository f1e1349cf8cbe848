package multiunit

import (
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/sim"
)

// Config is the multiunit trial protocol of Figs. 5 and 6. The embedded
// sim.Config holds the neural settings and the trial protocol, with the
// meaning they have in the two-population model, applied to every unit;
// its WeightFloor is the floor of a unit's summed input of one class
// (see Weights).
type Config struct {
	sim.Config

	// NE and NI are the numbers of E and I units. The defaults are 80
	// and 20 (Figs. 5-6).
	NE, NI int

	// TraceUnits are the units (0-based; E units first, then I units,
	// so I unit k is NE+k) whose rates Run keeps within the trials of
	// TraceTrials, every TraceEvery-th sample. The default is E units
	// 0 and 1 and I units 0 and 1, the two of each of Figs. 5C, 6C.
	TraceUnits []int

	// KeepUnits keeps every unit's trial-filtered rate after every
	// trial in Result.Units (for the unit rates across trials of
	// Figs. 5B, 6B). The default is false.
	KeepUnits bool
}

// DefaultConfig returns the protocol of the authors' Fig5 and Fig6
// scripts (rate-models.md §2): the two-population protocol of
// sim.DefaultConfig with 80 E and 20 I units and 250 trials.
func DefaultConfig() Config {
	c := sim.DefaultConfig()
	c.Trials = 250
	return Config{Config: c, NE: 80, NI: 20, TraceUnits: []int{0, 1, 80, 81}}
}

// Authors' learning rates for the multiunit figures (rate-models.md §2).
const (
	// AlphaCross is α of the cross-homeostatic rule of Fig. 5.
	AlphaCross = 2e-5
	// AlphaTwoTerm is α of the two-term rule of Fig. 6.
	AlphaTwoTerm = 1e-5
	// SeedPaper is the seed of the authors' Fig5 and Fig6 scripts,
	// rng(44). It names a MATLAB stream that Go cannot reproduce; here
	// it is simply the default seed, so that runs are labelled like
	// the paper's.
	SeedPaper = 44
)

// plan holds the per-step constants and the trial's step indices. It is
// a copy of the unexported plan and trialPlan of package sim
// (sim/plan.go), kept to the minimum a multiunit run needs; the two must
// derive the same numbers (TestReducesToTwoPopulations checks it).
//
// TODO: export the step plan and Config validation from package sim and
// use them here, so that the protocol's constants live in one place.
type plan struct {
	tE, tI     float64 // Euler divisors τE/(dt gE) and τI/(dt gI)
	rE, rI     float64 // 1/gE and 1/gI
	thE, thI   float64 // θE' = θE − Iext and θI
	emax, imax float64
	ouA, ouS   float64 // dt/τOU and σ√dt
	noisy      bool
	amp        float64

	n                    int // steps per trial
	pulseStart, pulseEnd int // pulse samples [pulseStart, pulseEnd)
	winStart, winN       int // window samples [winStart, n)
}

// maxUnits bounds NE+NI: a step costs (NE+NI)² products, and 4096 units
// already take about 60 s per trial.
const maxUnits = 4096

// tiny is the rate below which a rate is set to 0, as in package sim:
// subnormal arithmetic is slow and a silent unit decays into that range.
const tiny = 0x1p-1000

// plan validates c and derives the per-step constants, as sim does.
func (c *Config) plan() (plan, error) {
	if err := c.validate(); err != nil {
		return plan{}, err
	}
	n, p := c.Neural, c.Params
	pl := plan{
		tE: divisor(p.TauE/n.Dt) / p.GE, tI: divisor(p.TauI/n.Dt) / p.GI,
		rE: 1 / p.GE, rI: 1 / p.GI,
		thE: p.ThetaE - p.Iext, thI: p.ThetaI,
		emax: n.EMax, imax: n.IMax,
		ouA:   divisor(n.Dt / n.TauOU),
		ouS:   n.Sigma * math.Sqrt(n.Dt/1000),
		noisy: n.Sigma != 0,
		amp:   n.PulseAmp,
	}
	var pulseN, on int
	var err error
	conv := func(field string, ms float64, inclusive bool) int {
		if err != nil {
			return 0
		}
		var k int
		k, err = c.steps(field, ms, inclusive)
		return k
	}
	pl.n = conv("TrialMs", c.TrialMs, false)
	on = conv("PulseOnsetMs", c.PulseOnsetMs, false)
	pulseN = conv("PulseMs", c.PulseMs, true)
	pl.winN = conv("WindowMs", c.WindowMs, true)
	if err != nil {
		return pl, err
	}
	pl.pulseStart = on - 1
	pl.pulseEnd = pl.pulseStart + pulseN
	pl.winStart = pl.n - pl.winN
	switch {
	case pl.pulseEnd > pl.n:
		return pl, &sim.ConfigError{Field: "PulseOnsetMs", Value: c.PulseOnsetMs, Want: "such that the pulse ends within the trial"}
	case pl.winN > pl.n:
		return pl, &sim.ConfigError{Field: "WindowMs", Value: c.WindowMs, Want: "at most the trial length"}
	}
	return pl, nil
}

// divisor rounds x to the nearest integer when it is within 1e-9 of it
// (sim/plan.go), so that τE/dt is exactly the code's Etau = 100.
func divisor(x float64) float64 {
	if r := math.Round(x); math.Abs(x-r) <= 1e-9*math.Max(1, r) {
		return r
	}
	return x
}

// steps converts ms to a whole number of steps, plus the code's extra
// end sample for an inclusive range unless HalfOpen (sim/plan.go).
func (c *Config) steps(field string, ms float64, inclusive bool) (int, error) {
	if !finite(ms) || ms < 0 {
		return 0, &sim.ConfigError{Field: field, Value: ms, Want: ">= 0 ms"}
	}
	x := ms / c.Dt
	r := math.Round(x)
	if math.Abs(x-r) > 1e-6*math.Max(1, r) || r > math.MaxInt32 {
		return 0, &sim.ConfigError{Field: field, Value: ms, Want: "a multiple of Dt"}
	}
	k := int(r)
	if inclusive && !c.HalfOpen && ms != 0 {
		k++
	}
	return k, nil
}

// validate returns a *sim.ConfigError for the first setting out of
// range; the checks of the embedded sim.Config are those of sim.
func (c *Config) validate() error {
	if err := c.Params.Validate(); err != nil {
		return &sim.ConfigError{Field: "Params", Value: math.NaN(), Want: "valid: " + err.Error()}
	}
	switch {
	case c.NE < 2:
		return &sim.ConfigError{Field: "NE", Value: float64(c.NE), Want: ">= 2"}
	case c.NI < 2:
		return &sim.ConfigError{Field: "NI", Value: float64(c.NI), Want: ">= 2"}
	case c.NE+c.NI > maxUnits:
		return &sim.ConfigError{Field: "NE+NI", Value: float64(c.NE + c.NI), Want: fmt.Sprintf("<= %d", maxUnits)}
	case c.Trials < 1:
		return &sim.ConfigError{Field: "Trials", Value: float64(c.Trials), Want: ">= 1"}
	case c.TraceEvery < 1:
		return &sim.ConfigError{Field: "TraceEvery", Value: float64(c.TraceEvery), Want: ">= 1"}
	}
	for _, t := range c.TraceTrials {
		if t < 1 || t > c.Trials {
			return &sim.ConfigError{Field: "TraceTrials", Value: float64(t), Want: "in [1, Trials]"}
		}
	}
	for _, u := range c.TraceUnits {
		if u < 0 || u >= c.NE+c.NI {
			return &sim.ConfigError{Field: "TraceUnits", Value: float64(u), Want: "in [0, NE+NI)"}
		}
	}
	for _, f := range []struct {
		name string
		v    float64
		ok   bool
		want string
	}{
		{"Dt", c.Dt, c.Dt > 0, "> 0 ms"},
		{"Sigma", c.Sigma, c.Sigma >= 0, ">= 0"},
		{"TauOU", c.TauOU, c.TauOU > c.Dt, "> Dt"},
		{"Params.TauE", c.Params.TauE, c.Params.TauE > c.Dt, "> Dt"},
		{"Params.TauI", c.Params.TauI, c.Params.TauI > c.Dt, "> Dt"},
		{"EMax", c.EMax, c.EMax > 0, "> 0 Hz"},
		{"IMax", c.IMax, c.IMax > 0, "> 0 Hz"},
		{"PulseAmp", c.PulseAmp, true, "finite"},
		{"PulseMs", c.PulseMs, c.PulseMs >= 0, ">= 0 ms"},
		{"TrialMs", c.TrialMs, c.TrialMs > 0, "> 0 ms"},
		{"PulseOnsetMs", c.PulseOnsetMs, c.PulseOnsetMs >= c.Dt, ">= Dt"},
		{"WindowMs", c.WindowMs, c.WindowMs > 0, "> 0 ms"},
		{"TrialTau", c.TrialTau, c.TrialTau >= 1, ">= 1 trial"},
		{"RateFloor", c.RateFloor, c.RateFloor >= 0, ">= 0 Hz"},
		{"WeightFloor", c.WeightFloor, c.WeightFloor >= 0, ">= 0"},
	} {
		if !finite(f.v) {
			return &sim.ConfigError{Field: f.name, Value: f.v, Want: "a finite number"}
		}
		if !f.ok {
			return &sim.ConfigError{Field: f.name, Value: f.v, Want: f.want}
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
