package jacobian

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
)

// Family is a plasticity rule family: the four expressions of
// dWEE/dt, dWEI/dt, dWIE/dt and dWII/dt. It is immutable once built.
type Family struct {
	// Name is the family's name, as given to --rule.
	Name string

	// Doc says what the family is and where it comes from.
	Doc string

	// Exprs are dWEE, dWEI, dWIE, dWII, in that order.
	Exprs [4]expr.Expr

	// Consts are named constants of the family (from a rule file's
	// [constants] table); they may be used in Exprs.
	Consts map[string]float64
}

// Rates are the learning rates of a family: A are aEE, aEI, aIE, aII and H
// are hEE, hEI, hIE, hII (the homeostatic rates of two-term families).
// Rates may be negative, which turns a homeostatic term anti-homeostatic.
type Rates struct {
	A, H [4]float64
}

// UniformRates returns rates with every aXX and hXX equal to a.
func UniformRates(a float64) Rates {
	return Rates{A: [4]float64{a, a, a, a}, H: [4]float64{a, a, a, a}}
}

// State variables: the rates and the weights. Everything else in an
// expression is a constant once the model and the rates are fixed.
var stateVars = []string{"E", "I", "WEE", "WEI", "WIE", "WII"}

// RateNames are the learning-rate symbols, A then H, each in weight order.
var RateNames = [8]string{"aEE", "aEI", "aIE", "aII", "hEE", "hEI", "hIE", "hII"}

// paramVars maps the model constants' expression symbols to their
// model.Params keys.
var paramVars = map[string]string{
	"Eset": "eset", "Iset": "iset", "gE": "ge", "gI": "gi",
	"thetaE": "thetae", "thetaI": "thetai", "tauE": "taue", "tauI": "taui",
	"Iext": "iext",
}

// Symbols returns every symbol an expression of a family may use besides
// its own constants, sorted.
func Symbols() []string {
	s := slices.Clone(stateVars)
	s = append(s, RateNames[:]...)
	for k := range paramVars {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// NewFamily parses the four expressions of a family. Every symbol must be
// a state variable, a model constant, a rate or one of consts; the error
// names the weight, the column and the symbol otherwise.
func NewFamily(name, doc string, src [4]string, consts map[string]float64) (*Family, error) {
	f := &Family{Name: name, Doc: doc, Consts: consts}
	known := map[string]bool{}
	for _, s := range Symbols() {
		known[s] = true
	}
	for k := range consts {
		if known[k] {
			return nil, fmt.Errorf("jacobian: family %s: constant %q shadows a built-in symbol", name, k)
		}
		known[k] = true
	}
	for i, s := range src {
		e, err := expr.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("jacobian: family %s: d%s: %w", name, model.Names[i], err)
		}
		for _, v := range expr.Vars(e) {
			if !known[v] {
				return nil, fmt.Errorf("jacobian: family %s: d%s: unknown symbol %q (known: %s)",
					name, model.Names[i], v, strings.Join(Symbols(), " "))
			}
		}
		f.Exprs[i] = e
	}
	return f, nil
}

// UsesH reports whether any expression uses a homeostatic rate hXX.
func (f *Family) UsesH() bool {
	for _, e := range f.Exprs {
		for _, v := range expr.Vars(e) {
			if strings.HasPrefix(v, "h") && slices.Contains(RateNames[4:], v) {
				return true
			}
		}
	}
	return false
}

// constants returns the values of every non-state symbol for p and r.
func (f *Family) constants(p model.Params, r Rates) map[string]float64 {
	m := make(map[string]float64, 32)
	for sym, key := range paramVars {
		m[sym], _ = p.Get(key)
	}
	for i := 0; i < 4; i++ {
		m[RateNames[i]] = r.A[i]
		m[RateNames[4+i]] = r.H[i]
	}
	for k, v := range f.Consts {
		m[k] = v
	}
	return m
}

// ruleFile is the TOML layout of a user's family.
type ruleFile struct {
	Name      string             `toml:"name"`
	Doc       string             `toml:"doc"`
	DWEE      string             `toml:"dWEE"`
	DWEI      string             `toml:"dWEI"`
	DWIE      string             `toml:"dWIE"`
	DWII      string             `toml:"dWII"`
	Constants map[string]float64 `toml:"constants"`
}

// LoadFamily reads a family from a TOML file with the keys name, doc,
// dWEE, dWEI, dWIE, dWII (expressions) and an optional [constants] table.
// Unknown keys and missing expressions are errors.
func LoadFamily(path string) (*Family, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jacobian: %w", err)
	}
	f, err := DecodeFamily(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// DecodeFamily is LoadFamily on the bytes of a TOML document.
func DecodeFamily(data []byte) (*Family, error) {
	var rf ruleFile
	md, err := toml.Decode(string(data), &rf)
	if err != nil {
		return nil, err
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("unknown key %q (known: name, doc, dWEE, dWEI, dWIE, dWII, [constants])", un[0].String())
	}
	src := [4]string{rf.DWEE, rf.DWEI, rf.DWIE, rf.DWII}
	for i, s := range src {
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("missing expression d%s", model.Names[i])
		}
	}
	if rf.Name == "" {
		rf.Name = "custom"
	}
	f, err := NewFamily(rf.Name, rf.Doc, src, rf.Constants)
	if err != nil {
		return nil, err
	}
	return f, nil
}
