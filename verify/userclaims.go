package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// ClaimsHelp documents the claims file; the command line shows it in
// --help and the README repeats it.
const ClaimsHelp = `A claims file is TOML with one [[claim]] table per claim. Keys common to
every kind:

   id          required; letters, digits, '.', '_', '-'; unique, not a built-in id
   kind        required: "fraction" or "converges"
   statement   the sentence to report (default: generated from the keys)
   source      where the claim comes from (default: the file's name)
   rule        a built-in family (standard, cross, twoterm, synscale, forcedbalance)
   rule_file   a family file (as for --rule-file), relative to the claims file;
               give rule or rule_file, or neither to use --rule/--rule-file
   rates       aEE,aEI,aIE,aII: [a] or [aEE, aEI, aIE, aII] (default [0.02])
   hrates      hEE,hEI,hIE,hII of two-term families (default: rates)
   params      table of model constants, keys as --config (default: the paper's)

kind = "fraction": the fraction of the cells of region "of" that are in
class "count", on a grid of the setpoint plane, is within bounds.

   count       "plasticity-stable", "stable" (both subsystems), "neural-stable"
               or "paradoxical" (required)
   of          "neural-stable" (default) or "box"
   positive_weights  true: only cells whose four weights are > 0 (default false)
   at_least, at_most  bounds on the fraction in [0, 1]; at least one
   wee, wie    ranges [min, max] (default [0, 10] and [0, 20])
   points      grid points per axis (default 201)
   ratio       [lo, hi]: also sweep aE/aI; the E-side rates (aEE, aEI, hEE,
               hEI) are multiplied by r for ratio_points values of r spaced
               evenly in log from lo to hi, and the bounds must hold for each
   ratio_points  default 9

kind = "converges": the authors' trial protocol from the given weights
reaches the setpoints: E and I (trial-filtered means) are within tolerance
of Eset and Iset over the last "hold" of "within" trials.

   weights     [WEE, WEI, WIE, WII] (required)
   within      number of trials (required)
   tolerance   relative error of E and I (default 0.05)
   hold        trials at the end that must all be within tolerance (default 10)
   sigma       noise σ (default 0: noise-free); seed (default 1)
   expect      "converges" (default) or "does-not-converge"

Unknown keys, keys of the other kind, a missing required key or a value
out of range are errors that name the claim and the key.

Example (from testdata/claims-example.toml):

   [[claim]]
   id = "user.cross-any-ratio"
   kind = "fraction"
   rule = "cross"
   count = "plasticity-stable"
   of = "neural-stable"
   at_least = 0.9
   ratio = [0.1, 10]
   ratio_points = 5

   [[claim]]
   id = "user.cross-fig4b"
   kind = "converges"
   rule = "cross"
   rates = [5e-4]
   weights = [2.1, 3, 4, 2]
   within = 1000
`

// LoadOptions control LoadClaims.
type LoadOptions struct {
	// Family is the family of claims that name neither rule nor
	// rule_file; nil makes such a claim an error.
	Family *jacobian.Family
}

// LoadClaims reads a user's claims from a TOML file (see ClaimsHelp).
// Errors name the file, the claim and the key.
func LoadClaims(path string, opt LoadOptions) ([]Claim, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	cs, err := DecodeClaims(data, filepath.Dir(path), filepath.Base(path), opt)
	if err != nil {
		return nil, fmt.Errorf("verify: %s: %w", path, err)
	}
	return cs, nil
}

// claimKeys are the keys every claim may have; kindKeys those of each
// kind.
var (
	claimKeys = []string{"id", "kind", "statement", "source", "rule", "rule_file", "rates", "hrates", "params"}
	kindKeys  = map[string][]string{
		"fraction":  {"count", "of", "positive_weights", "at_least", "at_most", "wee", "wie", "points", "ratio", "ratio_points"},
		"converges": {"weights", "within", "tolerance", "hold", "sigma", "seed", "expect"},
	}
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// claimSpec is one [[claim]] table after decoding.
type claimSpec struct {
	ID, Kind, Statement, Source, Rule, RuleFile string
	Rates, HRates                               []float64
	Params                                      map[string]float64

	// fraction
	Count, Of       string
	PositiveWeights bool
	AtLeast, AtMost *float64
	WEE, WIE        []float64
	Points          int
	Ratio           []float64
	RatioPoints     int

	// converges
	Weights          []float64
	Within, Hold     int
	Tolerance, Sigma float64
	Seed             int64
	Expect           string
}

// DecodeClaims is LoadClaims on the bytes of a document; dir resolves
// relative rule_file paths and name is the default source.
func DecodeClaims(data []byte, dir, name string, opt LoadOptions) ([]Claim, error) {
	var doc map[string]toml.Primitive
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		return nil, err
	}
	for k := range doc {
		if k != "claim" {
			return nil, fmt.Errorf("unknown top-level key %q (a claims file holds only [[claim]] tables)", k)
		}
	}
	var tables []map[string]toml.Primitive
	if p, ok := doc["claim"]; ok {
		if err := md.PrimitiveDecode(p, &tables); err != nil {
			return nil, fmt.Errorf("claim: want [[claim]] tables: %w", err)
		}
	}
	if len(tables) == 0 {
		return nil, errors.New("no [[claim]] table")
	}
	builtin := map[string]bool{}
	for _, c := range Catalogue() {
		builtin[c.ID] = true
	}
	seen := map[string]bool{}
	var out []Claim
	for i, t := range tables {
		s, err := decodeSpec(&md, t)
		where := fmt.Sprintf("claim %d", i+1)
		if s.ID != "" {
			where += fmt.Sprintf(" (%s)", s.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		switch {
		case builtin[s.ID]:
			return nil, fmt.Errorf("%s: id %q is a built-in claim", where, s.ID)
		case seen[s.ID]:
			return nil, fmt.Errorf("%s: id %q used twice", where, s.ID)
		}
		seen[s.ID] = true
		c, err := s.claim(dir, name, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// decodeSpec decodes one table strictly: every key must belong to the
// claim's kind and have the right type.
func decodeSpec(md *toml.MetaData, t map[string]toml.Primitive) (claimSpec, error) {
	var s claimSpec
	get := func(key string, dst any) error {
		p, ok := t[key]
		if !ok {
			return nil
		}
		if err := md.PrimitiveDecode(p, dst); err != nil {
			return fmt.Errorf("key %s: %w", key, err)
		}
		return nil
	}
	if err := errors.Join(get("id", &s.ID), get("kind", &s.Kind)); err != nil {
		return s, err
	}
	if s.ID == "" {
		return s, errors.New("missing key id")
	}
	if !idPattern.MatchString(s.ID) {
		return s, fmt.Errorf("id %q: use letters, digits, '.', '_' and '-'", s.ID)
	}
	own, ok := kindKeys[s.Kind]
	if !ok {
		return s, fmt.Errorf("kind %q: want \"fraction\" or \"converges\"", s.Kind)
	}
	known := append(slices.Clone(claimKeys), own...)
	var keys []string
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return s, fmt.Errorf("unknown key %q for kind %s (known: %s)", k, s.Kind, strings.Join(known, ", "))
		}
	}
	err := errors.Join(
		get("statement", &s.Statement), get("source", &s.Source),
		get("rule", &s.Rule), get("rule_file", &s.RuleFile),
		get("rates", &s.Rates), get("hrates", &s.HRates), get("params", &s.Params),
		get("count", &s.Count), get("of", &s.Of), get("positive_weights", &s.PositiveWeights),
		get("at_least", &s.AtLeast), get("at_most", &s.AtMost),
		get("wee", &s.WEE), get("wie", &s.WIE), get("points", &s.Points),
		get("ratio", &s.Ratio), get("ratio_points", &s.RatioPoints),
		get("weights", &s.Weights), get("within", &s.Within), get("hold", &s.Hold),
		get("tolerance", &s.Tolerance), get("sigma", &s.Sigma), get("seed", &s.Seed),
		get("expect", &s.Expect),
	)
	if err != nil {
		return s, err
	}
	_, hasTol := t["tolerance"]
	return s, s.validate(hasTol)
}

// validate fills defaults and checks ranges.
func (s *claimSpec) validate(hasTol bool) error {
	if s.Rule != "" && s.RuleFile != "" {
		return errors.New("give rule or rule_file, not both")
	}
	for _, r := range [][]float64{s.Rates, s.HRates} {
		if r != nil && len(r) != 1 && len(r) != 4 {
			return fmt.Errorf("rates %v: want one value or four (EE, EI, IE, II)", r)
		}
		if !allFinite(r) {
			return fmt.Errorf("rates %v: not finite", r)
		}
	}
	if s.Kind == "fraction" {
		return s.validateFraction()
	}
	return s.validateConverges(hasTol)
}

func (s *claimSpec) validateFraction() error {
	if !slices.Contains([]string{"plasticity-stable", "stable", "neural-stable", "paradoxical"}, s.Count) {
		return fmt.Errorf("count %q: want plasticity-stable, stable, neural-stable or paradoxical", s.Count)
	}
	if s.Of == "" {
		s.Of = "neural-stable"
	}
	if s.Of != "neural-stable" && s.Of != "box" {
		return fmt.Errorf("of %q: want neural-stable or box", s.Of)
	}
	if s.AtLeast == nil && s.AtMost == nil {
		return errors.New("give at_least or at_most (a fraction in [0, 1])")
	}
	for _, b := range []*float64{s.AtLeast, s.AtMost} {
		if b != nil && !(*b >= 0 && *b <= 1) {
			return fmt.Errorf("bound %v: want a fraction in [0, 1]", *b)
		}
	}
	var err error
	if s.WEE, err = rangeOr("wee", s.WEE, [2]float64{0, 10}); err != nil {
		return err
	}
	if s.WIE, err = rangeOr("wie", s.WIE, [2]float64{0, 20}); err != nil {
		return err
	}
	if s.Points == 0 {
		s.Points = 201
	}
	if s.Points < 2 || s.Points > 5001 {
		return fmt.Errorf("points %d: want 2 to 5001", s.Points)
	}
	if s.Ratio != nil {
		if len(s.Ratio) != 2 || !(s.Ratio[0] > 0) || !(s.Ratio[1] >= s.Ratio[0]) || !allFinite(s.Ratio) {
			return fmt.Errorf("ratio %v: want [lo, hi] with 0 < lo <= hi", s.Ratio)
		}
		if s.RatioPoints == 0 {
			s.RatioPoints = 9
		}
		if s.RatioPoints < 1 || s.RatioPoints > 1000 {
			return fmt.Errorf("ratio_points %d: want 1 to 1000", s.RatioPoints)
		}
	} else if s.RatioPoints != 0 {
		return errors.New("ratio_points without ratio")
	}
	return nil
}

func (s *claimSpec) validateConverges(hasTol bool) error {
	if len(s.Weights) != 4 || !allFinite(s.Weights) {
		return fmt.Errorf("weights %v: want four finite values [WEE, WEI, WIE, WII]", s.Weights)
	}
	if s.Within < 1 || s.Within > 1000000 {
		return fmt.Errorf("within %d: want a number of trials from 1 to 1000000", s.Within)
	}
	if !hasTol {
		s.Tolerance = 0.05
	}
	if !(s.Tolerance > 0) || math.IsInf(s.Tolerance, 0) {
		return fmt.Errorf("tolerance %v: want > 0", s.Tolerance)
	}
	if s.Hold == 0 {
		s.Hold = min(10, s.Within)
	}
	if s.Hold < 1 || s.Hold > s.Within {
		return fmt.Errorf("hold %d: want 1 to within (%d)", s.Hold, s.Within)
	}
	if !(s.Sigma >= 0) || math.IsInf(s.Sigma, 0) {
		return fmt.Errorf("sigma %v: want >= 0", s.Sigma)
	}
	if s.Seed < 0 {
		return fmt.Errorf("seed %d: want >= 0", s.Seed)
	}
	if s.Seed == 0 {
		s.Seed = 1
	}
	if s.Expect == "" {
		s.Expect = "converges"
	}
	if s.Expect != "converges" && s.Expect != "does-not-converge" {
		return fmt.Errorf("expect %q: want converges or does-not-converge", s.Expect)
	}
	return nil
}

func rangeOr(key string, r []float64, def [2]float64) ([]float64, error) {
	if r == nil {
		return def[:], nil
	}
	if len(r) != 2 || !allFinite(r) || !(r[1] > r[0]) {
		return nil, fmt.Errorf("%s %v: want [min, max] with min < max", key, r)
	}
	return r, nil
}

func allFinite(xs []float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// four expands one value to four.
func four(r []float64, def [4]float64) [4]float64 {
	switch len(r) {
	case 1:
		return [4]float64{r[0], r[0], r[0], r[0]}
	case 4:
		return [4]float64(r)
	}
	return def
}

// claim resolves the family, the constants and the rates and returns the
// claim with its check.
func (s *claimSpec) claim(dir, name string, opt LoadOptions) (Claim, error) {
	fam := opt.Family
	switch {
	case s.Rule != "":
		f, err := jacobian.Builtin(s.Rule)
		if err != nil {
			return Claim{}, fmt.Errorf("rule: %w", err)
		}
		fam = f
	case s.RuleFile != "":
		path := s.RuleFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		f, err := jacobian.LoadFamily(path)
		if err != nil {
			return Claim{}, fmt.Errorf("rule_file: %w", err)
		}
		fam = f
	case fam == nil:
		return Claim{}, errors.New("give rule or rule_file (or --rule/--rule-file on the command line)")
	}
	p := model.Default()
	for k, v := range s.Params {
		if _, ok := p.Get(k); !ok {
			return Claim{}, fmt.Errorf("params: unknown key %q (known: %s)", k, strings.Join(model.ParamKeys(), ", "))
		}
		p.Set(k, v)
	}
	if err := p.Validate(); err != nil {
		return Claim{}, fmt.Errorf("params: %w", err)
	}
	var r jacobian.Rates
	r.A = four(s.Rates, [4]float64{0.02, 0.02, 0.02, 0.02})
	r.H = four(s.HRates, r.A)
	if _, err := fam.Compile(p, r); err != nil {
		return Claim{}, err
	}
	c := Claim{ID: s.ID, Statement: s.Statement, Source: s.Source}
	if c.Source == "" {
		c.Source = name
	}
	if s.Kind == "fraction" {
		if c.Statement == "" {
			c.Statement = s.fractionStatement(fam.Name)
		}
		c.Check = s.fractionCheck(fam, p, r)
	} else {
		if c.Statement == "" {
			c.Statement = fmt.Sprintf("Rule %s from W = %v: %s within %d trials (tolerance %g).",
				fam.Name, s.Weights, strings.ReplaceAll(s.Expect, "-", " "), s.Within, s.Tolerance)
		}
		c.Check = s.convergesCheck(fam, p, r)
	}
	return c, nil
}

func (s *claimSpec) bounds() string {
	var b []string
	if s.AtLeast != nil {
		b = append(b, "≥ "+pct(*s.AtLeast))
	}
	if s.AtMost != nil {
		b = append(b, "≤ "+pct(*s.AtMost))
	}
	return strings.Join(b, " and ")
}

func (s *claimSpec) fractionStatement(fam string) string {
	st := fmt.Sprintf("Rule %s: %s on %s of the %s cells", fam, s.Count, s.bounds(), s.Of)
	if s.PositiveWeights {
		st += " with positive weights"
	}
	st += fmt.Sprintf(" of WEE ∈ %v, WIE ∈ %v", s.WEE, s.WIE)
	if s.Ratio != nil {
		st += fmt.Sprintf(", for aE/aI ∈ %v", s.Ratio)
	}
	return st + "."
}

// inClass reports whether s is in the named class of a fraction claim.
func inClass(name string, s *jacobian.Stability) bool {
	switch name {
	case "plasticity-stable":
		return s.PlasticityStable()
	case "stable":
		return s.NeuralStable() && s.PlasticityStable()
	case "neural-stable":
		return s.NeuralStable()
	case "paradoxical":
		return s.Paradoxical
	}
	return false
}

func (s *claimSpec) fractionCheck(fam *jacobian.Family, p model.Params, r jacobian.Rates) func(context.Context, *Env) Outcome {
	spec := *s
	return func(ctx context.Context, _ *Env) Outcome {
		ratios := []float64{1}
		if spec.Ratio != nil {
			ratios = logSpace(spec.Ratio[0], spec.Ratio[1], spec.RatioPoints)
		}
		b := box{WEE: [2]float64(spec.WEE), WIE: [2]float64(spec.WIE), N: spec.Points}
		ok := true
		lo, hi := math.Inf(1), math.Inf(-1)
		var loR, hiR float64
		var details []string
		for _, ratio := range ratios {
			rr := r
			for _, k := range []int{0, 1} {
				rr.A[k] *= ratio
				rr.H[k] *= ratio
			}
			k, err := planeKernel(fam, p, rr)
			if err != nil {
				return errorf("%v", err)
			}
			var num, den int
			err = b.each(ctx, func(x, y float64) {
				st := k.At(x, y)
				if st.Singular || (spec.PositiveWeights && !positive(st.W)) || (spec.Of == "neural-stable" && !st.NeuralStable()) {
					return
				}
				den++
				if inClass(spec.Count, &st) {
					num++
				}
			})
			if err != nil {
				return errorf("%v", err)
			}
			f := frac(num, den)
			good := den > 0 && (spec.AtLeast == nil || f >= *spec.AtLeast) && (spec.AtMost == nil || f <= *spec.AtMost)
			ok = ok && good
			if f < lo {
				lo, loR = f, ratio
			}
			if f > hi {
				hi, hiR = f, ratio
			}
			if spec.Ratio != nil {
				details = append(details, fmt.Sprintf("aE/aI x %.4g: %s (%d of %d cells)", ratio, pct(f), num, den))
			} else {
				details = append(details, fmt.Sprintf("%d of %d cells", num, den))
			}
		}
		meas := pct(lo)
		switch {
		case spec.Ratio != nil && lo == hi:
			meas = fmt.Sprintf("%s at every ratio", pct(lo))
		case spec.Ratio != nil:
			meas = fmt.Sprintf("%s (at aE/aI x %.3g) to %s (at %.3g)", pct(lo), loR, pct(hi), hiR)
		}
		details = append(details, fmt.Sprintf("grid %s; rates %s", b, ratesText(r)))
		return Outcome{
			Verdict:  verdictOf(ok),
			Measured: meas,
			Expected: spec.bounds(),
			Details:  details,
			Values:   map[string]float64{"min_fraction": lo, "max_fraction": hi},
		}
	}
}

func logSpace(lo, hi float64, n int) []float64 {
	if n == 1 || lo == hi {
		return []float64{lo}
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = lo * math.Pow(hi/lo, float64(i)/float64(n-1))
	}
	out[n-1] = hi
	return out
}

func ratesText(r jacobian.Rates) string {
	return fmt.Sprintf("a = %v, h = %v", r.A, r.H)
}

func (s *claimSpec) convergesCheck(fam *jacobian.Family, p model.Params, r jacobian.Rates) func(context.Context, *Env) Outcome {
	spec := *s
	return func(ctx context.Context, _ *Env) Outcome {
		rule, err := fam.Compile(p, r)
		if err != nil {
			return errorf("%v", err)
		}
		c := sim.DefaultConfig()
		c.Params = p
		c.Sigma = spec.Sigma
		c.Trials = spec.Within
		w0 := model.FromArray([4]float64(spec.Weights))
		res, err := sim.Run(ctx, c, rule, w0, uint64(spec.Seed), nil)
		var oe *sim.OverflowError
		if err != nil && !errors.As(err, &oe) {
			return errorf("%v", err)
		}
		converged := err == nil && lastWindowMaxErr(p, res.Trials, spec.Hold) <= spec.Tolerance
		// The first trial from which on both errors stay within
		// tolerance.
		from := 0
		for i := len(res.Trials) - 1; i >= 0; i-- {
			eE, eI := relErrors(p, res.Trials[i].E, res.Trials[i].I)
			if math.Max(eE, eI) > spec.Tolerance {
				break
			}
			from = res.Trials[i].Trial
		}
		f := res.Final()
		eE, eI := relErrors(p, f.E, f.I)
		meas := fmt.Sprintf("trial %d: E %.4g Hz (error %s), I %.4g Hz (error %s)", f.Trial, roundHz(f.E), pct(eE), roundHz(f.I), pct(eI))
		if from > 0 {
			meas += fmt.Sprintf("; within tolerance from trial %d", from)
		}
		details := []string{
			fmt.Sprintf("authors' trial protocol (sim.DefaultConfig), σ = %g, seed %d, rates %s, constants %+v", spec.Sigma, spec.Seed, ratesText(r), p),
			fmt.Sprintf("W(%d) = %v", f.Trial, f.W.Array()),
		}
		if err != nil {
			details = append(details, err.Error())
		}
		want := spec.Expect == "converges"
		return Outcome{
			Verdict:  verdictOf(converged == want),
			Measured: meas,
			Expected: fmt.Sprintf("%s (errors ≤ %s over the last %d trials)", strings.ReplaceAll(spec.Expect, "-", " "), pct(spec.Tolerance), spec.Hold),
			Details:  details,
			Values:   map[string]float64{"E_error": eE, "I_error": eI, "from_trial": float64(from)},
		}
	}
}
