package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/reports"
	"github.com/paradoxlab/paradox/sim"
	"github.com/urfave/cli/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// The rate-model simulations: simulate (one development run, trial-based
// or online), ensemble (many runs from random weights) and step (the
// paradoxical-effect experiment).

const simCategory = "simulation"

// simNeuralFlags are the settings of the neural dynamics (sim.Neural).
func simNeuralFlags(sigma string) []cli.Flag {
	d := sim.DefaultNeural()
	f := func(name string, v float64, usage string) cli.Flag {
		return &cli.StringFlag{Name: name, Category: simCategory, Usage: fmt.Sprintf("%s (default %g)", usage, v)}
	}
	return []cli.Flag{
		&cli.StringFlag{Name: "sigma", Value: sigma, Category: simCategory,
			Usage: "OU noise σ in s^-½ (the paper's 10, i.e. 0.1 per 0.1-ms step); 0 turns the noise off and makes the run deterministic"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Category: simCategory, Usage: "seed `K` of the noise (and of the initial weights in ensemble)"},
		f("dt", d.Dt, "Euler step in ms"),
		f("tau-ou", d.TauOU, "noise correlation time τOU in ms"),
		f("emax", d.EMax, "E rate ceiling in Hz"),
		f("imax", d.IMax, "I rate ceiling in Hz"),
		f("pulse-amp", d.PulseAmp, "amplitude of the pulse into E"),
		f("pulse-ms", d.PulseMs, "pulse length in ms"),
		&cli.BoolFlag{Name: "half-open", Category: simCategory,
			Usage: "read durations as the paper does (100-sample pulse, 5000-sample window) instead of the code's inclusive ranges (101, 5001)"},
	}
}

// simProtocolFlags are the trial-protocol settings (sim.Config).
func simProtocolFlags(trials int) []cli.Flag {
	d := sim.DefaultConfig()
	f := func(name string, v float64, usage string) cli.Flag {
		return &cli.StringFlag{Name: name, Category: simCategory, Usage: fmt.Sprintf("%s (default %g)", usage, v)}
	}
	return []cli.Flag{
		&cli.IntFlag{Name: "trials", Value: trials, Category: simCategory, Usage: "number of trials `N`"},
		f("trial-ms", d.TrialMs, "trial length in ms"),
		f("pulse-onset", d.PulseOnsetMs, "pulse onset in ms from the trial start"),
		f("window-ms", d.WindowMs, "averaging window at the end of a trial in ms"),
		f("trial-tau", d.TrialTau, "time constant of the across-trial filter in trials (1: none)"),
		f("rate-floor", d.RateFloor, "floor on the filtered rates entering the rule in Hz (0: none)"),
		f("weight-floor", d.WeightFloor, "least value of a weight after an update"),
	}
}

// simFloats sets each *dst from its flag when the flag is given.
func simFloats(c *cli.Context, dsts map[string]*float64) error {
	for name, dst := range dsts {
		if !c.IsSet(name) {
			continue
		}
		v, err := parseFloat(name, c.String(name))
		if err != nil {
			return err
		}
		*dst = v
	}
	return nil
}

// simNeural resolves the neural settings over sim.DefaultNeural.
func simNeural(c *cli.Context, p model.Params) (sim.Neural, error) {
	n := sim.DefaultNeural()
	n.Params = p
	n.HalfOpen = c.Bool("half-open")
	sigma, err := parseFloat("sigma", c.String("sigma"))
	if err != nil {
		return n, err
	}
	if sigma < 0 {
		return n, usageErrorf("--sigma %g: must be >= 0", sigma)
	}
	n.Sigma = sigma
	err = simFloats(c, map[string]*float64{
		"dt": &n.Dt, "tau-ou": &n.TauOU, "emax": &n.EMax, "imax": &n.IMax,
		"pulse-amp": &n.PulseAmp, "pulse-ms": &n.PulseMs,
	})
	return n, err
}

// simConfig resolves the trial protocol.
func simConfig(c *cli.Context, p model.Params) (sim.Config, error) {
	cfg := sim.DefaultConfig()
	var err error
	if cfg.Neural, err = simNeural(c, p); err != nil {
		return cfg, err
	}
	cfg.Trials = c.Int("trials")
	if cfg.Trials < 1 {
		return cfg, usageErrorf("--trials %d: must be >= 1", cfg.Trials)
	}
	err = simFloats(c, map[string]*float64{
		"trial-ms": &cfg.TrialMs, "pulse-onset": &cfg.PulseOnsetMs, "window-ms": &cfg.WindowMs,
		"trial-tau": &cfg.TrialTau, "rate-floor": &cfg.RateFloor, "weight-floor": &cfg.WeightFloor,
	})
	return cfg, err
}

// simWeights parses --weights.
func simWeights(c *cli.Context) (model.Weights, error) {
	vs, err := parseFloats("weights", c.String("weights"))
	if err != nil {
		return model.Weights{}, err
	}
	if len(vs) != 4 {
		return model.Weights{}, usageErrorf("--weights %q: want four values WEE,WEI,WIE,WII", c.String("weights"))
	}
	return model.FromArray([4]float64(vs)), nil
}

// simError turns a sim.ConfigError into a usage error (exit 2); other
// errors (overflow, cancellation) stay failures (exit 1).
func simError(err error) error {
	var ce *sim.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	if flag, ok := simFlagOf[ce.Field]; ok {
		return usageErrorf("--%s %g: must be %s", flag, ce.Value, strings.ReplaceAll(ce.Want, "Dt", "--dt"))
	}
	return usageError{err}
}

// simFlagOf names the flag of a sim setting.
var simFlagOf = map[string]string{
	"Dt": "dt", "Sigma": "sigma", "TauOU": "tau-ou", "EMax": "emax", "IMax": "imax",
	"PulseAmp": "pulse-amp", "PulseMs": "pulse-ms", "Params.TauE": "taue", "Params.TauI": "taui",
	"TrialMs": "trial-ms", "PulseOnsetMs": "pulse-onset", "WindowMs": "window-ms",
	"TrialTau": "trial-tau", "RateFloor": "rate-floor", "WeightFloor": "weight-floor",
	"Trials": "trials", "DurationMs": "duration", "CaTauMs": "ca-tau", "PulseRateHz": "pulse-rate",
	"ForcedOnsetMs": "forced-onset", "RecordEveryMs": "record-every", "KickOnsetMs": "kick-onset",
	"StepOnsetMs": "step-onset", "StepMs": "step-ms", "AverageMs": "average-ms",
}

// simRule resolves the rule like resolveRule and records it.
func simRule(c *cli.Context, p model.Params, prov *provenance.Info) (*jacobian.Rule, error) {
	rule, err := resolveRule(c, p)
	if err != nil {
		return nil, err
	}
	prov.Set("rule", rule.Family.Name)
	prov.Set("rates", ratesString(rule.Family, rule.Rates))
	return rule, nil
}

// simSetNeural records the resolved neural settings.
func simSetNeural(prov *provenance.Info, n sim.Neural, seed uint64) {
	p := n.Params
	for _, k := range model.ParamKeys() {
		v, _ := p.Get(k)
		prov.Set(k, v)
	}
	prov.Set("sigma", n.Sigma)
	prov.Set("seed", seed)
	prov.Set("dt_ms", n.Dt)
	prov.Set("tau_ou_ms", n.TauOU)
	prov.Set("emax", n.EMax)
	prov.Set("imax", n.IMax)
	prov.Set("pulse_amp", n.PulseAmp)
	prov.Set("pulse_ms", n.PulseMs)
	prov.Set("half_open", n.HalfOpen)
}

// simSetConfig records the resolved protocol.
func simSetConfig(prov *provenance.Info, cfg sim.Config, seed uint64) {
	simSetNeural(prov, cfg.Neural, seed)
	prov.Set("trials", cfg.Trials)
	prov.Set("trial_ms", cfg.TrialMs)
	prov.Set("pulse_onset_ms", cfg.PulseOnsetMs)
	prov.Set("window_ms", cfg.WindowMs)
	prov.Set("trial_tau", cfg.TrialTau)
	prov.Set("rate_floor", cfg.RateFloor)
	prov.Set("weight_floor", cfg.WeightFloor)
}

// simCSV writes a CSV with provenance comments to path, or to stdout
// when path is "".
func simCSV(c *cli.Context, path string, prov provenance.Info, body func(w *bufio.Writer)) error {
	write := func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := prov.WriteComments(bw, false); err != nil {
			return err
		}
		body(bw)
		return bw.Flush()
	}
	if path == "" || path == "-" {
		return write(c.App.Writer)
	}
	if err := writeAtomic(path, write); err != nil {
		return err
	}
	infof(c, "wrote %s", path)
	return nil
}

// simFmt formats a float in full precision.
func simFmt(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// simSave writes the panels rows as DIR/name.png and DIR/name.svg.
func simSave(c *cli.Context, dir, name string, w, h float64, rows [][]*plot.Plot) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, format := range []string{"png", "svg"} {
		path := filepath.Join(dir, name+"."+format)
		err := writeAtomic(path, func(out io.Writer) error {
			return reports.WritePanels(out, format, vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch, rows)
		})
		if err != nil {
			return err
		}
		infof(c, "wrote %s", path)
	}
	return nil
}

// simulate

func simulateCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "weights", Value: "2.1,3,4,1.5",
			Usage: "initial weights `WEE,WEI,WIE,WII` (default: the code's Fig. 4B start; the legend says WII = 2)"},
		&cli.StringFlag{Name: "csv", Usage: "write the per-trial CSV to `FILE` instead of stdout"},
		&cli.StringFlag{Name: "out", Usage: "write the figures (PNG and SVG) to folder `DIR`"},
		&cli.StringFlag{Name: "trace-trials", Value: "1,20,100,500",
			Usage: "`TRIALS` whose E and I traces are drawn with --out (comma-separated; beyond --trials they are dropped)"},
		&cli.BoolFlag{Name: "online", Category: "online mode (Fig. S4)",
			Usage: "update the weights at every step from 1-s rate sensors, in one continuous run (no rate floor; default rates 5e-7 per step)"},
		&cli.StringFlag{Name: "duration", Value: "100000", Category: "online mode (Fig. S4)", Usage: "length of the online run in `MS`"},
		&cli.StringFlag{Name: "ca-tau", Value: "1000", Category: "online mode (Fig. S4)", Usage: "time constant of the rate sensors in `MS`"},
		&cli.StringFlag{Name: "pulse-rate", Value: "0.1", Category: "online mode (Fig. S4)", Usage: "rate of the random pulses in `HZ`"},
		&cli.StringFlag{Name: "forced-onset", Value: "200", Category: "online mode (Fig. S4)", Usage: "time of an extra pulse in `MS` (0: none)"},
		&cli.StringFlag{Name: "record-every", Value: "10", Category: "online mode (Fig. S4)", Usage: "time between CSV rows in `MS`"},
		quietFlag,
	}
	flags = append(flags, simRuleFlags("cross", "5e-4")...)
	flags = append(flags, simProtocolFlags(500)...)
	flags = append(flags, simNeuralFlags("10")...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "simulate",
		Usage:     "one development run of the two-population rate model with plasticity (Figs. 2B-C, 2E, 4B-C, S4)",
		UsageText: "paradox simulate [--rule R] [--rates A] [--weights WEE,WEI,WIE,WII] [--trials N] [--sigma S] [--seed K] [--csv FILE] [--out DIR]",
		Description: "Runs the authors' trial protocol: every trial starts at E = I = 0, lasts 2 s\n" +
			"(forward Euler, dt = 0.1 ms, I updated from the new E), gets a 10-ms pulse of 7\n" +
			"into E at 250 ms and OU noise carried across trials; the mean rates over the\n" +
			"last 0.5 s are filtered across trials (τ = 2 trials), floored at 1 Hz, and the\n" +
			"four weights take one step of the rule (floor 0.1). Defaults follow the\n" +
			"authors' MATLAB code; the paper's readings are options (--half-open, --weights).\n\n" +
			"The CSV has one row per trial: trial, the weights after that trial's update,\n" +
			"E and I (the trial-filtered rates that drove it, before the floor) and meanE,\n" +
			"meanI (the trial's own window means). --sigma 0 makes the run deterministic.\n" +
			"With --online the weights change at every step instead (Fig. S4) and the CSV\n" +
			"has one row per --record-every ms.\n\n" +
			"Examples:\n" +
			"   paradox simulate --rule cross --rates 5e-4 --trials 500 --csv fig4b.csv --out fig4bc      # Figs. 4B-C\n" +
			"   paradox simulate --rule standard --rates 1e-4 --trials 1000 --trace-trials 1,200,600,1000 --out fig2bc  # Figs. 2B-C\n" +
			"   paradox simulate --rule standard --rates 1e-4 --weights 5,1.09,10,1.54 --trace-trials 1,500 --out fig2e  # Fig. 2E\n" +
			"   paradox simulate --online --weights 2.1,3,4,2 --out figS4                                 # Fig. S4",
		Flags:  flags,
		Action: simulateAction,
	}
}

// simRuleFlags are ruleFlags with another default rule and rate.
func simRuleFlags(rule, rate string) []cli.Flag {
	fs := ruleFlags(rule)
	for _, f := range fs {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "rates" {
			sf.Value = rate
		}
	}
	return fs
}

func simulateAction(c *cli.Context) error {
	p, err := resolveParams(c)
	if err != nil {
		return err
	}
	w0, err := simWeights(c)
	if err != nil {
		return err
	}
	if c.Bool("online") {
		return simulateOnline(c, p, w0)
	}
	cfg, err := simConfig(c, p)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if cfg.TraceTrials, err = simTraceTrials(c, cfg.Trials); err != nil {
			return err
		}
		cfg.TraceEvery = 5
	}
	prov := newProvenance(c)
	rule, err := simRule(c, p, &prov)
	if err != nil {
		return err
	}
	seed := c.Uint64("seed")
	simSetConfig(&prov, cfg, seed)
	prov.Set("weights0", fmt.Sprint(w0.Array()))

	bar := newBar(c, "simulate", cfg.Trials)
	res, runErr := sim.Run(c.Context, cfg, rule, w0, seed, bar.Func())
	bar.Done()
	var ce *sim.ConfigError
	if errors.As(runErr, &ce) {
		return simError(runErr)
	}
	err = simCSV(c, c.String("csv"), prov, func(w *bufio.Writer) {
		fmt.Fprintln(w, "trial,WEE,WEI,WIE,WII,E,I,meanE,meanI")
		for _, r := range res.Trials {
			fmt.Fprintf(w, "%d,%s,%s,%s,%s,%s,%s,%s,%s\n", r.Trial,
				simFmt(r.W.WEE), simFmt(r.W.WEI), simFmt(r.W.WIE), simFmt(r.W.WII), simFmt(r.E), simFmt(r.I), simFmt(r.MeanE), simFmt(r.MeanI))
		}
	})
	if err != nil {
		return err
	}
	if out != "" {
		if err := simulateFigures(c, out, p, &res); err != nil {
			return err
		}
	}
	if runErr != nil {
		return fmt.Errorf("simulate: %w (the %d completed trials are written)", runErr, len(res.Trials))
	}
	return nil
}

// simTraceTrials parses --trace-trials; the default drops trials beyond
// n, an explicit list must lie within [1, n].
func simTraceTrials(c *cli.Context, n int) ([]int, error) {
	var ts []int
	for _, s := range strings.Split(c.String("trace-trials"), ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		t, err := strconv.Atoi(s)
		if err != nil || t < 1 {
			return nil, usageErrorf("--trace-trials %q: want trial numbers >= 1", c.String("trace-trials"))
		}
		if t > n {
			if c.IsSet("trace-trials") {
				return nil, usageErrorf("--trace-trials: trial %d is beyond --trials %d", t, n)
			}
			continue
		}
		ts = append(ts, t)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	if len(ts) == 0 {
		ts = []int{n}
	}
	return ts, nil
}

// simulateFigures draws Figs. 2B-C / 4B-C: traces.* (one panel per
// traced trial) and development.* (mean rates and weights across trials).
func simulateFigures(c *cli.Context, dir string, p model.Params, res *sim.Result) error {
	var row []*plot.Plot
	for k := range res.Traces {
		pl, err := reports.SimTracePlot(&res.Traces[k], p.Eset, p.Iset, "")
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
	rates, err := reports.SimRatesPlot(res.Trials, p.Eset, p.Iset)
	if err != nil {
		return err
	}
	weights, err := reports.SimWeightsPlot(res.Trials, res.W0)
	if err != nil {
		return err
	}
	return simSave(c, dir, "development", 6, 6, [][]*plot.Plot{{rates}, {weights}})
}

// simulateOnline is simulate --online (Fig. S4).
func simulateOnline(c *cli.Context, p model.Params, w0 model.Weights) error {
	cfg := sim.DefaultOnlineConfig()
	var err error
	if cfg.Neural, err = simNeural(c, p); err != nil {
		return err
	}
	err = simFloats(c, map[string]*float64{
		"duration": &cfg.DurationMs, "ca-tau": &cfg.CaTauMs, "pulse-rate": &cfg.PulseRateHz,
		"forced-onset": &cfg.ForcedOnsetMs, "record-every": &cfg.RecordEveryMs, "weight-floor": &cfg.WeightFloor,
		"rate-floor": &cfg.RateFloor,
	})
	if err != nil {
		return err
	}
	if !c.IsSet("rates") {
		if err := c.Set("rates", "5e-7"); err != nil {
			return err
		}
	}
	prov := newProvenance(c)
	rule, err := simRule(c, p, &prov)
	if err != nil {
		return err
	}
	seed := c.Uint64("seed")
	simSetNeural(&prov, cfg.Neural, seed)
	prov.Set("mode", "online")
	prov.Set("duration_ms", cfg.DurationMs)
	prov.Set("ca_tau_ms", cfg.CaTauMs)
	prov.Set("pulse_rate_hz", cfg.PulseRateHz)
	prov.Set("forced_onset_ms", cfg.ForcedOnsetMs)
	prov.Set("rate_floor", cfg.RateFloor)
	prov.Set("weight_floor", cfg.WeightFloor)
	prov.Set("weights0", fmt.Sprint(w0.Array()))

	bar := newBar(c, "simulate --online", 1)
	res, runErr := sim.RunOnline(c.Context, cfg, rule, w0, seed, bar.Func())
	bar.Done()
	var ce *sim.ConfigError
	if errors.As(runErr, &ce) {
		return simError(runErr)
	}
	prov.Set("pulse_onsets_ms", fmt.Sprint(res.OnsetsMs))
	err = simCSV(c, c.String("csv"), prov, func(w *bufio.Writer) {
		fmt.Fprintln(w, "t_ms,E,I,CaE,CaI,WEE,WEI,WIE,WII")
		for _, s := range res.Samples {
			fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", simFmt(s.TMs), simFmt(s.E), simFmt(s.I), simFmt(s.CaE), simFmt(s.CaI),
				simFmt(s.W.WEE), simFmt(s.W.WEI), simFmt(s.W.WIE), simFmt(s.W.WII))
		}
	})
	if err != nil {
		return err
	}
	if dir := c.String("out"); dir != "" {
		rates, weights, err := reports.SimOnlinePlots(&res, p.Eset, p.Iset)
		if err != nil {
			return err
		}
		if err := simSave(c, dir, "online", 6, 6, [][]*plot.Plot{{rates}, {weights}}); err != nil {
			return err
		}
	}
	if runErr != nil {
		return fmt.Errorf("simulate --online: %w", runErr)
	}
	return nil
}

// ensemble

func ensembleCommand() *cli.Command {
	d := sim.DefaultInit(sim.InitPlane)
	flags := []cli.Flag{
		&cli.IntFlag{Name: "runs", Value: 100, Usage: "number of runs `M`"},
		&cli.StringFlag{Name: "init", Value: "plane",
			Usage: fmt.Sprintf("initial weights: plane (WEE in [%g,%g], WIE in [%g,%g] on the setpoint plane, each weight scaled by 1±%g; Fig. 4D) or broad (each weight uniform in [0.5, (3,5,8,3)], redrawn until the network is silent)",
				d.WEE[0], d.WEE[1], d.WIE[0], d.WIE[1], d.Jitter)},
		&cli.StringFlag{Name: "setpoints", Usage: "run one ensemble per setpoint pair `ESET:ISET,...` (Fig. 4F-G: 5:14,5:28,10:14); default --eset:--iset"},
		&cli.IntFlag{Name: "workers", Usage: "parallel runs (0: all cores); the output does not depend on it"},
		&cli.IntFlag{Name: "keep-every", Value: 10, Usage: "keep every `N`-th trial of each run for the trajectories"},
		&cli.StringFlag{Name: "csv", Usage: "write the per-run CSV to `FILE` instead of stdout"},
		&cli.StringFlag{Name: "out", Usage: "write the figures (PNG and SVG) to folder `DIR` (with --shard: the shard's files)"},
		quietFlag,
	}
	flags = append(flags, shardFlags()...)
	flags = append(flags, simRuleFlags("cross", "5e-4")...)
	flags = append(flags, simProtocolFlags(1000)...)
	flags = append(flags, simNeuralFlags("10")...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "ensemble",
		Usage:     "many development runs from random initial weights, in parallel (Figs. 2D, 4D-G)",
		UsageText: "paradox ensemble [--rule R] [--rates A] [--runs M] [--trials N] [--init plane|broad] [--setpoints 5:14,...] [--seed K] [--csv FILE] [--out DIR]",
		Description: "Runs M independent runs of the simulate protocol on all cores. Run k draws its\n" +
			"initial weights and its noise from streams of --seed fixed by k, so the output\n" +
			"is the same for any number of workers. The paper's initialisations are in its\n" +
			"supplementary methods, which we do not have; --init offers two of ours.\n\n" +
			"The CSV has one row per run: Eset, Iset, run, the initial and final weights,\n" +
			"the final trial-filtered rates E and I, the trials done and the status\n" +
			"(ok, or the overflow that stopped the run; the others go on). --out draws the\n" +
			"weight-space trajectories with the balance lines of Methods Eqs. 4-5\n" +
			"(trajectories_E, trajectories_I), the final rates (mean ± SEM) per setpoint\n" +
			"pair, and the final weights per pair (final_weights).\n\n" +
			"Sharding (cluster arrays): --shard i/N, or SLURM_ARRAY_TASK_ID/COUNT, or\n" +
			"JOB_COMPLETION_INDEX with --shards N, computes only runs [i*M/N, (i+1)*M/N) of\n" +
			"every setpoint pair, seeded as in the whole ensemble, and writes them with a\n" +
			"manifest into --out DIR (no CSV, no figures). 'paradox merge --out DIR2\n" +
			"SHARD_DIR...' checks the shards and writes the CSV data rows and the figures\n" +
			"of the unsharded run; see 'paradox merge --help'.\n\n" +
			"Examples:\n" +
			"   paradox ensemble --rule cross --rates 5e-4 --out fig4de                         # Figs. 4D-E\n" +
			"   paradox ensemble --rule cross --setpoints 5:14,5:28,10:14 --out fig4fg         # Figs. 4F-G\n" +
			"   paradox ensemble --rule standard --rates 1e-4 --init broad --out fig2d         # Fig. 2D\n" +
			"   paradox ensemble --runs 1000 --shard 3/8 --out shards/3 && paradox merge --out fig4de shards/*",
		Flags:  flags,
		Action: ensembleAction,
	}
}

// simPair is one setpoint pair of --setpoints.
type simPair struct{ eset, iset float64 }

func simSetpoints(c *cli.Context, p model.Params) ([]simPair, error) {
	if !c.IsSet("setpoints") {
		return []simPair{{p.Eset, p.Iset}}, nil
	}
	var out []simPair
	for _, s := range strings.Split(c.String("setpoints"), ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
		e, err1 := strconv.ParseFloat(a, 64)
		i, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil || !(e > 0) || !(i > 0) || e > 1e300 || i > 1e300 {
			return nil, usageErrorf("--setpoints %q: want positive pairs ESET:ISET separated by commas", c.String("setpoints"))
		}
		out = append(out, simPair{e, i})
	}
	return out, nil
}

func ensembleAction(c *cli.Context) error {
	e, err := resolveEnsemble(c)
	if err != nil {
		return err
	}
	sh, err := resolveShardOf(c, e.cfg.Sim.Runs, "runs")
	if err != nil {
		return err
	}
	if sh.on {
		return ensembleShard(c, &e, sh)
	}
	results, runErr := e.run(c, sh)
	var ce *sim.ConfigError
	if errors.As(runErr, &ce) {
		return simError(runErr)
	}
	if err := writeEnsembleCSV(c, c.String("csv"), e.prov, e.pairs, results); err != nil {
		return err
	}
	reportEnsemble(c, e.pairs, results)
	if runErr != nil {
		return fmt.Errorf("ensemble: %w", runErr)
	}
	if dir := c.String("out"); dir != "" {
		return ensembleFigures(c, dir, e.pairs, e.params, results)
	}
	return nil
}

// ensembleJob is a resolved ensemble command: its configuration, the
// setpoint pairs with the model constants and the rule of each, and the
// provenance of its CSV.
type ensembleJob struct {
	cfg    ensembleConfig
	pairs  []simPair
	params []model.Params
	rules  []*jacobian.Rule
	prov   provenance.Info
}

// resolveEnsemble reads the ensemble's flags.
func resolveEnsemble(c *cli.Context) (ensembleJob, error) {
	var e ensembleJob
	p, err := resolveParams(c)
	if err != nil {
		return e, err
	}
	if e.pairs, err = simSetpoints(c, p); err != nil {
		return e, err
	}
	ec := sim.DefaultEnsembleConfig()
	if ec.Config, err = simConfig(c, p); err != nil {
		return e, err
	}
	ec.Runs, ec.KeepEvery = c.Int("runs"), c.Int("keep-every")
	if ec.Runs < 1 {
		return e, usageErrorf("--runs %d: must be >= 1", ec.Runs)
	}
	kind, err := sim.ParseInitKind(c.String("init"))
	if err != nil {
		return e, usageErrorf("--init: %v", err)
	}
	ec.Init = sim.DefaultInit(kind)

	seed := c.Uint64("seed")
	e.prov = ensembleProvenance(c, ec, seed, e.pairs)
	for _, sp := range e.pairs {
		q := p
		q.Eset, q.Iset = sp.eset, sp.iset
		rule, err := simRule(c, q, &e.prov)
		if err != nil {
			return e, err
		}
		e.params = append(e.params, q)
		e.rules = append(e.rules, rule)
	}
	e.cfg = newEnsembleConfig(ec, e.rules[0], e.pairs, seed, e.prov.Settings)
	return e, nil
}

// ensembleProvenance records the resolved settings of an ensemble (the
// rule's are added by simRule).
func ensembleProvenance(c *cli.Context, ec sim.EnsembleConfig, seed uint64, pairs []simPair) provenance.Info {
	prov := newProvenance(c)
	simSetConfig(&prov, ec.Config, seed)
	prov.Set("runs", ec.Runs)
	prov.Set("init", ec.Init.Kind)
	prov.Set("init_detail", fmt.Sprintf("%+v", ec.Init))
	prov.Set("setpoints", fmt.Sprint(pairs))
	return prov
}

// newEnsembleConfig returns the configuration of an ensemble.
func newEnsembleConfig(ec sim.EnsembleConfig, rule *jacobian.Rule, pairs []simPair, seed uint64, settings map[string]string) ensembleConfig {
	f := rule.Family
	cfg := ensembleConfig{
		Rule: f.Name, Consts: f.Consts, Rates: rule.Rates, Sim: ec, Seed: seed,
		Settings: maps.Clone(settings), Version: provenance.Version,
	}
	for i, x := range f.Exprs {
		cfg.Exprs[i] = expr.String(x)
	}
	for _, sp := range pairs {
		cfg.Setpoints = append(cfg.Setpoints, [2]float64{sp.eset, sp.iset})
	}
	return cfg
}

// run runs the runs [sh.lo, sh.hi) of every setpoint pair. It stops at
// the first error, with the results so far.
func (e *ensembleJob) run(c *cli.Context, sh shard) ([]sim.EnsembleResult, error) {
	ec := e.cfg.Sim
	ec.Workers = c.Int("workers")
	if sh.on {
		ec.Range = [2]int{sh.lo, sh.hi}
	}
	per := (sh.hi - sh.lo) * ec.Trials
	bar := newBar(c, "ensemble", len(e.pairs)*per)
	defer bar.Done()
	results := make([]sim.EnsembleResult, len(e.pairs))
	for k := range e.pairs {
		ec.Params = e.params[k]
		base := k * per
		var err error
		results[k], err = sim.Ensemble(c.Context, ec, e.rules[k], e.cfg.Seed, func(done, _ int) { bar.Set(base + done) })
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// ensembleShard computes one shard of an ensemble: the runs [sh.lo,
// sh.hi) of every setpoint pair go to DIR/ensemble.runs.json, then its
// manifest to DIR/ensemble.manifest.json. The data file is opened (under
// a temporary name) before the runs start, so that an unwritable --out
// fails at once and a killed shard leaves nothing that looks finished.
func ensembleShard(c *cli.Context, e *ensembleJob, sh shard) error {
	dir := c.String("out")
	switch {
	case dir == "":
		return usageErrorf("--shard: give --out DIR for the shard's files")
	case c.IsSet("csv"):
		return usageErrorf("--csv: a shard writes no CSV; 'paradox merge' writes it")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}
	data := filepath.Join(dir, ensembleData)
	w, commit, abort, err := streamFile(data, func(*bufio.Writer) error { return nil })
	if err != nil {
		return err
	}
	defer abort()

	results, err := e.run(c, sh)
	if err != nil {
		return fmt.Errorf("ensemble: %w", simError(err))
	}
	if err := writeEnsembleRuns(w, results); err != nil {
		return fmt.Errorf("writing %s: %w", data, err)
	}
	if err := commit(); err != nil {
		return err
	}
	return writeEnsembleShard(c, dir, e.cfg, sh, data)
}

// writeEnsembleCSV writes the per-run CSV to path (stdout when "").
func writeEnsembleCSV(c *cli.Context, path string, prov provenance.Info, pairs []simPair, results []sim.EnsembleResult) error {
	return simCSV(c, path, prov, func(w *bufio.Writer) {
		fmt.Fprintln(w, "Eset,Iset,run,WEE0,WEI0,WIE0,WII0,WEE,WEI,WIE,WII,E,I,trials,status")
		for k, r := range results {
			for _, s := range r.Runs {
				if s.Trials == nil && s.Final.Trial == 0 && s.Err == nil && s.W0 == (model.Weights{}) {
					continue // not run (cancelled)
				}
				status := "ok"
				if s.Err != nil {
					status = strconv.Quote(s.Err.Error())
				}
				fmt.Fprintf(w, "%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n",
					simFmt(pairs[k].eset), simFmt(pairs[k].iset), s.Run,
					simFmt(s.W0.WEE), simFmt(s.W0.WEI), simFmt(s.W0.WIE), simFmt(s.W0.WII),
					simFmt(s.Final.W.WEE), simFmt(s.Final.W.WEI), simFmt(s.Final.W.WIE), simFmt(s.Final.W.WII),
					simFmt(s.Final.E), simFmt(s.Final.I), s.Final.Trial, status)
			}
		}
	})
}

// reportEnsemble prints the final rates of each setpoint pair.
func reportEnsemble(c *cli.Context, pairs []simPair, results []sim.EnsembleResult) {
	for k, r := range results {
		e, i := r.FinalRates()
		infof(c, "Eset=%g Iset=%g: final E = %.3f ± %.3f Hz, I = %.3f ± %.3f Hz (mean ± SEM of %d runs; %d stopped)",
			pairs[k].eset, pairs[k].iset, e.Mean, e.SEM, i.Mean, i.SEM, e.N, len(r.Runs)-e.N)
	}
}

// ensembleFigures draws Figs. 2D / 4D-G.
func ensembleFigures(c *cli.Context, dir string, pairs []simPair, params []model.Params, results []sim.EnsembleResult) error {
	for k := range results {
		name := "trajectories"
		if len(results) > 1 {
			name = fmt.Sprintf("trajectories_%g_%g", pairs[k].eset, pairs[k].iset)
		}
		te, err := reports.SimTrajectoriesPlot(&results[k], params[k], reports.SimPairE)
		if err != nil {
			return err
		}
		ti, err := reports.SimTrajectoriesPlot(&results[k], params[k], reports.SimPairI)
		if err != nil {
			return err
		}
		if err := simSave(c, dir, name, 9, 4.5, [][]*plot.Plot{{te, ti}}); err != nil {
			return err
		}
	}
	groups := make([]reports.SimRateGroup, len(results))
	sets := make([]reports.SimWeightSet, len(results))
	for k, r := range results {
		label := fmt.Sprintf("%g / %g Hz", pairs[k].eset, pairs[k].iset)
		e, i := r.FinalRates()
		groups[k] = reports.SimRateGroup{Label: label, E: e, I: i, Eset: pairs[k].eset, Iset: pairs[k].iset}
		sets[k] = reports.SimWeightSet{Label: label, Params: params[k]}
		for _, s := range r.Runs {
			if s.Err == nil {
				sets[k].Final = append(sets[k].Final, s.Final.W)
			}
		}
	}
	fr, err := reports.SimFinalRatesPlot(groups)
	if err != nil {
		return err
	}
	if err := simSave(c, dir, "final_rates", 1.5+1.5*float64(len(groups)), 4, [][]*plot.Plot{{fr}}); err != nil {
		return err
	}
	we, err := reports.SimFinalWeightsPlot(sets, reports.SimPairE)
	if err != nil {
		return err
	}
	wi, err := reports.SimFinalWeightsPlot(sets, reports.SimPairI)
	if err != nil {
		return err
	}
	return simSave(c, dir, "final_weights", 9, 4.5, [][]*plot.Plot{{we, wi}})
}

// step

func stepCommand() *cli.Command {
	d := sim.DefaultStepConfig()
	f := func(name string, v float64, usage string) cli.Flag {
		return &cli.StringFlag{Name: name, Value: simFmt(v), Usage: usage}
	}
	flags := []cli.Flag{
		&cli.StringFlag{Name: "weights", Value: "5,1.52,10,2.25", Usage: "fixed weights `WEE,WEI,WIE,WII` (default: Figs. 1B-C)"},
		f("step-i", d.StepI, "current added to the I input during the step (Fig. 1B: 7; default 0 with --step-weight)"),
		&cli.StringFlag{Name: "step-weight", Usage: "set one weight during the step instead, `NAME=VALUE` (Figs. 1C, 3: WIE=12)"},
		f("duration", d.DurationMs, "length of the run in ms"),
		f("kick-onset", d.KickOnsetMs, "onset of the pulse into E that ignites the Up state, in ms (0: none)"),
		f("step-onset", d.StepOnsetMs, "step onset in ms"),
		f("step-ms", d.StepMs, "step length in ms"),
		f("average-ms", d.AverageMs, "length of the windows before the step and at its end over which the rates are averaged, in ms"),
		&cli.StringFlag{Name: "csv", Usage: "write the trace CSV to `FILE` instead of stdout"},
		&cli.StringFlag{Name: "out", Usage: "write the figure (PNG and SVG) to folder `DIR`"},
	}
	flags = append(flags, simNeuralFlags("0")...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "step",
		Usage:     "the paradoxical-effect experiment on fixed weights: a step of input into I (Figs. 1B-C, 3)",
		UsageText: "paradox step [--weights WEE,WEI,WIE,WII] [--step-i X | --step-weight NAME=VALUE] [--out DIR]",
		Description: "The paradoxical effect: in an inhibition-stabilized network (gE*WEE > 1) more\n" +
			"excitatory drive into the I population lowers the I rate at the new steady\n" +
			"state, because E falls and takes more drive from I than the step adds. step\n" +
			"holds the weights fixed, ignites the Up state with the pulse into E, then adds\n" +
			"--step-i to the I input (or sets one weight, --step-weight) for --step-ms and\n" +
			"reports E and I before and at the end of the step. No noise by default.\n\n" +
			"The CSV is the trace (t_ms from the step onset, E, I); the rates before and\n" +
			"during the step and the verdict go to stderr and into the CSV's comments.\n\n" +
			"Examples:\n" +
			"   paradox step --out fig1b                     # Fig. 1B: Iext = 7 into I, I falls\n" +
			"   paradox step --step-weight WIE=12 --out fig1c  # Figs. 1C, 3B: WIE 10 -> 12, I falls",
		Flags:  flags,
		Action: stepAction,
	}
}

func stepAction(c *cli.Context) error {
	p, err := resolveParams(c)
	if err != nil {
		return err
	}
	sc := sim.DefaultStepConfig()
	if sc.Neural, err = simNeural(c, p); err != nil {
		return err
	}
	if sc.W, err = simWeights(c); err != nil {
		return err
	}
	if sw := c.String("step-weight"); sw != "" {
		name, val, ok := strings.Cut(sw, "=")
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		name = strings.ToUpper(strings.TrimSpace(name))
		if !ok || err != nil || !slices.Contains(model.Names[:], name) {
			return usageErrorf("--step-weight %q: want NAME=VALUE with NAME one of WEE, WEI, WIE, WII", sw)
		}
		if _, err := parseFloat("step-weight", val); err != nil {
			return err
		}
		sc.StepWeight, sc.StepWeightTo = name, v
		if !c.IsSet("step-i") {
			sc.StepI = 0
		}
	}
	err = simFloats(c, map[string]*float64{
		"step-i": &sc.StepI, "duration": &sc.DurationMs, "kick-onset": &sc.KickOnsetMs,
		"step-onset": &sc.StepOnsetMs, "step-ms": &sc.StepMs, "average-ms": &sc.AverageMs,
	})
	if err != nil {
		return err
	}
	seed := c.Uint64("seed")
	r, err := sim.Step(sc, seed)
	if err != nil {
		return simError(err)
	}

	prov := newProvenance(c)
	simSetNeural(&prov, sc.Neural, seed)
	prov.Set("weights", fmt.Sprint(sc.W.Array()))
	prov.Set("weights_during_step", fmt.Sprint(r.WDuring.Array()))
	prov.Set("step_i", sc.StepI)
	prov.Set("duration_ms", sc.DurationMs)
	prov.Set("kick_onset_ms", sc.KickOnsetMs)
	prov.Set("step_onset_ms", sc.StepOnsetMs)
	prov.Set("step_ms", sc.StepMs)
	prov.Set("average_ms", sc.AverageMs)
	verdict := "I rose (not paradoxical)"
	switch {
	case r.IBefore == 0 && r.EBefore == 0:
		verdict = "no Up state before the step, no verdict"
	case r.IDuring == r.IBefore:
		verdict = "I unchanged, no verdict"
	case r.ILowered():
		verdict = "I fell (paradoxical)"
	}
	summary := fmt.Sprintf("E %.4g -> %.4g Hz, I %.4g -> %.4g Hz: %s; gE*WEE = %g",
		r.EBefore, r.EDuring, r.IBefore, r.IDuring, verdict, p.GE*sc.W.WEE)
	prov.Set("result", summary)
	err = simCSV(c, c.String("csv"), prov, func(w *bufio.Writer) {
		fmt.Fprintln(w, "t_ms,E,I")
		for k := range r.Trace.E {
			// Times are multiples of dt; round off the float noise of
			// T0 + k dt (-999.6999999999999 -> -999.7).
			t := strconv.FormatFloat(r.Trace.Time(k), 'f', 6, 64)
			t = strings.TrimRight(strings.TrimRight(t, "0"), ".")
			fmt.Fprintf(w, "%s,%s,%s\n", t, simFmt(r.Trace.E[k]), simFmt(r.Trace.I[k]))
		}
	})
	if err != nil {
		return err
	}
	infof(c, "step: %s", summary)
	if dir := c.String("out"); dir != "" {
		title := fmt.Sprintf("input %g into I", sc.StepI)
		if sc.StepWeight != "" {
			title = fmt.Sprintf("%s %g -> %g", sc.StepWeight, sc.W.Array()[slices.Index(model.Names[:], sc.StepWeight)], sc.StepWeightTo)
		}
		pl, err := reports.SimStepPlot(&r, sc.StepMs, title)
		if err != nil {
			return err
		}
		return simSave(c, dir, "step", 6, 3.5, [][]*plot.Plot{{pl}})
	}
	return nil
}
