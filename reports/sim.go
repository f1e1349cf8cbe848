package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// Figures of the two-population rate simulations (Figs. 1B-C, 2B-D, 3,
// 4B-G, S4). E is bluish green and I vermillion (Okabe & Ito), for the
// paper's green and red; the four weights take four colours of the same
// palette, in the order WEE, WEI, WIE, WII. Setpoints are dashed.
var (
	SimColorE = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	SimColorI = color.RGBA{0xd5, 0x5e, 0x00, 0xff}

	// SimWeightColors colour WEE, WEI, WIE and WII.
	SimWeightColors = [4]color.RGBA{
		{0x00, 0x72, 0xb2, 0xff}, {0xe6, 0x9f, 0x00, 0xff},
		{0x56, 0xb4, 0xe9, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	}

	// SimGroupColors colour the groups of Figs. 4F-G.
	SimGroupColors = []color.RGBA{
		{0x00, 0x72, 0xb2, 0xff}, {0xd5, 0x5e, 0x00, 0xff},
		{0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
		{0xe6, 0x9f, 0x00, 0xff}, {0x56, 0xb4, 0xe9, 0xff},
	}
)

// simNewPlot returns a plot whose tick labels are written in the fewest
// digits ("250", not "250.00").
func simNewPlot() *plot.Plot {
	pl := plot.New()
	pl.X.Tick.Marker = simTicks{}
	pl.Y.Tick.Marker = simTicks{}
	return pl
}

type simTicks struct{}

func (simTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for k := range ts {
		if ts[k].Label != "" {
			ts[k].Label = strconv.FormatFloat(ts[k].Value, 'g', 6, 64)
		}
	}
	return ts
}

func simLine(xy plotter.XYs, c color.Color, width vg.Length, dashed bool) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = c, width
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	return l, nil
}

// simHLine is a dashed horizontal line at y from x0 to x1.
func simHLine(y, x0, x1 float64, c color.Color) (*plotter.Line, error) {
	return simLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}}, c, vg.Points(0.8), true)
}

// SimTracePlot draws E and I within one trial (Figs. 2B, 4B): time in s
// relative to the pulse onset, with the setpoints dashed. title "" uses
// "trial N".
func SimTracePlot(tr *sim.Trace, eset, iset float64, title string) (*plot.Plot, error) {
	pl := simNewPlot()
	pl.Title.Text = title
	if title == "" {
		pl.Title.Text = fmt.Sprintf("trial %d", tr.Trial)
	}
	pl.X.Label.Text = "time from pulse (s)"
	pl.Y.Label.Text = "rate (Hz)"
	if err := simAddTrace(pl, tr, 1e-3, eset, iset); err != nil {
		return nil, err
	}
	pl.Y.Min = 0
	simHeadroom(pl)
	return pl, nil
}

// simAddTrace adds the E and I lines of tr, with times scaled by scale
// (1e-3: s), and setpoint lines unless a setpoint is NaN.
func simAddTrace(pl *plot.Plot, tr *sim.Trace, scale, eset, iset float64) error {
	n := len(tr.E)
	if n == 0 {
		return nil
	}
	x0, x1 := tr.Time(0)*scale, tr.Time(n-1)*scale
	for _, s := range []struct {
		name string
		v    []float64
		set  float64
		c    color.Color
	}{{"E", tr.E, eset, SimColorE}, {"I", tr.I, iset, SimColorI}} {
		xy := make(plotter.XYs, n)
		for k, v := range s.v {
			xy[k] = plotter.XY{X: tr.Time(k) * scale, Y: v}
		}
		l, err := simLine(xy, s.c, vg.Points(1.2), false)
		if err != nil {
			return err
		}
		pl.Add(l)
		pl.Legend.Add(s.name, l)
		if !math.IsNaN(s.set) {
			h, err := simHLine(s.set, x0, x1, s.c)
			if err != nil {
				return err
			}
			pl.Add(h)
		}
	}
	pl.Legend.Top = true
	return nil
}

// SimRatesPlot draws the trial-filtered E and I rates across trials
// (the "Mean E/I" panels of Figs. 2C and 4C, top) with the setpoints
// dashed.
func SimRatesPlot(recs []sim.TrialRecord, eset, iset float64) (*plot.Plot, error) {
	pl := simNewPlot()
	pl.Title.Text = "average rate across trials"
	pl.X.Label.Text = "trial"
	pl.Y.Label.Text = "rate (Hz)"
	pl.Legend.Top = true
	if len(recs) == 0 {
		return pl, nil
	}
	x0, x1 := float64(recs[0].Trial), float64(recs[len(recs)-1].Trial)
	for _, s := range []struct {
		name string
		get  func(sim.TrialRecord) float64
		set  float64
		c    color.Color
	}{
		{"E", func(r sim.TrialRecord) float64 { return r.E }, eset, SimColorE},
		{"I", func(r sim.TrialRecord) float64 { return r.I }, iset, SimColorI},
	} {
		xy := make(plotter.XYs, len(recs))
		for k, r := range recs {
			xy[k] = plotter.XY{X: float64(r.Trial), Y: s.get(r)}
		}
		l, err := simLine(xy, s.c, vg.Points(1.2), false)
		if err != nil {
			return nil, err
		}
		h, err := simHLine(s.set, x0, x1, s.c)
		if err != nil {
			return nil, err
		}
		pl.Add(l, h)
		pl.Legend.Add(s.name, l)
	}
	pl.Y.Min = 0
	simHeadroom(pl)
	return pl, nil
}

// SimWeightsPlot draws the four weights across trials, starting from w0
// at trial 0 (Figs. 2C and 4C, bottom).
func SimWeightsPlot(recs []sim.TrialRecord, w0 model.Weights) (*plot.Plot, error) {
	pl := simNewPlot()
	pl.Title.Text = "weights across trials"
	pl.X.Label.Text = "trial"
	pl.Y.Label.Text = "weight"
	pl.Legend.Top = true
	for c, name := range model.Names {
		xy := make(plotter.XYs, 0, len(recs)+1)
		xy = append(xy, plotter.XY{X: 0, Y: w0.Array()[c]})
		for _, r := range recs {
			xy = append(xy, plotter.XY{X: float64(r.Trial), Y: r.W.Array()[c]})
		}
		l, err := simLine(xy, SimWeightColors[c], vg.Points(1.2), false)
		if err != nil {
			return nil, err
		}
		pl.Add(l)
		pl.Legend.Add(name, l)
	}
	pl.Y.Min = 0
	simHeadroom(pl)
	return pl, nil
}

// SimPair selects a plane of weight space: the weights onto E (WEE
// across, WEI up; Methods Eq. 4) or onto I (WIE across, WII up; Eq. 5).
type SimPair int

const (
	SimPairE SimPair = iota
	SimPairI
)

// axes returns the names and the indices (in model.Weights.Array
// order) of the pair's weights.
func (q SimPair) axes() (x, y int) {
	if q == SimPairI {
		return 2, 3
	}
	return 0, 1
}

// balance returns the balance line of Methods Eq. 4 (SimPairE) or Eq. 5
// (SimPairI) for p: the weight up as a function of the weight across.
func (q SimPair) balance(p model.Params) func(float64) float64 {
	if q == SimPairI {
		return p.WIIOnPlane
	}
	return p.WEIOnPlane
}

// SimTrajectoriesPlot draws every run of an ensemble in one plane of
// weight space (Figs. 2D, 4D): a line from the initial weights through
// the kept trials to the final weights, a circle at the end, and the
// balance line of Methods Eqs. 4-5 for p, on which E = Eset and I = Iset.
// Runs that stopped with an error end in a cross.
func SimTrajectoriesPlot(ens *sim.EnsembleResult, p model.Params, pair SimPair) (*plot.Plot, error) {
	pl := simNewPlot()
	ix, iy := pair.axes()
	pl.X.Label.Text, pl.Y.Label.Text = model.Names[ix], model.Names[iy]
	pl.Title.Text = fmt.Sprintf("%s vs %s, %d runs", model.Names[iy], model.Names[ix], len(ens.Runs))
	var ends, fails plotter.XYs
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, r := range ens.Runs {
		xy := plotter.XYs{{X: r.W0.Array()[ix], Y: r.W0.Array()[iy]}}
		for _, t := range r.Trials {
			a := t.W.Array()
			xy = append(xy, plotter.XY{X: a[ix], Y: a[iy]})
		}
		a := r.Final.W.Array()
		end := plotter.XY{X: a[ix], Y: a[iy]}
		if len(r.Trials) == 0 || r.Trials[len(r.Trials)-1].Trial != r.Final.Trial {
			xy = append(xy, end)
		}
		for _, pt := range xy {
			lo, hi = math.Min(lo, pt.X), math.Max(hi, pt.X)
		}
		c := SimGroupColors[k%len(SimGroupColors)]
		l, err := simLine(xy, color.RGBA{c.R, c.G, c.B, 0x90}, vg.Points(0.7), false)
		if err != nil {
			return nil, err
		}
		pl.Add(l)
		if r.Err != nil {
			fails = append(fails, end)
		} else {
			ends = append(ends, end)
		}
	}
	if err := simScatter(pl, ends, draw.CircleGlyph{}, color.Black, "final"); err != nil {
		return nil, err
	}
	if err := simScatter(pl, fails, draw.CrossGlyph{}, SimColorI, "stopped (overflow)"); err != nil {
		return nil, err
	}
	if len(ens.Runs) > 0 {
		if err := simBalance(pl, pair, p, lo, hi, color.Black, "E=Eset, I=Iset (Methods Eqs. 4-5)"); err != nil {
			return nil, err
		}
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	simHeadroom(pl)
	return pl, nil
}

// simHeadroom raises the top of the y axis by a quarter of its range so
// that a legend at the top does not cover data.
func simHeadroom(pl *plot.Plot) {
	if pl.Y.Max > pl.Y.Min {
		pl.Y.Max += 0.25 * (pl.Y.Max - pl.Y.Min)
	}
}

func simScatter(pl *plot.Plot, xy plotter.XYs, g draw.GlyphDrawer, c color.Color, name string) error {
	if len(xy) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: g}
	pl.Add(s)
	if name != "" {
		pl.Legend.Add(name, s)
	}
	return nil
}

// simBalance adds the balance line of pair for p over [lo, hi], where
// it is positive.
func simBalance(pl *plot.Plot, pair SimPair, p model.Params, lo, hi float64, c color.Color, name string) error {
	if hi <= lo {
		lo, hi = lo-1, hi+1
	}
	f := pair.balance(p)
	if slope := (f(hi) - f(lo)) / (hi - lo); f(lo) < 0 && slope > 0 {
		lo -= f(lo) / slope // only the part with a positive weight
	}
	if lo >= hi {
		return nil
	}
	l, err := simLine(plotter.XYs{{X: lo, Y: f(lo)}, {X: hi, Y: f(hi)}}, c, vg.Points(1.2), false)
	if err != nil {
		return err
	}
	pl.Add(l)
	if name != "" {
		pl.Legend.Add(name, l)
	}
	return nil
}

// SimRateGroup is one bar pair of SimFinalRatesPlot: the final E and I
// rates of an ensemble (mean ± SEM) and its setpoints.
type SimRateGroup struct {
	Label      string
	E, I       sim.Stats
	Eset, Iset float64
}

// SimFinalRatesPlot draws the final E and I rates of one or more
// ensembles as bars with SEM error bars and the setpoints as dashes
// (Figs. 2D and 4E with one group; Fig. 4F with three setpoint pairs).
func SimFinalRatesPlot(groups []SimRateGroup) (*plot.Plot, error) {
	pl := simNewPlot()
	pl.Title.Text = "final rates (mean ± SEM)"
	pl.Y.Label.Text = "rate (Hz)"
	n := len(groups)
	if n == 0 {
		return pl, nil
	}
	const bw = 0.35 // bar width in data units; E left, I right
	for j, s := range []struct {
		name string
		get  func(SimRateGroup) (sim.Stats, float64)
		c    color.Color
	}{
		{"E", func(g SimRateGroup) (sim.Stats, float64) { return g.E, g.Eset }, SimColorE},
		{"I", func(g SimRateGroup) (sim.Stats, float64) { return g.I, g.Iset }, SimColorI},
	} {
		var centers, sets plotter.XYs
		var yerr plotter.YErrors
		for k, g := range groups {
			st, set := s.get(g)
			x := float64(k) + (float64(j)-0.5)*bw
			sets = append(sets, plotter.XY{X: x, Y: set})
			if math.IsNaN(st.Mean) {
				continue // no run finished
			}
			bar, err := plotter.NewPolygon(plotter.XYs{
				{X: x - bw/2, Y: 0}, {X: x + bw/2, Y: 0}, {X: x + bw/2, Y: st.Mean}, {X: x - bw/2, Y: st.Mean}})
			if err != nil {
				return nil, err
			}
			bar.Color = s.c
			bar.LineStyle.Width = 0
			pl.Add(bar)
			if len(centers) == 0 {
				pl.Legend.Add(s.name, bar)
			}
			centers = append(centers, plotter.XY{X: x, Y: st.Mean})
			yerr = append(yerr, struct{ Low, High float64 }{st.SEM, st.SEM})
		}
		if len(centers) > 0 {
			eb, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{centers, yerr})
			if err != nil {
				return nil, err
			}
			pl.Add(eb)
		}
		name := ""
		if j == 0 {
			name = "setpoint"
		}
		if err := simScatter(pl, sets, draw.BoxGlyph{}, color.Black, name); err != nil {
			return nil, err
		}
	}
	labels := make([]string, n)
	for k, g := range groups {
		labels[k] = g.Label
	}
	pl.NominalX(labels...)
	pl.Legend.Top = true
	pl.Y.Min = 0
	pl.Y.Max *= 1.3 // room for the legend
	return pl, nil
}

// SimWeightSet is the final weights of one ensemble of
// SimFinalWeightsPlot with the parameters (setpoints) it ran with.
type SimWeightSet struct {
	Label  string
	Params model.Params
	Final  []model.Weights
}

// SimFinalWeightsPlot draws the final weights of one or more ensembles
// in one plane of weight space, each with its balance line (Methods
// Eqs. 4-5), whose slope is Eset/Iset (Fig. 4G).
func SimFinalWeightsPlot(sets []SimWeightSet, pair SimPair) (*plot.Plot, error) {
	pl := simNewPlot()
	ix, iy := pair.axes()
	pl.X.Label.Text, pl.Y.Label.Text = model.Names[ix], model.Names[iy]
	pl.Title.Text = "final weights"
	for k, s := range sets {
		c := SimGroupColors[k%len(SimGroupColors)]
		xy := make(plotter.XYs, len(s.Final))
		lo, hi := math.Inf(1), math.Inf(-1)
		for j, w := range s.Final {
			a := w.Array()
			xy[j] = plotter.XY{X: a[ix], Y: a[iy]}
			lo, hi = math.Min(lo, a[ix]), math.Max(hi, a[ix])
		}
		if err := simScatter(pl, xy, draw.CircleGlyph{}, c, s.Label); err != nil {
			return nil, err
		}
		if len(xy) > 0 {
			if err := simBalance(pl, pair, s.Params, lo, hi, c, ""); err != nil {
				return nil, err
			}
		}
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	simHeadroom(pl)
	return pl, nil
}

// SimStepPlot draws the paradoxical-step experiment (Figs. 1B-C, 3): E
// and I in s from the step onset, with the step shaded from 0 to stepMs.
func SimStepPlot(r *sim.StepResult, stepMs float64, title string) (*plot.Plot, error) {
	pl := simNewPlot()
	pl.Title.Text = title
	pl.X.Label.Text = "time from step onset (s)"
	pl.Y.Label.Text = "rate (Hz)"
	ymax := 0.0
	for k := range r.Trace.E {
		ymax = math.Max(ymax, math.Max(r.Trace.E[k], r.Trace.I[k]))
	}
	if ymax == 0 || math.IsNaN(ymax) {
		ymax = 1
	}
	shade, err := plotter.NewPolygon(plotter.XYs{
		{X: 0, Y: 0}, {X: stepMs / 1000, Y: 0}, {X: stepMs / 1000, Y: ymax * 1.05}, {X: 0, Y: ymax * 1.05}})
	if err != nil {
		return nil, err
	}
	shade.Color = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	shade.LineStyle.Width = 0
	pl.Add(shade)
	pl.Legend.Add("step", shade)
	pl.Y.Max = ymax * 1.3 // room for the legend
	if err := simAddTrace(pl, &r.Trace, 1e-3, math.NaN(), math.NaN()); err != nil {
		return nil, err
	}
	pl.Y.Min = 0
	return pl, nil
}

// SimOnlinePlots draws an online run (Fig. S4) against time in s: the
// rate sensors with the setpoints dashed, and the four weights.
func SimOnlinePlots(r *sim.OnlineResult, eset, iset float64) (rates, weights *plot.Plot, err error) {
	rates, weights = simNewPlot(), simNewPlot()
	rates.Title.Text = "rate sensors (τ = 1 s)"
	rates.Y.Label.Text = "rate (Hz)"
	weights.Title.Text = "weights"
	weights.Y.Label.Text = "weight"
	for _, pl := range []*plot.Plot{rates, weights} {
		pl.X.Label.Text = "time (s)"
		pl.Legend.Top = true
	}
	n := len(r.Samples)
	if n == 0 {
		return rates, weights, nil
	}
	x0, x1 := r.Samples[0].TMs/1000, r.Samples[n-1].TMs/1000
	for _, s := range []struct {
		name string
		get  func(sim.OnlineSample) float64
		set  float64
		c    color.Color
	}{
		{"E", func(o sim.OnlineSample) float64 { return o.CaE }, eset, SimColorE},
		{"I", func(o sim.OnlineSample) float64 { return o.CaI }, iset, SimColorI},
	} {
		xy := make(plotter.XYs, n)
		for k, o := range r.Samples {
			xy[k] = plotter.XY{X: o.TMs / 1000, Y: s.get(o)}
		}
		l, err := simLine(xy, s.c, vg.Points(1.2), false)
		if err != nil {
			return nil, nil, err
		}
		h, err := simHLine(s.set, x0, x1, s.c)
		if err != nil {
			return nil, nil, err
		}
		rates.Add(l, h)
		rates.Legend.Add(s.name, l)
	}
	for c, name := range model.Names {
		xy := make(plotter.XYs, n)
		for k, o := range r.Samples {
			xy[k] = plotter.XY{X: o.TMs / 1000, Y: o.W.Array()[c]}
		}
		l, err := simLine(xy, SimWeightColors[c], vg.Points(1.2), false)
		if err != nil {
			return nil, nil, err
		}
		weights.Add(l)
		weights.Legend.Add(name, l)
	}
	rates.Y.Min, weights.Y.Min = 0, 0
	simHeadroom(rates)
	simHeadroom(weights)
	return rates, weights, nil
}
