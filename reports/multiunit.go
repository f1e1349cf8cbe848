package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim/multiunit"
)

// Figures of the multiunit rate network (Figs. 5, 6, S5). E is drawn in
// SimColorE and I in SimColorI, as in the two-population figures, for
// the paper's green and red; setpoints are dashed. Tiled with
// WritePanels.

// multiunitNewPlot returns a plot with plain tick labels.
func multiunitNewPlot(title, x, y string) *plot.Plot {
	pl := plot.New()
	pl.X.Tick.Marker = multiunitTicks{}
	pl.Y.Tick.Marker = multiunitTicks{}
	pl.Title.Text, pl.X.Label.Text, pl.Y.Label.Text = title, x, y
	return pl
}

type multiunitTicks struct{}

func (multiunitTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for k := range ts {
		if ts[k].Label != "" {
			ts[k].Label = strconv.FormatFloat(ts[k].Value, 'g', 6, 64)
		}
	}
	return ts
}

func multiunitLine(pl *plot.Plot, xy plotter.XYs, c color.Color, width float64, dashed bool) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Width = c, vg.Points(width)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	pl.Add(l)
	return l, nil
}

// multiunitFaded returns c at the given opacity (0-255), for the thin
// lines of single units.
func multiunitFaded(c color.RGBA, alpha uint8) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: alpha}
}

// MultiunitRatesPlot draws the trial-filtered rates of single units
// across trials as thin lines, with the population means as thick lines
// and the setpoints dashed (Figs. 5B, 6B). It needs res.Units
// (Config.KeepUnits). At most maxUnits units of each population are
// drawn, the first ones (the paper shows 20 of each); 0 draws all.
func MultiunitRatesPlot(res *multiunit.Result, eset, iset float64, maxUnits int) (*plot.Plot, error) {
	pl := multiunitNewPlot("unit rates across trials", "trial", "rate (Hz)")
	if len(res.Units) == 0 || res.W0 == nil {
		return pl, nil
	}
	ne, n := res.W0.NE, res.W0.N()
	for _, pop := range []struct {
		name     string
		lo, hi   int
		set      float64
		c        color.RGBA
		meanOf   func(multiunit.TrialRecord) float64
		drawnMax int
	}{
		{"E", 0, ne, eset, SimColorE, func(r multiunit.TrialRecord) float64 { return r.E }, maxUnits},
		{"I", ne, n, iset, SimColorI, func(r multiunit.TrialRecord) float64 { return r.I }, maxUnits},
	} {
		hi := pop.hi
		if pop.drawnMax > 0 {
			hi = min(hi, pop.lo+pop.drawnMax)
		}
		for u := pop.lo; u < hi; u++ {
			xy := make(plotter.XYs, len(res.Units))
			for t, rates := range res.Units {
				xy[t] = plotter.XY{X: float64(t + 1), Y: rates[u]}
			}
			if _, err := multiunitLine(pl, xy, multiunitFaded(pop.c, 90), 0.5, false); err != nil {
				return nil, err
			}
		}
		mean := make(plotter.XYs, len(res.Trials))
		for t, r := range res.Trials {
			mean[t] = plotter.XY{X: float64(r.Trial), Y: pop.meanOf(r)}
		}
		l, err := multiunitLine(pl, mean, pop.c, 2.5, false)
		if err != nil {
			return nil, err
		}
		pl.Legend.Add(pop.name+" mean", l)
		set := plotter.XYs{{X: 1, Y: pop.set}, {X: float64(len(res.Trials)), Y: pop.set}}
		if _, err := multiunitLine(pl, set, color.Black, 1, true); err != nil {
			return nil, err
		}
	}
	pl.Legend.Top = true
	pl.Y.Min = 0
	return pl, nil
}

// MultiunitTracePlot draws the rates of the traced units within one
// trial (Figs. 5C, 6C), E units in SimColorE and I units in SimColorI,
// time in s from the pulse onset, setpoints dashed. ne is the number of
// E units (units below it are E).
func MultiunitTracePlot(tr *multiunit.Trace, ne int, eset, iset float64) (*plot.Plot, error) {
	pl := multiunitNewPlot(fmt.Sprintf("trial %d", tr.Trial), "time from pulse (s)", "rate (Hz)")
	if len(tr.R) == 0 || len(tr.R[0]) == 0 {
		return pl, nil
	}
	x0, x1 := tr.Time(0)*1e-3, tr.Time(len(tr.R[0])-1)*1e-3
	for k, u := range tr.Units {
		c, name := SimColorE, fmt.Sprintf("E%d", u)
		if u >= ne {
			c, name = SimColorI, fmt.Sprintf("I%d", u-ne)
		}
		xy := make(plotter.XYs, len(tr.R[k]))
		for s, r := range tr.R[k] {
			xy[s] = plotter.XY{X: tr.Time(s) * 1e-3, Y: r}
		}
		l, err := multiunitLine(pl, xy, c, 1, k%2 == 1)
		if err != nil {
			return nil, err
		}
		pl.Legend.Add(name, l)
	}
	for _, s := range []struct {
		v float64
		c color.RGBA
	}{{eset, SimColorE}, {iset, SimColorI}} {
		if _, err := multiunitLine(pl, plotter.XYs{{X: x0, Y: s.v}, {X: x1, Y: s.v}}, multiunitFaded(s.c, 160), 0.8, true); err != nil {
			return nil, err
		}
	}
	pl.Legend.Top = true
	pl.Y.Min = 0
	return pl, nil
}

// MultiunitBalancePlot draws the E/I balance of single units (Figs.
// 5D-E, 6D-E): one dot per postsynaptic unit of the population (inh
// false: E units, WEEp against WEIp; true: I units, WIEp against WIIp),
// the summed incoming E weight against the summed incoming I weight,
// with the balance line of Methods Eqs. 4-5, on which a unit fires at
// its setpoint when every other unit does:
//
//	WEI = (gE (Eset WEE − θE + Iext) − Eset)/(Iset gE)
//	WII = (gI (Eset WIE − θI) − Iset)/(Iset gI)
func MultiunitBalancePlot(w *multiunit.Weights, p model.Params, inh bool, title string) (*plot.Plot, error) {
	xName, yName, c := "WEEp", "WEIp", SimColorE
	lo, hi := 0, w.NE
	line := p.WEIOnPlane
	if inh {
		xName, yName, c = "WIEp", "WIIp", SimColorI
		lo, hi = w.NE, w.N()
		line = p.WIIOnPlane
	}
	pl := multiunitNewPlot(title, "summed E input "+xName, "summed I input "+yName)
	xy := make(plotter.XYs, 0, hi-lo)
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i := lo; i < hi; i++ {
		e, in := w.Sums(i)
		if math.IsNaN(e) || math.IsInf(e, 0) || math.IsNaN(in) || math.IsInf(in, 0) {
			continue // an overflowed run; the CSV says so
		}
		xy = append(xy, plotter.XY{X: e, Y: in})
		xmin, xmax = math.Min(xmin, e), math.Max(xmax, e)
	}
	if len(xy) == 0 {
		return nil, fmt.Errorf("reports: %s: no unit has finite summed weights", title)
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	pl.Add(s)
	pl.Legend.Add("units", s)
	if xmax-xmin < 1 {
		xmin, xmax = xmin-0.5, xmax+0.5
	}
	l, err := multiunitLine(pl, plotter.XYs{{X: xmin, Y: line(xmin)}, {X: xmax, Y: line(xmax)}}, color.Black, 1, false)
	if err != nil {
		return nil, err
	}
	pl.Legend.Add("balance (Eqs. 4-5)", l)
	pl.Legend.Top, pl.Legend.Left = true, true
	if pl.Y.Max > pl.Y.Min {
		pl.Y.Max += 0.3 * (pl.Y.Max - pl.Y.Min)
	}
	return pl, nil
}

// multiunitGrid is the signed weight matrix as a heat-map grid:
// excitatory columns positive, inhibitory columns negative, row 0 (the
// first postsynaptic unit) at the top.
type multiunitGrid struct{ w *multiunit.Weights }

func (g multiunitGrid) Dims() (c, r int) { return g.w.N(), g.w.N() }
func (g multiunitGrid) X(c int) float64  { return float64(c) }
func (g multiunitGrid) Y(r int) float64  { return float64(-r) }
func (g multiunitGrid) Z(c, r int) float64 {
	// The grid's row r is drawn at y = −r: postsynaptic unit r.
	v := g.w.At(r, c)
	if c >= g.w.NE {
		return -v
	}
	return v
}

// MultiunitWeightsPlot draws the weight matrix (Figs. 5F, 6F): rows are
// postsynaptic units (E first, from the top), columns presynaptic;
// excitatory weights red, inhibitory weights blue (shown negative), on
// a symmetric scale of ±vmax (0: the largest magnitude in w).
func MultiunitWeightsPlot(w *multiunit.Weights, title string, vmax float64) (*plot.Plot, error) {
	pl := multiunitNewPlot(title, "presynaptic unit", "postsynaptic unit")
	if vmax <= 0 {
		for _, v := range w.W {
			vmax = math.Max(vmax, math.Abs(v))
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	h := plotter.NewHeatMap(multiunitGrid{w}, moreland.SmoothBlueRed().Palette(255))
	h.Min, h.Max, h.Rasterized = -vmax, vmax, true
	h.Underflow, h.Overflow = color.RGBA{0x3b, 0x4c, 0xc0, 0xff}, color.RGBA{0xb4, 0x04, 0x26, 0xff}
	pl.Add(h)
	n := float64(w.N())
	ticks := []plot.Tick{{Value: 0, Label: "E0"}, {Value: float64(w.NE), Label: fmt.Sprintf("I0 (%d)", w.NE)}, {Value: n - 1, Label: strconv.Itoa(w.N() - 1)}}
	pl.X.Tick.Marker = plot.ConstantTicks(ticks)
	yt := make([]plot.Tick, len(ticks))
	for k, t := range ticks {
		yt[k] = plot.Tick{Value: -t.Value, Label: t.Label}
	}
	pl.Y.Tick.Marker = plot.ConstantTicks(yt)
	pl.Title.Text = fmt.Sprintf("%s (±%.3g)", title, vmax)
	return pl, nil
}

// MultiunitFinalRatesPlot draws the final population means of the
// trial-filtered rates over the runs of a batch as bars with SEM error
// bars, and the setpoints (Figs. 5G, 6G).
func MultiunitFinalRatesPlot(b *multiunit.BatchResult, eset, iset float64) (*plot.Plot, error) {
	e, i := b.FinalRates()
	pl, err := SimFinalRatesPlot([]SimRateGroup{{Label: fmt.Sprintf("%d runs", e.N), E: e, I: i, Eset: eset, Iset: iset}})
	if err != nil {
		return nil, err
	}
	pl.Title.Text = "final mean rates (mean ± SEM over runs)"
	return pl, nil
}

// MultiunitInitialFinalPlot draws, per run of a batch, the population
// means of the initial rates (the first trial's window means; blue) and
// of the final trial-filtered rates (black), for E and I, with the
// setpoints dotted (Figs. 5H, 6H). Runs are spread sideways by their
// index so that overlapping dots stay visible.
func MultiunitInitialFinalPlot(b *multiunit.BatchResult, eset, iset float64) (*plot.Plot, error) {
	pl := multiunitNewPlot("initial (blue) and final (black) mean rates", "", "rate (Hz)")
	blue := color.RGBA{0x00, 0x72, 0xb2, 0xff}
	var ini, fin plotter.XYs
	n := float64(len(b.Runs))
	for k := range b.Runs {
		s := &b.Runs[k]
		if s.Err != nil || len(s.Trials) == 0 {
			continue
		}
		dx := 0.25 * (float64(k)/math.Max(1, n-1) - 0.5)
		f, i := s.Final(), s.First()
		ini = append(ini, plotter.XY{X: dx - 0.2, Y: i.MeanE}, plotter.XY{X: 1 + dx - 0.2, Y: i.MeanI})
		fin = append(fin, plotter.XY{X: dx + 0.2, Y: f.E}, plotter.XY{X: 1 + dx + 0.2, Y: f.I})
	}
	for _, d := range []struct {
		xy   plotter.XYs
		c    color.Color
		name string
	}{{ini, blue, "initial"}, {fin, color.Black, "final"}} {
		if len(d.xy) == 0 {
			continue
		}
		s, err := plotter.NewScatter(d.xy)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: d.c, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
		pl.Add(s)
		pl.Legend.Add(d.name, s)
	}
	for k, s := range []struct {
		v float64
		c color.RGBA
	}{{eset, SimColorE}, {iset, SimColorI}} {
		x := float64(k)
		if _, err := multiunitLine(pl, plotter.XYs{{X: x - 0.45, Y: s.v}, {X: x + 0.45, Y: s.v}}, s.c, 1.2, true); err != nil {
			return nil, err
		}
	}
	pl.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "E"}, {Value: 1, Label: "I"}})
	pl.X.Min, pl.X.Max = -0.6, 1.6
	pl.Y.Min = 0
	pl.Legend.Top = true
	return pl, nil
}
