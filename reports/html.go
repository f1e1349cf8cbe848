package reports

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/paradoxlab/paradox/internal/provenance"
)

// WriteHTML writes r as one self-contained HTML page: figures inline as
// SVG, formulas as MathML, styles and the plots' font inline, a table of
// contents, and print styles. The page makes no request of any kind and
// needs no script. The output depends only on r.
func WriteHTML(w io.Writer, r *Report) error {
	n := r.numbers()
	var body strings.Builder
	fonts := map[string]bool{}
	for _, s := range r.Sections {
		if err := htmlSection(&body, s, n, fonts); err != nil {
			return err
		}
	}
	faces, err := htmlFontFaces(fonts)
	if err != nil {
		return err
	}

	var out strings.Builder
	out.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	out.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	out.WriteString("<meta name=\"generator\" content=\"paradox " + provenance.Version + "\">\n")
	fmt.Fprintf(&out, "<title>%s</title>\n<style>\n%s%s</style>\n</head>\n<body>\n",
		html.EscapeString(r.Title), faces, htmlCSS)
	fmt.Fprintf(&out, "<header>\n<h1>%s</h1>\n<p class=\"subtitle\">%s</p>\n<p class=\"meta\">Generated %s by paradox %s.</p>\n</header>\n",
		html.EscapeString(r.Title), html.EscapeString(r.Subtitle),
		html.EscapeString(htmlDate(r.Date)), html.EscapeString(provenance.Version))
	htmlTOC(&out, r, n)
	out.WriteString("<main>\n")
	out.WriteString(body.String())
	out.WriteString("</main>\n</body>\n</html>\n")
	_, err = io.WriteString(w, out.String())
	return err
}

// htmlDate formats the report's date.
func htmlDate(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }

// htmlTOC writes the table of contents: level 2 sections nested under
// the level 1 section before them.
func htmlTOC(w *strings.Builder, r *Report, n repNumbers) {
	w.WriteString("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n")
	open := false
	for i, s := range r.Sections {
		link := fmt.Sprintf("<a href=\"#%s\"><span class=\"num\">%s</span> %s</a>", s.ID, n.section[s.ID], html.EscapeString(s.Title))
		if s.Level <= 1 {
			if open {
				w.WriteString("</ol></li>\n")
				open = false
			}
			w.WriteString("<li>" + link)
			if i+1 < len(r.Sections) && r.Sections[i+1].Level > 1 {
				w.WriteString("<ol>\n")
				open = true
			} else {
				w.WriteString("</li>\n")
			}
			continue
		}
		w.WriteString("<li>" + link + "</li>\n")
	}
	if open {
		w.WriteString("</ol></li>\n")
	}
	w.WriteString("</ol>\n</nav>\n")
}

// htmlSection writes one section.
func htmlSection(w *strings.Builder, s Section, n repNumbers, fonts map[string]bool) error {
	tag := "h2"
	if s.Level > 1 {
		tag = "h3"
	}
	fmt.Fprintf(w, "<section id=\"%s\">\n<%s><span class=\"num\">%s</span> %s</%s>\n",
		s.ID, tag, n.section[s.ID], html.EscapeString(s.Title), tag)
	for _, bl := range s.Blocks {
		switch x := bl.(type) {
		case *Paragraph:
			w.WriteString("<p>")
			if x.Emphasis != "" {
				w.WriteString("<strong>" + html.EscapeString(x.Emphasis) + "</strong>")
			}
			w.WriteString(html.EscapeString(x.Text) + "</p>\n")
		case *List:
			w.WriteString("<ul>\n")
			for _, it := range x.Items {
				w.WriteString("<li>" + html.EscapeString(it) + "</li>\n")
			}
			w.WriteString("</ul>\n")
		case *Equation:
			w.WriteString("<div class=\"eq\">")
			if len(x.Math.Rows) > 0 {
				w.WriteString("<div class=\"rows\" role=\"math\" aria-label=\"" + html.EscapeString(x.Math.Text) + "\">")
				for i, r := range x.Math.Rows {
					cls := "row"
					if i > 0 {
						cls = "row cont"
					}
					fmt.Fprintf(w, "<div class=\"%s\"><math>%s</math></div>", cls, r)
				}
				w.WriteString("</div>")
			} else {
				fmt.Fprintf(w, "<math display=\"block\" alttext=\"%s\">%s</math>", html.EscapeString(x.Math.Text), x.Math.MathML)
			}
			if x.Label != "" {
				w.WriteString("<span class=\"eqno\">" + html.EscapeString(x.Label) + "</span>")
			}
			w.WriteString("</div>\n")
		case *Table:
			htmlTable(w, x, n.table[x])
		case *Figure:
			svg, err := htmlSVG(x, fonts)
			if err != nil {
				return fmt.Errorf("reports: figure %d: %w", n.figure[x], err)
			}
			fmt.Fprintf(w, "<figure id=\"fig-%d\">\n%s<figcaption><strong>Figure %d.</strong> %s</figcaption>\n</figure>\n",
				n.figure[x], svg, n.figure[x], html.EscapeString(x.Caption))
		case *Preformatted:
			w.WriteString("<pre>" + html.EscapeString(x.Text) + "</pre>\n")
		default:
			return fmt.Errorf("reports: section %s: unknown block %T", s.ID, bl)
		}
	}
	w.WriteString("</section>\n")
	return nil
}

// htmlTable writes a table with its caption.
func htmlTable(w *strings.Builder, t *Table, num int) {
	fmt.Fprintf(w, "<div class=\"table\"><table id=\"table-%d\">\n<caption><strong>Table %d.</strong> %s</caption>\n<thead><tr>",
		num, num, html.EscapeString(t.Caption))
	for _, c := range t.Header {
		w.WriteString("<th>" + htmlCell(c) + "</th>")
	}
	w.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range t.Rows {
		w.WriteString("<tr>")
		for _, c := range row {
			w.WriteString("<td>" + htmlCell(c) + "</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table></div>\n")
}

// htmlCell is the inside of a table cell.
func htmlCell(c Cell) string {
	var s strings.Builder
	if c.Swatch != nil {
		fmt.Fprintf(&s, "<span class=\"sw\" style=\"background:%s\"></span>", htmlColor(c.Swatch))
	}
	if c.Text != "" {
		if c.Mono {
			s.WriteString("<code>" + html.EscapeString(c.Text) + "</code>")
		} else {
			s.WriteString(html.EscapeString(c.Text))
		}
	}
	if c.Math != nil {
		if c.Text != "" {
			s.WriteString(" ")
		}
		fmt.Fprintf(&s, "<math alttext=\"%s\">%s</math>", html.EscapeString(c.Math.Text), c.Math.MathML)
	}
	return s.String()
}

func htmlColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// htmlFontStyle matches the font description vgsvg writes on each text.
var htmlFontStyle = regexp.MustCompile(`font-family:[^;"]*;font-variant:[^;"]*;font-weight:[^;"]*;font-style:[^;"]*`)

// htmlSVG draws a figure as an inline <svg> element and records the
// fonts it uses.
func htmlSVG(f *Figure, fonts map[string]bool) (string, error) {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.Draw(draw.New(c)); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	s := buf.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("no <svg> element in vgsvg's output")
	}
	s = s[i:]
	for _, m := range htmlFontStyle.FindAllString(s, -1) {
		fonts[m] = true
	}
	s = strings.Replace(s, "<svg ", "<svg role=\"img\" aria-label=\"figure\" class=\"plot\" ", 1)
	return s, nil
}

// htmlFontFaces returns @font-face rules, with the font data inline,
// for the plot fonts the figures use (matched against gonum's fonts by
// the description vgsvg writes), in a fixed order.
func htmlFontFaces(used map[string]bool) (string, error) {
	var out []string
	for _, f := range htmlCandidateFonts() {
		c := vgsvg.NewWith(vgsvg.UseWH(10, 10), vgsvg.EmbedFonts(true))
		face := font.DefaultCache.Lookup(f, 10)
		c.FillString(face, vg.Point{}, "x")
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return "", err
		}
		s := buf.String()
		desc := htmlFontStyle.FindString(s)
		if desc == "" || !used[desc] {
			continue
		}
		i, j := strings.Index(s, "@font-face{"), strings.Index(s, "</style>")
		if i < 0 || j < i {
			return "", fmt.Errorf("reports: no @font-face from vgsvg for %s", desc)
		}
		out = append(out, strings.TrimSpace(s[i:j])+"\n")
		delete(used, desc)
	}
	slices.Sort(out)
	return strings.Join(out, ""), nil
}

// htmlCandidateFonts are the fonts gonum/plot draws with: its default
// typeface in the four styles, and the sans and mono variants.
func htmlCandidateFonts() []font.Font {
	var fs []font.Font
	for _, v := range []font.Variant{plot.DefaultFont.Variant, "Sans", "Mono"} {
		for _, w := range []stdfont.Weight{stdfont.WeightNormal, stdfont.WeightBold} {
			for _, st := range []stdfont.Style{stdfont.StyleNormal, stdfont.StyleItalic} {
				f := plot.DefaultFont
				f.Variant, f.Weight, f.Style = v, w, st
				if font.DefaultCache.Has(f) {
					fs = append(fs, f)
				}
			}
		}
	}
	return fs
}

// htmlCSS is the page's style: readable on a laptop, printable on A4.
const htmlCSS = `:root { color-scheme: light; }
body { font-family: "Liberation Serif", Georgia, "Times New Roman", serif; font-size: 17px; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 52rem; padding: 1.5rem 1.25rem 4rem; }
header h1 { font-size: 1.8rem; line-height: 1.2; margin: 0 0 .3rem; }
.subtitle { font-size: 1.1rem; margin: 0; color: #333; }
.meta { color: #555; font-size: .9rem; margin: .3rem 0 1.5rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
.num { color: #555; margin-right: .35rem; }
nav.toc { background: #f6f6f6; border: 1px solid #ddd; padding: .6rem 1.2rem; margin: 0 0 1rem; }
nav.toc h2 { font-size: 1.1rem; margin: .3rem 0; border: 0; }
nav.toc ol { list-style: none; padding-left: 0; margin: .2rem 0; }
nav.toc ol ol { padding-left: 1.6rem; font-size: .93rem; }
nav.toc a { color: #14466e; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
figure { margin: 1.2rem 0 1.6rem; }
figure svg.plot { display: block; width: 100%; height: auto; background: #fff; }
figcaption { font-size: .9rem; color: #222; margin-top: .4rem; }
.eq { display: flex; align-items: center; gap: 1rem; margin: .6rem 0; overflow-x: auto; overflow-y: hidden; }
.eq > math { flex: 1; font-size: 1.05rem; }
.eq .rows { flex: 1; padding-left: 2rem; }
.eq .row math { math-style: normal; font-size: 1.05rem; }
.eq .cont { padding-left: 4rem; }
.eqno { color: #444; }
math { font-family: "STIX Two Math", "Latin Modern Math", math; }
.table { overflow-x: auto; margin: 1rem 0 1.4rem; }
table { border-collapse: collapse; font-size: .88rem; width: 100%; }
caption { caption-side: top; text-align: left; padding-bottom: .35rem; font-size: .9rem; }
th, td { border-top: 1px solid #ccc; border-bottom: 1px solid #ccc; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1f1f1; font-weight: bold; }
td math { font-size: 1rem; }
.sw { display: inline-block; width: .95em; height: .95em; border: 1px solid #888; vertical-align: -.12em; margin-right: .35em; }
pre { font-size: .78rem; background: #f6f6f6; border: 1px solid #ddd; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
code { font-size: .85em; overflow-wrap: break-word; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; padding: 0; }
  nav.toc { break-after: page; background: none; }
  h2, h3 { break-after: avoid; }
  figure, .eq, tr { break-inside: avoid; }
  .eq, .table { overflow: visible; }
  table { font-size: 8pt; }
  td math { font-size: 8.5pt; }
  a { color: inherit; }
}
`
