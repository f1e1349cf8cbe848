package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/paradoxlab/paradox/internal/atomicfile"
	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
	"github.com/paradoxlab/paradox/reports"
	"github.com/urfave/cli/v2"
	"gonum.org/v1/plot/vg"
)

// maxCells is the grid size above which map asks for --force.
const maxCells = 100_000_000

// maxRow is the WEE axis length above which map asks for --force: a row
// takes about 150 bytes a cell, and each worker holds two.
const maxRow = 1_000_000

// borderSamples is the number of scan lines per direction used to locate
// borders; each crossing is then bisected to regions.BorderTol.
const borderSamples = 401

func mapCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "wee", Value: "0:10:201", Usage: "WEE axis `MIN:MAX:N`"},
		&cli.StringFlag{Name: "wie", Value: "0:20:201", Usage: "WIE axis `MIN:MAX:N`"},
		&cli.StringFlag{Name: "out", Value: "out", Usage: "folder `DIR` for the figures (PNG, SVG, PDF) and the JSON summary"},
		&cli.StringFlag{Name: "name", Usage: "base name of the files in --out (default: the rule's name)"},
		&cli.StringFlag{Name: "csv", Usage: "write one row per cell to `FILE`, streamed as computed (- for stdout; the class fractions then go to stderr)"},
		&cli.BoolFlag{Name: "paper", Usage: "draw the paper's set of maps instead of one: standard at aE = aI, aE = 10 aI and aI = 10 aE (Figs. 2F-H), cross (Fig. 4H) and two-term (Fig. S10)"},
		&cli.StringFlag{Name: "npy", Usage: "stream the map to `FILE` in the compact binary .npy form (see 'paradox merge --help')"},
		&cli.BoolFlag{Name: "force", Usage: "allow grids of more than 1e8 cells"},
		&cli.IntFlag{Name: "workers", Usage: "worker goroutines (default: all cores)"},
		quietFlag,
	}
	flags = append(flags, shardFlags()...)
	flags = append(flags, ruleFlags("standard")...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "map",
		Usage:     "classify a WEE x WIE grid of the setpoint plane and draw the region map",
		UsageText: "paradox map [--rule R] [--rates ...] [--wee MIN:MAX:N] [--wie MIN:MAX:N] [--out DIR] [--csv FILE]",
		Description: "Every cell (WEE, WIE) of the grid is a point of the setpoint plane (WEI and WII\n" +
			"from Methods Eqs. 4-5). Each gets one class: no_fixed_point (C = 0),\n" +
			"neural_unstable, plasticity_unstable (neural stable, plasticity not) or stable;\n" +
			"plus marginal flags (|max Re λ| <= 1e-9 max|λ|), the paradoxical flag\n" +
			"gE*WEE > 1, the largest real part of each subsystem and the signs of WEI, WII.\n" +
			"The class fractions go to stdout; the map (PNG, SVG, PDF) with the det, trace,\n" +
			"paradoxical, WEI = 0, WII = 0 and plasticity borders (located by bisection to\n" +
			"1e-9) and a JSON summary go to --out.\n\n" +
			"Examples:\n" +
			"   paradox map --paper --out out             # Figs. 2F-H, 4H and S10 on paper defaults\n" +
			"   paradox map --rule standard --rates 0.02,0.02,0.002,0.002 --out out\n" +
			"   paradox map --rule cross --wee 0:10:1001 --wie 0:20:1001 --csv cross.csv",
		Flags:  flags,
		Action: mapAction,
	}
}

// mapJob is one map to compute.
type mapJob struct {
	name, title string
	rule        *jacobian.Rule
}

// paperMaps are the maps of --paper: rates as in the paper's figures
// (0.02 is the SI's base rate; only ratios matter for stability).
func paperMaps(p model.Params) ([]mapJob, error) {
	specs := []struct {
		name, rule, title string
		r                 jacobian.Rates
	}{
		{"standard-equal", "standard", "standard, aE = aI (Fig. 2F)", jacobian.UniformRates(0.02)},
		{"standard-Efast", "standard", "standard, aE = 10 aI (cf. Fig. 2G)", jacobian.Rates{A: [4]float64{0.02, 0.02, 0.002, 0.002}}},
		{"standard-Ifast", "standard", "standard, aI = 10 aE (cf. Fig. 2H)", jacobian.Rates{A: [4]float64{0.002, 0.002, 0.02, 0.02}}},
		{"cross", "cross", "cross-homeostatic, all rates equal (Fig. 4H)", jacobian.UniformRates(0.02)},
		{"twoterm", "twoterm", "two-term, cross = homeostatic rates (Fig. S10)", jacobian.UniformRates(0.02)},
	}
	jobs := make([]mapJob, len(specs))
	for i, s := range specs {
		fam, err := jacobian.Builtin(s.rule)
		if err != nil {
			return nil, err
		}
		rule, err := fam.Compile(p, s.r)
		if err != nil {
			return nil, err
		}
		jobs[i] = mapJob{s.name, s.title, rule}
	}
	return jobs, nil
}

func mapAction(c *cli.Context) error {
	p, err := resolveParams(c)
	if err != nil {
		return err
	}
	g, err := resolveGrid(c)
	if err != nil {
		return err
	}
	if c.Int("workers") < 0 {
		return usageErrorf("--workers %d: must be >= 0 (0 means all cores)", c.Int("workers"))
	}
	if c.NArg() > 0 {
		return usageErrorf("unexpected argument %q (flags take the form --name value)", c.Args().First())
	}
	var jobs []mapJob
	if c.Bool("paper") {
		for _, f := range []string{"rule", "rule-file", "rates", "hrates", "csv", "name", "npy", "shard", "shards"} {
			if c.IsSet(f) {
				return usageErrorf("--paper draws a fixed set of maps; drop --%s", f)
			}
		}
		if jobs, err = paperMaps(p); err != nil {
			return err
		}
	} else {
		rule, err := resolveRule(c, p)
		if err != nil {
			return err
		}
		name := c.String("name")
		if name == "" {
			name = rule.Family.Name
		}
		jobs = []mapJob{{name, fmt.Sprintf("%s (%s)", rule.Family.Name, ratesString(rule.Family, rule.Rates)), rule}}
	}
	dir := c.String("out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}
	for _, job := range jobs {
		if err := runMap(c, g, job, dir); err != nil {
			return err
		}
	}
	return nil
}

// resolveGrid parses --wee, --wie and checks the size.
func resolveGrid(c *cli.Context) (regions.Grid, error) {
	g := regions.DefaultGrid()
	var err error
	if g.WEE, err = regions.ParseAxis(c.String("wee"), g.WEE); err != nil {
		return g, usageErrorf("--wee %v", err)
	}
	if g.WIE, err = regions.ParseAxis(c.String("wie"), g.WIE); err != nil {
		return g, usageErrorf("--wie %v", err)
	}
	if g.WEE.N > maxRow && !c.Bool("force") {
		return g, usageErrorf("the WEE axis has %d points, more than %d (each worker holds two rows in memory); add --force if you mean it", g.WEE.N, maxRow)
	}
	if n := float64(g.WEE.N) * float64(g.WIE.N); n > maxCells && !c.Bool("force") {
		return g, usageErrorf("the grid has %.3g cells, more than %.0g; add --force if you mean it", n, float64(maxCells))
	}
	return g, nil
}

// mapSummary is the JSON summary written beside the figures.
type mapSummary struct {
	Provenance provenance.Info    `json:"provenance"`
	Title      string             `json:"title"`
	Config     mapConfig          `json:"config"`
	Summary    regions.Summary    `json:"counts"`
	Classes    map[string]int     `json:"class_counts"`
	Fractions  map[string]float64 `json:"fractions"`
	Files      []string           `json:"files"`
}

// mapConfig is everything a map depends on; its hash identifies the work
// of a sharded map.
type mapConfig struct {
	Name    string             `json:"name"`
	Title   string             `json:"title"`
	Rule    string             `json:"rule"`
	Exprs   [4]string          `json:"exprs"`
	Consts  map[string]float64 `json:"consts,omitempty"`
	Rates   jacobian.Rates     `json:"rates"`
	Params  model.Params       `json:"params"`
	Grid    regions.Grid       `json:"grid"`
	Version string             `json:"version"`

	// Arch is GOARCH: Go may fuse multiply-adds on some architectures
	// (arm64, ppc64, s390x), which can change the last bit of a cell's
	// values, so shards are merged only with shards of their own
	// architecture.
	Arch string `json:"arch"`
}

func newMapConfig(g regions.Grid, job mapJob) mapConfig {
	f := job.rule.Family
	cfg := mapConfig{
		Name: job.name, Title: job.title, Rule: f.Name, Consts: f.Consts,
		Rates: job.rule.Rates, Params: job.rule.Params, Grid: g,
		Version: provenance.Version, Arch: runtime.GOARCH,
	}
	for i, e := range f.Exprs {
		cfg.Exprs[i] = expr.String(e)
	}
	return cfg
}

// hash is the SHA-256 of the configuration's JSON form.
func (m mapConfig) hash() string {
	b, _ := json.Marshal(m)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// job rebuilds the map job (the compiled rule) from a configuration.
func (m mapConfig) job() (mapJob, error) {
	fam, err := jacobian.NewFamily(m.Rule, "", m.Exprs, m.Consts)
	if err != nil {
		return mapJob{}, err
	}
	rule, err := fam.Compile(m.Params, m.Rates)
	if err != nil {
		return mapJob{}, err
	}
	return mapJob{m.Name, m.Title, rule}, nil
}

// runMap computes one map (or the rows of one shard), streaming its CSV
// and .npy as rows arrive, then writes figures and the summary (or, for a
// shard, its manifest).
func runMap(c *cli.Context, g regions.Grid, job mapJob, dir string) error {
	kernel, err := jacobian.NewPlaneKernel(job.rule)
	if err != nil {
		return err
	}
	sh, err := resolveShard(c, g.WIE.N)
	if err != nil {
		return err
	}
	cfg := newMapConfig(g, job)
	prov := mapProvenance(c, cfg)

	raster := reports.NewRaster(g)
	var writers []func(row []regions.Cell) error
	var commits []func() error
	var aborts []func()
	defer func() {
		for _, a := range aborts {
			a()
		}
	}()
	npyPath := c.String("npy")
	if sh.on {
		if c.IsSet("npy") || c.IsSet("csv") {
			return usageErrorf("a shard writes its rows to --out; drop --npy and --csv (paradox merge --csv regenerates the CSV)")
		}
		npyPath = filepath.Join(dir, job.name+".npy")
	}
	if npyPath != "" {
		w, commit, abort, err := streamFile(npyPath, func(w *bufio.Writer) error {
			_, err := w.Write(regions.NPYHeader(sh.hi-sh.lo, g.WEE.N))
			return err
		})
		if err != nil {
			return err
		}
		aborts = append(aborts, abort)
		var rec []byte
		writers = append(writers, func(row []regions.Cell) error {
			for i := range row {
				rec = regions.AppendNPY(rec[:0], &row[i])
				w.Write(rec)
			}
			return nil
		})
		commits = append(commits, commit)
	}
	if path := c.String("csv"); path != "" {
		open := streamFile
		if path == "-" {
			open = streamStdout(c.App.Writer)
		}
		w, commit, abort, err := open(path, func(w *bufio.Writer) error {
			if err := prov.WriteComments(w, false); err != nil {
				return err
			}
			_, err := w.WriteString(regions.CSVHeader + "\n")
			return err
		})
		if err != nil {
			return err
		}
		aborts = append(aborts, abort)
		var line []byte
		writers = append(writers, func(row []regions.Cell) error {
			for i := range row {
				line = regions.AppendCSV(line[:0], &row[i])
				w.Write(line)
			}
			return nil
		})
		commits = append(commits, commit)
	}

	bar := newBar(c, "map "+job.name, sh.hi-sh.lo)
	opt := regions.Options{Workers: c.Int("workers"), Progress: bar.Func(), Rows: [2]int{sh.lo, sh.hi}}
	sum, err := regions.Run(c.Context, g, kernel, opt, func(row []regions.Cell) error {
		raster.AddRow(row)
		for _, w := range writers {
			if err := w(row); err != nil {
				return err
			}
		}
		return nil
	})
	bar.Done()
	if err != nil {
		return err
	}
	for _, commit := range commits {
		if err := commit(); err != nil {
			return err
		}
	}
	if sh.on {
		return writeManifest(c, dir, cfg, sh, npyPath, &sum)
	}
	return finishMap(c, dir, cfg, job, kernel, raster, &sum, prov)
}

// streamFile opens path for atomic streaming, writes its header, and
// returns the buffered writer with its commit and abort functions.
func streamFile(path string, header func(w *bufio.Writer) error) (*bufio.Writer, func() error, func(), error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("writing %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := header(w); err != nil {
		f.Abort()
		return nil, nil, nil, err
	}
	commit := func() error {
		if err := w.Flush(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := f.Commit(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	return w, commit, f.Abort, nil
}

// streamStdout is streamFile for "-": the CSV goes to stdout (and the
// class fractions to stderr, see finishMap).
func streamStdout(out io.Writer) func(string, func(*bufio.Writer) error) (*bufio.Writer, func() error, func(), error) {
	return func(_ string, header func(w *bufio.Writer) error) (*bufio.Writer, func() error, func(), error) {
		w := bufio.NewWriterSize(out, 1<<20)
		if err := header(w); err != nil {
			return nil, nil, nil, err
		}
		return w, w.Flush, func() {}, nil
	}
}

func mapProvenance(c *cli.Context, cfg mapConfig) provenance.Info {
	prov := newProvenance(c)
	prov.Set("rule", cfg.Rule)
	prov.Set("rates", fmt.Sprintf("A=%v H=%v", cfg.Rates.A, cfg.Rates.H))
	prov.Set("params", fmt.Sprintf("%+v", cfg.Params))
	prov.Set("grid", fmt.Sprintf("WEE=%v WIE=%v", cfg.Grid.WEE, cfg.Grid.WIE))
	return prov
}

// finishMap draws the figures and writes the JSON summary of a whole map.
func finishMap(c *cli.Context, dir string, cfg mapConfig, job mapJob, kernel *jacobian.PlaneKernel,
	raster *reports.Raster, sum *regions.Summary, prov provenance.Info) error {
	g := cfg.Grid
	m := &reports.Map{
		Title: cfg.Title, Grid: g, Raster: raster, Summary: sum,
		Borders: regions.Borders(g, cfg.Params, kernel, borderSamples),
	}
	var files []string
	for _, format := range []string{"png", "svg", "pdf"} {
		path := filepath.Join(dir, cfg.Name+"."+format)
		if err := writeAtomic(path, func(w io.Writer) error {
			return m.WriteTo(w, format, 9*vg.Inch, 5.5*vg.Inch)
		}); err != nil {
			return err
		}
		files = append(files, path)
	}
	js := mapSummary{
		Provenance: prov, Title: cfg.Title, Config: cfg, Summary: *sum,
		Classes: map[string]int{}, Fractions: map[string]float64{}, Files: files,
	}
	for k := regions.Class(0); k < regions.NumClasses; k++ {
		js.Classes[k.String()] = sum.Counts[k]
		js.Fractions[k.String()] = sum.Fraction(k)
	}
	jpath := filepath.Join(dir, cfg.Name+".json")
	if err := writeJSON(jpath, js); err != nil {
		return err
	}
	files = append(files, jpath)
	fractions := c.App.Writer
	if c.String("csv") == "-" {
		fractions = c.App.ErrWriter // stdout carries the CSV
	}
	writeFractions(fractions, job, sum)
	infof(c, "wrote %s", strings.Join(files, ", "))
	return nil
}

func writeJSON(path string, v any) error {
	return writeAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func writeFractions(w io.Writer, job mapJob, s *regions.Summary) {
	fmt.Fprintf(w, "%s: %s, %d cells\n", job.name, job.title, s.Total)
	for k := regions.Class(0); k < regions.NumClasses; k++ {
		fmt.Fprintf(w, "  %-20s %8d  %6.2f%%\n", k, s.Counts[k], 100*s.Fraction(k))
	}
	fmt.Fprintf(w, "  %-20s %8d  %6.2f%%\n", "paradoxical", s.Paradoxical, 100*float64(s.Paradoxical)/float64(s.Total))
	fmt.Fprintf(w, "  marginal: neural %d, plasticity %d; negative WEI %d, WII %d\n",
		s.NeuralMarginal, s.PlasticityMarginal, s.NegativeWEI, s.NegativeWII)
}
