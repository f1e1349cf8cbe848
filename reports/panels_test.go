package reports

import (
	"bytes"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panicky is a plotter that panics as gonum does on a degenerate axis
// range ("illegal range", seen with weights that ran away to 1e305).
type panicky struct{}

func (panicky) Plot(draw.Canvas, *plot.Plot) { panic("illegal range") }

// TestWritePanelsDegenerate checks that a plot that cannot be drawn gives
// an error, not a panic.
func TestWritePanelsDegenerate(t *testing.T) {
	p := plot.New()
	p.Add(panicky{})
	var buf bytes.Buffer
	err := WritePanels(&buf, "png", 3*vg.Inch, 2*vg.Inch, [][]*plot.Plot{{p}})
	if err == nil || !strings.Contains(err.Error(), "cannot draw") {
		t.Fatalf("got %v, want a drawing error", err)
	}
	ok := plot.New()
	for _, format := range []string{"png", "svg", "pdf"} {
		buf.Reset()
		if err := WritePanels(&buf, format, 3*vg.Inch, 2*vg.Inch, [][]*plot.Plot{{ok, nil}}); err != nil || buf.Len() == 0 {
			t.Errorf("%s: %v, %d bytes", format, err, buf.Len())
		}
	}
}
