package reports

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim/spiking"
)

// The spiking figures draw from synthetic data into a PNG that decodes
// to the requested size.
func TestSpikingFigures(t *testing.T) {
	p := spiking.Fig7()
	p.NE, p.NI = 8, 2
	sp := []spiking.Spike{{Step: 1000, Cell: 0}, {Step: 1200, Cell: 9}, {Step: 5000, Cell: 3}}
	ras, err := SpikingRasterPlot(p, sp, "raster")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := SpikingPSTHPlot(spiking.NewPSTH(p, sp, 149), "psth")
	if err != nil {
		t.Fatal(err)
	}
	recs := []spiking.TrialRecord{
		{Trial: 0, E: 0, I: 0, W: model.Weights{WEE: 80, WEI: 350, WIE: 100, WII: 225}},
		{Trial: 1, E: 5, I: 14, W: model.Weights{WEE: 81, WEI: 349, WIE: 101, WII: 224}},
	}
	rates, weights, err := SpikingTrainingPlots(recs, 5, 14)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := SpikingRateHistPlot([]float64{1, 4, 5, 6, 9}, 5, SpikingColorE, "E")
	if err != nil {
		t.Fatal(err)
	}
	bal, err := SpikingBalancePlot("balance", []string{"a"}, [][]float64{{1, 2}}, [][]float64{{2, 3}},
		[]color.Color{SpikingColorE})
	if err != nil {
		t.Fatal(err)
	}
	res := &spiking.ParadoxResult{Config: spiking.DefaultParadox(), BinMS: 10,
		PSTHE: [][]float64{{1, 2, 3}}, PSTHI: [][]float64{{4, 5, 6}},
		KeptE: []int{40}, KeptI: []int{40}}
	res.Config.Amps = []float64{2}
	par, err := SpikingParadoxPlot(res, true)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rows := [][]*plot.Plot{{ras, ps, rates}, {weights, hist, bal}, {par, nil, nil}}
	if err := WritePanels(&buf, "png", 6*vg.Inch, 4*vg.Inch, rows); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// vg's PNG canvas draws at 96 dpi.
	if b := img.Bounds(); b.Dx() != 576 || b.Dy() != 384 {
		t.Errorf("image %v, want 576x384", b)
	}
}
