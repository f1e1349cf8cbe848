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
		quietFlag,
	}
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "report",
		Usage:     "write a methods-and-results report: one self-contained HTML page and a PDF",
		UsageText: "paradox report [--out DIR] [--config FILE] [model constants] [--rule-file FILE] [--claims FILE] [--seed K] [--quick]",
		Description: "The report gathers what the other commands compute, at the paper's defaults or\n" +
			"the constants given: the model and its parameters with their sources, the setpoint\n" +
			"plane; each rule family's rules, Jacobian entries and closed-form trace and\n" +
			"determinant of K; the region maps (standard at aE = aI, aE = 10 aI, aI = 10 aE;\n" +
			"cross; two-term; synaptic scaling; standard and cross with gE = 0.5, Iext = 8) with\n" +
			"their class fractions; the both-stable share of the neural-stable region against\n" +
			"log10(aE/aI) for every family; the simulations of Figs. 1B-C, 2B-E, 3, 4B-G and\n" +
			"the multiunit network of Figs. 5-6; the verdicts of paradox verify (its quick\n" +
			"profile, plus the claims of --claims) with the agreement confusion matrices; and\n" +
			"the provenance needed to regenerate it. DIR/report.html is one file with SVG\n" +
			"figures and MathML formulas that makes no request of any kind; DIR/report.pdf has\n" +
			"the same figures and tables. The same inputs and seed give the same report apart\n" +
			"from its date; set SOURCE_DATE_EPOCH (seconds since 1970) to fix the date as well.\n" +
			"The default profile takes a few minutes on two cores, --quick a few seconds.\n\n" +
			"Examples:\n" +
			"   paradox report --out report\n" +
			"   paradox report --out report-iext --ge 0.5 --iext 8\n" +
			"   paradox report --quick --out /tmp/r --rule-file myrule.toml",
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
	cfg.Sections, cfg.Missing = reportExtras()

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
	for _, f := range []string{"rule-file", "claims"} {
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

// reportExtras returns sections computed outside package reports and a
// sentence for each result this build cannot show. The verdicts of
// package verify and the multiunit network are computed by
// reports.Build; the spiking network (package sim/spiking) trains for
// far longer than the report's budget, so it is only pointed to. A
// section built from its saved results (with the Spiking* figures of
// package reports) would be added here.
func reportExtras() (sections []reports.Section, missing []string) {
	missing = append(missing,
		"The spiking network (Fig. 7) is not simulated here: training it takes far longer than the "+
			"report's few minutes. Run paradox spiking train, then paradox spiking paradox, for its figures.")
	return sections, missing
}
