package expr

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The printers share one layout: a tree of boxes that has decided the
// signs (a − b rather than a + (−1)·b) and the fractions (a/b rather
// than a·b^(−1)). Each printer then decides where its notation needs
// parentheses.

type boxKind uint8

const (
	bNum  boxKind = iota // a non-negative number
	bVar                 // a variable
	bCall                // a function call
	bPow                 // kids[0]^kids[1]
	bProd                // kids[0]·kids[1]·…
	bFrac                // kids[0]/kids[1]
	bNeg                 // −kids[0]
	bSum                 // kids[0] ± kids[1] ± …, signs in minus
)

type box struct {
	kind  boxKind
	num   float64
	name  string
	fn    funcID
	kids  []*box
	minus []bool
}

// prec is the binding strength of b in plain text; a box whose prec is
// below what its context needs is parenthesized.
func (b *box) prec() int {
	switch b.kind {
	case bSum:
		return 1
	case bNeg:
		return 2
	case bProd, bFrac:
		return 3
	case bPow:
		return 4
	}
	return 5
}

// numBox lays out the number v: a negative number as a negation, and
// one that is a small fraction (see smallFraction) as that fraction.
func numBox(v float64) *box {
	if math.Signbit(v) && !math.IsNaN(v) {
		return &box{kind: bNeg, kids: []*box{numBox(-v)}}
	}
	if m, d, ok := smallFraction(v); ok {
		return &box{kind: bFrac, kids: []*box{
			{kind: bNum, num: m}, {kind: bNum, num: d}}}
	}
	return &box{kind: bNum, num: v}
}

// layout returns the box tree of e.
func layout(e Expr) *box {
	switch e := e.(type) {
	case *number:
		return numBox(e.v)
	case *variable:
		return &box{kind: bVar, name: e.name}
	case *sum:
		b := &box{kind: bSum}
		for i, t := range e.terms {
			n, neg := negated(t)
			if i == 0 || !neg {
				n = t
				neg = false
			}
			b.kids = append(b.kids, layout(n))
			b.minus = append(b.minus, neg)
		}
		return b
	case *product:
		return layoutProduct(e.factors)
	case *power:
		if n, ok := e.exp.(*number); ok && n.v < 0 {
			return layoutProduct([]Expr{e})
		}
		return &box{kind: bPow, kids: []*box{layout(e.base), layout(e.exp)}}
	case *call:
		b := &box{kind: bCall, fn: e.fn}
		for _, a := range e.args {
			b.kids = append(b.kids, layout(a))
		}
		return b
	}
	panic("expr: unknown node")
}

// negated reports whether t reads as negative (a negative number or a
// product with a negative leading coefficient) and returns −t.
func negated(t Expr) (Expr, bool) {
	switch t := t.(type) {
	case *number:
		if math.Signbit(t.v) && !math.IsNaN(t.v) {
			return Num(-t.v), true
		}
	case *product:
		n, ok := t.factors[0].(*number)
		if !ok || !math.Signbit(n.v) || math.IsNaN(n.v) {
			break
		}
		if n.v == -1 {
			return newProduct(t.factors[1:]), true
		}
		fs := append([]Expr{Num(-n.v)}, t.factors[1:]...)
		return &product{fs}, true
	}
	return nil, false
}

// layoutProduct lays out a product as ±numerator/denominator, moving
// each factor b^(−k), k > 0 a number, into the denominator as b^k.
func layoutProduct(fs []Expr) *box {
	var numer, denom []*box
	neg := false
	if n, ok := fs[0].(*number); ok && len(fs) > 1 && !math.IsNaN(n.v) {
		c := n.v
		if math.Signbit(c) {
			neg, c = true, -c
		}
		fs = fs[1:]
		if m, d, ok := smallFraction(c); ok {
			if m != 1 {
				numer = append(numer, &box{kind: bNum, num: m})
			}
			denom = append(denom, &box{kind: bNum, num: d})
		} else if c != 1 {
			numer = append(numer, numBox(c))
		}
	}
	for _, f := range fs {
		p, ok := f.(*power)
		if !ok {
			numer = append(numer, layout(f))
			continue
		}
		n, ok := p.exp.(*number)
		switch {
		case !ok || !(n.v < 0):
			numer = append(numer, layout(f))
		case n.v == -1:
			denom = append(denom, layout(p.base))
		default:
			denom = append(denom, &box{kind: bPow,
				kids: []*box{layout(p.base), numBox(-n.v)}})
		}
	}
	b := join(numer)
	if len(denom) > 0 {
		b = &box{kind: bFrac, kids: []*box{b, join(denom)}}
	}
	if neg {
		b = &box{kind: bNeg, kids: []*box{b}}
	}
	return b
}

// join returns the product box of bs, 1 for none.
func join(bs []*box) *box {
	switch len(bs) {
	case 0:
		return &box{kind: bNum, num: 1}
	case 1:
		return bs[0]
	}
	return &box{kind: bProd, kids: bs}
}

// smallFraction reports whether c, a coefficient whose shortest decimal
// form is long (0.3333333333333333), is m/d exactly for small integers,
// so that it prints as a fraction. Short decimals such as 0.5 and 2.5
// print as they are.
func smallFraction(c float64) (m, d float64, ok bool) {
	const maxDigits, maxDen = 6, 1000
	s := strconv.FormatFloat(c, 'e', -1, 64)
	mant, _, _ := strings.Cut(s, "e")
	if len(strings.ReplaceAll(mant, ".", "")) <= maxDigits || !finite(c) {
		return 0, 0, false
	}
	for d := 2.0; d <= maxDen; d++ {
		m := math.Round(c * d)
		if m >= 1 && m < 1e6 && m/d == c {
			return m, d, true
		}
	}
	return 0, 0, false
}

// formatNum is the shortest text that parses back to v exactly.
func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// String returns e as plain text in the syntax of Parse, with minimal
// parentheses, so that Parse(String(e)) has the value of e. Numbers are
// printed exactly (shortest round-trip form), and a coefficient such as
// 0.3333333333333333 that is a small fraction prints as one ("x/3").
func String(e Expr) string {
	var w strings.Builder
	writeText(&w, layout(notNil(e)), 0)
	return w.String()
}

func writeText(w *strings.Builder, b *box, need int) {
	if b.prec() < need {
		w.WriteByte('(')
		writeText(w, b, 0)
		w.WriteByte(')')
		return
	}
	switch b.kind {
	case bNum:
		w.WriteString(formatNum(b.num))
	case bVar:
		w.WriteString(b.name)
	case bCall:
		w.WriteString(b.fn.String())
		w.WriteByte('(')
		for i, k := range b.kids {
			if i > 0 {
				w.WriteString(", ")
			}
			writeText(w, k, 0)
		}
		w.WriteByte(')')
	case bPow:
		writeText(w, b.kids[0], 5)
		w.WriteByte('^')
		writeText(w, b.kids[1], 4)
	case bProd:
		for i, k := range b.kids {
			if i > 0 {
				w.WriteByte('*')
			}
			writeText(w, k, 4)
		}
	case bFrac:
		writeText(w, b.kids[0], 3)
		w.WriteByte('/')
		writeText(w, b.kids[1], 4)
	case bNeg:
		w.WriteByte('-')
		writeText(w, b.kids[0], 3)
	case bSum:
		writeText(w, b.kids[0], 2)
		for i, k := range b.kids[1:] {
			if b.minus[i+1] {
				w.WriteString(" - ")
			} else {
				w.WriteString(" + ")
			}
			writeText(w, k, 3)
		}
	}
}

// greek maps Greek letter names to their Unicode letters.
var greek = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
	"epsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι",
	"kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
	"pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
	"phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
	"Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ",
	"Omega": "Ω",
}

// greekNames are the keys of greek, sorted.
var greekNames = slices.Sorted(maps.Keys(greek))

// splitName splits a variable name into a base and a subscript:
// x_1 -> x, 1; thetaE -> theta, E (a Greek name followed by an upper-case
// letter, a digit or nothing); aEE -> a, EE and Eset -> E, set (one
// letter followed by an upper-case letter or digit, or an upper-case
// letter followed by anything). Other names (rate, dt) are not split.
func splitName(name string) (base, sub string) {
	if i := strings.IndexByte(name, '_'); i > 0 && i < len(name)-1 {
		return name[:i], name[i+1:]
	}
	for _, g := range greekNames {
		if rest, ok := strings.CutPrefix(name, g); ok &&
			(rest == "" || isUpper(rest[0]) || isDigit(rest[0])) {
			return g, rest
		}
	}
	if len(name) > 1 && (isUpper(name[0]) || isUpper(name[1]) ||
		isDigit(name[1])) {
		return name[:1], name[1:]
	}
	return name, ""
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// LaTeX returns e as LaTeX math (without delimiters): names are
// subscripted (aEE is a_{EE}, Eset is E_{set}, thetaE is \theta_{E}),
// quotients are \frac, and parentheses are \left( \right).
func LaTeX(e Expr) string {
	var w strings.Builder
	writeLaTeX(&w, layout(notNil(e)), 0)
	return w.String()
}

// latexPrec is prec for LaTeX, where a number in scientific form reads
// as a product or a power.
func latexPrec(b *box) int {
	if b.kind == bNum {
		if m, _ := sciParts(b.num); m == "" {
			return 4
		} else if m != formatNum(b.num) {
			return 3
		}
	}
	return b.prec()
}

// sciParts splits the text of v into a mantissa and a decimal exponent
// when it is in scientific form; the mantissa is "" when it is 1.
func sciParts(v float64) (mant, exp string) {
	s := formatNum(v)
	m, x, ok := strings.Cut(s, "e")
	if !ok {
		return s, ""
	}
	neg := strings.HasPrefix(x, "-")
	x = strings.TrimLeft(x, "+-0")
	if neg {
		x = "-" + x
	}
	if m == "1" {
		m = ""
	}
	return m, x
}

func writeLaTeX(w *strings.Builder, b *box, need int) {
	if latexPrec(b) < need {
		w.WriteString(`\left(`)
		writeLaTeX(w, b, 0)
		w.WriteString(`\right)`)
		return
	}
	switch b.kind {
	case bNum:
		writeLaTeXNum(w, b.num)
	case bVar:
		writeLaTeXName(w, b.name)
	case bCall:
		writeLaTeXCall(w, b)
	case bPow:
		writeLaTeX(w, b.kids[0], 5)
		w.WriteString("^{")
		writeLaTeX(w, b.kids[1], 0)
		w.WriteByte('}')
	case bProd:
		for i, k := range b.kids {
			var s strings.Builder
			kidNeed := 4
			if i == 0 {
				kidNeed = 3 // 2.5 \cdot 10^{-7} x needs no parentheses
			}
			writeLaTeX(&s, k, kidNeed)
			if i > 0 {
				if c := s.String()[0]; isDigit(c) || c == '.' {
					w.WriteString(` \cdot `)
				} else {
					w.WriteByte(' ')
				}
			}
			w.WriteString(s.String())
		}
	case bFrac:
		w.WriteString(`\frac{`)
		writeLaTeX(w, b.kids[0], 0)
		w.WriteString("}{")
		writeLaTeX(w, b.kids[1], 0)
		w.WriteByte('}')
	case bNeg:
		w.WriteByte('-')
		writeLaTeX(w, b.kids[0], 3)
	case bSum:
		writeLaTeX(w, b.kids[0], 2)
		for i, k := range b.kids[1:] {
			if b.minus[i+1] {
				w.WriteString(" - ")
			} else {
				w.WriteString(" + ")
			}
			writeLaTeX(w, k, 3)
		}
	}
}

func writeLaTeXNum(w *strings.Builder, v float64) {
	switch {
	case math.IsNaN(v):
		w.WriteString(`\mathrm{NaN}`)
		return
	case math.IsInf(v, 0):
		w.WriteString(`\infty`)
		return
	}
	m, x := sciParts(v)
	if x == "" {
		w.WriteString(m)
		return
	}
	if m != "" {
		w.WriteString(m + ` \cdot `)
	}
	w.WriteString("10^{" + x + "}")
}

func writeLaTeXName(w *strings.Builder, name string) {
	base, sub := splitName(name)
	if _, ok := greek[base]; !ok && len(base) > 1 {
		base = `\mathit{` + base + "}"
	}
	w.WriteString(latexWord(base))
	if sub != "" {
		w.WriteString("_{" + latexWord(sub) + "}")
	}
}

// latexWord returns a name part with a Greek name as its command and
// underscores escaped.
func latexWord(s string) string {
	if _, ok := greek[s]; ok {
		return `\` + s
	}
	return strings.ReplaceAll(s, "_", `\_`)
}

func writeLaTeXCall(w *strings.Builder, b *box) {
	arg := func(i int) {
		writeLaTeX(w, b.kids[i], 0)
	}
	switch b.fn {
	case fnSqrt:
		w.WriteString(`\sqrt{`)
		arg(0)
		w.WriteByte('}')
		return
	case fnAbs:
		w.WriteString(`\left|`)
		arg(0)
		w.WriteString(`\right|`)
		return
	case fnExp, fnLog, fnMin, fnMax:
		w.WriteString(`\` + b.fn.String())
	default:
		w.WriteString(`\operatorname{` + b.fn.String() + "}")
	}
	w.WriteString(`\left(`)
	for i := range b.kids {
		if i > 0 {
			w.WriteString(", ")
		}
		arg(i)
	}
	w.WriteString(`\right)`)
}

// MathML returns e as presentation MathML without the enclosing <math>
// element: a single <mrow> with the same subscripts as LaTeX, <mfrac>
// for quotients and <msup> for powers. The text is valid XML.
func MathML(e Expr) string {
	var w strings.Builder
	b := layout(notNil(e))
	wrap := b.kind != bSum && b.kind != bNeg && b.kind != bProd
	if wrap {
		w.WriteString("<mrow>")
	}
	writeMathML(&w, b, 0)
	if wrap {
		w.WriteString("</mrow>")
	}
	return w.String()
}

const (
	moMinus     = "<mo>&#x2212;</mo>"
	moTimes     = "<mo>&#xD7;</mo>"
	moInvTimes  = "<mo>&#x2062;</mo>"
	moApplyFunc = "<mo>&#x2061;</mo>"
)

// writeMathML writes b as exactly one element.
func writeMathML(w *strings.Builder, b *box, need int) {
	if latexPrec(b) < need {
		w.WriteString("<mrow><mo>(</mo>")
		writeMathML(w, b, 0)
		w.WriteString("<mo>)</mo></mrow>")
		return
	}
	switch b.kind {
	case bNum:
		writeMathMLNum(w, b.num)
	case bVar:
		writeMathMLName(w, b.name)
	case bCall:
		writeMathMLCall(w, b)
	case bPow:
		w.WriteString("<msup>")
		writeMathML(w, b.kids[0], 5)
		writeMathML(w, b.kids[1], 0)
		w.WriteString("</msup>")
	case bProd:
		w.WriteString("<mrow>")
		for i, k := range b.kids {
			if i > 0 {
				if k.kind == bNum {
					w.WriteString(moTimes)
				} else {
					w.WriteString(moInvTimes)
				}
			}
			writeMathML(w, k, 4)
		}
		w.WriteString("</mrow>")
	case bFrac:
		w.WriteString("<mfrac>")
		writeMathML(w, b.kids[0], 0)
		writeMathML(w, b.kids[1], 0)
		w.WriteString("</mfrac>")
	case bNeg:
		w.WriteString("<mrow>" + moMinus)
		writeMathML(w, b.kids[0], 3)
		w.WriteString("</mrow>")
	case bSum:
		w.WriteString("<mrow>")
		writeMathML(w, b.kids[0], 2)
		for i, k := range b.kids[1:] {
			if b.minus[i+1] {
				w.WriteString(moMinus)
			} else {
				w.WriteString("<mo>+</mo>")
			}
			writeMathML(w, k, 3)
		}
		w.WriteString("</mrow>")
	}
}

func writeMathMLNum(w *strings.Builder, v float64) {
	switch {
	case math.IsNaN(v):
		w.WriteString("<mi>NaN</mi>")
		return
	case math.IsInf(v, 0):
		w.WriteString("<mi>&#x221E;</mi>")
		return
	}
	m, x := sciParts(v)
	if x == "" {
		w.WriteString("<mn>" + m + "</mn>")
		return
	}
	exp := "<mn>" + x + "</mn>"
	if rest, ok := strings.CutPrefix(x, "-"); ok {
		exp = "<mrow>" + moMinus + "<mn>" + rest + "</mn></mrow>"
	}
	pow := "<msup><mn>10</mn>" + exp + "</msup>"
	if m == "" {
		w.WriteString(pow)
		return
	}
	w.WriteString("<mrow><mn>" + m + "</mn>" + moTimes + pow + "</mrow>")
}

func writeMathMLName(w *strings.Builder, name string) {
	base, sub := splitName(name)
	if sub == "" {
		w.WriteString(mathMLWord(base))
		return
	}
	w.WriteString("<msub>" + mathMLWord(base) + mathMLWord(sub) + "</msub>")
}

// mathMLWord returns a name part as <mi> (or <mn> for digits), with
// Greek names as their letters.
func mathMLWord(s string) string {
	if g, ok := greek[s]; ok {
		return "<mi>" + g + "</mi>"
	}
	if strings.Trim(s, "0123456789") == "" {
		return "<mn>" + s + "</mn>"
	}
	return "<mi>" + xmlEscape(s) + "</mi>"
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func xmlEscape(s string) string { return xmlEscaper.Replace(s) }

func writeMathMLCall(w *strings.Builder, b *box) {
	switch b.fn {
	case fnSqrt:
		w.WriteString("<msqrt>")
		writeMathML(w, b.kids[0], 0)
		w.WriteString("</msqrt>")
		return
	case fnAbs:
		w.WriteString("<mrow><mo>|</mo>")
		writeMathML(w, b.kids[0], 0)
		w.WriteString("<mo>|</mo></mrow>")
		return
	}
	w.WriteString("<mrow><mi>" + b.fn.String() + "</mi>" + moApplyFunc +
		"<mrow><mo>(</mo>")
	for i, k := range b.kids {
		if i > 0 {
			w.WriteString("<mo>,</mo>")
		}
		writeMathML(w, k, 0)
	}
	w.WriteString("<mo>)</mo></mrow></mrow>")
}
