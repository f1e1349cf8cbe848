package model

import (
	"fmt"
	"math"
)

// Params are the constants of the two-population model. The defaults
// (Default) are those of the paper's Methods and of the authors' MATLAB
// and SageMath code.
type Params struct {
	// TauE and TauI are the membrane time constants in ms.
	// The defaults are 10 ms and 2 ms.
	TauE float64 `toml:"taue"`
	TauI float64 `toml:"taui"`

	// ThetaE and ThetaI are the thresholds of the transfer functions.
	// The defaults are 4.8 and 25.
	ThetaE float64 `toml:"thetae"`
	ThetaI float64 `toml:"thetai"`

	// GE and GI are the gains of the transfer functions (Hz per unit of
	// input). The defaults are 1 and 4.
	GE float64 `toml:"ge"`
	GI float64 `toml:"gi"`

	// Eset and Iset are the firing-rate setpoints in Hz.
	// The defaults are 5 Hz and 14 Hz.
	Eset float64 `toml:"eset"`
	Iset float64 `toml:"iset"`

	// Iext is a tonic input to E. It only lowers the effective threshold
	// θE − Iext. The default is 0 (the paper's self-sustained case).
	Iext float64 `toml:"iext"`
}

// Default returns the paper's parameters (Methods; analytics.md §1).
func Default() Params {
	return Params{
		TauE: 10, TauI: 2,
		ThetaE: 4.8, ThetaI: 25,
		GE: 1, GI: 4,
		Eset: 5, Iset: 14,
		Iext: 0,
	}
}

// ParamError reports a parameter outside its allowed range. Field is the
// flag and TOML name of the parameter.
type ParamError struct {
	Field string
	Value float64
	Want  string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%s = %v: must be %s", e.Field, e.Value, e.Want)
}

// Validate returns a *ParamError for the first parameter that is not
// finite, or that is out of range: time constants, gains and setpoints
// must be > 0.
func (p Params) Validate() error {
	for _, f := range p.fields() {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &ParamError{Field: f.name, Value: f.v, Want: "a finite number"}
		}
		if f.positive && f.v <= 0 {
			return &ParamError{Field: f.name, Value: f.v, Want: "> 0"}
		}
	}
	return nil
}

type field struct {
	name     string
	v        float64
	positive bool
}

func (p Params) fields() []field {
	return []field{
		{"taue", p.TauE, true}, {"taui", p.TauI, true},
		{"thetae", p.ThetaE, false}, {"thetai", p.ThetaI, false},
		{"ge", p.GE, true}, {"gi", p.GI, true},
		{"eset", p.Eset, true}, {"iset", p.Iset, true},
		{"iext", p.Iext, false},
	}
}

// ThetaEEff returns the effective E threshold θE − Iext (analytics.md §1).
func (p Params) ThetaEEff() float64 { return p.ThetaE - p.Iext }

// FE is the E transfer function gE [x − θE]+ applied to the total input
// x, which includes Iext.
func (p Params) FE(x float64) float64 { return p.GE * math.Max(x-p.ThetaE, 0) }

// FI is the I transfer function gI [x − θI]+.
func (p Params) FI(x float64) float64 { return p.GI * math.Max(x-p.ThetaI, 0) }
