package reports

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paradoxlab/paradox/regions"
)

// ClassColors are the fill colours of the map classes, indexed by
// regions.Class: dark grey (no fixed point), light grey (neural
// unstable), orange (plasticity unstable), blue (both stable).
var ClassColors = [regions.NumClasses]color.RGBA{
	{0x44, 0x44, 0x44, 0xff},
	{0xe8, 0xe8, 0xe8, 0xff},
	{0xe6, 0x9f, 0x00, 0xff},
	{0x00, 0x72, 0xb2, 0xff},
}

// borderStyles are the line styles of the borders, by Border.Name.
var borderStyles = map[string]struct {
	label string
	style draw.LineStyle
}{
	"det":              {"neural det = 0 (C = 0)", draw.LineStyle{Color: color.RGBA{0x00, 0x9e, 0x73, 0xff}, Width: vg.Points(1.5)}},
	"trace":            {"neural trace = 0", draw.LineStyle{Color: color.RGBA{0x00, 0x9e, 0x73, 0xff}, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}},
	"paradoxical":      {"paradoxical: gE·WEE = 1", draw.LineStyle{Color: color.RGBA{0xcc, 0x79, 0xa7, 0xff}, Width: vg.Points(1.5)}},
	"WEI=0":            {"WEI = 0", draw.LineStyle{Color: color.Black, Width: vg.Points(0.7), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}},
	"WII=0":            {"WII = 0", draw.LineStyle{Color: color.Black, Width: vg.Points(0.7), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}},
	"plasticity":       {"plasticity stability border", draw.LineStyle{Color: color.Black, Width: vg.Points(2)}},
	"plasticity-trace": {"tr K = 0 (whole plane)", draw.LineStyle{Color: color.Black, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}},
	"plasticity-det":   {"det K = 0 (whole plane)", draw.LineStyle{Color: color.Black, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(1.5), vg.Points(1.5)}}},
}

// borderOrder is the order of borders in legends.
var borderOrder = []string{"det", "trace", "plasticity-trace", "plasticity-det", "plasticity", "paradoxical", "WEI=0", "WII=0"}

// Map is a region map ready to draw.
type Map struct {
	Title string
	Grid  regions.Grid

	// Raster holds the classes, pooled to at most maxPixels a side.
	Raster *Raster

	Borders []regions.Border

	// Summary, if set, adds the class fractions to the legend.
	Summary *regions.Summary
}

// maxPixels bounds the raster's side; larger grids are pooled, each pixel
// taking the class that covers most of its cells.
const maxPixels = 1000

// Raster accumulates the classes of a streamed map into at most
// maxPixels x maxPixels pixels, so that memory does not grow with the
// grid: each pixel counts the classes of the cells it covers.
type Raster struct {
	nx, ny, px, py int
	counts         [][regions.NumClasses]uint32
}

// NewRaster returns an empty raster for g.
func NewRaster(g regions.Grid) *Raster {
	px, py := min(g.WEE.N, maxPixels), min(g.WIE.N, maxPixels)
	return &Raster{nx: g.WEE.N, ny: g.WIE.N, px: px, py: py,
		counts: make([][regions.NumClasses]uint32, px*py)}
}

// AddRow counts one row of cells (as regions.Run emits them).
func (r *Raster) AddRow(row []regions.Cell) {
	for i := range row {
		c := &row[i]
		j := c.Row * r.py / r.ny
		k := c.Col * r.px / r.nx
		r.counts[j*r.px+k][c.Class]++
	}
}

// image returns the class image, row 0 at the top (largest WIE).
func (r *Raster) image() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, r.px, r.py))
	for j := 0; j < r.py; j++ {
		for i := 0; i < r.px; i++ {
			count := &r.counts[j*r.px+i]
			best := 0
			for k := range count {
				if count[k] > count[best] {
					best = k
				}
			}
			img.SetRGBA(i, r.py-1-j, ClassColors[best])
		}
	}
	return img
}

// Plot returns the map as a plot without legend (see WriteTo for the
// legend beside it).
func (m *Map) Plot() (*plot.Plot, error) {
	if m.Raster == nil || m.Raster.nx != m.Grid.WEE.N || m.Raster.ny != m.Grid.WIE.N {
		return nil, fmt.Errorf("reports: map has no raster of its grid's size")
	}
	p := plot.New()
	p.Title.Text = m.Title
	p.X.Label.Text = "WEE (E→E weight)"
	p.Y.Label.Text = "WIE (E→I weight)"
	g := m.Grid
	hx, hy := g.WEE.Step()/2, g.WIE.Step()/2
	p.Add(plotter.NewImage(m.Raster.image(), g.WEE.Min-hx, g.WIE.Min-hy, g.WEE.Max+hx, g.WIE.Max+hy))
	for _, name := range borderOrder {
		for _, b := range m.Borders {
			if b.Name != name {
				continue
			}
			st := borderStyles[name]
			for _, chain := range Chains(b.Points, 3*math.Hypot(g.WEE.Max-g.WEE.Min, g.WIE.Max-g.WIE.Min)/200) {
				l, err := plotter.NewLine(chain)
				if err != nil {
					return nil, err
				}
				l.LineStyle = st.style
				p.Add(l)
			}
		}
	}
	p.X.Min, p.X.Max = g.WEE.Min-hx, g.WEE.Max+hx
	p.Y.Min, p.Y.Max = g.WIE.Min-hy, g.WIE.Max+hy
	return p, nil
}

// legend returns the legend: class swatches (with fractions) then the
// border lines present in the map.
func (m *Map) legend() plot.Legend {
	l := plot.NewLegend()
	for c := regions.Class(0); c < regions.NumClasses; c++ {
		label := c.Label()
		if m.Summary != nil {
			label = fmt.Sprintf("%s (%.1f%%)", label, 100*m.Summary.Fraction(c))
		}
		l.Add(label, swatch{ClassColors[c]})
	}
	for _, name := range borderOrder {
		for _, b := range m.Borders {
			if b.Name == name && len(b.Points) > 0 {
				st := borderStyles[name]
				ln := &plotter.Line{LineStyle: st.style}
				l.Add(st.label, ln)
			}
		}
	}
	l.Left = true
	l.Top = true
	return l
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	}
	c.FillPolygon(s.c, pts)
	c.StrokeLines(draw.LineStyle{Color: color.Gray{0x80}, Width: vg.Points(0.3)}, append(pts, pts[0]))
}

// WriteTo draws the map with its legend to the right of the data, so
// the legend never covers it, in the given format ("png", "svg", "pdf").
func (m *Map) WriteTo(w io.Writer, format string, width, height vg.Length) (err error) {
	p, err := m.Plot()
	if err != nil {
		return err
	}
	cw, dc, err := newCanvas(width, height, format)
	if err != nil {
		return err
	}
	defer recoverDraw(&err)
	legendW := width * 0.36
	p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	lg := m.legend()
	lc := draw.Crop(dc, width-legendW+vg.Points(6), 0, 0, -vg.Points(30))
	lg.Draw(lc)
	_, err = cw.WriteTo(w)
	return err
}

// Chains orders unordered border points into polylines: starting from the
// leftmost unused point it repeatedly steps to the nearest unused point
// closer than gap, and starts a new chain when none is. Chains of one
// point are dropped.
func Chains(pts [][2]float64, gap float64) []plotter.XYs {
	ps := make([][2]float64, len(pts))
	copy(ps, pts)
	sort.Slice(ps, func(i, j int) bool {
		if ps[i][0] != ps[j][0] {
			return ps[i][0] < ps[j][0]
		}
		return ps[i][1] < ps[j][1]
	})
	used := make([]bool, len(ps))
	var out []plotter.XYs
	for start := range ps {
		if used[start] {
			continue
		}
		used[start] = true
		chain := plotter.XYs{{X: ps[start][0], Y: ps[start][1]}}
		cur := start
		for {
			best, bestD := -1, gap
			for j := range ps {
				if used[j] {
					continue
				}
				d := math.Hypot(ps[j][0]-ps[cur][0], ps[j][1]-ps[cur][1])
				if d < bestD {
					best, bestD = j, d
				}
			}
			if best < 0 {
				break
			}
			used[best] = true
			cur = best
			chain = append(chain, plotter.XY{X: ps[cur][0], Y: ps[cur][1]})
		}
		if len(chain) > 1 {
			out = append(out, chain)
		}
	}
	return out
}
