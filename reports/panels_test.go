package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// TestWritePanelsDegenerate checks that a plot gonum cannot draw (an
// axis range that overflowed) gives an error, not a panic.
func TestWritePanelsDegenerate(t *testing.T) {
	p := plot.New()
	p.Y.Min, p.Y.Max = 0, math.Inf(1)
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
