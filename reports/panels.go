package reports

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
)

// WritePanels draws plots tiled in rows (every row the same length; a nil
// entry leaves its tile empty) to w in the given format ("png", "svg",
// "pdf"). A plot gonum cannot draw (an axis range that overflowed, say,
// from a simulation whose weights ran away) is an error, never a panic.
func WritePanels(w io.Writer, format string, width, height vg.Length, rows [][]*plot.Plot) (err error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return fmt.Errorf("reports: no panels")
	}
	cols := len(rows[0])
	filled := make([][]*plot.Plot, len(rows))
	for j, row := range rows {
		if len(row) != cols {
			return fmt.Errorf("reports: panel row %d has %d plots, want %d", j, len(row), cols)
		}
		filled[j] = make([]*plot.Plot, cols)
		for i, p := range row {
			if p == nil {
				p = plot.New()
				p.HideAxes()
			}
			filled[j][i] = p
		}
	}
	cw, dc, err := newCanvas(width, height, format)
	if err != nil {
		return err
	}
	defer recoverDraw(&err)
	pad := vg.Millimeter * 3
	t := draw.Tiles{Rows: len(rows), Cols: cols, PadX: pad, PadY: pad,
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad}
	canvases := plot.Align(filled, t, dc)
	for j := range filled {
		for i, p := range filled[j] {
			p.Draw(canvases[j][i])
		}
	}
	_, err = cw.WriteTo(w)
	return err
}

// newCanvas returns a canvas of the format and the drawing canvas over
// it. PDFs go through pdfCanvas, which works around vgpdf's faults with
// images and text (gonum/plot v0.17).
func newCanvas(width, height vg.Length, format string) (vg.CanvasWriterTo, draw.Canvas, error) {
	if format == "pdf" {
		c := vgpdf.New(width, height)
		return c, draw.New(&pdfCanvas{Canvas: c}), nil
	}
	cw, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return nil, draw.Canvas{}, err
	}
	return cw, draw.New(cw), nil
}

// recoverDraw turns a panic of gonum/plot while drawing (it panics on
// degenerate axis ranges) into an error.
func recoverDraw(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("reports: cannot draw the figure: %v", r)
	}
}
