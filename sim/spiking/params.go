package spiking

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/paradoxlab/paradox/internal/tomlx"
)

// Params are the constants of the spiking network, its trials, its rate
// measurement and its plasticity rule. Units: ms, mV, pF, nS, pA, Hz.
// Voltages are relative (the authors' plots subtract 70 mV). Weights are
// charges: a weight of w pA delivers w fC per spike (spiking.md §2).
//
// The TOML key of each field is given in its tag; LoadParams reads any
// subset of them over a preset.
type Params struct {
	// NE and NI are the numbers of excitatory and inhibitory cells.
	// The defaults are 1600 and 400.
	NE int `toml:"ne"`
	NI int `toml:"ni"`
	// PConn is the connection probability of every projection. The
	// synapse count of a projection is round(PConn·nPre·nPost), exactly.
	// The default is 0.25.
	PConn float64 `toml:"pconn"`

	// Dt is the time step in ms. The default is 0.1 ms.
	Dt float64 `toml:"dt"`
	// TrialMS is the length of a training trial in ms. The default is
	// 1500 ms.
	TrialMS float64 `toml:"trial_ms"`

	// CmE and CmI are the membrane capacitances in pF (200, 100).
	CmE float64 `toml:"cm_e"`
	CmI float64 `toml:"cm_i"`
	// GLE and GLI are the leak conductances in nS (10, 10).
	GLE float64 `toml:"gl_e"`
	GLI float64 `toml:"gl_i"`
	// ELE and ELI are the leak reversal potentials in mV (7.6, 6.5).
	ELE float64 `toml:"el_e"`
	ELI float64 `toml:"el_i"`
	// VthE, VthI, VrE and VrI are the thresholds and reset potentials in
	// mV (20, 20, 14, 14).
	VthE float64 `toml:"vth_e"`
	VthI float64 `toml:"vth_i"`
	VrE  float64 `toml:"vr_e"`
	VrI  float64 `toml:"vr_i"`
	// TrefE and TrefI are the refractory periods in ms: 2.5 and 1 in
	// the Fig. 7 run, 5 and 2 in the public script.
	TrefE float64 `toml:"tref_e"`
	TrefI float64 `toml:"tref_i"`
	// BetaE and BetaI are the adaptation charges in pA·ms; each spike
	// adds β/τad to the adaptation current (3000 and 0, so +6 pA per E
	// spike).
	BetaE float64 `toml:"beta_e"`
	BetaI float64 `toml:"beta_i"`
	// TauAdE and TauAdI are the adaptation time constants in ms (500).
	TauAdE float64 `toml:"tauad_e"`
	TauAdI float64 `toml:"tauad_i"`
	// Sigma is the membrane noise in mV: each step adds
	// σ·√(dt/τm)·N(0,1) to v. The default is 2.5 mV.
	Sigma float64 `toml:"sigma"`

	// TauRiseE, TauFallE, TauRiseI and TauFallI are the time constants
	// in ms of the E channel (8, 23) and the I channel (1, 1).
	TauRiseE float64 `toml:"taurise_e"`
	TauFallE float64 `toml:"taufall_e"`
	TauRiseI float64 `toml:"taurise_i"`
	TauFallI float64 `toml:"taufall_i"`
	// DelayMaxE and DelayMaxI are the largest synaptic delays in ms from
	// E and from I cells (1 and 0.5). A delay is drawn once per synapse
	// uniformly on {1, …, round(Dmax/dt)} steps.
	DelayMaxE float64 `toml:"delaymax_e"`
	DelayMaxI float64 `toml:"delaymax_i"`

	// KickN is the number of E cells (indices 0…KickN−1) kicked at
	// KickMS; each gets KickAmp pA into the rise variable of the kick
	// channel, which has the E time constants (100, 100 ms, 980 pA).
	KickN   int     `toml:"kick_n"`
	KickMS  float64 `toml:"kick_ms"`
	KickAmp float64 `toml:"kick_amp"`

	// WEE0, WEI0, WIE0 and WII0 are the initial class-mean weights in pA,
	// named onto-from (WEI0 is onto E from I): 80, 350, 100, 225. Each
	// weight is drawn as mean·N(1, WCV²), negative values set to 0;
	// WCV is dimensionless (0.2).
	WEE0 float64 `toml:"wee0"`
	WEI0 float64 `toml:"wei0"`
	WIE0 float64 `toml:"wie0"`
	WII0 float64 `toml:"wii0"`
	WCV  float64 `toml:"wcv"`

	// Eset and Iset are the setpoints in Hz (5, 14).
	Eset float64 `toml:"eset"`
	Iset float64 `toml:"iset"`
	// Alpha is the learning rate in pA/Hz²: 0.008 in the Fig. 7 run,
	// 0.005 in the public script.
	Alpha float64 `toml:"alpha"`
	// TauTrials is the time constant of the trial filter of the rates,
	// in trials (2).
	TauTrials float64 `toml:"tau_trials"`
	// RateFloor is the floor in Hz written into the filtered rates
	// before each update (1 Hz).
	RateFloor float64 `toml:"rate_floor"`
	// WMin and WMax bound every weight after each update, in pA: 0.4
	// and +Inf in the Fig. 7 run, 5 and 750 in the public script. TOML
	// writes +Inf as inf.
	WMin float64 `toml:"wmin"`
	WMax float64 `toml:"wmax"`

	// BinMS is the PSTH bin in ms (10). UpThresh is the I-population
	// rate in Hz at or above which a bin is active (0.2). Gaps of at most
	// UpGapMS between active runs are merged and Ups of at most UpMinMS
	// are dropped (100, 100 ms).
	BinMS    float64 `toml:"bin_ms"`
	UpThresh float64 `toml:"up_thresh"`
	UpGapMS  float64 `toml:"up_gap_ms"`
	UpMinMS  float64 `toml:"up_min_ms"`
}

// Fig7 returns the parameters of the run drawn in Fig. 7B-H (its params
// pickle; spiking.md §1, §2, §7 and §12): refractory 2.5/1 ms, α = 0.008
// pA/Hz², weights floored at 0.4 pA with no ceiling.
func Fig7() Params {
	p := Public()
	p.TrefE, p.TrefI = 2.5, 1
	p.Alpha = 0.008
	p.WMin, p.WMax = 0.4, math.Inf(1)
	return p
}

// Public returns the parameters of the authors' public script
// (Paradoxical2022 params.py; spiking.md §12): refractory 5/2 ms,
// α = 0.005 pA/Hz², weights clipped to [5, 750] pA. The paradox panel,
// Fig. 7I, was trained with these.
func Public() Params {
	return Params{
		NE: 1600, NI: 400, PConn: 0.25,
		Dt: 0.1, TrialMS: 1500,
		CmE: 200, CmI: 100, GLE: 10, GLI: 10,
		ELE: 7.6, ELI: 6.5,
		VthE: 20, VthI: 20, VrE: 14, VrI: 14,
		TrefE: 5, TrefI: 2,
		BetaE: 3000, BetaI: 0, TauAdE: 500, TauAdI: 500,
		Sigma:    2.5,
		TauRiseE: 8, TauFallE: 23, TauRiseI: 1, TauFallI: 1,
		DelayMaxE: 1, DelayMaxI: 0.5,
		KickN: 100, KickMS: 100, KickAmp: 980,
		WEE0: 80, WEI0: 350, WIE0: 100, WII0: 225, WCV: 0.2,
		Eset: 5, Iset: 14, Alpha: 0.005, TauTrials: 2, RateFloor: 1,
		WMin: 5, WMax: 750,
		BinMS: 10, UpThresh: 0.2, UpGapMS: 100, UpMinMS: 100,
	}
}

// PresetNames are the names Preset accepts.
var PresetNames = []string{"fig7", "public"}

// Preset returns the preset with the given name (see PresetNames).
func Preset(name string) (Params, error) {
	switch strings.ToLower(name) {
	case "fig7":
		return Fig7(), nil
	case "public":
		return Public(), nil
	}
	return Params{}, fmt.Errorf("spiking: unknown preset %q (want %s)",
		name, strings.Join(PresetNames, " or "))
}

// LoadParams reads a TOML file of parameters over base: keys the file
// does not set keep their value from base. An unknown key is an error
// that names it. The result is validated.
func LoadParams(path string, base Params) (Params, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("spiking: %w", err)
	}
	p, err := DecodeParams(data, base)
	if err != nil {
		return base, fmt.Errorf("spiking: %s: %w", path, err)
	}
	return p, nil
}

// DecodeParams is LoadParams on the bytes of a TOML document.
func DecodeParams(data []byte, base Params) (Params, error) {
	p := base
	if err := tomlx.DecodeStrict(data, &p, ParamKeys()); err != nil {
		return base, err
	}
	if err := p.Validate(); err != nil {
		return base, err
	}
	return p, nil
}

// EncodeTOML returns p as a TOML document that DecodeParams reads back
// to the same values.
func (p Params) EncodeTOML() []byte {
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(p); err != nil {
		panic("spiking: encoding params: " + err.Error())
	}
	return b.Bytes()
}

// ParamKeys returns the TOML keys of Params in field order.
func ParamKeys() []string {
	t := reflect.TypeFor[Params]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("toml")
	}
	return keys
}

// ParamError reports a parameter outside its allowed range; Key is its
// TOML name.
type ParamError struct {
	Key   string
	Value float64
	Want  string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("spiking: %s = %v: must be %s", e.Key, e.Value, e.Want)
}

// Validate returns a *ParamError for the first parameter out of range.
func (p Params) Validate() error {
	pos := []struct {
		key string
		v   float64
	}{
		{"pconn", p.PConn}, {"dt", p.Dt}, {"trial_ms", p.TrialMS},
		{"cm_e", p.CmE}, {"cm_i", p.CmI}, {"gl_e", p.GLE}, {"gl_i", p.GLI},
		{"tauad_e", p.TauAdE}, {"tauad_i", p.TauAdI},
		{"taurise_e", p.TauRiseE}, {"taufall_e", p.TauFallE},
		{"taurise_i", p.TauRiseI}, {"taufall_i", p.TauFallI},
		{"delaymax_e", p.DelayMaxE}, {"delaymax_i", p.DelayMaxI},
		{"eset", p.Eset}, {"iset", p.Iset}, {"tau_trials", p.TauTrials},
		{"bin_ms", p.BinMS},
	}
	for _, f := range pos {
		if !(f.v > 0) || math.IsInf(f.v, 0) {
			return &ParamError{f.key, f.v, "finite and > 0"}
		}
	}
	nonneg := []struct {
		key string
		v   float64
	}{
		{"tref_e", p.TrefE}, {"tref_i", p.TrefI},
		{"beta_e", p.BetaE}, {"beta_i", p.BetaI}, {"sigma", p.Sigma},
		{"kick_ms", p.KickMS}, {"wee0", p.WEE0}, {"wei0", p.WEI0},
		{"wie0", p.WIE0}, {"wii0", p.WII0}, {"wcv", p.WCV},
		{"alpha", p.Alpha}, {"rate_floor", p.RateFloor}, {"wmin", p.WMin},
		{"up_thresh", p.UpThresh}, {"up_gap_ms", p.UpGapMS},
		{"up_min_ms", p.UpMinMS},
	}
	for _, f := range nonneg {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return &ParamError{f.key, f.v, "finite and >= 0"}
		}
	}
	finite := []struct {
		key string
		v   float64
	}{
		{"el_e", p.ELE}, {"el_i", p.ELI}, {"vth_e", p.VthE},
		{"vth_i", p.VthI}, {"vr_e", p.VrE}, {"vr_i", p.VrI},
		{"kick_amp", p.KickAmp},
	}
	for _, f := range finite {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &ParamError{f.key, f.v, "finite"}
		}
	}
	switch {
	case p.NE < 1 || p.NE > maxPop:
		return &ParamError{"ne", float64(p.NE), fmt.Sprintf("in [1, %d]", maxPop)}
	case p.NI < 1 || p.NI > maxPop:
		return &ParamError{"ni", float64(p.NI), fmt.Sprintf("in [1, %d]", maxPop)}
	case p.PConn > 1:
		return &ParamError{"pconn", p.PConn, "<= 1"}
	case p.KickN < 0 || p.KickN > p.NE:
		return &ParamError{"kick_n", float64(p.KickN), "in [0, ne]"}
	case math.IsNaN(p.WMax) || p.WMax < p.WMin:
		return &ParamError{"wmax", p.WMax, "a number >= wmin"}
	case p.delaySteps(p.DelayMaxE) > maxDelay:
		return &ParamError{"delaymax_e", p.DelayMaxE, fmt.Sprintf("<= %d steps", maxDelay)}
	case p.delaySteps(p.DelayMaxI) > maxDelay:
		return &ParamError{"delaymax_i", p.DelayMaxI, fmt.Sprintf("<= %d steps", maxDelay)}
	case p.binSteps() < 1 || math.Abs(p.BinMS/p.Dt-float64(p.binSteps())) > 1e-9:
		return &ParamError{"bin_ms", p.BinMS, "a whole number of steps"}
	case p.TrialMS < p.BinMS:
		return &ParamError{"trial_ms", p.TrialMS, ">= bin_ms"}
	}
	return nil
}

const (
	// maxPop bounds each population so that indices fit comfortably.
	maxPop = 1 << 20
	// maxDelay is the longest delay in steps the ring buffer takes.
	maxDelay = 255
)

// steps converts a duration in ms to a whole number of steps.
func (p Params) steps(ms float64) int { return int(math.Round(ms / p.Dt)) }

func (p Params) delaySteps(ms float64) int { return max(1, p.steps(ms)) }

func (p Params) binSteps() int { return p.steps(p.BinMS) }

// TrialSteps returns the number of steps of a training trial.
func (p Params) TrialSteps() int { return p.steps(p.TrialMS) }

// N returns the number of cells, NE + NI.
func (p Params) N() int { return p.NE + p.NI }
