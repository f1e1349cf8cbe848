package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"

	"github.com/paradoxlab/paradox/internal/provenance"
)

func init() {
	// vgpdf writes its fonts and images through maps; sorting the PDF's
	// resource catalogues makes equal documents equal bytes. This only
	// orders the output, for every PDF the process writes.
	fpdf.SetDefaultCatalogSort(true)
}

// Page geometry of the PDF: A4 portrait, in points.
const (
	pdfPageW   = 595.28
	pdfPageH   = 841.89
	pdfLeft    = 56
	pdfRight   = 56
	pdfTop     = 54
	pdfBottom  = 62
	pdfTextW   = pdfPageW - pdfLeft - pdfRight
	pdfBodyPt  = 10
	pdfSmallPt = 8.5
	pdfMonoPt  = 9
)

// WritePDF writes r as a multi-page A4 PDF drawn with gonum/plot's vgpdf
// canvas: the same sections, figures, formulas (as text) and tables as
// the HTML page, with a table of contents and page numbers. The fonts
// are embedded. Text is set in the plots' Liberation fonts, whose PDF
// encoding is Windows-1252, so letters outside it are spelled out
// (τ as tau, → as ->). The output depends only on r; its creation date
// is r.Date.
func WritePDF(w io.Writer, r *Report) error {
	n := r.numbers()

	// Two passes: the first finds the page of every section for the
	// contents, the second lays out again with those numbers. The
	// contents take one line per section either way, so the pages agree.
	l := newPDFLayout(r, n, nil)
	l.run()
	l = newPDFLayout(r, n, l.secPage)
	l.run()

	c := vgpdf.New(pdfPageW, pdfPageH)
	pc := &pdfCanvas{Canvas: c}
	for i, page := range l.pages {
		if i > 0 {
			c.NextPage()
		}
		for _, op := range page {
			if err := op(pc); err != nil {
				return err
			}
		}
		l.footer(pc, i+1, len(l.pages))
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(pdfFixDates(buf.Bytes(), r))
	return err
}

// pdfDates matches the two dates fpdf writes (the time of writing).
var pdfDates = regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]{14}\)`)

// pdfFixDates replaces fpdf's dates by the report's, which has the same
// length, so the cross-reference offsets stay valid.
func pdfFixDates(b []byte, r *Report) []byte {
	d := r.Date.UTC().Format("20060102150405")
	return pdfDates.ReplaceAllFunc(b, func(m []byte) []byte {
		key := m[1:bytes.IndexByte(m, ' ')]
		return []byte(fmt.Sprintf("/%s (D:%s)", key, d))
	})
}

// pdfCanvas is the vgpdf canvas with text converted to Windows-1252,
// the encoding of the fonts vgpdf embeds.
type pdfCanvas struct {
	*vgpdf.Canvas
}

// FillString draws str spelled in Windows-1252, always in the regular
// face of plot.DefaultFont. vgpdf (gonum/plot v0.17) embeds every font
// program under the same file name, so the fonts of one PDF all share
// the program of the last one registered; a document with more than one
// face would draw its text in the wrong glyphs. It also fails on bold
// and italic faces. So the whole PDF uses one face, at several sizes.
func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Typeface != plot.DefaultFont.Typeface || f.Font.Variant != plot.DefaultFont.Variant ||
		f.Font.Weight != plot.DefaultFont.Weight || f.Font.Style != plot.DefaultFont.Style {
		f = font.DefaultCache.Lookup(plot.DefaultFont, f.Font.Size)
	}
	c.Canvas.FillString(f, pt, pdfEncode(pdfText(str)))
}

// DrawImage draws img as filled rectangles, one per run of equal
// colour in a row, runs stacked over equal rows merged. The images of
// the report are class rasters with few runs, so this is small and
// sharp in print; it also avoids two faults of vgpdf (gonum/plot v0.17)
// with images: it draws them upside down, and the PDF's image objects
// come out in a random order when images have the same width, which
// would make equal reports unequal bytes.
func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return
	}
	dx, dy := (rect.Max.X-rect.Min.X)/vg.Length(w), (rect.Max.Y-rect.Min.Y)/vg.Length(h)
	// Neighbouring rectangles overlap by a hair so that viewers draw no
	// seams between them.
	const hair = 0.2
	type run struct {
		x0, x1 int
		c      color.RGBA
	}
	rowRuns := func(y int) []run {
		var rs []run
		for x := 0; x < w; x++ {
			r, g, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			col := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bb >> 8), uint8(a >> 8)}
			if n := len(rs); n > 0 && rs[n-1].c == col {
				rs[n-1].x1 = x + 1
				continue
			}
			rs = append(rs, run{x, x + 1, col})
		}
		return rs
	}
	fill := func(r run, y0, y1 int) {
		// Image row 0 is the top of rect.
		p := pdfRectPath(rect.Min.X+vg.Length(r.x0)*dx, rect.Max.Y-vg.Length(y1)*dy,
			vg.Length(r.x1-r.x0)*dx+hair, vg.Length(y1-y0)*dy+hair)
		c.SetColor(r.c)
		c.Fill(p)
	}
	start, prev := 0, rowRuns(0)
	for y := 1; y <= h; y++ {
		var cur []run
		if y < h {
			cur = rowRuns(y)
			if slices.Equal(cur, prev) {
				continue
			}
		}
		for _, r := range prev {
			fill(r, start, y)
		}
		start, prev = y, cur
	}
}

// pdfSpell spells out the letters the PDF fonts lack.
var pdfSpell = strings.NewReplacer(
	"τ", "tau", "θ", "theta", "Θ", "Theta", "α", "alpha", "β", "beta", "γ", "gamma",
	"σ", "sigma", "λ", "lambda", "η", "eta", "ξ", "xi", "ε", "eps", "Δ", "Delta",
	"μ", "mu", "π", "pi", "ω", "omega", "ρ", "rho", "φ", "phi", "κ", "kappa",
	"−", "-", "→", "->", "←", "<-", "↔", "<->", "≤", "<=", "≥", ">=", "≠", "!=",
	"≈", "~", "≪", "<<", "≫", ">>", "∈", "in", "∂", "d", "√", "sqrt", "∞", "inf",
	"Ĝ", "G^", "′", "'", "ʹ", "'", "⁻¹", "^-1", "₀", "0", "₁", "1", "₂", "2",
	"\u2062", "", "\u2061", "", "\u00a0", " ", "\u2009", " ", "\u202f", " ",
)

// pdfText returns s with every letter outside Windows-1252 spelled out
// or, failing that, replaced by '?'; the result is still UTF-8, ready to
// be measured with the font.
func pdfText(s string) string {
	s = pdfSpell.Replace(s)
	for _, r := range s {
		if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
			return strings.Map(func(r rune) rune {
				if _, ok := charmap.Windows1252.EncodeRune(r); ok {
					return r
				}
				return '?'
			}, s)
		}
	}
	return s
}

// pdfEncode converts UTF-8 text (after pdfText) to Windows-1252 bytes.
func pdfEncode(s string) string {
	b := make([]byte, 0, len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// pdfOp draws onto the current page.
type pdfOp func(c vg.Canvas) error

// pdfFonts are the faces of the PDF: plot.DefaultFont at several
// sizes (see pdfCanvas.FillString for why only one face). Headings are
// set apart by size and rules, formulas by indentation.
type pdfFonts struct {
	body, bold, italic, small, smallBold, mono, monoSmall, title, h2, h3 font.Face
}

func newPDFFonts() pdfFonts {
	face := func(size float64) font.Face { return font.DefaultCache.Lookup(plot.DefaultFont, vg.Points(size)) }
	return pdfFonts{
		body: face(pdfBodyPt), bold: face(pdfBodyPt), italic: face(pdfBodyPt),
		small: face(pdfSmallPt), smallBold: face(pdfSmallPt),
		mono: face(pdfMonoPt), monoSmall: face(6.8),
		title: face(18), h2: face(14), h3: face(11.5),
	}
}

// pdfLayout places the blocks of a report on pages.
type pdfLayout struct {
	r     *Report
	n     repNumbers
	f     pdfFonts
	pages [][]pdfOp

	// y is the distance from the top of the page to the top of the
	// free space.
	y vg.Length

	// secPage is the page of each section; toc the numbers of the first
	// pass (nil in the first pass).
	secPage map[string]int
	toc     map[string]int
}

func newPDFLayout(r *Report, n repNumbers, toc map[string]int) *pdfLayout {
	return &pdfLayout{r: r, n: n, f: newPDFFonts(), secPage: map[string]int{}, toc: toc}
}

// run lays out the whole report.
func (l *pdfLayout) run() {
	l.newPage()
	l.titleBlock()
	l.contents()
	for _, s := range l.r.Sections {
		l.section(s)
	}
}

func (l *pdfLayout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = pdfTop
}

// room is the free height left on the page.
func (l *pdfLayout) room() vg.Length { return pdfPageH - pdfBottom - l.y }

// ensure starts a new page unless h fits on this one.
func (l *pdfLayout) ensure(h vg.Length) {
	if h > l.room() && l.y > pdfTop {
		l.newPage()
	}
}

func (l *pdfLayout) add(op pdfOp) {
	l.pages[len(l.pages)-1] = append(l.pages[len(l.pages)-1], op)
}

// pdfLineH is the line height of a face.
func pdfLineH(f font.Face) vg.Length { return f.Font.Size * 1.32 }

// text draws s with its top-left corner at x, l.y on the current page.
func (l *pdfLayout) text(f font.Face, x vg.Length, s string, col color.Color) {
	y := pdfPageH - l.y - f.Extents().Ascent
	s = pdfText(s)
	l.add(func(c vg.Canvas) error {
		c.SetColor(col)
		c.FillString(f, vg.Point{X: x, Y: y}, s)
		return nil
	})
}

// pdfWord is a word placed on a line.
type pdfWord struct {
	f font.Face
	s string
	x vg.Length
}

// pdfRun is text in one face.
type pdfRun struct {
	f font.Face
	s string
}

// pdfWrap breaks runs into lines no wider than width; a word wider than
// a line is broken between letters.
func pdfWrap(runs []pdfRun, width vg.Length) [][]pdfWord {
	var lines [][]pdfWord
	var line []pdfWord
	x := vg.Length(0)
	for _, r := range runs {
		space := r.f.Width(" ")
		for _, word := range strings.Fields(pdfText(r.s)) {
			for word != "" {
				ww := r.f.Width(word)
				if len(line) > 0 && x+space+ww > width {
					lines, line, x = append(lines, line), nil, 0
				}
				if len(line) == 0 && ww > width {
					head := pdfFit(r.f, word, width)
					lines = append(lines, []pdfWord{{r.f, head, 0}})
					word = word[len(head):]
					continue
				}
				if len(line) > 0 {
					x += space
				}
				line = append(line, pdfWord{r.f, word, x})
				x += ww
				word = ""
			}
		}
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

// pdfFit returns the longest prefix of s, at least one letter, that is
// no wider than width.
func pdfFit(f font.Face, s string, width vg.Length) string {
	if f.Width(s) <= width {
		return s
	}
	end := 0
	for i := range s {
		if i > 0 && f.Width(s[:i]) > width {
			break
		}
		end = i
	}
	if end == 0 {
		_, n := utf8.DecodeRuneInString(s)
		return s[:n]
	}
	return s[:end]
}

// lines draws wrapped lines at indent x, starting a new page as
// needed.
func (l *pdfLayout) lines(ls [][]pdfWord, x, lineH vg.Length, col color.Color) {
	for _, line := range ls {
		l.ensure(lineH)
		for _, w := range line {
			l.text(w.f, x+w.x, w.s, col)
		}
		l.y += lineH
	}
}

// titleBlock is the title, subtitle and date on page 1.
func (l *pdfLayout) titleBlock() {
	f := l.f
	l.lines(pdfWrap([]pdfRun{{f.title, l.r.Title}}, pdfTextW), pdfLeft, pdfLineH(f.title), color.Black)
	l.y += 2
	l.lines(pdfWrap([]pdfRun{{f.italic, l.r.Subtitle}}, pdfTextW), pdfLeft, pdfLineH(f.italic), color.Black)
	l.lines(pdfWrap([]pdfRun{{f.small, fmt.Sprintf("Generated %s by paradox %s. The HTML version of this report has the same content.",
		htmlDate(l.r.Date), provenance.Version)}}, pdfTextW), pdfLeft, pdfLineH(f.small), color.Gray{0x55})
	l.y += 14
}

// contents lists the sections with their pages.
func (l *pdfLayout) contents() {
	f := l.f
	l.heading(f.h2, "Contents", 3*pdfLineH(f.body))
	for _, s := range l.r.Sections {
		face, indent := f.body, vg.Length(0)
		if s.Level > 1 {
			face, indent = f.small, 18
		}
		page := "00"
		if l.toc != nil {
			page = fmt.Sprint(l.toc[s.ID])
		}
		lh := pdfLineH(face)
		l.ensure(lh)
		label := pdfText(l.n.section[s.ID] + "  " + s.Title)
		pw := face.Width(page)
		avail := pdfTextW - indent - pw - 12
		label = pdfFit(face, label, avail)
		lw := face.Width(label)
		dots := ""
		if dw := face.Width(" ."); dw > 0 {
			k := int((avail + 8 - lw) / dw)
			if k > 0 {
				dots = strings.Repeat(" .", k)
			}
		}
		l.text(face, pdfLeft+indent, label, color.Black)
		l.text(face, pdfLeft+indent+lw, dots, color.Gray{0x99})
		l.text(face, pdfLeft+pdfTextW-pw, page, color.Black)
		l.y += lh
	}
	l.y += 8
}

// heading draws a heading kept with at least three lines after it.
func (l *pdfLayout) heading(f font.Face, s string, keep vg.Length) {
	lh := pdfLineH(f)
	l.ensure(lh + 6 + keep)
	l.y += 4
	l.lines(pdfWrap([]pdfRun{{f, s}}, pdfTextW), pdfLeft, lh, color.Black)
	l.y += 3
}

// keep is the height of the start of a section that its heading is kept
// with: a figure whole, three lines of anything else.
func (l *pdfLayout) keep(s Section) vg.Length {
	three := 3 * pdfLineH(l.f.body)
	if len(s.Blocks) == 0 {
		return three
	}
	if fig, ok := s.Blocks[0].(*Figure); ok {
		h := fig.Height
		if fig.Width > pdfTextW {
			h *= pdfTextW / fig.Width
		}
		return h + 14 + 3*pdfLineH(l.f.small)
	}
	return three
}

// section lays out one section.
func (l *pdfLayout) section(s Section) {
	f := l.f
	title := l.n.section[s.ID] + "  " + s.Title
	if s.Level <= 1 {
		if l.room() < 0.3*(pdfPageH-pdfTop-pdfBottom) {
			l.newPage()
		} else {
			l.y += 10
		}
		l.heading(f.h2, title, l.keep(s))
		l.rule(0.6, color.Gray{0xaa})
		l.y += 4
	} else {
		l.y += 4
		l.heading(f.h3, title, l.keep(s))
	}
	l.secPage[s.ID] = len(l.pages)
	for _, bl := range s.Blocks {
		switch x := bl.(type) {
		case *Paragraph:
			var runs []pdfRun
			if x.Emphasis != "" {
				runs = append(runs, pdfRun{f.bold, x.Emphasis})
			}
			runs = append(runs, pdfRun{f.body, x.Text})
			l.lines(pdfWrap(runs, pdfTextW), pdfLeft, pdfLineH(f.body), color.Black)
			l.y += 5
		case *List:
			for _, it := range x.Items {
				ls := pdfWrap([]pdfRun{{f.body, it}}, pdfTextW-14)
				l.ensure(pdfLineH(f.body))
				l.text(f.body, pdfLeft+3, "•", color.Black)
				l.lines(ls, pdfLeft+14, pdfLineH(f.body), color.Black)
				l.y += 2
			}
			l.y += 4
		case *Equation:
			l.equation(x)
		case *Table:
			l.table(x)
		case *Figure:
			l.figure(x)
		case *Preformatted:
			l.pre(x.Text)
		}
	}
}

// rule draws a horizontal line across the text block at l.y.
func (l *pdfLayout) rule(width vg.Length, col color.Color) {
	y := pdfPageH - l.y
	l.add(func(c vg.Canvas) error {
		c.SetColor(col)
		c.SetLineWidth(width)
		c.SetLineDash(nil, 0)
		var p vg.Path
		p.Move(vg.Point{X: pdfLeft, Y: y})
		p.Line(vg.Point{X: pdfLeft + pdfTextW, Y: y})
		c.Stroke(p)
		return nil
	})
}

// equation draws a formula in the fixed-width font, indented, with its
// label at the right margin.
func (l *pdfLayout) equation(e *Equation) {
	f := l.f
	lw := vg.Length(0)
	if e.Label != "" {
		lw = f.body.Width(e.Label) + 10
	}
	ls := pdfWrap([]pdfRun{{f.mono, e.Math.Text}}, pdfTextW-24-lw)
	lh := pdfLineH(f.mono)
	l.y += 2
	l.ensure(lh * vg.Length(min(len(ls), 3)))
	if e.Label != "" {
		l.text(f.body, pdfLeft+pdfTextW-f.body.Width(e.Label), e.Label, color.Black)
	}
	l.lines(ls, pdfLeft+24, lh, color.Black)
	l.y += 5
}

// pdfCellRuns are a table cell's text runs.
func (l *pdfLayout) cellRuns(c Cell, head bool) []pdfRun {
	var runs []pdfRun
	face := l.f.small
	if head {
		face = l.f.smallBold
	}
	if c.Mono {
		face = l.f.mono
	}
	if c.Text != "" {
		runs = append(runs, pdfRun{face, c.Text})
	}
	if c.Math != nil {
		runs = append(runs, pdfRun{l.f.mono, c.Math.Text})
	}
	return runs
}

// pdfSwatchW is the width a colour key takes in a cell.
const pdfSwatchW = 12

// pdfSwatchIf is the width of c's colour key, if it has one.
func pdfSwatchIf(c Cell) vg.Length {
	if c.Swatch != nil {
		return pdfSwatchW
	}
	return 0
}

// table lays out a table: caption, header (repeated after a page
// break), rows with wrapped cells.
func (l *pdfLayout) table(t *Table) {
	f := l.f
	const pad = 4
	ncol := len(t.Header)
	natural := make([]vg.Length, ncol)
	least := make([]vg.Length, ncol)
	all := append([][]Cell{t.Header}, t.Rows...)
	for ri, row := range all {
		for j, c := range row {
			// The cell's width on one line, and its widest word (at
			// most 90 pt; longer words are broken).
			w, word := vg.Length(2*pad), vg.Length(0)
			if c.Swatch != nil {
				w += pdfSwatchW
			}
			for _, r := range l.cellRuns(c, ri == 0) {
				s := pdfText(r.s)
				w += r.f.Width(s) + r.f.Width(" ")
				for _, wd := range strings.Fields(s) {
					word = max(word, min(r.f.Width(wd), 90))
				}
			}
			natural[j] = max(natural[j], w)
			least[j] = max(least[j], word+2*pad+pdfSwatchIf(c), 2*pad+20)
		}
	}
	widths := pdfColumns(natural, least, pdfTextW)

	// Caption.
	l.y += 4
	capLines := pdfWrap([]pdfRun{{f.smallBold, fmt.Sprintf("Table %d.", l.n.table[t])}, {f.small, t.Caption}}, pdfTextW)
	lh := pdfLineH(f.small)
	l.ensure(lh*vg.Length(len(capLines)) + 3*lh)
	l.lines(capLines, pdfLeft, lh, color.Black)
	l.y += 2

	type laid struct {
		cells [][][]pdfWord
		h     vg.Length
	}
	layRow := func(row []Cell, head bool) laid {
		var lr laid
		for j, c := range row {
			w := widths[j] - 2*pad
			if c.Swatch != nil {
				w -= pdfSwatchW
			}
			ls := pdfWrap(l.cellRuns(c, head), max(w, 10))
			lr.cells = append(lr.cells, ls)
			lr.h = max(lr.h, vg.Length(max(1, len(ls)))*pdfLineH(f.small)+2*pad-2)
		}
		return lr
	}
	header := layRow(t.Header, true)
	drawRow := func(lr laid, row []Cell, head bool) {
		top := l.y
		if head {
			y0 := pdfPageH - top - lr.h
			h := lr.h
			l.add(func(c vg.Canvas) error {
				c.SetColor(color.Gray{0xee})
				c.Fill(pdfRectPath(pdfLeft, y0, pdfTextW, h))
				return nil
			})
		}
		x := vg.Length(pdfLeft)
		for j, ls := range lr.cells {
			cx := x + pad
			if sw := row[j].Swatch; sw != nil {
				y0 := pdfPageH - top - pad - 8
				sx := cx
				l.add(func(c vg.Canvas) error {
					c.SetColor(sw)
					c.Fill(pdfRectPath(sx, y0, 8, 8))
					c.SetColor(color.Gray{0x80})
					c.SetLineWidth(0.4)
					c.Stroke(pdfRectPath(sx, y0, 8, 8))
					return nil
				})
				cx += pdfSwatchW
			}
			l.y = top + pad - 1
			for _, line := range ls {
				for _, w := range line {
					l.text(w.f, cx+w.x, w.s, color.Black)
				}
				l.y += pdfLineH(f.small)
			}
			x += widths[j]
		}
		l.y = top + lr.h
		l.rule(0.4, color.Gray{0xbb})
	}
	l.rule(0.8, color.Black)
	drawRow(header, t.Header, true)
	for _, row := range t.Rows {
		lr := layRow(row, false)
		if lr.h > l.room() {
			l.newPage()
			l.rule(0.8, color.Black)
			drawRow(header, t.Header, true)
		}
		drawRow(lr, row, false)
	}
	l.rule(0.8, color.Black)
	l.y += 8
}

// pdfColumns fits column widths into total: natural widths if they fit,
// else each column between its least and natural width in proportion.
func pdfColumns(natural, least []vg.Length, total vg.Length) []vg.Length {
	var sumN, sumL vg.Length
	for j := range natural {
		sumN += natural[j]
		sumL += least[j]
	}
	out := make([]vg.Length, len(natural))
	switch {
	case sumN <= total:
		for j := range out {
			out[j] = natural[j] * total / sumN
		}
	case sumL >= total:
		for j := range out {
			out[j] = least[j] * total / sumL
		}
	default:
		k := (total - sumL) / (sumN - sumL)
		for j := range out {
			out[j] = least[j] + k*(natural[j]-least[j])
		}
	}
	return out
}

func pdfRectPath(x, y, w, h vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x, Y: y})
	p.Line(vg.Point{X: x + w, Y: y})
	p.Line(vg.Point{X: x + w, Y: y + h})
	p.Line(vg.Point{X: x, Y: y + h})
	p.Close()
	return p
}

// figure places a figure and its caption, on a new page if they do not
// fit; figures wider than the text block are scaled down.
func (l *pdfLayout) figure(fig *Figure) {
	f := l.f
	scale := 1.0
	if fig.Width > pdfTextW {
		scale = float64(pdfTextW / fig.Width)
	}
	w, h := fig.Width*vg.Length(scale), fig.Height*vg.Length(scale)
	capLines := pdfWrap([]pdfRun{{f.smallBold, fmt.Sprintf("Figure %d.", l.n.figure[fig])}, {f.small, fig.Caption}}, pdfTextW)
	lh := pdfLineH(f.small)
	l.y += 4
	l.ensure(h + 6 + lh*vg.Length(len(capLines)))
	x := pdfLeft + (pdfTextW-w)/2
	y := pdfPageH - l.y - h
	l.add(func(c vg.Canvas) error {
		c.Push()
		defer c.Pop()
		c.Translate(vg.Point{X: x, Y: y})
		c.Scale(scale, scale)
		dc := draw.Canvas{Canvas: c, Rectangle: vg.Rectangle{Max: vg.Point{X: fig.Width, Y: fig.Height}}}
		if err := fig.Draw(dc); err != nil {
			return fmt.Errorf("reports: figure %d: %w", l.n.figure[fig], err)
		}
		return nil
	})
	l.y += h + 6
	l.lines(capLines, pdfLeft, lh, color.Black)
	l.y += 8
}

// pre sets text in the small fixed-width font, breaking long lines.
func (l *pdfLayout) pre(text string) {
	f := l.f.monoSmall
	lh := pdfLineH(f)
	for _, line := range strings.Split(text, "\n") {
		line = pdfText(line)
		for {
			head := pdfFit(f, line, pdfTextW-8)
			l.ensure(lh)
			if head != "" {
				l.text(f, pdfLeft+4, head, color.Black)
			}
			l.y += lh
			line = line[len(head):]
			if line == "" {
				break
			}
		}
	}
	l.y += 6
}

// footer draws the page's footer.
func (l *pdfLayout) footer(c vg.Canvas, page, pages int) {
	f := l.f.small
	y := vg.Length(pdfBottom - 30)
	c.SetColor(color.Gray{0x66})
	c.FillString(f, vg.Point{X: pdfLeft, Y: y}, pdfText("paradox report · "+l.r.Subtitle))
	s := fmt.Sprintf("page %d of %d", page, pages)
	c.FillString(f, vg.Point{X: pdfLeft + pdfTextW - f.Width(s), Y: y}, s)
	c.SetLineWidth(0.4)
	c.SetLineDash(nil, 0)
	var p vg.Path
	p.Move(vg.Point{X: pdfLeft, Y: y + 11})
	p.Line(vg.Point{X: pdfLeft + pdfTextW, Y: y + 11})
	c.Stroke(p)
}
