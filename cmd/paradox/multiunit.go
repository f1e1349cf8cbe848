package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/reports"
	"github.com/paradoxlab/paradox/sim"
	"github.com/paradoxlab/paradox/sim/multiunit"
	"github.com/urfave/cli/v2"
	"gonum.org/v1/plot"
)

// The multiunit rate network of Figs. 5, 6 and S5: 80 E and 20 I units
// with weight matrices, trained by per-synapse forms of the rule
// families (package sim/multiunit).

const muCategory = "multiunit network"

func multiunitCommand() *cli.Command {
	d := multiunit.DefaultInit(multiunit.InitNormal)
	f := func(name string, v float64, usage string) cli.Flag {
		return &cli.StringFlag{Name: name, Category: muCategory, Usage: fmt.Sprintf("%s (default %g)", usage, v)}
	}
	flags := []cli.Flag{
		&cli.IntFlag{Name: "runs", Value: 1, Usage: "number of runs `M` from different initial weights, in parallel on all cores (Figs. 5G-H, 6G-H: 400)"},
		&cli.IntFlag{Name: "workers", Usage: "parallel runs (0: all cores); the output does not depend on it"},
		&cli.StringFlag{Name: "init", Usage: "read the initial weights from `FILE`: the N x N block matrix [WEE WEI; WIE WII] as CSV, rows postsynaptic, E first (as --init-out writes); all to all, self-connections dropped"},
		&cli.StringFlag{Name: "csv", Usage: "write the per-trial CSV to `FILE` instead of stdout"},
		&cli.StringFlag{Name: "units-csv", Usage: "write every unit's filtered rate and summed inputs after every trial of run 0 to `FILE`"},
		&cli.StringFlag{Name: "runs-csv", Usage: "write one row per run (initial and final means and summed weights) to `FILE`"},
		&cli.StringFlag{Name: "init-out", Usage: "write run 0's initial weights to `FILE` (the format of --init)"},
		&cli.StringFlag{Name: "weights-out", Usage: "write run 0's final weights to `FILE` (the format of --init)"},
		&cli.StringFlag{Name: "out", Usage: "write the figures (PNG and SVG) to folder `DIR` (with --shard: the shard's files)"},
		&cli.StringFlag{Name: "trace-trials", Value: "1,25,125,250",
			Usage: "`TRIALS` whose unit traces are drawn with --out (comma-separated; beyond --trials they are dropped)"},
		&cli.IntFlag{Name: "ne", Value: 80, Category: muCategory, Usage: "number of E units"},
		&cli.IntFlag{Name: "ni", Value: 20, Category: muCategory, Usage: "number of I units"},
		&cli.StringFlag{Name: "init-dist", Value: "normal", Category: muCategory,
			Usage: "distribution of each initial weight: normal (the paper, Figs. 5-6), uniform (the authors' first code) or lognormal (Fig. S5; same mean and SD as normal)"},
		f("init-mean", d.Mean, "mean of an initial weight (normal, lognormal)"),
		f("init-sd", d.SD, "standard deviation of an initial weight (normal, lognormal)"),
		f("init-lo", d.Lo, "least initial weight (uniform)"),
		f("init-hi", d.Hi, "largest initial weight (uniform)"),
		f("conn-prob", d.ConnProb, "probability that a unit projects to another (1: all to all, the paper); entries are not rescaled, so multiply --init-mean and --init-sd by 1/p to keep the summed inputs"),
		quietFlag,
	}
	flags = append(flags, shardFlags()...)
	flags = append(flags, muRuleFlags()...)
	flags = append(flags, simProtocolFlags(250)...)
	flags = append(flags, muNeuralFlags()...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "multiunit",
		Usage:     "the 80E/20I multiunit rate network under per-synapse rules (Figs. 5, 6, S5)",
		UsageText: "paradox multiunit --rule R --rates A --trials N --sigma S --seed K [--init FILE] [--runs M] [--csv OUT] [--out DIR]",
		Description: "Runs the trial protocol of 'paradox simulate' on a network of --ne E and --ni I\n" +
			"units with weight matrices (no self-connections): every unit has the same\n" +
			"equations, its own OU noise, the same pulse, ceilings, window, trial filter and\n" +
			"1-Hz floor. After each trial every synapse changes by the family's expression\n" +
			"with the presynaptic unit's rate as the factor, the postsynaptic unit's own\n" +
			"rate in the homeostatic terms and the mean over its presynaptic partners of the\n" +
			"other type in the cross terms (rate-models.md §2); weights are floored at\n" +
			"--weight-floor divided by the number of inputs of their class. --rates are per\n" +
			"synapse (the authors' α = 2e-5 cross, 1e-5 two-term). Families that cannot be\n" +
			"mapped onto synapses (forcedbalance) are refused; see 'go doc\n" +
			"github.com/paradoxlab/paradox/sim/multiunit Rule'.\n\n" +
			"Initial weights: each entry from --init-dist (normal N(0.1, 0.04²) as the paper),\n" +
			"drawn from --seed and the run index, or --init FILE. Run k of --runs M draws its\n" +
			"weights and its noise from streams of --seed fixed by k, so the output is the\n" +
			"same for any number of workers; run 0 is the single run. The default seed 44 is\n" +
			"the authors' rng(44), but Go's stream is not MATLAB's.\n\n" +
			"The CSV has one row per trial (and run): trial, E_mean, E_sd, I_mean, I_sd (over\n" +
			"units, of the trial-filtered rates before the floor, which drive the rule),\n" +
			"E_min, E_max, I_min, I_max, meanE, meanI (the trial's own window means), WEEp,\n" +
			"WEIp, WIEp, WIIp (mean summed incoming weights after the trial's update), run.\n" +
			"--sigma 0 makes a run deterministic. --out draws rates (units thin, means\n" +
			"thick; Figs. 5B, 6B), traces (Figs. 5C, 6C), balance (summed E against I input\n" +
			"per unit at the start and end with the balance line of Methods Eqs. 4-5; Figs.\n" +
			"5D-E, 6D-E), weights (the matrix before and after; Figs. 5F, 6F) and, with\n" +
			"--runs, runs (final means ± SEM and initial vs final means; Figs. 5G-H, 6G-H).\n\n" +
			"Sharding (cluster arrays): --shard i/N, or SLURM_ARRAY_TASK_ID/COUNT, or\n" +
			"JOB_COMPLETION_INDEX with --shards N, computes only runs [i*M/N, (i+1)*M/N) of\n" +
			"--runs M, seeded as in the whole batch, and writes them (run 0 with its whole\n" +
			"network) with a manifest into --out DIR (no CSV, no figures). 'paradox merge\n" +
			"--out DIR2 SHARD_DIR...' checks the shards and writes the per-trial CSV, the\n" +
			"per-run CSV of --runs-csv and the figures of the unsharded run; see 'paradox\n" +
			"merge --help'.\n\n" +
			"Examples:\n" +
			"   paradox multiunit --rule cross --rates 2e-5 --csv fig5.csv --out fig5          # Figs. 5B-F\n" +
			"   paradox multiunit --rule twoterm --rates 1e-5 --csv fig6.csv --out fig6        # Figs. 6B-F\n" +
			"   paradox multiunit --rule cross --runs 400 --csv fig5gh.csv --runs-csv fig5gh_runs.csv --out fig5gh   # Figs. 5G-H\n" +
			"   paradox multiunit --rule twoterm --runs 400 --csv fig6gh.csv --runs-csv fig6gh_runs.csv --out fig6gh # Figs. 6G-H\n" +
			"   paradox multiunit --rule cross --init-dist lognormal --out figS5               # Fig. S5\n" +
			"   paradox multiunit --rule cross --runs 400 --shard 3/8 --out shards/3 && paradox merge --out fig5gh shards/*\n" +
			"   paradox multiunit --rule twoterm --sigma 0 --init w0.csv --csv run.csv       # from weights made elsewhere",
		Flags:  flags,
		Action: multiunitAction,
	}
}

// muRuleFlags are ruleFlags whose --rates default depends on the rule.
func muRuleFlags() []cli.Flag {
	fs := simRuleFlags("cross", "")
	for _, f := range fs {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "rates" {
			sf.Usage = fmt.Sprintf("learning rates per synapse `aEE,aEI,aIE,aII` (one value = all four; default %g with --rule cross as Fig. 5, else %g as Fig. 6)",
				multiunit.AlphaCross, multiunit.AlphaTwoTerm)
		}
	}
	return fs
}

// muNeuralFlags are simNeuralFlags with the authors' Fig. 5-6 seed.
func muNeuralFlags() []cli.Flag {
	fs := simNeuralFlags("10")
	for _, f := range fs {
		if uf, ok := f.(*cli.Uint64Flag); ok && uf.Name == "seed" {
			uf.Value = multiunit.SeedPaper
			uf.Usage = "seed `K` of the initial weights and the noise (44: the authors' rng(44), a different stream)"
		}
	}
	return fs
}

// muJob is a resolved multiunit command.
type muJob struct {
	cfg    multiunit.BatchConfig
	params model.Params
	jrule  *jacobian.Rule // the family's rule, which rule applies per synapse
	rule   *multiunit.Rule
	w0     *multiunit.Weights // from --init, else nil
	seed   uint64
	prov   provenance.Info
}

func multiunitAction(c *cli.Context) error {
	j, err := resolveMultiunit(c)
	if err != nil {
		return err
	}
	sh, err := resolveShardOf(c, j.cfg.Runs, "runs")
	if err != nil {
		return err
	}
	if sh.on {
		return j.shard(c, sh)
	}
	bar := newBar(c, "multiunit", j.cfg.Runs*j.cfg.Trials)
	var res multiunit.BatchResult
	var runErr error
	if j.cfg.Runs == 1 {
		res, runErr = j.single(c, bar.Func())
	} else {
		res, runErr = multiunit.Batch(c.Context, j.cfg, j.rule, j.seed, bar.Func())
	}
	bar.Done()
	var ce *sim.ConfigError
	if errors.As(runErr, &ce) {
		return muError(runErr)
	}
	if err := j.write(c, &res); err != nil {
		return err
	}
	muReport(c, &res)
	if runErr != nil {
		return fmt.Errorf("multiunit: %w (the completed trials are written)", runErr)
	}
	return nil
}

// single runs one network, from --init or drawn as run 0 of a batch.
func (j *muJob) single(c *cli.Context, progress func(done, total int)) (multiunit.BatchResult, error) {
	w0 := j.w0
	if w0 == nil {
		var err error
		if w0, err = j.cfg.Init.Draw(j.cfg.NE, j.cfg.NI, j.seed, 0); err != nil {
			return multiunit.BatchResult{}, err
		}
	}
	r, err := multiunit.Run(c.Context, j.cfg.Config, j.rule, w0, j.seed, 0, progress)
	res := multiunit.BatchResult{Seed: j.seed, Example: r}
	if r.W0 != nil {
		res.Runs = []multiunit.RunSummary{{Run: 0, W0Sums: r.W0.ClassSums(), Trials: r.Trials}}
	}
	var oe *sim.OverflowError
	if errors.As(err, &oe) && len(res.Runs) == 1 {
		res.Runs[0].Err = err
	}
	return res, err
}

// resolveMultiunit reads the command's flags.
func resolveMultiunit(c *cli.Context) (muJob, error) {
	j := muJob{seed: c.Uint64("seed")}
	p, err := resolveParams(c)
	if err != nil {
		return j, err
	}
	j.params = p
	bc := multiunit.DefaultBatchConfig()
	if bc.Config.Config, err = simConfig(c, p); err != nil {
		return j, err
	}
	bc.NE, bc.NI, bc.Runs, bc.Workers = c.Int("ne"), c.Int("ni"), c.Int("runs"), c.Int("workers")
	if bc.Runs < 1 {
		return j, usageErrorf("--runs %d: must be >= 1", bc.Runs)
	}
	if bc.Init, err = muInit(c); err != nil {
		return j, err
	}
	if j.w0, err = muReadInit(c, &bc); err != nil {
		return j, err
	}
	bc.TraceUnits = []int{0, 1, bc.NE, bc.NE + 1}
	if c.String("out") != "" {
		if bc.TraceTrials, err = simTraceTrials(c, bc.Trials); err != nil {
			return j, err
		}
		bc.TraceEvery = 5
	}
	bc.KeepUnits = c.String("out") != "" || c.String("units-csv") != ""
	j.cfg = bc

	if !c.IsSet("rates") {
		a := multiunit.AlphaTwoTerm
		if c.String("rule") == "cross" && c.String("rule-file") == "" {
			a = multiunit.AlphaCross
		}
		if err := c.Set("rates", strconv.FormatFloat(a, 'g', -1, 64)); err != nil {
			return j, err
		}
	}
	j.prov = newProvenance(c)
	rule, err := simRule(c, p, &j.prov)
	if err != nil {
		return j, err
	}
	j.jrule = rule
	if j.rule, err = multiunit.NewRule(rule); err != nil {
		return j, usageErrorf("--rule %s: %v", rule.Family.Name, err)
	}
	j.setProvenance()
	return j, nil
}

// shard computes one shard of a batch: the runs [sh.lo, sh.hi) go to
// DIR/multiunit.runs.json (run 0 with its whole network, for the
// panels of one network), then its manifest to
// DIR/multiunit.manifest.json. The data file is opened (under a
// temporary name) before the runs start, so that an unwritable --out
// fails at once and a killed shard leaves nothing that looks finished.
func (j *muJob) shard(c *cli.Context, sh shard) error {
	dir := c.String("out")
	if dir == "" {
		return usageErrorf("--shard: give --out DIR for the shard's files")
	}
	for _, name := range []string{"csv", "units-csv", "runs-csv", "init-out", "weights-out"} {
		if c.IsSet(name) {
			return usageErrorf("--%s: a shard writes only its runs; 'paradox merge' writes the CSVs and figures", name)
		}
	}
	if j.w0 != nil {
		return usageErrorf("--init: a sharded batch draws the weights of every run; give no --init")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}
	data := filepath.Join(dir, muData)
	w, commit, abort, err := streamFile(data, func(*bufio.Writer) error { return nil })
	if err != nil {
		return err
	}
	defer abort()

	bc := j.cfg
	bc.Range = [2]int{sh.lo, sh.hi}
	bar := newBar(c, "multiunit", (sh.hi-sh.lo)*bc.Trials)
	res, err := multiunit.Batch(c.Context, bc, j.rule, j.seed, bar.Func())
	bar.Done()
	var ce *sim.ConfigError
	if errors.As(err, &ce) {
		return muError(err)
	} else if err != nil {
		return fmt.Errorf("multiunit: %w", err)
	}
	if err := writeMultiunitRuns(w, &res); err != nil {
		return fmt.Errorf("writing %s: %w", data, err)
	}
	if err := commit(); err != nil {
		return err
	}
	return writeMultiunitShard(c, dir, newMultiunitConfig(j), sh, data)
}

// muInit reads the --init-* flags.
func muInit(c *cli.Context) (multiunit.Init, error) {
	kind, err := multiunit.ParseInitKind(c.String("init-dist"))
	if err != nil {
		return multiunit.Init{}, usageErrorf("--init-dist: %v", err)
	}
	in := multiunit.DefaultInit(kind)
	err = simFloats(c, map[string]*float64{
		"init-mean": &in.Mean, "init-sd": &in.SD, "init-lo": &in.Lo, "init-hi": &in.Hi, "conn-prob": &in.ConnProb,
	})
	return in, err
}

// muReadInit reads --init, if given, and fits the network to it.
func muReadInit(c *cli.Context, bc *multiunit.BatchConfig) (*multiunit.Weights, error) {
	path := c.String("init")
	if path == "" {
		return nil, nil
	}
	for _, name := range []string{"init-dist", "init-mean", "init-sd", "init-lo", "init-hi", "conn-prob"} {
		if c.IsSet(name) {
			return nil, usageErrorf("--init %s: --%s does not apply to weights read from a file", path, name)
		}
	}
	if bc.Runs > 1 {
		return nil, usageErrorf("--init %s: give one run (--runs 1); every run of a batch draws its own weights", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("--init: %v", err)
	}
	defer f.Close()
	w, warnings, err := multiunit.ReadCSV(f, bc.NE)
	if err != nil {
		return nil, usageErrorf("--init %s: %v", path, err)
	}
	for _, wa := range warnings {
		warnf(c, "--init %s: %v", path, wa)
	}
	if c.IsSet("ni") && w.NI != bc.NI {
		return nil, usageErrorf("--init %s: %d I units (the matrix is %d x %d with --ne %d), but --ni %d", path, w.NI, w.N(), w.N(), bc.NE, bc.NI)
	}
	bc.NI = w.NI
	return w, nil
}

// setProvenance records the resolved settings.
func (j *muJob) setProvenance() {
	bc := &j.cfg
	simSetConfig(&j.prov, bc.Config.Config, j.seed)
	j.prov.Set("ne", bc.NE)
	j.prov.Set("ni", bc.NI)
	j.prov.Set("runs", bc.Runs)
	if j.w0 != nil {
		j.prov.Set("init", "file")
		j.prov.Set("w0_sums", fmt.Sprint(j.w0.ClassSums().Array()))
	} else {
		j.prov.Set("init", bc.Init.Kind)
		j.prov.Set("init_detail", fmt.Sprintf("mean=%g sd=%g lo=%g hi=%g conn_prob=%g",
			bc.Init.Mean, bc.Init.SD, bc.Init.Lo, bc.Init.Hi, bc.Init.ConnProb))
	}
	j.prov.Set("synapse_rule", strings.Join(j.rule.Describe(), "; "))
}

// muFlagOf names the flag of a multiunit setting.
var muFlagOf = map[string]string{
	"NE": "ne", "NI": "ni", "Runs": "runs", "Init.Mean": "init-mean", "Init.SD": "init-sd",
	"Init.Lo": "init-lo", "Init.Hi": "init-hi", "Init.ConnProb": "conn-prob",
}

// muError is simError with the multiunit settings.
func muError(err error) error {
	var ce *sim.ConfigError
	if errors.As(err, &ce) {
		if flag, ok := muFlagOf[ce.Field]; ok {
			return usageErrorf("--%s %g: must be %s", flag, ce.Value, ce.Want)
		}
	}
	return simError(err)
}

// write writes the CSV files and the figures of a finished command.
func (j *muJob) write(c *cli.Context, res *multiunit.BatchResult) error {
	if err := simCSV(c, c.String("csv"), j.prov, func(w *bufio.Writer) { muTrialsCSV(w, res) }); err != nil {
		return err
	}
	ex := &res.Example
	if path := c.String("units-csv"); path != "" {
		if err := simCSV(c, path, j.prov, func(w *bufio.Writer) { muUnitsCSV(w, ex) }); err != nil {
			return err
		}
	}
	if path := c.String("runs-csv"); path != "" {
		if err := simCSV(c, path, j.prov, func(w *bufio.Writer) { muRunsCSV(w, res) }); err != nil {
			return err
		}
	}
	for _, o := range []struct {
		flag string
		w    *multiunit.Weights
	}{{"init-out", ex.W0}, {"weights-out", ex.W}} {
		path := c.String(o.flag)
		if path == "" || o.w == nil {
			continue
		}
		if err := writeAtomic(path, o.w.WriteCSV); err != nil {
			return err
		}
		infof(c, "wrote %s", path)
	}
	if dir := c.String("out"); dir != "" && ex.W0 != nil {
		return muFigures(c, dir, j.params, res)
	}
	return nil
}

func muTrialsCSV(w *bufio.Writer, res *multiunit.BatchResult) {
	fmt.Fprintln(w, "trial,E_mean,E_sd,I_mean,I_sd,E_min,E_max,I_min,I_max,meanE,meanI,WEEp,WEIp,WIEp,WIIp,run")
	for _, s := range res.Runs {
		for _, r := range s.Trials {
			fmt.Fprintf(w, "%d", r.Trial)
			for _, v := range []float64{r.E, r.ESD, r.I, r.ISD, r.EMin, r.EMax, r.IMin, r.IMax, r.MeanE, r.MeanI,
				r.Sums.WEE, r.Sums.WEI, r.Sums.WIE, r.Sums.WII} {
				fmt.Fprintf(w, ",%s", simFmt(v))
			}
			fmt.Fprintf(w, ",%d\n", s.Run)
		}
	}
}

func muUnitsCSV(w *bufio.Writer, r *multiunit.Result) {
	fmt.Fprintln(w, "trial,unit,pop,index,rate,exc_in,inh_in")
	ne := r.W0.NE
	for t, rates := range r.Units {
		for u, v := range rates {
			pop, idx := "E", u
			if u >= ne {
				pop, idx = "I", u-ne
			}
			fmt.Fprintf(w, "%d,%d,%s,%d,%s,%s,%s\n", t+1, u, pop, idx, simFmt(v), simFmt(r.UnitExc[t][u]), simFmt(r.UnitInh[t][u]))
		}
	}
}

func muRunsCSV(w *bufio.Writer, res *multiunit.BatchResult) {
	fmt.Fprintln(w, "run,trials,meanE0,meanI0,E,E_sd,I,I_sd,WEEp0,WEIp0,WIEp0,WIIp0,WEEp,WEIp,WIEp,WIIp,status")
	for _, s := range res.Runs {
		first, last := s.First(), s.Final()
		fmt.Fprintf(w, "%d,%d", s.Run, len(s.Trials))
		vs := []float64{first.MeanE, first.MeanI, last.E, last.ESD, last.I, last.ISD}
		vs = append(vs, s.W0Sums.WEE, s.W0Sums.WEI, s.W0Sums.WIE, s.W0Sums.WII)
		vs = append(vs, last.Sums.WEE, last.Sums.WEI, last.Sums.WIE, last.Sums.WII)
		for _, v := range vs {
			fmt.Fprintf(w, ",%s", simFmt(v))
		}
		status := "ok"
		if s.Err != nil {
			status = strings.ReplaceAll(s.Err.Error(), ",", ";")
		}
		fmt.Fprintf(w, ",%s\n", status)
	}
}

// muReport prints the final rates on stderr.
func muReport(c *cli.Context, res *multiunit.BatchResult) {
	if len(res.Runs) == 1 {
		f := res.Runs[0].Final()
		infof(c, "final rates over units: E = %.3f ± %.3f Hz (range %.3f-%.3f), I = %.3f ± %.3f Hz (range %.3f-%.3f)",
			f.E, f.ESD, f.EMin, f.EMax, f.I, f.ISD, f.IMin, f.IMax)
		return
	}
	e, i := res.FinalRates()
	infof(c, "final population means over %d runs: E = %.3f ± %.3f Hz, I = %.3f ± %.3f Hz (mean ± SEM)",
		e.N, e.Mean, e.SEM, i.Mean, i.SEM)
}

// muFigures draws the panels of Figs. 5-6 into dir.
func muFigures(c *cli.Context, dir string, p model.Params, res *multiunit.BatchResult) error {
	ex := &res.Example
	rates, err := reports.MultiunitRatesPlot(ex, p.Eset, p.Iset, 20)
	if err != nil {
		return err
	}
	if err := simSave(c, dir, "rates", 6, 4, [][]*plot.Plot{{rates}}); err != nil {
		return err
	}
	var row []*plot.Plot
	for k := range ex.Traces {
		pl, err := reports.MultiunitTracePlot(&ex.Traces[k], ex.W0.NE, p.Eset, p.Iset)
		if err != nil {
			return err
		}
		row = append(row, pl)
	}
	if len(row) > 0 {
		if err := simSave(c, dir, "traces", 2.6*float64(len(row)), 2.6, [][]*plot.Plot{row}); err != nil {
			return err
		}
	}
	var bal [2][2]*plot.Plot
	for r, w := range []*multiunit.Weights{ex.W0, ex.W} {
		for col, inh := range []bool{false, true} {
			title := fmt.Sprintf("%s units, %s", map[bool]string{false: "E", true: "I"}[inh], []string{"start", "end"}[r])
			if bal[r][col], err = reports.MultiunitBalancePlot(w, p, inh, title); err != nil {
				return err
			}
		}
	}
	if err := simSave(c, dir, "balance", 6, 6, [][]*plot.Plot{bal[0][:], bal[1][:]}); err != nil {
		return err
	}
	vmax := 0.0
	for _, v := range append(append([]float64(nil), ex.W0.W...), ex.W.W...) {
		vmax = math.Max(vmax, math.Abs(v))
	}
	before, err := reports.MultiunitWeightsPlot(ex.W0, "weights before", vmax)
	if err != nil {
		return err
	}
	after, err := reports.MultiunitWeightsPlot(ex.W, "weights after", vmax)
	if err != nil {
		return err
	}
	if err := simSave(c, dir, "weights", 8, 4, [][]*plot.Plot{{before, after}}); err != nil {
		return err
	}
	if len(res.Runs) < 2 {
		return nil
	}
	final, err := reports.MultiunitFinalRatesPlot(res, p.Eset, p.Iset)
	if err != nil {
		return err
	}
	both, err := reports.MultiunitInitialFinalPlot(res, p.Eset, p.Iset)
	if err != nil {
		return err
	}
	return simSave(c, dir, "runs", 7, 3.5, [][]*plot.Plot{{final, both}})
}
