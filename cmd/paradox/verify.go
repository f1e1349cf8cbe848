package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/verify"
	"github.com/urfave/cli/v2"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check the paper's claims and the analytic predictions by computation; one verdict per claim",
		UsageText: "paradox verify [--quick] [--only PATTERN]... [--claims FILE]... [--json FILE] [--junit FILE]",
		Description: "verify runs a catalogue of named claims (see --list), each checked by computation:\n" +
			"the analytic ones on dense grids of the setpoint plane and on random samples of\n" +
			"the model constants and rates, the simulation ones with the authors' trial\n" +
			"protocol (noise-free, or the paper's low noise with a fixed seed), and the\n" +
			"agreement claims by comparing both. Each claim gets a verdict: pass, fail, or\n" +
			"error (the check could not run). A table goes to stdout; details of failures\n" +
			"follow it (all details with --verbose).\n\n" +
			"Exit status: 0 when every claim passes, 1 when any fails or errs, 2 on a usage\n" +
			"error (bad flag, unreadable or malformed claims file).\n\n" +
			"Profiles: --quick takes under a minute on two cores (CI); the default, full,\n" +
			"under ten minutes, with finer grids, more samples and the paper's ensemble\n" +
			"size (100 runs of 1000 trials). Verdicts do not depend on the profile.\n\n" +
			"Claims of your own (--claims FILE, may be repeated):\n\n" +
			indent(verify.ClaimsHelp, "   ") + "\n" +
			"Examples:\n" +
			"   paradox verify --quick --junit verify.xml\n" +
			"   paradox verify --only 'sim.*' --verbose\n" +
			"   paradox verify --quick --no-builtin --claims testdata/claims-example.toml",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "quick", Usage: "the quick profile (under a minute on two cores; what CI runs)"},
			&cli.StringSliceFlag{Name: "only", Usage: "run only the claims whose id matches `PATTERN` (glob, e.g. 'sim.*', or a group 'cross.'); may be repeated"},
			&cli.StringSliceFlag{Name: "claims", Usage: "TOML `FILE` of claims of your own (format above); may be repeated"},
			&cli.BoolFlag{Name: "no-builtin", Usage: "run only the claims of --claims files"},
			&cli.StringFlag{Name: "rule", Usage: "built-in family for user claims that name neither rule nor rule_file"},
			&cli.StringFlag{Name: "rule-file", Usage: "family `FILE` for user claims that name neither rule nor rule_file"},
			&cli.StringFlag{Name: "json", Usage: "also write the results as JSON to `FILE`"},
			&cli.StringFlag{Name: "junit", Usage: "also write the results as JUnit XML to `FILE` (one test case per claim)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of every random draw and simulation"},
			&cli.BoolFlag{Name: "list", Usage: "list the claims (id, source, statement) and exit"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "print the details of every claim, not only of failures"},
			quietFlag,
		},
		Action: verifyAction,
	}
}

func verifyAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageErrorf("verify takes no arguments (got %q)", c.Args().Slice())
	}
	claims, err := verifyClaims(c)
	if err != nil {
		return err
	}
	out := c.App.Writer
	if c.Bool("list") {
		return writeClaimList(out, claims)
	}
	prof := verify.Full()
	if c.Bool("quick") {
		prof = verify.Quick()
	}
	seed := c.Uint64("seed")
	if seed == 0 {
		return usageErrorf("--seed must be > 0")
	}

	bar := newBar(c, "verify", len(claims))
	start := time.Now()
	results, err := verify.Run(c.Context, claims, verify.Options{
		Profile: prof, Seed: seed,
		Progress: func(done, _ int, _ string) { bar.Set(done) },
	})
	bar.Done()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)

	prov := newProvenance(c)
	prov.Set("profile", prof.Name)
	prov.Set("seed", seed)
	prov.Set("claims_files", strings.Join(c.StringSlice("claims"), ","))
	prov.Set("only", strings.Join(c.StringSlice("only"), ","))
	sum := verify.Summarize(results)
	if f := c.String("json"); f != "" {
		rep := verifyReport{Provenance: prov, Profile: prof.Name, Seed: seed, Seconds: elapsed.Seconds(), Summary: sum, Results: results}
		if err := writeAtomic(f, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}); err != nil {
			return err
		}
	}
	if f := c.String("junit"); f != "" {
		props := map[string]string{"profile": prof.Name, "seed": fmt.Sprint(seed), "version": prov.Version, "commit": prov.Commit, "command": prov.Command}
		if err := writeAtomic(f, func(w io.Writer) error { return verify.WriteJUnit(w, "paradox verify", results, props) }); err != nil {
			return err
		}
	}
	if err := writeVerifyTable(out, results, c.Bool("verbose")); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d claim(s): %d pass, %d fail, %d error (profile %s, seed %d, %.1f s)\n",
		len(results), sum.Pass, sum.Fail, sum.Error, prof.Name, seed, elapsed.Seconds())
	if !sum.AllPass() {
		return fmt.Errorf("verify: %d of %d claim(s) did not pass", sum.Fail+sum.Error, len(results))
	}
	return nil
}

// verifyReport is the JSON form of a verify run.
type verifyReport struct {
	Provenance any             `json:"provenance"`
	Profile    string          `json:"profile"`
	Seed       uint64          `json:"seed"`
	Seconds    float64         `json:"seconds"`
	Summary    verify.Summary  `json:"summary"`
	Results    []verify.Result `json:"results"`
}

// verifyClaims assembles the claims: the built-in catalogue (unless
// --no-builtin) and the --claims files, filtered by --only.
func verifyClaims(c *cli.Context) ([]verify.Claim, error) {
	var claims []verify.Claim
	if !c.Bool("no-builtin") {
		claims = verify.Catalogue()
	}
	var opt verify.LoadOptions
	if c.IsSet("rule") || c.IsSet("rule-file") {
		fam, err := verifyDefaultFamily(c)
		if err != nil {
			return nil, err
		}
		opt.Family = fam
	}
	seen := map[string]bool{}
	for _, cl := range claims {
		seen[cl.ID] = true
	}
	for _, f := range c.StringSlice("claims") {
		cs, err := verify.LoadClaims(f, opt)
		if err != nil {
			return nil, usageError{err}
		}
		for _, cl := range cs {
			if seen[cl.ID] {
				return nil, usageErrorf("%s: claim id %q is used twice", f, cl.ID)
			}
			seen[cl.ID] = true
		}
		claims = append(claims, cs...)
	}
	if len(claims) == 0 {
		return nil, usageErrorf("no claims to run (--no-builtin without --claims)")
	}
	sel, err := verify.Select(claims, c.StringSlice("only"))
	if err != nil {
		return nil, usageErrorf("--only: %v", err)
	}
	return sel, nil
}

// verifyDefaultFamily reads --rule or --rule-file.
func verifyDefaultFamily(c *cli.Context) (*jacobian.Family, error) {
	if c.IsSet("rule") && c.IsSet("rule-file") {
		return nil, usageErrorf("give --rule or --rule-file, not both")
	}
	if f := c.String("rule-file"); f != "" {
		fam, err := jacobian.LoadFamily(f)
		if err != nil {
			return nil, usageError{err}
		}
		return fam, nil
	}
	fam, err := jacobian.Builtin(c.String("rule"))
	if err != nil {
		return nil, usageErrorf("--rule: %v", err)
	}
	return fam, nil
}

// writeVerifyTable writes one row per result and then the details of the
// results that did not pass (of all with verbose).
func writeVerifyTable(w io.Writer, rs []verify.Result, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CLAIM\tVERDICT\tMEASURED\tEXPECTED\tSOURCE")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, strings.ToUpper(r.Verdict.String()), r.Measured, r.Expected, r.Source)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	for _, r := range rs {
		if r.Verdict == verify.Pass && !verbose {
			continue
		}
		fmt.Fprintf(&b, "\n%s: %s (%.1f s)\n  %s\n", r.ID, strings.ToUpper(r.Verdict.String()), r.Seconds, r.Statement)
		for _, d := range r.Details {
			fmt.Fprintf(&b, "  - %s\n", d)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeClaimList writes the catalogue for --list.
func writeClaimList(w io.Writer, claims []verify.Claim) error {
	var b strings.Builder
	for _, c := range claims {
		fmt.Fprintf(&b, "%s  [%s]\n  %s\n", c.ID, c.Source, c.Statement)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
