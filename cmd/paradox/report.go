package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paradoxlab/paradox/internal/progress"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/reports"
	"github.com/paradoxlab/paradox/verify"
	"github.com/urfave/cli/v2"
)

// reportCommand is `paradox report`: the methods-and-results document
// as one HTML page and a PDF.
func reportCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "out", Value: "report", Usage: "folder `DIR` for report.html and report.pdf"},
		&cli.StringFlag{Name: "rule-file", Usage: "TOML `FILE` with a family of your own, analysed, mapped and scanned beside the built-in ones"},
		&cli.StringFlag{Name: "claims", Usage: "claims catalogue `FILE` for the verdict section (passed to paradox verify)"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "seed `K` of every simulation"},
		&cli.BoolFlag{Name: "quick", Usage: "coarse grids and short simulations (seconds instead of minutes; for tests)"},
		&cli.StringFlag{Name: "spiking", Usage: "`DIR` of a finished paradox spiking train run (weights.bin, train.csv) for the Fig. 7 section"},
		&cli.StringFlag{Name: "spiking-csv", Usage: "per-trial log `FILE` of that run, if its --csv was not DIR/train.csv"},
		&cli.StringFlag{Name: "spiking-paradox", Usage: "`DIR` of a paradox spiking paradox run (paradox.csv, paradox.png) on the trained weights"},
		quietFlag,
	}
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "report",
		Usage:     "write a methods-and-results report: one self-contained HTML page and a PDF",
		UsageText: "paradox report [--out DIR] [--config FILE] [model constants] [--rule-file FILE] [--claims FILE] [--seed K] [--quick] [--spiking DIR [--spiking-csv FILE] [--spiking-paradox DIR]]",
		Description: "The report gathers what the other commands compute, at the paper's defaults or\n" +
			"the constants given: the model and its parameters with their sources, the setpoint\n" +
			"plane; each rule family's rules, Jacobian entries and closed-form trace and\n" +
			"determinant of K; the region maps (standard at aE = aI, aE = 10 aI, aI = 10 aE;\n" +
			"cross; two-term; synaptic scaling; standard and cross with gE = 0.5, Iext = 8) with\n" +
			"their class fractions; the both-stable share of the neural-stable region against\n" +
			"log10(aE/aI) for every family; the simulations of Figs. 1B-C, 2B-E, 3, 4B-G and\n" +
			"the multiunit network of Figs. 5-6; the spiking network of Fig. 7 from saved runs\n" +
			"(below); the verdicts of paradox verify (its quick\n" +
			"profile, plus the claims of --claims) with the agreement confusion matrices; and\n" +
			"the provenance needed to regenerate it. DIR/report.html is one file with SVG\n" +
			"figures and MathML formulas that makes no request of any kind; DIR/report.pdf has\n" +
			"the same figures and tables. The same inputs and seed give the same report apart\n" +
			"from its date; set SOURCE_DATE_EPOCH (seconds since 1970) to fix the date as well.\n" +
			"The default profile takes a few minutes on two cores, --quick a few seconds.\n\n" +
			"The spiking network trains for 15-25 minutes, so the report never trains it: it\n" +
			"draws the Fig. 7 section from the --out folder of a finished paradox spiking\n" +
			"train (--spiking; its log is DIR/train.csv unless --spiking-csv names it) and,\n" +
			"optionally, of paradox spiking paradox on its weights (--spiking-paradox; the\n" +
			"PSTHs come from its paradox.png). It runs 10 trials of the final weights without\n" +
			"plasticity for the rate histograms (a few seconds). Without --spiking the\n" +
			"section gives the commands.\n\n" +
			"Examples:\n" +
			"   paradox report --out report\n" +
			"   paradox report --out report-iext --ge 0.5 --iext 8\n" +
			"   paradox report --quick --out /tmp/r --rule-file myrule.toml\n\n" +
			"With the spiking network (about 25 minutes in all on two cores):\n" +
			"   paradox spiking train --preset fig7 --trials 3000 --seed 1 --out out/fig7\n" +
			"   paradox spiking paradox --weights out/fig7/weights.bin --workers 2 --out out/fig7-paradox\n" +
			"   paradox report --out report --spiking out/fig7 --spiking-paradox out/fig7-paradox",
		Flags:  flags,
		Action: reportAction,
	}
}

func reportAction(c *cli.Context) error {
	p, err := resolveParams(c)
	if err != nil {
		return err
	}
	var extra *jacobian.Family
	if f := c.String("rule-file"); f != "" {
		if extra, err = jacobian.LoadFamily(f); err != nil {
			return usageError{err}
		}
	}
	date, err := reportDate()
	if err != nil {
		return err
	}
	cfg := reports.Config{
		Params:     p,
		Extra:      extra,
		Seed:       c.Uint64("seed"),
		Quick:      c.Bool("quick"),
		Date:       date,
		Provenance: newProvenance(c),
		Regenerate: reportRegenerate(c, p),
	}
	cfg.Provenance.Set("rule_file", c.String("rule-file"))
	cfg.Provenance.Set("claims", c.String("claims"))
	if f := c.String("claims"); f != "" {
		user, err := verify.LoadClaims(f, verify.LoadOptions{Family: extra})
		if err != nil {
			return usageError{err}
		}
		cfg.Claims = append(verify.Catalogue(), user...)
	}
	if cfg.Spiking, cfg.SpikingParadox, err = reportSpiking(c); err != nil {
		return err
	}

	var bar *progress.Bar
	stage := ""
	cfg.Progress = func(s string, done, total int) {
		if s != stage {
			bar.Done()
			stage, bar = s, newBar(c, s, total)
		}
		bar.Set(done)
	}
	start := time.Now()
	r, err := reports.Build(c.Context, cfg)
	bar.Done()
	if err != nil {
		return err
	}

	dir := c.String("out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}
	htmlPath, pdfPath := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
	if err := writeAtomic(htmlPath, func(w io.Writer) error { return reports.WriteHTML(w, r) }); err != nil {
		return err
	}
	if err := writeAtomic(pdfPath, func(w io.Writer) error { return reports.WritePDF(w, r) }); err != nil {
		return err
	}
	infof(c, "wrote %s and %s in %s", htmlPath, pdfPath, time.Since(start).Round(time.Second))
	return nil
}

// reportDate is now, or SOURCE_DATE_EPOCH when it is set (the
// reproducible-builds convention), so that a report can be made
// byte for byte again.
func reportDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now(), nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, usageErrorf("SOURCE_DATE_EPOCH %q: want whole seconds since 1970", s)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// reportRegenerate is a command line that regenerates the report with
// every model constant spelled out, so that it does not depend on a
// --config file staying where it was.
func reportRegenerate(c *cli.Context, p model.Params) string {
	args := []string{"paradox", "report", "--out", reportQuote(c.String("out")), "--seed", fmt.Sprint(c.Uint64("seed"))}
	if c.Bool("quick") {
		args = append(args, "--quick")
	}
	for _, k := range model.ParamKeys() {
		v, _ := p.Get(k)
		args = append(args, "--"+k, strconv.FormatFloat(v, 'g', -1, 64))
	}
	for _, f := range []string{"rule-file", "claims", "spiking", "spiking-csv", "spiking-paradox"} {
		if v := c.String(f); v != "" {
			args = append(args, "--"+f, reportQuote(v))
		}
	}
	return strings.Join(args, " ")
}

// reportQuote quotes a shell word that needs it.
func reportQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// reportSpiking loads the saved spiking runs of --spiking,
// --spiking-csv and --spiking-paradox; nil where a flag is not given.
func reportSpiking(c *cli.Context) (*reports.SpikingRun, *reports.SpikingParadoxRun, error) {
	dir := c.String("spiking")
	if dir == "" {
		for _, f := range []string{"spiking-csv", "spiking-paradox"} {
			if c.String(f) != "" {
				return nil, nil, usageErrorf("--%s needs --spiking DIR, the training run", f)
			}
		}
		return nil, nil, nil
	}
	run, err := reports.LoadSpikingRun(dir, c.String("spiking-csv"))
	if err != nil {
		hint := ""
		if c.String("spiking-csv") == "" {
			hint = " (if spiking train wrote its log elsewhere with --csv FILE, give --spiking-csv FILE)"
		}
		return nil, nil, usageErrorf("--spiking: %v%s", err, hint)
	}
	pdir := c.String("spiking-paradox")
	if pdir == "" {
		return run, nil, nil
	}
	par, err := reports.LoadSpikingParadox(pdir)
	if err != nil {
		return nil, nil, usageErrorf("--spiking-paradox: %v", err)
	}
	return run, par, nil
}
