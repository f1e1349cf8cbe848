package verify

import (
	"context"
	"fmt"
	"math"
	"path"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

// Verdict is the outcome of a claim's check.
type Verdict int

const (
	// Pass: the computation supports the claim.
	Pass Verdict = iota
	// Fail: the computation contradicts the claim.
	Fail
	// Error: the check could not be carried out (a rule that does not
	// compile, a simulation that overflowed, a cancelled run).
	Error
)

var verdictNames = [...]string{"pass", "fail", "error"}

func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// MarshalText writes the verdict's name, for JSON.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// verdictOf is Pass when ok holds and Fail otherwise.
func verdictOf(ok bool) Verdict {
	if ok {
		return Pass
	}
	return Fail
}

// Claim is one statement with the computation that checks it.
type Claim struct {
	// ID names the claim, dotted lower case ("cross.stable").
	ID string

	// Statement is the claim in one sentence.
	Statement string

	// Source is where the claim comes from: a figure or section of the
	// paper, a section of analytics.md or rate-models.md.
	Source string

	// Check computes the verdict. It must honour ctx and never print.
	Check func(ctx context.Context, env *Env) Outcome

	// Agreement, for the agreement claims only, returns the settings of
	// the check under env without running it (what AgreementJobs shards)
	// and a description of the rule and rates.
	Agreement func(env *Env) (AgreementConfig, string, error)
}

// Outcome is what a check returns.
type Outcome struct {
	Verdict Verdict

	// Measured and Expected are short texts for the table.
	Measured, Expected string

	// Details are lines that explain the numbers: settings, breakdowns,
	// the reason for a failure.
	Details []string

	// Values are the key numbers, for JSON; Run drops those that are not
	// finite.
	Values map[string]float64
}

// errorf returns an Error outcome.
func errorf(format string, args ...any) Outcome {
	return Outcome{Verdict: Error, Measured: "error", Details: []string{fmt.Sprintf(format, args...)}}
}

// Result is a claim with its outcome and the time its check took.
type Result struct {
	ID        string             `json:"id"`
	Statement string             `json:"statement"`
	Source    string             `json:"source"`
	Verdict   Verdict            `json:"verdict"`
	Measured  string             `json:"measured"`
	Expected  string             `json:"expected"`
	Details   []string           `json:"details,omitempty"`
	Values    map[string]float64 `json:"values,omitempty"`
	Seconds   float64            `json:"seconds"`
}

// Profile sets how much computation the built-in claims do.
type Profile struct {
	// Name is "quick" or "full".
	Name string

	// Grid is the number of points per axis of the analytic grids over
	// the box WEE ∈ [0, 10], WIE ∈ [0, 20].
	Grid int

	// Dense is the number of points per axis of the grid that resolves
	// thin regions (the sliver of standard.ratio20).
	Dense int

	// Samples is the number of random parameter sets drawn by the claims
	// that hold "for any parameters"; each is tested at SamplePoints
	// random points of the setpoint plane.
	Samples, SamplePoints int

	// EnsembleRuns and EnsembleTrials size the ensembles of Figs. 2D and
	// 4E (the paper: 100 runs).
	EnsembleRuns, EnsembleTrials int

	// AgreementCells is the number of cells per axis the agreement
	// check samples, and AgreementTrials the trials it runs per cell.
	AgreementCells, AgreementTrials int

	// MultiunitTrials is the number of trials of a multiunit run
	// (Figs. 5-6; the paper: 250); the batch claim's longer budget is
	// four times as many. 0 means 10: enough to exercise the code, too
	// few for the verdicts to mean anything.
	MultiunitTrials int

	// MultiunitCensus is the number of random initialisations whose
	// first trial is simulated to count those that start at the rate
	// ceilings. MultiunitRuns of them (runs 0, 1, ...) are trained
	// under each rule, besides the first start of each kind, and the
	// first MultiunitLong saturated starts among those get the longer
	// budget (the paper: 400 runs of 250 trials).
	MultiunitCensus, MultiunitRuns, MultiunitLong int
}

// Quick is the profile CI runs: under a minute on two cores.
func Quick() Profile {
	return Profile{
		Name: "quick", Grid: 201, Dense: 401,
		Samples: 300, SamplePoints: 5,
		EnsembleRuns: 8, EnsembleTrials: 500,
		AgreementCells: 5, AgreementTrials: 600,
		MultiunitTrials: 250, MultiunitCensus: 20,
	}
}

// Full is the profile for reports: under ten minutes on two cores.
func Full() Profile {
	return Profile{
		Name: "full", Grid: 601, Dense: 1001,
		Samples: 4000, SamplePoints: 5,
		EnsembleRuns: 100, EnsembleTrials: 1000,
		AgreementCells: 20, AgreementTrials: 600,
		MultiunitTrials: 250, MultiunitCensus: 100,
		MultiunitRuns: 10, MultiunitLong: 2,
	}
}

// ProfileByName returns Quick or Full.
func ProfileByName(name string) (Profile, error) {
	switch name {
	case "quick":
		return Quick(), nil
	case "full":
		return Full(), nil
	}
	return Profile{}, fmt.Errorf("verify: unknown profile %q (want quick or full)", name)
}

// Options control Run.
type Options struct {
	// Profile sizes the built-in claims. The zero value means Quick().
	Profile Profile

	// Seed seeds every random draw and simulation. The default, 0,
	// means 1.
	Seed uint64

	// Workers is the number of goroutines a check may use; 0 means
	// runtime.NumCPU(). Results do not depend on it.
	Workers int

	// Families replace built-in families by name (for tests and for
	// experiments with a modified rule).
	Families map[string]*jacobian.Family

	// Progress, if not nil, is called before each claim with the number
	// of claims done, the total and the id of the claim about to run.
	Progress func(done, total int, id string)
}

// Env is what a check sees: the profile, the seed, the number of workers
// and the families.
type Env struct {
	Profile Profile
	Seed    uint64
	Workers int

	families map[string]*jacobian.Family
	memo     runMemo
	units    unitMemo
}

// NewEnv returns the environment Run gives to checks, with the defaults
// of Options filled in.
func NewEnv(opt Options) *Env {
	e := &Env{Profile: opt.Profile, Seed: opt.Seed, Workers: opt.Workers, families: opt.Families}
	if e.Profile.Name == "" {
		e.Profile = Quick()
	}
	if e.Seed == 0 {
		e.Seed = 1
	}
	if e.Workers <= 0 {
		e.Workers = runtime.NumCPU()
	}
	return e
}

// Family returns the family of the given name: a replacement from
// Options.Families, or the built-in one.
func (e *Env) Family(name string) (*jacobian.Family, error) {
	if f, ok := e.families[name]; ok {
		return f, nil
	}
	return jacobian.Builtin(name)
}

// compile returns the named family compiled for p and r.
func (e *Env) compile(name string, p model.Params, r jacobian.Rates) (*jacobian.Rule, error) {
	fam, err := e.Family(name)
	if err != nil {
		return nil, err
	}
	return fam.Compile(p, r)
}

// kernel returns the plane kernel of the named family at p and r.
func (e *Env) kernel(name string, p model.Params, r jacobian.Rates) (*jacobian.PlaneKernel, error) {
	rule, err := e.compile(name, p, r)
	if err != nil {
		return nil, err
	}
	return jacobian.NewPlaneKernel(rule)
}

// Run checks every claim in order and returns one result per claim. A
// check that panics gives an Error verdict with the panic's message. Run
// returns ctx.Err() (with the results so far) when ctx is cancelled.
func Run(ctx context.Context, claims []Claim, opt Options) ([]Result, error) {
	env := NewEnv(opt)
	out := make([]Result, 0, len(claims))
	for i, c := range claims {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if opt.Progress != nil {
			opt.Progress(i, len(claims), c.ID)
		}
		start := time.Now()
		o := runCheck(ctx, c, env)
		for k, v := range o.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				delete(o.Values, k) // JSON has no NaN or Inf
			}
		}
		out = append(out, Result{
			ID: c.ID, Statement: c.Statement, Source: c.Source,
			Verdict: o.Verdict, Measured: o.Measured, Expected: o.Expected,
			Details: o.Details, Values: o.Values,
			Seconds: time.Since(start).Seconds(),
		})
	}
	if opt.Progress != nil {
		opt.Progress(len(claims), len(claims), "")
	}
	return out, ctx.Err()
}

// runCheck runs one check, turning a panic into an Error outcome.
func runCheck(ctx context.Context, c Claim, env *Env) (o Outcome) {
	defer func() {
		if r := recover(); r != nil {
			o = errorf("check panicked: %v\n%s", r, debug.Stack())
		}
	}()
	o = c.Check(ctx, env)
	if err := ctx.Err(); err != nil && o.Verdict == Pass {
		o = errorf("cancelled: %v", err)
	}
	return o
}

// Select returns the claims whose id matches one of the patterns
// (path.Match syntax, e.g. "sim.*", or an exact id; a pattern ending in
// '.' selects a group). No pattern selects every claim. It fails when a
// pattern is malformed or matches nothing.
func Select(claims []Claim, patterns []string) ([]Claim, error) {
	if len(patterns) == 0 {
		return claims, nil
	}
	var out []Claim
	for _, pat := range patterns {
		n := 0
		for _, c := range claims {
			ok, err := matchID(pat, c.ID)
			if err != nil {
				return nil, fmt.Errorf("verify: pattern %q: %w", pat, err)
			}
			if ok && !containsID(out, c.ID) {
				out = append(out, c)
			}
			if ok {
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("verify: pattern %q matches no claim", pat)
		}
	}
	return out, nil
}

func matchID(pat, id string) (bool, error) {
	if strings.HasSuffix(pat, ".") {
		return strings.HasPrefix(id, pat), nil
	}
	return path.Match(pat, id)
}

func containsID(cs []Claim, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Summary counts results by verdict.
type Summary struct {
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Error int `json:"error"`
}

// Summarize counts the verdicts of rs.
func Summarize(rs []Result) Summary {
	var s Summary
	for _, r := range rs {
		switch r.Verdict {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
		default:
			s.Error++
		}
	}
	return s
}

// AllPass reports whether every result passed.
func (s Summary) AllPass() bool { return s.Fail == 0 && s.Error == 0 }
