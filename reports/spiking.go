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
	"github.com/paradoxlab/paradox/sim/spiking"
)

// Figures of the spiking network (Fig. 7 of the paper). E is drawn in
// bluish green and I in vermillion (Okabe & Ito), the paper's green and
// red made safe for colour-blind readers; the four weight classes take
// four further colours of the same palette.
var (
	SpikingColorE = SimColorE
	SpikingColorI = SimColorI

	// SpikingClassColors colour WEE, WEI, WIE and WII.
	SpikingClassColors = [4]color.RGBA{
		SimColorE, SimColorI,
		{0x56, 0xb4, 0xe9, 0xff}, {0xcc, 0x79, 0xa7, 0xff},
	}
)

func spikingLine(xy plotter.XYs, c color.Color, width vg.Length, dashed bool) (*plotter.Line, error) {
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

// SpikingRasterPlot draws the spikes of one trial: time in s against the
// cell index, E cells (0…NE−1) below I cells.
func SpikingRasterPlot(p spiking.Params, spikes []spiking.Spike, title string) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = "time (s)"
	pl.Y.Label.Text = "cell"
	var xe, xi plotter.XYs
	for _, s := range spikes {
		pt := plotter.XY{X: float64(s.Step) * p.Dt / 1000, Y: float64(s.Cell)}
		if int(s.Cell) < p.NE {
			xe = append(xe, pt)
		} else {
			xi = append(xi, pt)
		}
	}
	for _, set := range []struct {
		xy plotter.XYs
		c  color.Color
	}{{xe, SpikingColorE}, {xi, SpikingColorI}} {
		if len(set.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(set.xy)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: set.c, Radius: vg.Points(0.35), Shape: draw.BoxGlyph{}}
		pl.Add(sc)
	}
	pl.X.Min, pl.X.Max = 0, p.TrialMS/1000
	pl.Y.Min, pl.Y.Max = 0, float64(p.N())
	return pl, nil
}

// SpikingPSTHPlot draws the E and I population rates of a PSTH in Hz.
func SpikingPSTHPlot(h spiking.PSTH, title string) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = "time (s)"
	pl.Y.Label.Text = "rate (Hz)"
	for _, set := range []struct {
		name string
		r    []float64
		c    color.Color
	}{{"E", h.E, SpikingColorE}, {"I", h.I, SpikingColorI}} {
		xy := make(plotter.XYs, len(set.r))
		for k, v := range set.r {
			xy[k] = plotter.XY{X: (float64(k) + 0.5) * h.BinMS / 1000, Y: v}
		}
		l, err := spikingLine(xy, set.c, vg.Points(1), false)
		if err != nil {
			return nil, err
		}
		pl.Add(l)
		pl.Legend.Add(set.name, l)
	}
	pl.Legend.Top = true
	pl.Y.Min = 0
	pl.X.Min, pl.X.Max = 0, float64(len(h.E))*h.BinMS/1000
	return pl, nil
}

// SpikingTrainingPlots returns two plots over the trials of recs: the
// measured E and I rates (5-trial moving average, as Fig. 7C) with the
// setpoints dashed, and the class-mean weights (Fig. 7D).
func SpikingTrainingPlots(recs []spiking.TrialRecord, eset, iset float64) (rates, weights *plot.Plot, err error) {
	rates, weights = plot.New(), plot.New()
	rates.Title.Text = "population rates (5-trial moving average)"
	rates.Y.Label.Text = "rate (Hz)"
	weights.Title.Text = "class-mean weights"
	weights.Y.Label.Text = "weight (pA)"
	for _, pl := range []*plot.Plot{rates, weights} {
		pl.X.Label.Text = "trial"
		pl.X.Tick.Marker = spikingPlainTicks{}
		pl.Legend.Top = true
		pl.Legend.Left = true
	}
	if len(recs) == 0 {
		return rates, weights, nil
	}
	x0, x1 := float64(recs[0].Trial), float64(recs[len(recs)-1].Trial)
	for _, set := range []struct {
		name string
		get  func(spiking.TrialRecord) float64
		set  float64
		c    color.Color
	}{
		{"E", func(r spiking.TrialRecord) float64 { return r.E }, eset, SpikingColorE},
		{"I", func(r spiking.TrialRecord) float64 { return r.I }, iset, SpikingColorI},
	} {
		xy := make(plotter.XYs, len(recs))
		for k, r := range recs {
			lo := max(0, k-4)
			s := 0.0
			for _, q := range recs[lo : k+1] {
				s += set.get(q)
			}
			xy[k] = plotter.XY{X: float64(r.Trial), Y: s / float64(k+1-lo)}
		}
		l, err := spikingLine(xy, set.c, vg.Points(1), false)
		if err != nil {
			return nil, nil, err
		}
		sp, err := spikingLine(plotter.XYs{{X: x0, Y: set.set}, {X: x1, Y: set.set}}, set.c, vg.Points(0.8), true)
		if err != nil {
			return nil, nil, err
		}
		rates.Add(l, sp)
		rates.Legend.Add(set.name, l)
	}
	for c, name := range model.Names {
		xy := make(plotter.XYs, len(recs))
		for k, r := range recs {
			xy[k] = plotter.XY{X: float64(r.Trial), Y: r.W.Array()[c]}
		}
		l, err := spikingLine(xy, SpikingClassColors[c], vg.Points(1.2), false)
		if err != nil {
			return nil, nil, err
		}
		weights.Add(l)
		weights.Legend.Add(name, l)
	}
	return rates, weights, nil
}

// spikingPlainTicks are gonum's default ticks labelled in the shortest
// form (2500, not 2500.00).
type spikingPlainTicks struct{}

func (spikingPlainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', -1, 64)
		}
	}
	return ts
}

// SpikingRateHistPlot draws the histogram of per-cell rates of one
// population in Hz with its setpoint dashed (Fig. 7H).
func SpikingRateHistPlot(rates []float64, setpoint float64, c color.Color, title string) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = "rate (Hz)"
	pl.Y.Label.Text = "cells"
	if len(rates) == 0 {
		return pl, nil
	}
	h, err := plotter.NewHist(plotter.Values(rates), 30)
	if err != nil {
		return nil, err
	}
	h.FillColor = c
	h.LineStyle.Width = 0
	top := 0.0
	for _, b := range h.Bins {
		top = math.Max(top, b.Weight)
	}
	l, err := spikingLine(plotter.XYs{{X: setpoint, Y: 0}, {X: setpoint, Y: top * 1.05}}, color.Black, vg.Points(1), true)
	if err != nil {
		return nil, err
	}
	pl.Add(h, l)
	return pl, nil
}

// SpikingBalancePlot draws, for each postsynaptic cell, its summed
// incoming E weight against its summed incoming I weight, in pA (Fig.
// 7F, G, J, K). Each series is one point cloud, for example before and
// after training; exc[s] and inh[s] hold series s.
func SpikingBalancePlot(title string, names []string, exc, inh [][]float64, colors []color.Color) (*plot.Plot, error) {
	if len(names) != len(exc) || len(exc) != len(inh) || len(inh) != len(colors) {
		panic("reports: SpikingBalancePlot series lengths differ")
	}
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = "summed incoming E weight (pA)"
	pl.Y.Label.Text = "summed incoming I weight (pA)"
	pl.Legend.Top, pl.Legend.Left = true, true
	for s := range exc {
		if len(exc[s]) != len(inh[s]) {
			return nil, fmt.Errorf("reports: balance series %q has %d E and %d I sums", names[s], len(exc[s]), len(inh[s]))
		}
		xy := make(plotter.XYs, len(exc[s]))
		for k := range xy {
			xy[k] = plotter.XY{X: exc[s][k], Y: inh[s][k]}
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colors[s], Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
		pl.Add(sc)
		pl.Legend.Add(names[s], sc)
	}
	return pl, nil
}

// SpikingParadoxPlot draws the trial-averaged PSTHs of the E (inh false)
// or I population at each step amplitude (Fig. 7I), with the step
// window shaded.
func SpikingParadoxPlot(r *spiking.ParadoxResult, inh bool) (*plot.Plot, error) {
	pl := plot.New()
	pop, psth := "E", r.PSTHE
	if inh {
		pop, psth = "I", r.PSTHI
	}
	pl.Title.Text = fmt.Sprintf("%s rate, current step into all I cells", pop)
	pl.X.Label.Text = "time (s)"
	pl.Y.Label.Text = "rate (Hz)"
	pl.Legend.Top = true
	top := 0.0
	for _, h := range psth {
		for _, v := range h {
			if !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
	}
	cfg := r.Config
	box, err := plotter.NewPolygon(plotter.XYs{
		{X: cfg.StimFromMS / 1000, Y: 0}, {X: cfg.StimToMS / 1000, Y: 0},
		{X: cfg.StimToMS / 1000, Y: top * 1.05}, {X: cfg.StimFromMS / 1000, Y: top * 1.05}})
	if err != nil {
		return nil, err
	}
	box.Color = color.Gray{Y: 0xee}
	box.LineStyle.Width = 0
	pl.Add(box)
	for a, h := range psth {
		var xy plotter.XYs
		for k, v := range h {
			if !math.IsNaN(v) {
				xy = append(xy, plotter.XY{X: (float64(k) + 0.5) * r.BinMS / 1000, Y: v})
			}
		}
		if len(xy) == 0 {
			continue
		}
		// Darker for larger amplitudes: from the full colour down to 30%.
		f := 1.0
		if len(psth) > 1 {
			f = 1 - 0.7*float64(a)/float64(len(psth)-1)
		}
		c := color.RGBA{uint8(0xd5 * f), uint8(0x5e * f), 0, 0xff}
		if !inh {
			c = color.RGBA{0, uint8(0x9e * f), uint8(0x73 * f), 0xff}
		}
		l, err := spikingLine(xy, c, vg.Points(1), false)
		if err != nil {
			return nil, err
		}
		pl.Add(l)
		kept := r.KeptI[a]
		if !inh {
			kept = r.KeptE[a]
		}
		pl.Legend.Add(fmt.Sprintf("%g pA (%d/%d trials)", cfg.Amps[a], kept, cfg.Trials), l)
	}
	pl.Y.Min = 0
	return pl, nil
}
