package main

import (
	"bufio"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/reports"
	"github.com/paradoxlab/paradox/sim/spiking"
	"github.com/urfave/cli/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func spikingCommand() *cli.Command {
	return &cli.Command{
		Name:  "spiking",
		Usage: "train the 2000-cell spiking network of Fig. 7 and test it for the paradoxical effect",
		Description: "A native port of the authors' Brian2 network (1600 E + 400 I adaptive LIF cells,\n" +
			"25% random connectivity, bi-exponential current synapses, dt = 0.1 ms), trained\n" +
			"trial by trial by the local two-term cross-homeostatic rule from a silent start.\n" +
			"Presets: fig7 (the run drawn in Fig. 7: refractory 2.5/1 ms, alpha 0.008,\n" +
			"weights >= 0.4 pA) and public (the authors' public script: 5/2 ms, 0.005,\n" +
			"5-750 pA). Weights are charges: w pA delivers w fC per spike.\n\n" +
			"Examples:\n" +
			"   paradox spiking train --preset fig7 --trials 3000 --seed 1 --csv out/fig7.csv --out out/fig7\n" +
			"   paradox spiking paradox --weights out/fig7/weights.bin --out out/fig7",
		Subcommands: []*cli.Command{spikingTrainCommand(), spikingParadoxCommand()},
	}
}

// spikingParamFlags are --preset and --config.
func spikingParamFlags(defPreset string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "preset", Value: defPreset, Usage: "parameter preset `NAME`: " + strings.Join(spiking.PresetNames, " or ")},
		&cli.StringFlag{Name: "config", Usage: "TOML `FILE` of spiking parameters over the preset (keys: " + strings.Join(spiking.ParamKeys(), ", ") + ")"},
	}
}

// spikingParams resolves --preset and --config.
func spikingParams(c *cli.Context) (spiking.Params, error) {
	p, err := spiking.Preset(c.String("preset"))
	if err != nil {
		return p, usageErrorf("--preset: %v", err)
	}
	if f := c.String("config"); f != "" {
		if p, err = spiking.LoadParams(f, p); err != nil {
			return p, usageError{err}
		}
	}
	return p, nil
}

func spikingTrainCommand() *cli.Command {
	flags := append(spikingParamFlags("fig7"),
		&cli.IntFlag{Name: "trials", Value: 3000, Usage: "train until `N` trials are done (counting resumed ones)"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed `K` of the graph, the initial weights and the noise"},
		&cli.StringFlag{Name: "csv", Usage: "per-trial log `FILE` (default DIR/train.csv)"},
		&cli.StringFlag{Name: "out", Value: "out/spiking", Usage: "folder `DIR` for weights.bin, the checkpoint and the figures"},
		&cli.IntFlag{Name: "checkpoint-every", Usage: "write DIR/checkpoint.bin and the CSV every `N` trials (0: only on interrupt)"},
		&cli.StringFlag{Name: "resume", Usage: "continue from checkpoint `FILE` (its parameters and seed are used; rows before it are read back from --csv)"},
		&cli.StringFlag{Name: "raster-trials", Value: "0,200,400,1500", Usage: "comma-separated `TRIALS` to draw as raster and PSTH (the last trial is always drawn)"},
		&cli.StringFlag{Name: "format", Value: "png", Usage: "figure `FORMAT`: png, svg or pdf"},
		quietFlag,
	)
	return &cli.Command{
		Name:      "train",
		Usage:     "train the network and write the per-trial log, the weights and the Fig. 7 panels",
		UsageText: "paradox spiking train [--preset fig7|public] [--config FILE] [--trials N] [--seed K] [--csv FILE] [--out DIR]",
		Description: "Each trial resets the network, kicks E cells 0-99 at 100 ms and runs 1.5 s;\n" +
			"rates come from the Up window keyed on I spikes (or the event fallback), are\n" +
			"filtered over two trials with a persistent 1-Hz floor, and every synapse takes\n" +
			"the local two-term step, clipped to the preset's bounds.\n\n" +
			"The CSV has one row per trial: trial, E and I (population-mean rates in Hz\n" +
			"measured in that trial, before the filter and the floor), up_s (mean Up\n" +
			"duration, or event duration when n_ups = 0), n_ups, spikes_E, spikes_I and the\n" +
			"class-mean weights WEE, WEI, WIE, WII in pA during the trial (onto-from: WEI\n" +
			"is onto E from I). weights.bin holds the graph and final weights (layout in\n" +
			"sim/spiking/file.go). Figures in DIR: raster_tN, training, rate_hist,\n" +
			"balance. A summary line goes to stdout.\n\n" +
			"Stop and resume: with --checkpoint-every N (or on Ctrl-C) the state is saved\n" +
			"to DIR/checkpoint.bin; --resume continues to the same result bit for bit.\n\n" +
			"Example (about 20 minutes on one core):\n" +
			"   paradox spiking train --preset fig7 --trials 3000 --seed 1 --csv out/fig7.csv --out out/fig7",
		Flags:  flags,
		Action: spikingTrainAction,
	}
}

// spikingRun is the state of one train command.
type spikingRun struct {
	c        *cli.Context
	tr       *spiking.Trainer
	dir      string
	csv      string
	format   string
	prov     provenance.Info
	recs     []spiking.TrialRecord
	first    *spiking.Weights // weights before the first trial (nil on resume)
	rasters  map[int][]spiking.Spike
	draw     map[int]bool
	rateSumE []float64 // per-cell rates summed over the last trials
	rateSumI []float64
	rateN    int
	before   *spiking.Rates // per-cell rates of trial 0
}

// spikingRateTrials is how many final trials the after-training rate
// histograms average over.
const spikingRateTrials = 10

func spikingTrainAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usageErrorf("unexpected argument %q", c.Args().First())
	}
	n := c.Int("trials")
	if n < 1 {
		return usageErrorf("--trials must be >= 1")
	}
	if every := c.Int("checkpoint-every"); every < 0 {
		return usageErrorf("--checkpoint-every must be >= 0")
	}
	format := c.String("format")
	if format != "png" && format != "svg" && format != "pdf" {
		return usageErrorf("--format %q: want png, svg or pdf", format)
	}
	r := &spikingRun{c: c, dir: c.String("out"), format: format,
		rasters: map[int][]spiking.Spike{}, draw: map[int]bool{n - 1: true}}
	for _, s := range strings.Split(c.String("raster-trials"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil || k < 0 {
			return usageErrorf("--raster-trials: %q is not a trial number", s)
		}
		r.draw[k] = true
	}
	r.csv = c.String("csv")
	if r.csv == "" {
		r.csv = filepath.Join(r.dir, "train.csv")
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}

	if err := r.start(); err != nil {
		return err
	}
	p := r.tr.P
	r.prov = newProvenance(c)
	r.prov.Set("seed", r.tr.Seed)
	r.prov.Set("trials", n)
	r.prov.Set("params", strings.ReplaceAll(strings.TrimSpace(string(p.EncodeTOML())), "\n", "; "))
	r.rateSumE, r.rateSumI = make([]float64, p.NE), make([]float64, p.NI)

	left := n - r.tr.Trials
	bar := newBar(c, "spiking train", left)
	err := r.tr.Run(max(left, 0), bar.Func(), r.each)
	bar.Done()
	if err != nil {
		if errors.Is(err, c.Context.Err()) && c.Context.Err() != nil {
			if cerr := r.checkpoint(); cerr != nil {
				return errors.Join(err, cerr)
			}
			return fmt.Errorf("interrupted after trial %d; continue with --resume %s: %w",
				r.tr.Trials, filepath.Join(r.dir, "checkpoint.bin"), err)
		}
		return err
	}
	return r.finish()
}

// start creates the trainer, or restores it and the log for --resume.
func (r *spikingRun) start() error {
	c := r.c
	f := c.String("resume")
	if f == "" {
		p, err := spikingParams(c)
		if err != nil {
			return err
		}
		if r.tr, err = spiking.NewTrainer(p, c.Uint64("seed")); err != nil {
			return err
		}
		r.first = r.tr.W.Clone()
		return nil
	}
	for _, fl := range []string{"preset", "config", "seed"} {
		if c.IsSet(fl) {
			return usageErrorf("--resume takes the parameters and seed from the checkpoint; drop --%s", fl)
		}
	}
	in, err := os.Open(f)
	if err != nil {
		return usageErrorf("--resume: %v", err)
	}
	defer in.Close()
	if r.tr, err = spiking.ReadCheckpoint(in); err != nil {
		return fmt.Errorf("--resume %s: %w", f, err)
	}
	r.recs, err = readSpikingCSV(r.csv, r.tr.Trials)
	if err != nil {
		warnf(c, "no earlier rows from %s (%v); the log and the training figures start at trial %d", r.csv, err, r.tr.Trials)
	}
	return nil
}

// each records one trial and writes the periodic checkpoint.
func (r *spikingRun) each(rec spiking.TrialRecord) error {
	if rec.Trial == 0 {
		rt := rec.Rates
		rt.E, rt.I = append([]float64(nil), rt.E...), append([]float64(nil), rt.I...)
		r.before = &rt
	}
	if r.draw[rec.Trial] {
		r.rasters[rec.Trial] = append([]spiking.Spike(nil), rec.Spikes...)
	}
	if rec.Trial >= r.c.Int("trials")-spikingRateTrials {
		for i, v := range rec.Rates.E {
			r.rateSumE[i] += v
		}
		for i, v := range rec.Rates.I {
			r.rateSumI[i] += v
		}
		r.rateN++
	}
	rec.Rates, rec.Spikes = spiking.Rates{}, nil
	r.recs = append(r.recs, rec)
	if k := r.c.Int("checkpoint-every"); k > 0 && r.tr.Trials%k == 0 {
		if err := r.checkpoint(); err != nil {
			return err
		}
	}
	return r.c.Context.Err()
}

// checkpoint writes DIR/checkpoint.bin and the CSV so far.
func (r *spikingRun) checkpoint() error {
	path := filepath.Join(r.dir, "checkpoint.bin")
	if err := writeAtomic(path, r.tr.WriteCheckpoint); err != nil {
		return err
	}
	return r.writeCSV()
}

func (r *spikingRun) writeCSV() error {
	return writeAtomic(r.csv, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := r.prov.WriteComments(bw, false); err != nil {
			return err
		}
		fmt.Fprintln(bw, "trial,E,I,up_s,n_ups,spikes_E,spikes_I,WEE,WEI,WIE,WII")
		for _, q := range r.recs {
			fmt.Fprintf(bw, "%d,%.6g,%.6g,%.4g,%d,%d,%d,%.8g,%.8g,%.8g,%.8g\n",
				q.Trial, q.E, q.I, q.UpS, q.NUps, q.SpikesE, q.SpikesI,
				q.W.WEE, q.W.WEI, q.W.WIE, q.W.WII)
		}
		return bw.Flush()
	})
}

// readSpikingCSV reads back the rows before trial upto of a log written
// by writeCSV.
func readSpikingCSV(path string, upto int) ([]spiking.TrialRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []spiking.TrialRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "trial,") {
			continue
		}
		var q spiking.TrialRecord
		_, err := fmt.Sscanf(strings.ReplaceAll(line, ",", " "), "%d %g %g %g %d %d %d %g %g %g %g",
			&q.Trial, &q.E, &q.I, &q.UpS, &q.NUps, &q.SpikesE, &q.SpikesI,
			&q.W.WEE, &q.W.WEI, &q.W.WIE, &q.W.WII)
		if err != nil {
			return nil, fmt.Errorf("row %q: %w", line, err)
		}
		if q.Trial < upto {
			recs = append(recs, q)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(recs) != upto {
		return recs, fmt.Errorf("found %d of the %d rows before the checkpoint", len(recs), upto)
	}
	return recs, nil
}

// finish writes the log, the weights, the figures and the summary.
func (r *spikingRun) finish() error {
	c, p := r.c, r.tr.P
	if err := r.writeCSV(); err != nil {
		return err
	}
	wpath := filepath.Join(r.dir, "weights.bin")
	if err := writeAtomic(wpath, func(w io.Writer) error {
		return spiking.WriteWeights(w, p, r.tr.G, r.tr.W)
	}); err != nil {
		return err
	}
	if err := r.figures(); err != nil {
		return err
	}
	ms := spiking.FindMilestones(p, r.recs)
	fmt.Fprintf(c.App.Writer, "trials=%d %s", r.tr.Trials, ms)
	if sp, ok := r.rasters[r.tr.Trials-1]; ok {
		rt := spiking.Measure(p, sp, p.TrialSteps())
		cvE, nE := spiking.CVISI(p, sp, rt.Ups, 0, p.NE)
		cvI, nI := spiking.CVISI(p, sp, rt.Ups, p.NE, p.N())
		fmt.Fprintf(c.App.Writer, " last-trial CV_ISI E=%.3g (%d cells) I=%.3g (%d cells)", cvE, nE, cvI, nI)
	}
	fmt.Fprintln(c.App.Writer)
	infof(c, "wrote %s, %s and figures in %s", r.csv, wpath, r.dir)
	return nil
}

// figures draws the Fig. 7 panels into DIR.
func (r *spikingRun) figures() error {
	p := r.tr.P
	size := func(w, h float64) (vg.Length, vg.Length) { return vg.Length(w) * vg.Inch, vg.Length(h) * vg.Inch }
	save := func(name string, w, h float64, rows [][]*plot.Plot) error {
		path := filepath.Join(r.dir, name+"."+r.format)
		wd, ht := size(w, h)
		return writeAtomic(path, func(out io.Writer) error {
			return reports.WritePanels(out, r.format, wd, ht, rows)
		})
	}
	for k, sp := range r.rasters {
		title := fmt.Sprintf("trial %d", k)
		ras, err := reports.SpikingRasterPlot(p, sp, title)
		if err != nil {
			return err
		}
		ps, err := reports.SpikingPSTHPlot(spiking.NewPSTH(p, sp, p.TrialSteps()/int(p.BinMS/p.Dt+0.5)), "")
		if err != nil {
			return err
		}
		if err := save(fmt.Sprintf("raster_t%d", k), 7, 5, [][]*plot.Plot{{ras}, {ps}}); err != nil {
			return err
		}
	}
	rates, weights, err := reports.SpikingTrainingPlots(r.recs, p.Eset, p.Iset)
	if err != nil {
		return err
	}
	if err := save("training", 7, 6, [][]*plot.Plot{{rates}, {weights}}); err != nil {
		return err
	}
	if err := r.histograms(save); err != nil {
		return err
	}
	return r.balance(save)
}

func (r *spikingRun) histograms(save func(string, float64, float64, [][]*plot.Plot) error) error {
	p := r.tr.P
	if r.rateN == 0 {
		return nil
	}
	aE, aI := make([]float64, p.NE), make([]float64, p.NI)
	for i := range aE {
		aE[i] = r.rateSumE[i] / float64(r.rateN)
	}
	for i := range aI {
		aI[i] = r.rateSumI[i] / float64(r.rateN)
	}
	type rateSet struct {
		when   string
		re, ri []float64
	}
	var rows [][]*plot.Plot
	var sets []rateSet
	if r.before != nil {
		sets = append(sets, rateSet{"trial 0", r.before.E, r.before.I})
	}
	sets = append(sets, rateSet{fmt.Sprintf("last %d trials", r.rateN), aE, aI})
	for _, s := range sets {
		he, err := reports.SpikingRateHistPlot(s.re, p.Eset, reports.SpikingColorE, "E rates, "+s.when)
		if err != nil {
			return err
		}
		hi, err := reports.SpikingRateHistPlot(s.ri, p.Iset, reports.SpikingColorI, "I rates, "+s.when)
		if err != nil {
			return err
		}
		rows = append(rows, []*plot.Plot{he, hi})
	}
	return save("rate_hist", 8, 3.5*float64(len(rows)), rows)
}

func (r *spikingRun) balance(save func(string, float64, float64, [][]*plot.Plot) error) error {
	g := r.tr.G
	var names []string
	var ws []*spiking.Weights
	var cols []color.Color
	if r.first != nil {
		names, ws, cols = append(names, "initial"), append(ws, r.first), append(cols, color.Gray{Y: 0x99})
	}
	names, ws = append(names, "final"), append(ws, r.tr.W)
	var row []*plot.Plot
	for _, onto := range []struct {
		title    string
		exc, inh int
		c        color.Color
	}{{"onto E cells", 0, 1, reports.SpikingColorE}, {"onto I cells", 2, 3, reports.SpikingColorI}} {
		var ex, in [][]float64
		for _, w := range ws {
			ex = append(ex, w.Incoming(g, onto.exc))
			in = append(in, w.Incoming(g, onto.inh))
		}
		cs := append(append([]color.Color(nil), cols...), onto.c)
		pl, err := reports.SpikingBalancePlot("E/I balance "+onto.title, names, ex, in, cs)
		if err != nil {
			return err
		}
		row = append(row, pl)
	}
	return save("balance", 10, 4.5, [][]*plot.Plot{row})
}

func spikingParadoxCommand() *cli.Command {
	d := spiking.DefaultParadox()
	flags := []cli.Flag{
		&cli.StringFlag{Name: "weights", Usage: "trained network `FILE` (weights.bin or a checkpoint; required)"},
		&cli.StringFlag{Name: "preset", Usage: "run with this preset's cell parameters instead of the file's (the authors used public: refractory 5/2 ms)"},
		&cli.StringFlag{Name: "config", Usage: "TOML `FILE` of spiking parameters over the file's (or --preset's)"},
		&cli.StringFlag{Name: "amps", Value: "0,2,4,6", Usage: "step amplitudes `A,B,...` in pA into every I cell"},
		&cli.IntFlag{Name: "trials", Value: d.Trials, Usage: "`N` trials per amplitude"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed `K` of the trials' noise and delays"},
		&cli.IntFlag{Name: "workers", Value: 1, Usage: "`N` trials at once"},
		&cli.StringFlag{Name: "csv", Usage: "summary `FILE`, one row per amplitude (default DIR/paradox.csv)"},
		&cli.StringFlag{Name: "out", Value: "out/spiking", Usage: "folder `DIR` for the summary and the figure"},
		&cli.StringFlag{Name: "format", Value: "png", Usage: "figure `FORMAT`: png, svg or pdf"},
		quietFlag,
	}
	return &cli.Command{
		Name:      "paradox",
		Usage:     "inject a current step into all I cells of a trained network (Fig. 7I)",
		UsageText: "paradox spiking paradox --weights FILE [--amps 0,2,4,6] [--trials 40] [--out DIR]",
		Description: "Trials of 5.1 s without plasticity: the usual kick at 0.1 s, then a square\n" +
			"current of each amplitude into all 400 I cells from 3 to 4 s. Delays and noise\n" +
			"are redrawn per trial, trial k of every amplitude with the same seed. Trials\n" +
			"whose E (I) rate during the step is below 2 (4) Hz lost their Up state and are\n" +
			"left out of the E (I) averages. The paradoxical effect is a drop of the I rate\n" +
			"during the step (the authors: 11.1 -> 9.5 Hz at 2 pA).\n\n" +
			"The CSV has one row per amplitude: amp_pA, kept_E, kept_I, base_E, stim_E,\n" +
			"base_I, stim_I (Hz, baseline 2-3 s and step 3-4 s), drop_I = base_I - stim_I,\n" +
			"alive_end (trials with I >= 4 Hz at 4.8-5 s). The table also goes to stdout;\n" +
			"DIR gets paradox.FORMAT with the E and I PSTHs.\n\n" +
			"Example:\n" +
			"   paradox spiking paradox --weights out/fig7/weights.bin --workers 2 --out out/fig7",
		Flags:  flags,
		Action: spikingParadoxAction,
	}
}

func spikingParadoxAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usageErrorf("unexpected argument %q", c.Args().First())
	}
	cfg := spiking.DefaultParadox()
	amps, err := parseFloats("amps", c.String("amps"))
	if err != nil {
		return err
	}
	cfg.Amps, cfg.Trials, cfg.Seed, cfg.Workers = amps, c.Int("trials"), c.Uint64("seed"), c.Int("workers")
	if cfg.Trials < 1 || cfg.Workers < 1 {
		return usageErrorf("--trials and --workers must be >= 1")
	}
	format := c.String("format")
	if format != "png" && format != "svg" && format != "pdf" {
		return usageErrorf("--format %q: want png, svg or pdf", format)
	}
	if c.String("weights") == "" {
		return usageErrorf("--weights FILE is required: the weights.bin or checkpoint of a trained network")
	}
	in, err := os.Open(c.String("weights"))
	if err != nil {
		return usageErrorf("--weights: %v", err)
	}
	p, g, w, err := spiking.ReadWeights(in)
	in.Close()
	if err != nil {
		return err
	}
	if c.IsSet("preset") {
		q, err := spikingParams(c)
		if err != nil {
			return err
		}
		if q.NE != p.NE || q.NI != p.NI {
			return usageErrorf("--preset has %d+%d cells, the weights %d+%d", q.NE, q.NI, p.NE, p.NI)
		}
		p = q
	} else if f := c.String("config"); f != "" {
		if p, err = spiking.LoadParams(f, p); err != nil {
			return usageError{err}
		}
	}

	bar := newBar(c, "spiking paradox", len(cfg.Amps)*cfg.Trials)
	res, err := spiking.Paradox(p, g, w, cfg, bar.Func())
	bar.Done()
	if err != nil {
		return err
	}
	dir := c.String("out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating --out: %w", err)
	}
	prov := newProvenance(c)
	prov.Set("seed", cfg.Seed)
	prov.Set("trials", cfg.Trials)
	prov.Set("params", strings.ReplaceAll(strings.TrimSpace(string(p.EncodeTOML())), "\n", "; "))
	table := func(w io.Writer) {
		fmt.Fprintln(w, "amp_pA,kept_E,kept_I,base_E,stim_E,base_I,stim_I,drop_I,alive_end")
		for a, amp := range cfg.Amps {
			fmt.Fprintf(w, "%g,%d,%d,%.4g,%.4g,%.4g,%.4g,%.4g,%d\n", amp,
				res.KeptE[a], res.KeptI[a], res.BaseE[a], res.StimE[a],
				res.BaseI[a], res.StimI[a], res.DropI(a), res.AliveEnd[a])
		}
	}
	csv := c.String("csv")
	if csv == "" {
		csv = filepath.Join(dir, "paradox.csv")
	}
	if err := writeAtomic(csv, func(w io.Writer) error {
		if err := prov.WriteComments(w, false); err != nil {
			return err
		}
		table(w)
		return nil
	}); err != nil {
		return err
	}
	pe, err := reports.SpikingParadoxPlot(res, false)
	if err != nil {
		return err
	}
	pi, err := reports.SpikingParadoxPlot(res, true)
	if err != nil {
		return err
	}
	fig := filepath.Join(dir, "paradox."+format)
	if err := writeAtomic(fig, func(w io.Writer) error {
		return reports.WritePanels(w, format, 7*vg.Inch, 7*vg.Inch, [][]*plot.Plot{{pe}, {pi}})
	}); err != nil {
		return err
	}
	table(c.App.Writer)
	infof(c, "wrote %s and %s", csv, fig)
	return nil
}
