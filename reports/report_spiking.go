package reports

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim/spiking"
)

// The spiking network (Fig. 7), drawn from the files of a finished
// training run and, optionally, of the paradoxical-effect test. The
// report never trains the network: training takes 15-25 minutes.

// SpikingRun is a finished training run of the spiking network of
// package sim/spiking, as `paradox spiking train --out DIR` leaves it:
// the final network in DIR/weights.bin and the per-trial log (its
// --csv, DIR/train.csv by default). LoadSpikingRun reads one.
type SpikingRun struct {
	// Dir is the training's --out folder; WeightsFile and CSVFile are
	// the files read.
	Dir, WeightsFile, CSVFile string

	// P, G and W are the parameters, the graph and the final weights
	// in pA.
	P spiking.Params
	G *spiking.Graph
	W *spiking.Weights

	// Records are the rows of the log in file order; their Rates and
	// Spikes are empty.
	Records []spiking.TrialRecord

	// Meta holds the log's comment lines "# key: value" as key → value
	// (command, date, seed, trials, …); the first line, the tool and
	// version, is under "tool".
	Meta map[string]string

	// WeightsSHA256 and CSVSHA256 are the files' SHA-256 sums in hex.
	WeightsSHA256, CSVSHA256 string
}

// LoadSpikingRun reads the training run in dir: dir/weights.bin and the
// log csv, or dir/train.csv if csv is "". It fails if a file is missing
// or malformed, or the log has no rows or lacks one of the columns
// trial, E, I, up_s, WEE, WEI, WIE and WII.
func LoadSpikingRun(dir, csv string) (*SpikingRun, error) {
	r := &SpikingRun{Dir: dir, WeightsFile: filepath.Join(dir, "weights.bin"), CSVFile: csv}
	if csv == "" {
		r.CSVFile = filepath.Join(dir, "train.csv")
	}
	wb, err := os.ReadFile(r.WeightsFile)
	if err != nil {
		return nil, fmt.Errorf("reports: spiking run: %w", err)
	}
	r.WeightsSHA256 = spkSHA(wb)
	if r.P, r.G, r.W, err = spiking.ReadWeights(bytes.NewReader(wb)); err != nil {
		return nil, fmt.Errorf("reports: spiking run %s: %w", r.WeightsFile, err)
	}
	cb, err := os.ReadFile(r.CSVFile)
	if err != nil {
		return nil, fmt.Errorf("reports: spiking run: %w", err)
	}
	r.CSVSHA256 = spkSHA(cb)
	tab, err := spkReadCSV(cb, []string{"trial", "E", "I", "up_s", "WEE", "WEI", "WIE", "WII"})
	if err != nil {
		return nil, fmt.Errorf("reports: spiking run %s: %w", r.CSVFile, err)
	}
	r.Meta = tab.meta
	for _, row := range tab.rows {
		q := spiking.TrialRecord{
			Trial: int(tab.get(row, "trial")), E: tab.get(row, "E"), I: tab.get(row, "I"),
			UpS: tab.get(row, "up_s"), NUps: int(tab.get(row, "n_ups")),
			SpikesE: int(tab.get(row, "spikes_E")), SpikesI: int(tab.get(row, "spikes_I")),
			W: model.Weights{WEE: tab.get(row, "WEE"), WEI: tab.get(row, "WEI"),
				WIE: tab.get(row, "WIE"), WII: tab.get(row, "WII")},
		}
		if n := len(r.Records); n > 0 && q.Trial <= r.Records[n-1].Trial {
			return nil, fmt.Errorf("reports: spiking run %s: trial %d after trial %d", r.CSVFile, q.Trial, r.Records[n-1].Trial)
		}
		r.Records = append(r.Records, q)
	}
	return r, nil
}

// SpikingParadoxRow is one amplitude of the paradoxical-effect test, a
// row of the log of `paradox spiking paradox`: the step into every I
// cell in pA, the trials kept for the E and I means, the mean rates in
// Hz over the baseline (2-3 s) and the step (3-4 s), the drop of the I
// rate and the number of trials whose Up state outlived the step.
type SpikingParadoxRow struct {
	Amp                        float64
	KeptE, KeptI               int
	BaseE, StimE, BaseI, StimI float64
	DropI                      float64
	AliveEnd                   int
}

// SpikingParadoxRun is the paradoxical-effect test of a trained network
// (Fig. 7I) as `paradox spiking paradox --out DIR` leaves it: the
// summary DIR/paradox.csv and the drawing of the PSTHs DIR/paradox.png.
// LoadSpikingParadox reads one.
type SpikingParadoxRun struct {
	// Dir is the test's --out folder, CSVFile its summary.
	Dir, CSVFile string
	Rows         []SpikingParadoxRow

	// Meta holds the log's comment lines, as SpikingRun.Meta.
	Meta map[string]string

	// Figure is the paradox command's PNG of the trial-averaged PSTHs
	// (FigureFile), or nil if it wrote none (--format svg or pdf). The
	// PSTHs themselves are not saved, so the report shows this image.
	Figure     image.Image
	FigureFile string

	// CSVSHA256 and FigureSHA256 are the files' SHA-256 sums in hex.
	CSVSHA256, FigureSHA256 string
}

// LoadSpikingParadox reads the paradoxical-effect test in dir:
// dir/paradox.csv and, if it exists, dir/paradox.png.
func LoadSpikingParadox(dir string) (*SpikingParadoxRun, error) {
	r := &SpikingParadoxRun{Dir: dir, CSVFile: filepath.Join(dir, "paradox.csv")}
	cb, err := os.ReadFile(r.CSVFile)
	if err != nil {
		return nil, fmt.Errorf("reports: spiking paradox: %w", err)
	}
	r.CSVSHA256 = spkSHA(cb)
	cols := []string{"amp_pA", "kept_E", "kept_I", "base_E", "stim_E", "base_I", "stim_I", "drop_I", "alive_end"}
	tab, err := spkReadCSV(cb, cols)
	if err != nil {
		return nil, fmt.Errorf("reports: spiking paradox %s: %w", r.CSVFile, err)
	}
	r.Meta = tab.meta
	for _, row := range tab.rows {
		r.Rows = append(r.Rows, SpikingParadoxRow{
			Amp: tab.get(row, "amp_pA"), KeptE: int(tab.get(row, "kept_E")), KeptI: int(tab.get(row, "kept_I")),
			BaseE: tab.get(row, "base_E"), StimE: tab.get(row, "stim_E"),
			BaseI: tab.get(row, "base_I"), StimI: tab.get(row, "stim_I"),
			DropI: tab.get(row, "drop_I"), AliveEnd: int(tab.get(row, "alive_end")),
		})
	}
	fig := filepath.Join(dir, "paradox.png")
	pb, err := os.ReadFile(fig)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reports: spiking paradox: %w", err)
	}
	if r.Figure, err = png.Decode(bytes.NewReader(pb)); err != nil {
		return nil, fmt.Errorf("reports: spiking paradox %s: %w", fig, err)
	}
	r.FigureFile, r.FigureSHA256 = fig, spkSHA(pb)
	return r, nil
}

func spkSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// spkTable is a CSV log of paradox: comment lines, a header and rows of
// numbers.
type spkTable struct {
	meta map[string]string
	col  map[string]int
	rows [][]float64
}

// get returns column name of row, or 0 if the log has no such column.
func (t *spkTable) get(row []float64, name string) float64 {
	if k, ok := t.col[name]; ok {
		return row[k]
	}
	return 0
}

// spkReadCSV parses a log with at least the columns need and one row.
func spkReadCSV(data []byte, need []string) (*spkTable, error) {
	t := &spkTable{meta: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		switch {
		case s == "":
		case strings.HasPrefix(s, "#"):
			s = strings.TrimSpace(s[1:])
			if k, v, ok := strings.Cut(s, ": "); ok && !strings.ContainsAny(k, " \t") {
				t.meta[k] = v
			} else if _, ok := t.meta["tool"]; !ok {
				t.meta["tool"] = s
			}
		case t.col == nil:
			t.col = map[string]int{}
			for k, name := range strings.Split(s, ",") {
				t.col[strings.TrimSpace(name)] = k
			}
			for _, name := range need {
				if _, ok := t.col[name]; !ok {
					return nil, fmt.Errorf("no column %q in the header %q", name, s)
				}
			}
		default:
			f := strings.Split(s, ",")
			if len(f) != len(t.col) {
				return nil, fmt.Errorf("line %d has %d fields, the header %d", line, len(f), len(t.col))
			}
			row := make([]float64, len(f))
			for k, v := range f {
				x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", line, err)
				}
				row[k] = x
			}
			t.rows = append(t.rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.rows) == 0 {
		return nil, errors.New("no rows")
	}
	return t, nil
}

// Reference numbers of the authors' runs, restated in
// shared/reference/spiking.md.

// spkAuthorsW are the final class-mean weights in pA of the run drawn
// in Fig. 7 (the run of 2022-01-27), in the order WEE, WEI, WIE, WII
// (onto-from): "EE 174.9, E→I 145.1, I→E 209.4, II 154.2 pA" from the
// notebook spiking-upstates-dev-2021-movie (spiking.md §8).
var spkAuthorsW = [4]float64{174.9, 209.4, 145.1, 154.2}

// spkAuthorsSum are the mean ± SD over cells of the summed incoming
// weight per class in pA, in the order of spkAuthorsW, from the same
// notebook (spiking.md §8); spkAuthorsR is the correlation across cells
// of summed E and summed I input it quotes (which cells it does not
// say), and spkAuthorsSD the SD of per-cell rates over the last 1000
// trials, E and I, in Hz.
var (
	spkAuthorsSum = [4][2]float64{{69976, 2698}, {20941, 1048}, {58060, 2131}, {15418, 807}}
	spkAuthorsR   = 0.975
	spkAuthorsSD  = [2]float64{1.6, 4.2}
)

// spkAuthorsParadox is the authors' Fig. 7I test, recomputed from their
// shipped PSTH file (spiking.md §9): per amplitude in pA, the E and I
// rates in Hz at baseline and during the step, the kept trials of 40
// (E, I) and the trials whose Up state was alive at 4.8-5 s. It ran on
// another trained network than Fig. 7's, with the public script's
// parameters.
var spkAuthorsParadox = []struct {
	amp                        float64
	baseE, stimE, baseI, stimI float64
	keptE, keptI, alive        int
}{
	{0, 4.15, 4.18, 11.11, 11.21, 40, 40, 40},
	{2, 4.15, 3.69, 11.10, 9.51, 40, 40, 40},
	{4, 4.14, 3.14, 11.05, 7.53, 29, 31, 27},
	{6, 4.20, 2.58, 11.07, 5.73, 4, 5, 3},
}

// spkFrozenTrials is the number of trials of the final network, without
// plasticity, behind the rate histograms: as many as the train command
// averages its after-training histograms over.
const spkFrozenTrials = 10

// spkFrozen is what trials of the final network, without plasticity,
// measured.
type spkFrozen struct {
	n int
	// rE and rI are the per-cell rates in Hz (the Up-window rates the
	// rule uses), averaged over the trials; meanE and meanI their
	// population means.
	rE, rI       []float64
	meanE, meanI float64
	// ups counts the trials with an Up state.
	ups int
	// psth is the population rate in Hz, averaged over the trials.
	psth spiking.PSTH
	// cvE and cvI are the median CV of interspike intervals over cells
	// (spiking.CVISI), averaged over the trials that have one.
	cvE, cvI float64
}

// frozen runs n trials of the final network of run, without
// plasticity, from the noise stream of the report's seed.
func (s *repSim) frozen(run *SpikingRun, n int) (*spkFrozen, error) {
	p := run.P
	nw, err := spiking.NewNetwork(p, run.G, spiking.NoiseRNG(s.seed))
	if err != nil {
		return nil, fmt.Errorf("reports: spiking: %w", err)
	}
	nw.SetWeights(run.W)
	steps := p.TrialSteps()
	nBins := steps / int(p.BinMS/p.Dt+0.5)
	f := &spkFrozen{n: n, rE: make([]float64, p.NE), rI: make([]float64, p.NI),
		psth: spiking.PSTH{E: make([]float64, nBins), I: make([]float64, nBins)}}
	var nE, nI int
	for k := range n {
		if err := s.b.ctx.Err(); err != nil {
			return nil, err
		}
		nw.Run(steps, nil)
		sp := nw.Spikes()
		r := spiking.Measure(p, sp, steps)
		h := spiking.NewPSTH(p, sp, nBins)
		f.psth.BinSteps, f.psth.BinMS = h.BinSteps, h.BinMS
		spkAddScaled(f.rE, r.E, 1/float64(n))
		spkAddScaled(f.rI, r.I, 1/float64(n))
		spkAddScaled(f.psth.E, h.E, 1/float64(n))
		spkAddScaled(f.psth.I, h.I, 1/float64(n))
		if len(r.Ups) > 0 {
			f.ups++
		}
		if cv, c := spiking.CVISI(p, sp, r.Ups, 0, p.NE); c > 0 {
			f.cvE, nE = f.cvE+cv, nE+1
		}
		if cv, c := spiking.CVISI(p, sp, r.Ups, p.NE, p.N()); c > 0 {
			f.cvI, nI = f.cvI+cv, nI+1
		}
		s.b.progress("spiking", k+1, n)
	}
	f.cvE, f.cvI = f.cvE/float64(nE), f.cvI/float64(nI) // NaN when none
	f.meanE, _ = spkMeanSD(f.rE)
	f.meanI, _ = spkMeanSD(f.rI)
	return f, nil
}

func spkAddScaled(dst, x []float64, a float64) {
	for k, v := range x {
		dst[k] += a * v
	}
}

// spkMeanSD returns the mean and the population standard deviation.
func spkMeanSD(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)))
}

// spkCorr is Pearson's correlation of x and y.
func spkCorr(x, y []float64) float64 {
	mx, sx := spkMeanSD(x)
	my, sy := spkMeanSD(y)
	c := 0.0
	for k := range x {
		c += (x[k] - mx) * (y[k] - my)
	}
	return c / float64(len(x)) / (sx * sy)
}

// initialWeights redraws the initial weights of run from the seed in
// its log, as spiking.NewTrainer draws them, and returns them if their
// class means match the log's first row (trial 0); else nil.
func (run *SpikingRun) initialWeights() *spiking.Weights {
	seed, err := strconv.ParseUint(run.Meta["seed"], 10, 64)
	if err != nil || run.Records[0].Trial != 0 {
		return nil
	}
	w := spiking.NewWeights(run.P, run.G, spiking.WeightsRNG(seed))
	// tol: the log prints the means with 8 significant digits.
	const tol = 1e-6
	want := run.Records[0].W.Array()
	for c, m := range w.Means() {
		if math.Abs(m-want[c]) > tol*math.Abs(want[c])+1e-9 {
			return nil
		}
	}
	return w
}

// spkPreset names the preset p equals, or "" if none.
func spkPreset(p spiking.Params) string {
	for _, name := range spiking.PresetNames {
		q, err := spiking.Preset(name)
		if err == nil && bytes.Equal(q.EncodeTOML(), p.EncodeTOML()) {
			return name
		}
	}
	return ""
}

// spkParamDiff lists the parameters ("key = value", as in the TOML)
// of q that differ from p's.
func spkParamDiff(p, q spiking.Params) []string {
	have := map[string]bool{}
	for _, l := range strings.Split(string(p.EncodeTOML()), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var out []string
	for _, l := range strings.Split(string(q.EncodeTOML()), "\n") {
		if l = strings.TrimSpace(l); l != "" && !have[l] {
			out = append(out, l)
		}
	}
	return out
}

// spikingCommands are the commands that make the files of the spiking
// section.
func (b *repBuilder) spikingCommands() string {
	rep := "paradox report --out report"
	if b.cfg.Regenerate != "" {
		rep = b.cfg.Regenerate
	}
	return "paradox spiking train --preset fig7 --trials 3000 --seed 1 --out out/fig7\n" +
		"paradox spiking paradox --weights out/fig7/weights.bin --workers 2 --out out/fig7-paradox\n" +
		rep + " --spiking out/fig7 --spiking-paradox out/fig7-paradox"
}

// spikingSection shows the spiking network of Fig. 7 from the files of
// Config.Spiking and Config.SpikingParadox, or says how to make them.
func (s *repSim) spikingSection() (Section, error) {
	sec := Section{ID: "sim-spiking", Title: "Spiking network (Fig. 7)", Level: 2}
	run := s.b.cfg.Spiking
	if run == nil {
		sec.Blocks = append(sec.Blocks,
			&Paragraph{Text: "The 2000-cell spiking network of Fig. 7 (package sim/spiking: 1600 E and 400 I " +
				"adaptive leaky integrate-and-fire cells trained trial by trial by the local two-term rule " +
				"from a silent start) is not in this report: training it takes about 15-25 minutes on one " +
				"core, far beyond the report's budget, and the report never trains it. It draws this " +
				"section from the files of a finished run instead. To add it, train the network (3000 " +
				"trials of the Fig. 7 preset), run the paradoxical-effect test on the trained weights " +
				"(4 amplitudes x 40 trials of 5.1 s, a few minutes with two workers), and make the " +
				"report again with both folders:"},
			&Preformatted{Text: s.b.spikingCommands()},
			&Paragraph{Text: "The training folder must hold weights.bin and the per-trial log train.csv; if " +
				"the log was written elsewhere with spiking train --csv FILE, add --spiking-csv FILE. " +
				"--spiking-paradox is optional and may name the training folder itself if the test wrote " +
				"there."},
		)
		return sec, nil
	}
	s.b.recordSpiking()

	blocks, err := s.spikingTraining(run)
	if err != nil {
		return Section{}, err
	}
	sec.Blocks = append(sec.Blocks, blocks...)
	blocks, err = s.spikingFinal(run)
	if err != nil {
		return Section{}, err
	}
	sec.Blocks = append(sec.Blocks, blocks...)
	if par := s.b.cfg.SpikingParadox; par != nil {
		blocks, err = s.spikingParadox(run, par)
		if err != nil {
			return Section{}, err
		}
		sec.Blocks = append(sec.Blocks, blocks...)
	} else {
		sec.Blocks = append(sec.Blocks, &Paragraph{Emphasis: "Paradoxical effect. ",
			Text: "No test of the trained network was given. Run paradox spiking paradox --weights " +
				filepath.Join(run.Dir, "weights.bin") + " --workers 2 --out DIR and add --spiking-paradox DIR " +
				"for Fig. 7I."})
	}
	return sec, nil
}

// recordSpiking adds the spiking inputs to the provenance.
func (b *repBuilder) recordSpiking() {
	run, par := b.cfg.Spiking, b.cfg.SpikingParadox
	b.prov.Set("spiking.dir", run.Dir)
	b.prov.Set("spiking.weights_sha256", run.WeightsSHA256)
	b.prov.Set("spiking.csv", run.CSVFile)
	b.prov.Set("spiking.csv_sha256", run.CSVSHA256)
	b.prov.Set("spiking.frozen_trials", b.spikingFrozenTrials())
	if par != nil {
		b.prov.Set("spiking.paradox_dir", par.Dir)
		b.prov.Set("spiking.paradox_csv_sha256", par.CSVSHA256)
		b.prov.Set("spiking.paradox_png_sha256", par.FigureSHA256)
	}
}

func (b *repBuilder) spikingFrozenTrials() int {
	if b.cfg.Quick {
		return 2
	}
	return spkFrozenTrials
}

// spikingTraining describes the run and draws its training curves.
func (s *repSim) spikingTraining(run *SpikingRun) ([]Block, error) {
	p, recs := run.P, run.Records
	ms := spiking.FindMilestones(p, recs)
	preset := "parameters of no preset (a --config over one)"
	if name := spkPreset(p); name != "" {
		preset = "the " + name + " preset"
	}
	last := recs[len(recs)-1]
	intro := fmt.Sprintf("From the files of a finished run of paradox spiking train in %s (weights.bin "+
		"and the per-trial log %s), not computed by the report: %d E and %d I cells, connection "+
		"probability %s, %s (refractory %s/%s ms, α = %s pA/Hz², %s, "+
		"setpoints %s and %s Hz), trials %d to %d of %s-ms trials, seed %s.",
		run.Dir, filepath.Base(run.CSVFile), p.NE, p.NI, repG(p.PConn), preset, repG(p.TrefE), repG(p.TrefI),
		repG(p.Alpha), spkBounds(p), repG(p.Eset), repG(p.Iset), recs[0].Trial, last.Trial,
		repG(p.TrialMS), repOr(run.Meta["seed"], "not recorded"))
	if c := run.Meta["command"]; c != "" {
		intro += " It was made by: " + c + "."
	}
	blocks := []Block{&Paragraph{Text: intro}}

	var lines []string
	if ms.Ignition >= 0 {
		lines = append(lines, fmt.Sprintf("Ignition: the first Up state of at least %s s came at trial %d.",
			repG(spiking.IgnitionUpS), ms.Ignition))
	} else {
		lines = append(lines, fmt.Sprintf("No Up state of %s s or more in the run.", repG(spiking.IgnitionUpS)))
	}
	if ms.Convergence >= 0 {
		lines = append(lines, fmt.Sprintf("Convergence: from trial %d on, every %d-trial mean of the measured "+
			"rates stays within %s of the setpoints.", ms.Convergence, spiking.ConvWindow, repPct(spiking.ConvTol)))
	} else {
		lines = append(lines, fmt.Sprintf("The rates did not settle within %s of the setpoints by the end "+
			"of the run.", repPct(spiking.ConvTol)))
	}
	if spkPreset(p) == "fig7" && recs[0].Trial == 0 {
		lines = append(lines, "For comparison: the authors' code run in Brian2 with the Fig. 7 parameters "+
			"stays silent for about 400 trials, has short Ups until about 570 and converges near trial 700 "+
			"(spiking.md §12.5); the authors marked convergence in Fig. 7 by hand at trial 400 (§8).")
	}
	nTail := min(len(recs), spiking.FinalTrials)
	lines = append(lines, fmt.Sprintf("Over the last %d trials the network fired %.2f Hz (E) and %.2f Hz (I) "+
		"on average, against setpoints of %s and %s Hz.", nTail, ms.FinalE, ms.FinalI, repG(p.Eset), repG(p.Iset)))
	if warn := spkLogMismatch(run); warn != "" {
		lines = append(lines, warn)
	}
	blocks = append(blocks, &List{Items: lines})

	rates, weights, err := SpikingTrainingPlots(recs, p.Eset, p.Iset)
	if err != nil {
		return nil, err
	}
	for _, pl := range []*plot.Plot{rates, weights} {
		repCompact(pl, 9)
		repHeadroom(pl, 0.12)
		pl.X.Tick.Marker = plot.ConstantTicks(spkRoundTicks(pl.X.Min, pl.X.Max))
	}
	// The weights start far apart at the left and settle in the middle
	// of the range; the top right corner is free.
	weights.Title.Text = "class-mean weights (onto-from)"
	weights.Legend.Left = false
	blocks = append(blocks, &Figure{
		Caption: fmt.Sprintf("Training of the spiking network (Fig. 7C-D), trials %d-%d. Left: population-mean "+
			"E (green) and I (vermillion) rates measured in each trial in the Up window keyed on I spikes, "+
			"before the trial filter and the 1-Hz floor, as a 5-trial moving average; setpoints %s and %s Hz "+
			"dashed. Right: class-mean weights in pA during each trial. From %s.",
			recs[0].Trial, last.Trial, repG(p.Eset), repG(p.Iset), run.CSVFile),
		Width: repMapW, Height: 2.6 * vg.Inch,
		Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{{rates, weights}}) },
	})

	s.b.brief = append(s.b.brief, fmt.Sprintf("Spiking network (Fig. 7), from a saved run of %d trials: "+
		"%s; over the last %d trials E %.2f Hz and I %.2f Hz (setpoints %s, %s); final class-mean weights "+
		"(WEE, WEI, WIE, WII) = (%.1f, %.1f, %.1f, %.1f) pA, the authors' (%s, %s, %s, %s).",
		len(recs), spkMilestoneText(ms), nTail, ms.FinalE, ms.FinalI, repG(p.Eset), repG(p.Iset),
		run.W.Means()[0], run.W.Means()[1], run.W.Means()[2], run.W.Means()[3],
		repG(spkAuthorsW[0]), repG(spkAuthorsW[1]), repG(spkAuthorsW[2]), repG(spkAuthorsW[3])))
	return blocks, nil
}

// spkBounds describes the clipping of the weights.
func spkBounds(p spiking.Params) string {
	if math.IsInf(p.WMax, 1) {
		return fmt.Sprintf("weights floored at %s pA with no ceiling", repG(p.WMin))
	}
	return fmt.Sprintf("weights clipped to [%s, %s] pA", repG(p.WMin), repG(p.WMax))
}

// spkRoundTicks are ticks at multiples of 1, 2 or 5 × 10^k in [lo, hi],
// at most seven of them.
func spkRoundTicks(lo, hi float64) []plot.Tick {
	if !(hi-lo < math.Inf(1)) {
		return nil
	}
	step := 1.0
	for k := 0; (hi-lo)/step > 6; k++ {
		step *= [3]float64{2, 2.5, 2}[k%3]
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
	}
	return ts
}

func spkMilestoneText(ms spiking.Milestones) string {
	ig, cv := "no ignition", "no convergence"
	if ms.Ignition >= 0 {
		ig = fmt.Sprintf("ignition at trial %d", ms.Ignition)
	}
	if ms.Convergence >= 0 {
		cv = fmt.Sprintf("within %s of the setpoints from trial %d", repPct(spiking.ConvTol), ms.Convergence)
	}
	return ig + ", " + cv
}

// spkLogMismatch returns a warning if the log's last class means are
// far from the weights file's: the two files would then not be from
// the same run. One trial's update separates them, so a few per cent
// is allowed.
func spkLogMismatch(run *SpikingRun) string {
	const tol = 0.05
	got := run.W.Means()
	last := run.Records[len(run.Records)-1].W.Array()
	for c, name := range model.Names {
		if math.Abs(got[c]-last[c]) > tol*math.Max(math.Abs(last[c]), 1) {
			return fmt.Sprintf("Warning: weights.bin has a class mean %s = %.2f pA, the log's last trial %.2f pA; "+
				"the two files may not be from the same run.", name, got[c], last[c])
		}
	}
	return ""
}

// spikingFinal measures and draws the final network: rates of frozen
// trials, the E/I balance, and the comparison with the authors.
func (s *repSim) spikingFinal(run *SpikingRun) ([]Block, error) {
	p := run.P
	fz, err := s.frozen(run, s.b.spikingFrozenTrials())
	if err != nil {
		return nil, err
	}
	psth, err := SpikingPSTHPlot(fz.psth, fmt.Sprintf("PSTH, mean of %d trials", fz.n))
	if err != nil {
		return nil, err
	}
	he, err := SpikingRateHistPlot(fz.rE, p.Eset, SpikingColorE, "E cells")
	if err != nil {
		return nil, err
	}
	hi, err := SpikingRateHistPlot(fz.rI, p.Iset, SpikingColorI, "I cells")
	if err != nil {
		return nil, err
	}
	for _, pl := range []*plot.Plot{psth, he, hi} {
		repCompact(pl, 9)
	}
	repHeadroom(psth, 0.2)
	rateFig := &Figure{
		Caption: fmt.Sprintf("The trained network without plasticity (Fig. 7B, H): %d trials of %s ms with the "+
			"final weights, the usual kick of %d E cells at %s ms, noise from seed %d. Left: population rates "+
			"in %s-ms bins, averaged over the trials. Middle and right: histograms of the per-cell rates in the "+
			"Up window (the rates the rule sees), averaged over the trials, with the setpoints %s and %s Hz "+
			"dashed.", fz.n, repG(p.TrialMS), p.KickN, repG(p.KickMS), s.seed, repG(p.BinMS), repG(p.Eset), repG(p.Iset)),
		Width: repMapW, Height: 2.3 * vg.Inch,
		Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{{psth, he, hi}}) },
	}

	init := run.initialWeights()
	balFig, err := spkBalanceFigure(run, init)
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("To see the trained network settle, the report runs %d trials of the final weights "+
		"without plasticity (a few seconds; nothing is trained). %d of them had an Up state; their mean "+
		"rates were %.2f Hz (E) and %.2f Hz (I). The median coefficient of variation of the interspike "+
		"intervals inside the Up window (cells with at least 4 spikes there; spiking.CVISI) was %s for E "+
		"and %s for I cells, averaged over the trials: irregular, Poisson-like firing has CV ≈ 1.",
		fz.n, fz.ups, fz.meanE, fz.meanI, spkNum(fz.cvE, 2), spkNum(fz.cvI, 2))
	return []Block{&Paragraph{Text: text}, rateFig, balFig, spkCompareTable(run, fz)}, nil
}

// spkNum formats v with d decimals, or "—" for NaN.
func spkNum(v float64, d int) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// spkBalanceFigure draws the summed incoming E against I weight of
// every cell, before (if init is not nil) and after training.
func spkBalanceFigure(run *SpikingRun, init *spiking.Weights) (*Figure, error) {
	names, ws, cols := []string{"final"}, []*spiking.Weights{run.W}, []color.Color(nil)
	if init != nil {
		names, ws, cols = []string{"initial", "final"}, []*spiking.Weights{init, run.W}, []color.Color{color.Gray{Y: 0x99}}
	}
	var row []*plot.Plot
	for _, onto := range []struct {
		title    string
		exc, inh int
		c        color.Color
	}{{"onto E cells", 0, 1, SpikingColorE}, {"onto I cells", 2, 3, SpikingColorI}} {
		var ex, in [][]float64
		for _, w := range ws {
			ex = append(ex, w.Incoming(run.G, onto.exc))
			in = append(in, w.Incoming(run.G, onto.inh))
		}
		pl, err := SpikingBalancePlot(onto.title, names, ex, in, append(slices.Clone(cols), onto.c))
		if err != nil {
			return nil, err
		}
		repCompact(pl, 9)
		repHeadroom(pl, 0.15)
		row = append(row, pl)
	}
	before := "The initial weights could not be redrawn (no seed in the log, or the log does not start at trial 0), so only the final ones are shown."
	if init != nil {
		before = "Grey: the initial weights, redrawn from the seed of the log (their class means match its first row)."
	}
	return &Figure{
		Caption: fmt.Sprintf("E/I balance of the trained network (Fig. 7F-G): for every E cell (left) and I cell "+
			"(right), the summed weight of its incoming E synapses against that of its incoming I synapses, in pA, "+
			"from %s. %s", run.WeightsFile, before),
		Width: repMapW, Height: 3 * vg.Inch,
		Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{row}) },
	}, nil
}

// spkCompareTable sets the final network beside the authors' numbers.
func spkCompareTable(run *SpikingRun, fz *spkFrozen) *Table {
	p, recs := run.P, run.Records
	ms := spiking.FindMilestones(p, recs)
	nTail := min(len(recs), spiking.FinalTrials)
	const src8 = "§8, notebook"
	m := run.W.Means()
	labels := [4]string{"WEE (E→E)", "WEI (I→E)", "WIE (E→I)", "WII (I→I)"}
	var rows [][]Cell
	for c := range 4 {
		rows = append(rows, []Cell{{Text: "final class-mean weight " + labels[c]}, {Text: fmt.Sprintf("%.1f pA", m[c])},
			{Text: fmt.Sprintf("%s pA", repG(spkAuthorsW[c]))}, {Text: src8}})
	}
	for k, pop := range []string{"E", "I"} {
		set, got := p.Eset, ms.FinalE
		if k == 1 {
			set, got = p.Iset, ms.FinalI
		}
		fr := fz.meanE
		if k == 1 {
			fr = fz.meanI
		}
		rows = append(rows, []Cell{{Text: pop + " rate"},
			{Text: fmt.Sprintf("%.2f Hz (log, last %d trials); %.2f Hz (%d trials without plasticity)", got, nTail, fr, fz.n)},
			{Text: fmt.Sprintf("%s Hz", repG(set))},
			{Text: "§7, the rule's setpoint S_" + pop + " (Fig. 7C); the notebook gives no final rate"}})
	}
	for c := range 4 {
		exc := c == 0 || c == 2
		mean, sd := spkMeanSD(run.W.Incoming(run.G, c))
		kind := map[bool]string{true: "E", false: "I"}[exc]
		onto := map[bool]string{true: "E", false: "I"}[c < 2]
		rows = append(rows, []Cell{{Text: fmt.Sprintf("summed %s input per %s cell (%s), mean ± SD", kind, onto, labels[c][:3])},
			{Text: fmt.Sprintf("%.0f ± %.0f pA", mean, sd)},
			{Text: fmt.Sprintf("%.0f ± %.0f pA", spkAuthorsSum[c][0], spkAuthorsSum[c][1])}, {Text: src8}})
	}
	rE := spkCorr(run.W.Incoming(run.G, 0), run.W.Incoming(run.G, 1))
	rI := spkCorr(run.W.Incoming(run.G, 2), run.W.Incoming(run.G, 3))
	rows = append(rows, []Cell{{Text: "correlation across cells of summed E and summed I input"},
		{Text: fmt.Sprintf("%.3f (E cells), %.3f (I cells)", rE, rI)},
		{Text: fmt.Sprintf("≈ %s", repG(spkAuthorsR))}, {Text: src8 + " (which cells it does not say)"}})
	_, sdE := spkMeanSD(fz.rE)
	_, sdI := spkMeanSD(fz.rI)
	rows = append(rows, []Cell{{Text: "SD over cells of per-cell rates, E and I"},
		{Text: fmt.Sprintf("%.1f and %.1f Hz (rates averaged over %d trials without plasticity)", sdE, sdI, fz.n)},
		{Text: fmt.Sprintf("%s and %s Hz", repG(spkAuthorsSD[0]), repG(spkAuthorsSD[1]))},
		{Text: src8 + ", over its last 1000 trials (how it averaged them it does not say)"}})
	return &Table{
		Caption: "The trained spiking network beside the authors' Fig. 7 run. Weights are named onto-from " +
			"(WEI is onto E from I) and are charges: w pA delivers w fC per spike. The authors' numbers are " +
			"restated in shared/reference/spiking.md from their code and notebooks; the last column gives the " +
			"section of that file. §8: the final numbers of the run drawn in Fig. 7 (trained 2022-01-27), as " +
			"the authors' notebook spiking-upstates-dev-2021-movie reads them from its results file, which is " +
			"not public. §7: the authors' training code.",
		Header: []Cell{{Text: "quantity"}, {Text: "this run"}, {Text: "authors"}, {Text: "source of the authors' value"}},
		Rows:   rows,
	}
}

// spikingParadox shows the paradoxical-effect test (Fig. 7I).
func (s *repSim) spikingParadox(run *SpikingRun, par *SpikingParadoxRun) ([]Block, error) {
	trials := repOr(par.Meta["trials"], "?")
	// The paradox command takes its windows and thresholds from
	// spiking.DefaultParadox; its log records only amplitudes, trials
	// and seed.
	pc := spiking.DefaultParadox()
	sec := func(ms float64) string { return repG(ms / 1000) }
	text := fmt.Sprintf("From %s: trials of %s s without plasticity, the usual kick, then a current step "+
		"into all %d I cells from %s to %s s, %s trials per amplitude; a trial whose E (I) rate during the step "+
		"fell below %s (%s) Hz lost its Up state and is left out of the E (I) means. The paradoxical effect is "+
		"a drop of the I rate when the I cells get more input.",
		par.CSVFile, sec(pc.TrialMS), run.P.NI, sec(pc.StimFromMS), sec(pc.StimToMS), trials,
		repG(pc.MinE), repG(pc.MinI))
	text += " " + spkParadoxOrigin(run, par)
	blocks := []Block{&Paragraph{Emphasis: "Paradoxical effect (Fig. 7I). ", Text: text}}

	var rows [][]Cell
	for _, r := range par.Rows {
		auth := "—"
		for _, a := range spkAuthorsParadox {
			if a.amp == r.Amp {
				auth = fmt.Sprintf("E %.2f → %.2f, I %.2f → %.2f (drop %.2f); kept %d/%d; alive %d",
					a.baseE, a.stimE, a.baseI, a.stimI, a.baseI-a.stimI, a.keptE, a.keptI, a.alive)
			}
		}
		rows = append(rows, []Cell{{Text: repG(r.Amp)}, {Text: fmt.Sprintf("%d/%d", r.KeptE, r.KeptI)},
			{Text: fmt.Sprintf("%s → %s", spkNum(r.BaseE, 2), spkNum(r.StimE, 2))},
			{Text: fmt.Sprintf("%s → %s", spkNum(r.BaseI, 2), spkNum(r.StimI, 2))},
			{Text: spkNum(r.DropI, 2)}, {Text: fmt.Sprint(r.AliveEnd)}, {Text: auth}})
	}
	blocks = append(blocks, &Table{
		Caption: fmt.Sprintf("The paradoxical-effect test: for each step amplitude, the trials kept for the E and I "+
			"means (of %s), the mean rates in Hz over the baseline (%s-%s s) and during the step (%s-%s s), the "+
			"drop of the I rate, and the trials whose Up state was alive at %s-%s s. Authors: their test "+
			"recomputed from the PSTH file they ship (spiking.md §9), which ran on another trained network, with "+
			"the public script's parameters (refractory 5/2 ms).", trials, sec(pc.BaseFromMS), sec(pc.BaseToMS),
			sec(pc.StimFromMS), sec(pc.StimToMS), sec(pc.TrialMS-300), sec(pc.TrialMS-100)),
		Header: []Cell{{Text: "step (pA)"}, {Text: "kept E/I"}, {Text: "E base → step"}, {Text: "I base → step"},
			{Text: "I drop"}, {Text: "alive at end"}, {Text: "authors (spiking.md §9)"}},
		Rows: rows,
	})

	drop, err := spkDropPlot(par)
	if err != nil {
		return nil, err
	}
	rates, err := spkStepRatesPlot(par)
	if err != nil {
		return nil, err
	}
	repCompact(drop, 9)
	repCompact(rates, 9)
	if par.Figure != nil {
		img := par.Figure
		b := img.Bounds()
		// As wide as the text, or as tall as 6 inches.
		w := repMapW
		h := w * vg.Length(b.Dy()) / vg.Length(b.Dx())
		if h > 6*vg.Inch {
			h, w = 6*vg.Inch, 6*vg.Inch*vg.Length(b.Dx())/vg.Length(b.Dy())
		}
		blocks = append(blocks, &Figure{
			Caption: fmt.Sprintf("Trial-averaged PSTHs of the E (top) and I (bottom) populations at each step "+
				"amplitude (darker for larger), the step shaded, as drawn by paradox spiking paradox (%s, "+
				"embedded as a %d x %d image: the command does not save the PSTHs as numbers). The legend "+
				"gives the kept trials.", par.FigureFile, b.Dx(), b.Dy()),
			Width: w, Height: h,
			Draw: func(dc draw.Canvas) error {
				dc.DrawImage(dc.Rectangle, img)
				return nil
			},
		})
	} else {
		blocks = append(blocks, &Paragraph{Text: "The PSTHs are not shown: " + par.Dir + " has no paradox.png " +
			"(the test was run with --format svg or pdf, which the report cannot embed)."})
	}
	blocks = append(blocks, &Figure{
		Caption: "The paradoxical effect in numbers. Left: drop of the mean I rate (baseline minus step) " +
			"against the step amplitude, this test (vermillion) and the authors' (black, spiking.md §9; another " +
			"trained network, public parameters); a positive drop when the I cells get more input is the " +
			"paradoxical effect. Right: the mean E (green) and I (vermillion) rates of the kept trials over the " +
			"baseline (dashed) and during the step (solid), from " + par.CSVFile + ".",
		Width: repMapW, Height: 2.6 * vg.Inch,
		Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{{drop, rates}}) },
	})
	for _, r := range par.Rows {
		if r.Amp > 0 {
			s.b.brief = append(s.b.brief, fmt.Sprintf("Spiking paradoxical effect (Fig. 7I): %s pA into every I "+
				"cell moved the I rate from %.2f to %.2f Hz (%d of %s trials kept); the authors' network: %.2f to %.2f Hz at 2 pA.",
				repG(r.Amp), r.BaseI, r.StimI, r.KeptI, trials, spkAuthorsParadox[1].baseI, spkAuthorsParadox[1].stimI))
			break
		}
	}
	return blocks, nil
}

// spkParadoxOrigin says which network and parameters the test ran on,
// from the command line and parameters in its log.
func spkParadoxOrigin(run *SpikingRun, par *SpikingParadoxRun) string {
	var out []string
	cmd := par.Meta["command"]
	if w := spkFlag(cmd, "weights"); w != "" {
		same := ""
		if a, err := os.Stat(w); err == nil {
			if b, err := os.Stat(run.WeightsFile); err == nil && os.SameFile(a, b) {
				same = ", the weights of the training run above"
			}
		}
		if same == "" {
			same = ", which is not " + run.WeightsFile + " as far as the paths tell: the test may have run on another trained network"
		}
		out = append(out, "Its log names the weights "+w+same+".")
	}
	if ps := par.Meta["params"]; ps != "" {
		q, err := spiking.DecodeParams([]byte(strings.ReplaceAll(ps, "; ", "\n")), run.P)
		switch d := spkParamDiff(run.P, q); {
		case err != nil:
		case len(d) == 0:
			out = append(out, "It ran with the training's parameters.")
		default:
			out = append(out, "It ran with these parameters changed from the training's: "+strings.Join(d, ", ")+".")
		}
	}
	return strings.Join(out, " ")
}

// spkFlag returns the value of --name in a command line, or "".
func spkFlag(cmd, name string) string {
	f := strings.Fields(cmd)
	for k, a := range f {
		if a == "--"+name && k+1 < len(f) {
			return f[k+1]
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// spkStepRatesPlot draws the mean E and I rates at baseline and during
// the step against the amplitude.
func spkStepRatesPlot(par *SpikingParadoxRun) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = "rates at baseline and during the step"
	pl.X.Label.Text = "step into every I cell (pA)"
	pl.Y.Label.Text = "rate (Hz)"
	pl.Legend.Top = true
	var ticks []plot.Tick
	for _, r := range par.Rows {
		ticks = append(ticks, plot.Tick{Value: r.Amp, Label: repG(r.Amp)})
	}
	pl.X.Tick.Marker = plot.ConstantTicks(ticks)
	for _, set := range []struct {
		name   string
		get    func(SpikingParadoxRow) float64
		c      color.Color
		dashed bool
	}{
		{"I baseline", func(r SpikingParadoxRow) float64 { return r.BaseI }, SpikingColorI, true},
		{"I step", func(r SpikingParadoxRow) float64 { return r.StimI }, SpikingColorI, false},
		{"E baseline", func(r SpikingParadoxRow) float64 { return r.BaseE }, SpikingColorE, true},
		{"E step", func(r SpikingParadoxRow) float64 { return r.StimE }, SpikingColorE, false},
	} {
		var xy plotter.XYs
		for _, r := range par.Rows {
			if v := set.get(r); !math.IsNaN(v) {
				xy = append(xy, plotter.XY{X: r.Amp, Y: v})
			}
		}
		if len(xy) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = set.c, vg.Points(1)
		if set.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: set.c, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		pl.Add(l, sc)
		pl.Legend.Add(set.name, l, sc)
	}
	// Room above the I rates for the legend.
	pl.Y.Min = 0
	repHeadroom(pl, 0.45)
	return pl, nil
}

// spkDropPlot draws the drop of the I rate against the amplitude, for
// the test and the authors'.
func spkDropPlot(par *SpikingParadoxRun) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = "I-rate drop during the step"
	pl.X.Label.Text = "step into every I cell (pA)"
	pl.Y.Label.Text = "I base − step (Hz)"
	pl.Legend.Top, pl.Legend.Left = true, true
	var ours, theirs plotter.XYs
	for _, r := range par.Rows {
		if !math.IsNaN(r.DropI) {
			ours = append(ours, plotter.XY{X: r.Amp, Y: r.DropI})
		}
	}
	for _, a := range spkAuthorsParadox {
		theirs = append(theirs, plotter.XY{X: a.amp, Y: a.baseI - a.stimI})
	}
	for _, set := range []struct {
		name   string
		xy     plotter.XYs
		c      color.Color
		dashed bool
		glyph  draw.GlyphDrawer
	}{
		{"this test", ours, SpikingColorI, false, draw.CircleGlyph{}},
		{"authors", theirs, color.Black, true, draw.RingGlyph{}},
	} {
		if len(set.xy) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(set.xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = set.c, vg.Points(1)
		if set.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: set.c, Radius: vg.Points(2.5), Shape: set.glyph}
		pl.Add(l, sc)
		pl.Legend.Add(set.name, l, sc)
	}
	var ticks []plot.Tick
	for _, xy := range ours {
		ticks = append(ticks, plot.Tick{Value: xy.X, Label: repG(xy.X)})
	}
	pl.X.Tick.Marker = plot.ConstantTicks(ticks)
	zero := plotter.NewFunction(func(float64) float64 { return 0 })
	zero.Color, zero.Width = color.Gray{Y: 0x99}, vg.Points(0.5)
	pl.Add(zero)
	repHeadroom(pl, 0.25)
	return pl, nil
}
