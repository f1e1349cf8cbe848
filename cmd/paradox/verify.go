package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/paradoxlab/paradox/internal/provenance"
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
			"Sharding: with --shard i/N (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or\n" +
			"JOB_COMPLETION_INDEX with --shards N) and --out DIR, verify runs only shard i of\n" +
			"the agreement claims' cells and writes them into DIR; 'paradox merge' turns the\n" +
			"shards into the verdicts of the unsharded run (see 'paradox merge --help').\n\n" +
			"Examples:\n" +
			"   paradox verify --quick --junit verify.xml\n" +
			"   paradox verify --only 'sim.*' --verbose\n" +
			"   paradox verify --quick --no-builtin --claims testdata/claims-example.toml\n" +
			"   paradox verify --only 'agreement.*' --agreement-cells 40 --shard 2/8 --out shards/2",
		Flags: append([]cli.Flag{
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
			&cli.IntFlag{Name: "agreement-cells", Usage: "cells per axis of the agreement claims (default: the profile's, 5 quick, 20 full)"},
			&cli.IntFlag{Name: "workers", Usage: "worker goroutines of a check (default: all cores); results do not depend on it"},
			&cli.StringFlag{Name: "out", Category: "sharding", Usage: "run the agreement claims as a shard: write its cells and manifest into `DIR` (see 'paradox merge --help')"},
			quietFlag,
		}, shardFlags()...),
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
	prof, seed, err := verifyProfile(c)
	if err != nil {
		return err
	}
	prov := newProvenance(c)
	setVerifyProvenance(c, &prov, prof, seed)
	if c.IsSet("shard") || c.String("out") != "" {
		return verifyShard(c, claims, prof, seed, prov)
	}

	bar := newBar(c, "verify", len(claims))
	start := time.Now()
	results, err := verify.Run(c.Context, claims, verify.Options{
		Profile: prof, Seed: seed, Workers: c.Int("workers"),
		Progress: func(done, _ int, _ string) { bar.Set(done) },
	})
	bar.Done()
	if err != nil {
		return err
	}
	rep := verifyReport{Provenance: prov, Profile: prof.Name, Seed: seed,
		Seconds: time.Since(start).Seconds(), Results: results}
	return finishVerify(c, rep, c.String("json"), c.String("junit"))
}

// verifyProfile reads --quick, --agreement-cells and --seed.
func verifyProfile(c *cli.Context) (verify.Profile, uint64, error) {
	prof := verify.Full()
	if c.Bool("quick") {
		prof = verify.Quick()
	}
	if c.IsSet("agreement-cells") {
		n := c.Int("agreement-cells")
		if n < 1 {
			return prof, 0, usageErrorf("--agreement-cells %d: must be >= 1", n)
		}
		prof.AgreementCells = n
	}
	seed := c.Uint64("seed")
	if seed == 0 {
		return prof, 0, usageErrorf("--seed must be > 0")
	}
	return prof, seed, nil
}

// setVerifyProvenance records the settings of a verify run.
func setVerifyProvenance(c *cli.Context, prov *provenance.Info, prof verify.Profile, seed uint64) {
	prov.Set("profile", prof.Name)
	prov.Set("seed", seed)
	prov.Set("claims_files", strings.Join(c.StringSlice("claims"), ","))
	prov.Set("only", strings.Join(c.StringSlice("only"), ","))
	if c.IsSet("agreement-cells") {
		prov.Set("agreement_cells", prof.AgreementCells)
	}
}

// finishVerify writes the results of rep as JSON to jsonPath and as
// JUnit XML to junitPath (each unless ""), and the table to stdout; it
// fails when a claim did not pass.
func finishVerify(c *cli.Context, rep verifyReport, jsonPath, junitPath string) error {
	out := c.App.Writer
	rep.Summary = verify.Summarize(rep.Results)
	if jsonPath != "" {
		if err := writeAtomic(jsonPath, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}); err != nil {
			return err
		}
	}
	if junitPath != "" {
		prov := rep.Provenance
		props := map[string]string{"profile": rep.Profile, "seed": fmt.Sprint(rep.Seed), "version": prov.Version, "commit": prov.Commit, "command": prov.Command}
		if err := writeAtomic(junitPath, func(w io.Writer) error { return verify.WriteJUnit(w, "paradox verify", rep.Results, props) }); err != nil {
			return err
		}
	}
	if err := writeVerifyTable(out, rep.Results, c.Bool("verbose")); err != nil {
		return err
	}
	sum, n := rep.Summary, len(rep.Results)
	fmt.Fprintf(out, "\n%d claim(s): %d pass, %d fail, %d error (profile %s, seed %d, %.1f s)\n",
		n, sum.Pass, sum.Fail, sum.Error, rep.Profile, rep.Seed, rep.Seconds)
	if !sum.AllPass() {
		return fmt.Errorf("verify: %d of %d claim(s) did not pass", sum.Fail+sum.Error, n)
	}
	return nil
}

// verifyShard runs shard sh of the agreement claims' cells (see
// 'paradox merge --help') and writes its cells and manifest into --out.
func verifyShard(c *cli.Context, claims []verify.Claim, prof verify.Profile, seed uint64, prov provenance.Info) error {
	dir := c.String("out")
	switch {
	case dir == "":
		return usageErrorf("--shard: give --out DIR for the shard's files")
	case c.IsSet("json") || c.IsSet("junit"):
		return usageErrorf("--json, --junit: a shard writes no verdicts; 'paradox merge' writes them")
	}
	jobs, err := verify.AgreementJobs(claims, verify.Options{Profile: prof, Seed: seed})
	if err != nil {
		return usageErrorf("--shard: %v; only the agreement claims shard (--only 'agreement.*')", err)
	}
	cfg := newAgreementConfig(jobs, prof, seed, prov.Settings)
	sh, err := resolveShardOf(c, cfg.cells(), "cells")
	if err != nil {
		return err
	}
	if !sh.on {
		sh = shard{on: true, i: 0, n: 1, lo: 0, hi: cfg.cells()}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}

	data := filepath.Join(dir, agreementData)
	w, commit, abort, err := streamFile(data, func(*bufio.Writer) error { return nil })
	if err != nil {
		return err
	}
	defer abort()
	cells, err := verify.AgreementCells(c.Context, jobs, sh.lo, sh.hi, c.Int("workers"))
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if err := writeAgreementCells(w, &cfg, sh.lo, cells); err != nil {
		return fmt.Errorf("writing %s: %w", data, err)
	}
	if err := commit(); err != nil {
		return err
	}
	path := filepath.Join(dir, agreementName+manifestSuffix)
	if err := writeShardManifest(path, kindAgreement, cfg, sh, data); err != nil {
		return err
	}
	infof(c, "shard %d/%d: cells %d-%d of %d -> %s, %s", sh.i, sh.n, sh.lo, sh.hi-1, cfg.cells(), data, path)
	return nil
}

// verifyReport is the JSON form of a verify run.
type verifyReport struct {
	Provenance provenance.Info `json:"provenance"`
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
