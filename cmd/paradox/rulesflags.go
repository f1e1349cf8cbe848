package main

import (
	"fmt"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/urfave/cli/v2"
)

// defaultRate is the learning rate of the SI's region plots (all rates
// 0.02; analytics.md §7). Only ratios of rates matter for the sign of an
// eigenvalue.
const defaultRate = "0.02"

// ruleFlags are --rule, --rule-file, --rates and --hrates.
func ruleFlags(defaultRule string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "rule", Value: defaultRule, Category: "rule",
			Usage: "built-in rule family: standard, cross, twoterm, synscale, forcedbalance (see 'paradox rules')"},
		&cli.StringFlag{Name: "rule-file", Category: "rule",
			Usage: "TOML `FILE` with a family of your own (keys name, doc, dWEE, dWEI, dWIE, dWII, [constants]); overrides --rule"},
		&cli.StringFlag{Name: "rates", Value: defaultRate, Category: "rule",
			Usage: "learning rates `aEE,aEI,aIE,aII` (one value = all four; negative = anti-homeostatic term)"},
		&cli.StringFlag{Name: "hrates", Category: "rule",
			Usage: "homeostatic-term rates `hEE,hEI,hIE,hII` of two-term families (default: the same as --rates)"},
	}
}

// resolveFamily returns the family named by --rule-file or --rule.
func resolveFamily(c *cli.Context) (*jacobian.Family, error) {
	if f := c.String("rule-file"); f != "" {
		fam, err := jacobian.LoadFamily(f)
		if err != nil {
			return nil, usageErrorf("--rule-file %v", err)
		}
		return fam, nil
	}
	fam, err := jacobian.Builtin(c.String("rule"))
	if err != nil {
		return nil, usageErrorf("--rule: %v", err)
	}
	return fam, nil
}

// resolveRates parses --rates and --hrates.
func resolveRates(c *cli.Context) (jacobian.Rates, error) {
	var r jacobian.Rates
	var err error
	if r.A, err = parseFour("rates", c.String("rates")); err != nil {
		return r, err
	}
	r.H = r.A
	if c.IsSet("hrates") {
		if r.H, err = parseFour("hrates", c.String("hrates")); err != nil {
			return r, err
		}
	}
	return r, nil
}

// resolveRule returns the family compiled for p and the rates of c.
func resolveRule(c *cli.Context, p model.Params) (*jacobian.Rule, error) {
	fam, err := resolveFamily(c)
	if err != nil {
		return nil, err
	}
	r, err := resolveRates(c)
	if err != nil {
		return nil, err
	}
	rule, err := fam.Compile(p, r)
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", fam.Name, err)
	}
	return rule, nil
}

// ratesString formats rates for provenance and titles.
func ratesString(fam *jacobian.Family, r jacobian.Rates) string {
	s := fmt.Sprintf("aEE=%g aEI=%g aIE=%g aII=%g", r.A[0], r.A[1], r.A[2], r.A[3])
	if fam.UsesH() {
		s += fmt.Sprintf(" hEE=%g hEI=%g hIE=%g hII=%g", r.H[0], r.H[1], r.H[2], r.H[3])
	}
	return s
}
