package reports

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
	"github.com/paradoxlab/paradox/sim"
	"github.com/paradoxlab/paradox/sim/multiunit"
	"github.com/paradoxlab/paradox/verify"
)

// A Report is a short methods-and-results document: numbered sections
// of paragraphs, displayed formulas, tables and figures. Build fills one
// from a Config; WriteHTML and WritePDF render the same document as one
// self-contained HTML page and as a multi-page PDF. Sections built
// elsewhere (the verdicts of package verify, the multiunit and spiking
// models) are added through Config.Extra.
type Report struct {
	// Title and Subtitle head the document.
	Title, Subtitle string

	// Date is when the report was made. It appears in the header, the
	// provenance and the PDF's metadata, and nowhere else, so that two
	// reports from the same inputs and seeds differ only in it.
	Date time.Time

	Sections []Section
}

// A Section is one entry of the table of contents. Level 1 sections are
// numbered 1, 2, …; level 2 sections 1.1, 1.2, … under the level 1
// section before them.
type Section struct {
	// ID is the HTML anchor; it must be unique in the report and made of
	// letters, digits and '-'.
	ID    string
	Title string
	Level int

	Blocks []Block
}

// A Block is one item of a section: *Paragraph, *List, *Equation,
// *Table, *Figure or *Preformatted.
type Block interface{ isBlock() }

// Paragraph is running text. Emphasis, if set, is a lead-in drawn in
// bold before Text.
type Paragraph struct {
	Emphasis, Text string
}

// List is a bulleted list of short paragraphs.
type List struct {
	Items []string
}

// Math is one formula in two forms: presentation MathML without the
// enclosing <math> element (for the HTML page) and plain text (for the
// PDF and for copying).
type Math struct {
	MathML string
	Text   string

	// Rows, if set, is the formula broken into lines for display (MathML
	// cannot break lines itself): each is the MathML of one line, the
	// first holding the left-hand side. MathML is then the whole
	// formula on one line.
	Rows []string
}

// Equation is a displayed formula with an optional label such as "(4)".
type Equation struct {
	Label string
	Math  Math
}

// Cell is one table cell: text, a formula, or both (the formula after
// the text). Swatch, if not nil, draws a colour key before the text.
type Cell struct {
	Text   string
	Math   *Math
	Swatch color.Color
	// Mono sets the text in a fixed-width font.
	Mono bool
}

// Table is a captioned table. Every row has len(Header) cells.
type Table struct {
	Caption string
	Header  []Cell
	Rows    [][]Cell
}

// Figure is a captioned drawing of Width x Height. Draw draws it onto a
// canvas of that size; it is called once per output format and must
// draw the same thing every time.
type Figure struct {
	Caption       string
	Width, Height vg.Length
	Draw          func(dc draw.Canvas) error
}

// Preformatted is text set in a fixed-width font with its line breaks
// kept (configuration listings).
type Preformatted struct {
	Text string
}

func (*Paragraph) isBlock()    {}
func (*List) isBlock()         {}
func (*Equation) isBlock()     {}
func (*Table) isBlock()        {}
func (*Figure) isBlock()       {}
func (*Preformatted) isBlock() {}

// Config says what Build computes.
type Config struct {
	// Params are the resolved model constants. The default is
	// model.Default().
	Params model.Params

	// Extra is a family of the user's (from a rule file), analysed,
	// mapped and drawn beside the built-in ones; nil for none.
	Extra *jacobian.Family

	// Seed seeds every simulation. Each experiment uses it as its own
	// seed, so a figure can be regenerated alone with the same --seed.
	Seed uint64

	// Quick shrinks the grids and the simulations (for tests): the
	// document has the same sections and figures, computed coarsely.
	Quick bool

	// Date is the date of the report; the zero value means now.
	Date time.Time

	// Provenance is the provenance of the run (tool, version, commit,
	// command line); Build adds the resolved settings to it.
	Provenance provenance.Info

	// Regenerate is the command line that regenerates the report, with
	// every resolved constant spelled out.
	Regenerate string

	// Claims are checked by package verify and shown with their
	// verdicts after the simulations; nil means verify's built-in
	// catalogue. NoVerify leaves the verdicts out.
	Claims   []verify.Claim
	NoVerify bool

	// Spiking is a finished training run of the spiking network
	// (LoadSpikingRun), drawn in the section on Fig. 7; the report runs
	// a few trials of its final weights without plasticity and never
	// trains. With nil that section gives the commands that make one.
	// SpikingParadox is the paradoxical-effect test of a trained network
	// (LoadSpikingParadox), shown with it; nil for none. It is ignored
	// without Spiking.
	Spiking        *SpikingRun
	SpikingParadox *SpikingParadoxRun

	// Sections are added after the verdicts and before the provenance,
	// in order: results computed elsewhere.
	Sections []Section

	// Missing lists results a reader would expect and this build does
	// not have (a package that does not exist yet); each is one
	// sentence, shown under "Not in this report".
	Missing []string

	// Workers bounds the goroutines of maps and ensembles; 0 means all
	// cores. The report does not depend on it.
	Workers int

	// Progress, if not nil, is called as work is done: stage names the
	// current step, done of total units are finished.
	Progress func(stage string, done, total int)
}

// repProfile holds the sizes of the computation: the paper's for the
// default profile, small ones for Config.Quick.
type repProfile struct {
	gridN, gridM  int // WEE and WIE points of the region maps
	borderSamples int // scan lines per direction for the borders
	ratioN        int // points of the log10(aE/aI) axis
	ratioGridN    int // WEE (and WIE/2) points of the curve's grid
	trials2       int // Fig. 2B-C trials
	trials2E      int // Fig. 2E trials
	trials4       int // Fig. 4B-C trials
	ensRuns       int // runs per ensemble
	ensTrials     int // trials per ensemble run
	traceEvery    int // keep every n-th sample of a trace
}

func repProfileFor(quick bool) repProfile {
	if quick {
		return repProfile{
			gridN: 51, gridM: 51, borderSamples: 101,
			ratioN: 13, ratioGridN: 41,
			trials2: 40, trials2E: 20, trials4: 40,
			ensRuns: 4, ensTrials: 20, traceEvery: 20,
		}
	}
	return repProfile{
		gridN: 201, gridM: 201, borderSamples: 401,
		ratioN: 121, ratioGridN: 101,
		trials2: 1000, trials2E: 500, trials4: 500,
		ensRuns: 100, ensTrials: 1000, traceEvery: 10,
	}
}

// repBuilder carries the state of one Build.
type repBuilder struct {
	ctx  context.Context
	cfg  Config
	prof repProfile
	prov *provenance.Info
	fams []*jacobian.Family

	// brief collects one-line results for the summary at the top.
	brief []string
}

// Build computes everything the report shows and returns the document.
// It fails if a computation fails or ctx is cancelled.
func Build(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Params == (model.Params{}) {
		cfg.Params = model.Default()
	}
	if err := cfg.Params.Validate(); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	if cfg.Date.IsZero() {
		cfg.Date = time.Now()
	}
	prov := cfg.Provenance
	if prov.Tool == "" {
		// A library call: the tool's own record, without a command line.
		prov = provenance.New(nil)
		prov.Command = ""
	}
	if prov.Settings == nil {
		prov.Settings = map[string]string{}
	} else {
		prov.Settings = maps2clone(prov.Settings)
	}
	b := &repBuilder{ctx: ctx, cfg: cfg, prof: repProfileFor(cfg.Quick), prov: &prov}
	b.fams = jacobian.Builtins()
	if cfg.Extra != nil {
		b.fams = append(b.fams, cfg.Extra)
	}
	b.record()

	var secs []Section
	secs = append(secs, b.modelSections()...)
	secs = append(secs, b.ruleSections()...)
	ms, err := b.mapSections()
	if err != nil {
		return nil, err
	}
	secs = append(secs, ms...)
	rs, err := b.ratioSections()
	if err != nil {
		return nil, err
	}
	secs = append(secs, rs...)
	ss, err := b.simSections()
	if err != nil {
		return nil, err
	}
	secs = append(secs, ss...)
	if !cfg.NoVerify {
		vs, err := b.verifySections()
		if err != nil {
			return nil, err
		}
		secs = append(secs, vs...)
	}
	secs = append(secs, cfg.Sections...)
	secs = append(secs, b.limitsSection())
	secs = append(secs, b.provenanceSection())

	r := &Report{
		Title:    "Plasticity rules and inhibition-stabilized dynamics: analysis report",
		Subtitle: "Two-population rate model of Soldado-Magraner, Seay, Laje & Buonomano (PNAS 2022)",
		Date:     cfg.Date,
	}
	r.Sections = append([]Section{b.summarySection()}, secs...)
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

func maps2clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// check reports duplicate or malformed section IDs and ragged tables.
func (r *Report) check() error {
	seen := map[string]bool{}
	for _, s := range r.Sections {
		if s.ID == "" || strings.Trim(s.ID, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return fmt.Errorf("reports: section %q: bad ID %q", s.Title, s.ID)
		}
		if seen[s.ID] {
			return fmt.Errorf("reports: duplicate section ID %q", s.ID)
		}
		seen[s.ID] = true
		for _, bl := range s.Blocks {
			if t, ok := bl.(*Table); ok {
				for i, row := range t.Rows {
					if len(row) != len(t.Header) {
						return fmt.Errorf("reports: section %s: table %q row %d has %d cells, want %d",
							s.ID, t.Caption, i, len(row), len(t.Header))
					}
				}
			}
		}
	}
	return nil
}

// progress reports a step of work.
func (b *repBuilder) progress(stage string, done, total int) {
	if b.cfg.Progress != nil {
		b.cfg.Progress(stage, done, total)
	}
}

// record adds the resolved configuration to the provenance.
func (b *repBuilder) record() {
	p := b.cfg.Params
	for _, k := range model.ParamKeys() {
		v, _ := p.Get(k)
		b.prov.Set("param."+k, v)
	}
	b.prov.Set("seed", b.cfg.Seed)
	b.prov.Set("profile", map[bool]string{false: "default", true: "quick"}[b.cfg.Quick])
	pr := b.prof
	b.prov.Set("maps.grid", fmt.Sprintf("WEE 0:10:%d, WIE 0:20:%d", pr.gridN, pr.gridM))
	b.prov.Set("maps.border_samples", pr.borderSamples)
	b.prov.Set("ratio.axis", fmt.Sprintf("log10(aE/aI) -3:3:%d, grid WEE 0:10:%d, WIE 0:20:%d", pr.ratioN, pr.ratioGridN, 2*pr.ratioGridN-1))
	for _, f := range b.fams {
		for k, e := range f.Exprs {
			b.prov.Set(fmt.Sprintf("rule.%s.d%s", f.Name, model.Names[k]), e.String())
		}
		for _, c := range repSortedKeys(f.Consts) {
			b.prov.Set(fmt.Sprintf("rule.%s.const.%s", f.Name, c), f.Consts[c])
		}
	}
}

func repSortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// summarySection is the results in brief, filled as the other sections
// are built.
func (b *repBuilder) summarySection() Section {
	p := b.cfg.Params
	intro := fmt.Sprintf("This report analyses families of plasticity rules acting on all four weights "+
		"of a two-population excitatory/inhibitory rate model, at the model constants listed in Section 2 "+
		"(%s). For each family it derives the Jacobian of the plasticity subsystem in the quasi-steady-state "+
		"reduction, maps where on the setpoint plane both the neural and the plasticity subsystems are "+
		"stable, and simulates the paper's development protocol. Everything here was computed by paradox "+
		"from the inputs recorded in the last section; the same inputs and seed give the same report.",
		repParamsShort(p))
	s := Section{ID: "summary", Title: "Results in brief", Level: 1}
	s.Blocks = append(s.Blocks, &Paragraph{Text: intro})
	if len(b.brief) > 0 {
		s.Blocks = append(s.Blocks, &List{Items: b.brief})
	}
	return s
}

// repParamsShort formats the model constants in one line.
func repParamsShort(p model.Params) string {
	return fmt.Sprintf("τE = %s ms, τI = %s ms, θE = %s, θI = %s, gE = %s, gI = %s, Eset = %s Hz, Iset = %s Hz, Iext = %s",
		repG(p.TauE), repG(p.TauI), repG(p.ThetaE), repG(p.ThetaI), repG(p.GE), repG(p.GI),
		repG(p.Eset), repG(p.Iset), repG(p.Iext))
}

// repG formats a number in the fewest digits that round-trip, up to 6
// significant digits.
func repG(v float64) string { return fmt.Sprintf("%.6g", v) }

// repPct formats a fraction as a percentage with one decimal.
func repPct(f float64) string {
	if math.IsNaN(f) {
		return "—"
	}
	return fmt.Sprintf("%.1f %%", 100*f)
}

// limitsSection says what the report does not show and what its
// methods assume.
func (b *repBuilder) limitsSection() Section {
	items := []string{
		"Stability is linear stability at the setpoints, in the quasi-steady-state (QSS) reduction: " +
			"the neural subsystem is assumed to be much faster than plasticity. The maps say nothing " +
			"about basins of attraction; a rule can be locally stable and still fail to reach the " +
			"setpoints from a silent start (the paper's hybrid rules, SI 1.2).",
		"Learning rates enter the maps only through their ratios; the absolute rates of the " +
			"simulations (1e-4, 5e-4 per trial) are the paper's and set how fast the weights move.",
		"The simulations follow the authors' MATLAB code where it and the paper disagree (pulse " +
			"of 101 samples, averaging window of 5001 samples, rate floor 1 Hz, weight floor 0.1, " +
			"trial filter τ = 2 trials, Fig. 2B/4B start WII = 1.5); the ensembles' initial weights " +
			"are drawn by rules of ours, because the paper's supplementary methods are not available.",
		"Region maps are sampled on a grid; a class can hide in a sliver between grid points. The " +
			"borders are located separately, by bisection to 1e-9, and drawn over the classes.",
	}
	if b.cfg.Spiking == nil {
		items = append(items, "The spiking network (Fig. 7) is not in this report: the report does not train it "+
			"(15-25 minutes), and no saved training run was given (--spiking DIR). Its section gives the commands.")
	}
	items = append(items, b.cfg.Missing...)
	return Section{ID: "limits", Title: "Not in this report", Level: 1, Blocks: []Block{
		&Paragraph{Text: "What a reader should keep in mind, and what is left out:"},
		&List{Items: items},
	}}
}

// provenanceSection lists what is needed to regenerate the report.
func (b *repBuilder) provenanceSection() Section {
	pv := b.prov
	rows := [][]Cell{
		{{Text: "tool"}, {Text: fmt.Sprintf("%s %s", repOr(pv.Tool, "paradox"), repOr(pv.Version, provenance.Version)), Mono: true}},
		{{Text: "commit"}, {Text: repOr(pv.Commit, "unknown"), Mono: true}},
		{{Text: "Go"}, {Text: repOr(pv.GoVersion, "unknown"), Mono: true}},
		{{Text: "date"}, {Text: b.cfg.Date.UTC().Format(time.RFC3339), Mono: true}},
		{{Text: "command line"}, {Text: repOr(pv.Command, "(library call)"), Mono: true}},
		{{Text: "regenerate with"}, {Text: repOr(b.cfg.Regenerate, "(not given)"), Mono: true}},
		{{Text: "seed"}, {Text: fmt.Sprint(b.cfg.Seed), Mono: true}},
		{{Text: "configuration hash"}, {Text: pv.Hash(), Mono: true}},
	}
	var lines strings.Builder
	keys := make([]string, 0, len(pv.Settings))
	for k := range pv.Settings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&lines, "%s = %s\n", k, pv.Settings[k])
	}
	return Section{ID: "provenance", Title: "Provenance", Level: 1, Blocks: []Block{
		&Paragraph{Text: "The report is a pure function of the configuration below and the seed: " +
			"running the command under \"regenerate with\" with the same version of paradox gives " +
			"the same report apart from its date. The configuration hash is a SHA-256 over the sorted " +
			"settings; two reports with equal hashes computed the same thing."},
		&Table{Caption: "Tool, inputs and seed.", Header: []Cell{{Text: "item"}, {Text: "value"}}, Rows: rows},
		&Paragraph{Text: "The full resolved configuration, one setting per line:"},
		&Preformatted{Text: strings.TrimRight(lines.String(), "\n")},
	}}
}

func repOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// MathML helpers. Names go through expr's printer so that every symbol
// looks the same in hand-written and generated formulas.

// repMV is the MathML of the variable name (WEE, thetaE, …).
func repMV(name string) string { return expr.MathML(expr.Var(name)) }

// repME is the MathML of the expression src.
func repME(src string) string { return expr.MathML(expr.MustParse(src)) }

func repMo(op string) string { return "<mo>" + op + "</mo>" }

// repDdt is the MathML of dx/dt.
func repDdt(x string) string {
	return "<mfrac><mrow><mi>d</mi><mi>" + x + "</mi></mrow><mrow><mi>d</mi><mi>t</mi></mrow></mfrac>"
}

// repRect is the MathML of [inner]+.
func repRect(inner string) string {
	return "<msub><mrow><mo>[</mo>" + inner + "<mo>]</mo></mrow><mo>+</mo></msub>"
}

// repMatrix is the MathML of a matrix in parentheses.
func repMatrix(rows [][]string) string {
	var w strings.Builder
	w.WriteString("<mrow><mo>(</mo><mtable>")
	for _, r := range rows {
		w.WriteString("<mtr>")
		for _, c := range r {
			w.WriteString("<mtd>" + c + "</mtd>")
		}
		w.WriteString("</mtr>")
	}
	w.WriteString("</mtable><mo>)</mo></mrow>")
	return w.String()
}

// repEq is a labelled equation lhs = rhs from MathML and text forms.
func repEq(label, lhsML, rhsML, text string) *Equation {
	return &Equation{Label: label, Math: Math{
		MathML: "<mrow>" + lhsML + repMo("=") + rhsML + "</mrow>",
		Text:   text,
	}}
}

// repParamTable is the table of model constants: symbol, value, unit,
// meaning and source (the paper's Methods, or this report's setting
// where it differs from the paper).
func repParamTable(p model.Params) *Table {
	d := model.Default()
	type prow struct {
		key, sym, unit, meaning, source string
	}
	rows := []prow{
		{"taue", "tauE", "ms", "E time constant", "Methods"},
		{"taui", "tauI", "ms", "I time constant", "Methods"},
		{"thetae", "thetaE", "input units", "E threshold", "Methods"},
		{"thetai", "thetaI", "input units", "I threshold", "Methods"},
		{"ge", "gE", "Hz per input unit", "E gain", "Methods"},
		{"gi", "gI", "Hz per input unit", "I gain", "Methods"},
		{"eset", "Eset", "Hz", "E setpoint", "Methods (ref. 46)"},
		{"iset", "Iset", "Hz", "I setpoint", "Methods (ref. 46)"},
		{"iext", "Iext", "input units", "tonic input to E", "paper: 0, fully self-sustained"},
	}
	var cells [][]Cell
	for _, r := range rows {
		v, _ := p.Get(r.key)
		dv, _ := d.Get(r.key)
		src := r.source
		if v != dv {
			src = fmt.Sprintf("set for this report (paper: %s)", repG(dv))
		}
		cells = append(cells, []Cell{
			{Math: &Math{MathML: repMV(r.sym), Text: r.sym}},
			{Text: repG(v)}, {Text: r.unit}, {Text: r.meaning}, {Text: src},
		})
	}
	return &Table{
		Caption: "Model constants used throughout; the provenance lists them under their flag and TOML " +
			"names (param.taue, …). Weights are dimensionless in the rate model.",
		Header: []Cell{{Text: "symbol"}, {Text: "value"}, {Text: "unit"}, {Text: "meaning"}, {Text: "source"}},
		Rows:   cells,
	}
}

// repRowChars is the length of formula text beyond which a displayed
// formula is broken into rows.
const repRowChars = 72

// repLongEq is the equation lhs = e, broken into rows of at most about
// repRowChars characters of text at the top-level + and − of e, or of
// the sum in the last parentheses of a product such as gE·gI·(…).
func repLongEq(lhsML, lhsText string, e expr.Expr) *Equation {
	text := expr.String(e)
	eq := repEq("", lhsML, expr.MathML(e), lhsText+" = "+text)
	if len(text) <= repRowChars {
		return eq
	}
	prefix, inner, ok := "", text, false
	terms := repSplitTerms(text)
	if len(terms) == 1 && strings.HasSuffix(text, ")") {
		if i := repOpenParen(text); i > 0 && text[i-1] == '*' {
			prefix, inner, ok = text[:i-1], text[i+1:len(text)-1], true
			terms = repSplitTerms(inner)
		}
	}
	if len(terms) < 2 {
		return eq
	}
	var rows []string
	var cur strings.Builder
	n := 0
	if ok {
		cur.WriteString(expr.MathML(expr.MustParse(prefix)) + "<mo>&#x2062;</mo><mo>(</mo>")
		n = len(prefix)
	}
	for i, t := range terms {
		sign, body := t[0], t[1:]
		if n > 0 && n+len(body) > repRowChars {
			rows = append(rows, cur.String())
			cur.Reset()
			n = 0
		}
		switch {
		case sign == '-':
			cur.WriteString("<mo>&#x2212;</mo>")
		case i > 0:
			cur.WriteString("<mo>+</mo>")
		}
		cur.WriteString(expr.MathML(expr.MustParse(body)))
		n += len(body) + 3
	}
	if ok {
		cur.WriteString("<mo>)</mo>")
	}
	rows = append(rows, cur.String())
	rows[0] = "<mrow>" + lhsML + repMo("=") + rows[0] + "</mrow>"
	for i := 1; i < len(rows); i++ {
		rows[i] = "<mrow>" + rows[i] + "</mrow>"
	}
	eq.Math.Rows = rows
	return eq
}

// repSplitTerms splits the text form of a sum at its top-level + and −;
// each term starts with its sign ('+' or '-').
func repSplitTerms(s string) []string {
	var out []string
	depth, start := 0, 0
	sign := byte('+')
	if strings.HasPrefix(s, "-") {
		sign, start = '-', 1
	}
	for i := start; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == '+' || c == '-') && i > 0 && s[i-1] == ' ':
			out = append(out, string(sign)+strings.TrimSpace(s[start:i]))
			sign, start = c, i+1
		}
	}
	return append(out, string(sign)+strings.TrimSpace(s[start:]))
}

// repOpenParen returns the index of the '(' that matches the final ')'.
func repOpenParen(s string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// repExprMath is the two forms of an expression.
func repExprMath(e expr.Expr) *Math {
	return &Math{MathML: expr.MathML(e), Text: expr.String(e)}
}

// modelSections describe the model, its parameters, the setpoint plane
// and the stability conditions the maps use.
func (b *repBuilder) modelSections() []Section {
	p := b.cfg.Params
	s := Section{ID: "model", Title: "The model", Level: 1}
	s.Blocks = append(s.Blocks,
		&Paragraph{Text: "Two populations, excitatory (E) and inhibitory (I), with threshold-linear " +
			"transfer functions (Methods Eqs. 1-3; noise terms left out here, [x]+ = max(x, 0)). " +
			"Rates are in Hz and time in ms. Weights are named onto-from: WEI is the weight onto E " +
			"from I. A tonic input Iext to E only lowers the E threshold to θE − Iext."},
		repEq("(1)", repMV("tauE")+"<mo>&#x2062;</mo>"+repDdt("E"),
			"<mrow><mo>&#x2212;</mo><mi>E</mi><mo>+</mo>"+repMV("gE")+"<mo>&#x2062;</mo>"+
				repRect(repME("WEE*E - WEI*I - thetaE + Iext"))+"</mrow>",
			"τE dE/dt = −E + gE·[WEE·E − WEI·I − θE + Iext]+"),
		repEq("(2)", repMV("tauI")+"<mo>&#x2062;</mo>"+repDdt("I"),
			"<mrow><mo>&#x2212;</mo><mi>I</mi><mo>+</mo>"+repMV("gI")+"<mo>&#x2062;</mo>"+
				repRect(repME("WIE*E - WII*I - thetaI"))+"</mrow>",
			"τI dI/dt = −I + gI·[WIE·E − WII·I − θI]+"),
	)

	s.Blocks = append(s.Blocks, repParamTable(p))

	// Setpoint plane.
	plane := Section{ID: "setpoint-plane", Title: "The setpoint plane", Level: 2}
	slope := p.Eset / p.Iset
	cEI := (p.GE*p.ThetaEEff() + p.Eset) / (p.Iset * p.GE)
	cII := (p.GI*p.ThetaI + p.Iset) / (p.Iset * p.GI)
	plane.Blocks = append(plane.Blocks,
		&Paragraph{Text: "Setting both derivatives to zero at E = Eset and I = Iset leaves two free weights, " +
			"WEE and WIE; the other two follow (Methods Eqs. 4-5, with θE replaced by θE − Iext). Every " +
			"point of this plane is a fixed point of the full system for every rule family here, because " +
			"each rule vanishes at the setpoints. The maps below are drawn over (WEE, WIE)."},
		repEq("(4)", repMV("WEI"), repME("(gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE)"),
			"WEI = (gE·(Eset·WEE − θE + Iext) − Eset)/(Iset·gE)"),
		repEq("(5)", repMV("WII"), repME("(gI*(Eset*WIE - thetaI) - Iset)/(Iset*gI)"),
			"WII = (gI·(Eset·WIE − θI) − Iset)/(Iset·gI)"),
		&Paragraph{Text: fmt.Sprintf("With the constants of Table 1: WEI = %s·WEE − %s and WII = %s·WIE − %s. "+
			"Both lines have slope Eset/Iset; WEI > 0 needs WEE > %s and WII > 0 needs WIE > %s.",
			repG(slope), repG(cEI), repG(slope), repG(cII), repG(cEI/slope), repG(cII/slope))},
	)

	// Stability of the neural subsystem and the QSS reduction.
	stab := Section{ID: "stability", Title: "Stability conditions", Level: 2}
	stab.Blocks = append(stab.Blocks,
		&Paragraph{Text: "With a = gE·WEE − 1, b = gI·WII + 1 and C = gE·gI·WEI·WIE − a·b, the Up state " +
			"is neural-stable iff C > 0 and b·τE > a·τI (the determinant and trace conditions of the 2x2 " +
			"Jacobian, Routh-Hurwitz). It is paradoxical (inhibition-stabilized) iff gE·WEE > 1: more drive " +
			"into I then lowers I at the new fixed point, dI*/dinput = −gI·a/C < 0. The paper's \"WEE × Eset − 1\" " +
			"is a misprint for gE·WEE − 1 (reference analytics §3)."},
		&Paragraph{Text: "Plasticity is slow, so the rates sit at their fixed point (E*, I*)(W). The " +
			"plasticity subsystem dW/dt = f(E*(W), I*(W), W) then has the Jacobian J = D + M·G, with " +
			"M = ∂f/∂(E, I) and D = ∂f/∂W at the setpoints and G = d(E*, I*)/dW from implicit " +
			"differentiation of the fixed-point equations:"},
		&Equation{Label: "(6)", Math: Math{
			MathML: "<mrow><mi>G</mi><mo>=</mo><mfrac><mn>1</mn><mi>C</mi></mfrac>" + repMatrix([][]string{
				{repME("b*gE*Eset"), repME("-b*gE*Iset"), repME("-gE*gI*WEI*Eset"), repME("gE*gI*WEI*Iset")},
				{repME("gE*gI*WIE*Eset"), repME("-gE*gI*WIE*Iset"), repME("-a*gI*Eset"), repME("a*gI*Iset")},
			}) + "</mrow>",
			Text: "G = (1/C)·[[b·gE·Eset, −b·gE·Iset, −gE·gI·WEI·Eset, gE·gI·WEI·Iset], " +
				"[gE·gI·WIE·Eset, −gE·gI·WIE·Iset, −a·gI·Eset, a·gI·Iset]]",
		}},
		&Paragraph{Text: "J has rank 2: the tangent of the setpoint plane, spanned by (1, Eset/Iset, 0, 0) " +
			"and (0, 0, 1, Eset/Iset), is its null space and gives two zero eigenvalues. The other two are " +
			"the eigenvalues of a 2x2 matrix K (K = G·M when D = 0), so the plasticity subsystem is stable " +
			"iff tr K < 0 and det K > 0. A point is classed \"both stable\" when the neural subsystem and " +
			"the plasticity subsystem are both asymptotically stable; marginal points (|max Re λ| ≤ " +
			"1e-9·max |λ|) count as unstable."},
	)
	return []Section{s, plane, stab}
}

// repClosed is the closed form of a family's reduced Jacobian.
type repClosed struct {
	// M[k] are ∂f_k/∂E and ∂f_k/∂I at the setpoints; D[k][j] is
	// ∂f_k/∂W_j there.
	M [4][2]expr.Expr
	D [4][4]expr.Expr

	// Direct is set when some D entry is not zero.
	Direct bool

	// Tr is C·tr K. Det is C·det K, or C²·det K when Direct.
	Tr, Det expr.Expr
}

// repGhat is C·G (Eq. 6) and repP = ∂F/∂W at the setpoints, where F
// are the right-hand sides of the fixed-point equations.
var (
	repGhat = [2][4]string{
		{"b*gE*Eset", "-b*gE*Iset", "-gE*gI*WEI*Eset", "gE*gI*WEI*Iset"},
		{"gE*gI*WIE*Eset", "-gE*gI*WIE*Iset", "-a*gI*Eset", "a*gI*Iset"},
	}
	repP = [2][4]string{
		{"gE*Eset", "-gE*Iset", "0", "0"},
		{"0", "0", "gI*Eset", "-gI*Iset"},
	}
)

// repAtSetpoint evaluates e at E = Eset, I = Iset, multiplied out.
func repAtSetpoint(e expr.Expr) expr.Expr {
	e = expr.SubstExpr(e, "E", expr.Var("Eset"))
	e = expr.SubstExpr(e, "I", expr.Var("Iset"))
	return expr.Expand(e)
}

func repIsZero(e expr.Expr) bool {
	c, ok := expr.Const(expr.Expand(e))
	return ok && c == 0
}

// closedForm derives C·tr K and C·det K of a family symbolically, in the
// symbols a, b, C, the weights, the model constants and the rates.
//
// Without direct weight terms (D = 0), K is similar to G·M, so
// C·tr K = tr(Ĝ·M) with Ĝ = C·G, and by the Cauchy-Binet formula
// det(G·M) = Σ_{j<k} det G[:, jk]·det M[jk, :], where det G[:, jk] =
// det P[:, jk]/C because G = −A⁻¹P with det A = C. So C·det K is a
// polynomial free of a, b and C. With direct terms K is the map J
// induces on the quotient by the plane's tangent (jacobian.quotientK)
// and C²·det K is multiplied out as it stands.
func closedForm(f *jacobian.Family) repClosed {
	var cf repClosed
	d := f.Derivatives()
	for k := 0; k < 4; k++ {
		cf.M[k][0] = repAtSetpoint(d.DE[k])
		cf.M[k][1] = repAtSetpoint(d.DI[k])
		for j := 0; j < 4; j++ {
			cf.D[k][j] = repAtSetpoint(d.DW[k][j])
			if !repIsZero(cf.D[k][j]) {
				cf.Direct = true
			}
		}
	}
	var gh, pp [2][4]expr.Expr
	for i := 0; i < 2; i++ {
		for k := 0; k < 4; k++ {
			gh[i][k] = expr.MustParse(repGhat[i][k])
			pp[i][k] = expr.MustParse(repP[i][k])
		}
	}
	if !cf.Direct {
		tr := expr.Num(0)
		for i := 0; i < 2; i++ {
			for k := 0; k < 4; k++ {
				tr = expr.Add(tr, expr.Mul(gh[i][k], cf.M[k][i]))
			}
		}
		det := expr.Num(0)
		for j := 0; j < 4; j++ {
			for k := j + 1; k < 4; k++ {
				mp := expr.Sub(expr.Mul(pp[0][j], pp[1][k]), expr.Mul(pp[0][k], pp[1][j]))
				mm := expr.Sub(expr.Mul(cf.M[j][0], cf.M[k][1]), expr.Mul(cf.M[k][0], cf.M[j][1]))
				det = expr.Add(det, expr.Mul(mp, mm))
			}
		}
		cf.Tr, cf.Det = expr.Expand(tr), expr.Expand(det)
		return cf
	}
	// J = D + M·Ĝ/C; K on the quotient by the tangent, r = Eset/Iset.
	C := expr.Var("C")
	var J [4][4]expr.Expr
	for k := 0; k < 4; k++ {
		for j := 0; j < 4; j++ {
			mg := expr.Add(expr.Mul(cf.M[k][0], gh[0][j]), expr.Mul(cf.M[k][1], gh[1][j]))
			J[k][j] = expr.Add(cf.D[k][j], expr.Div(mg, C))
		}
	}
	r := expr.Div(expr.Var("Eset"), expr.Var("Iset"))
	k00 := expr.Sub(J[1][1], expr.Mul(r, J[0][1]))
	k01 := expr.Sub(J[1][3], expr.Mul(r, J[0][3]))
	k10 := expr.Sub(J[3][1], expr.Mul(r, J[2][1]))
	k11 := expr.Sub(J[3][3], expr.Mul(r, J[2][3]))
	cf.Tr = expr.Expand(expr.Mul(C, expr.Add(k00, k11)))
	cf.Det = expr.Expand(expr.Mul(expr.Pow(C, expr.Num(2)),
		expr.Sub(expr.Mul(k00, k11), expr.Mul(k01, k10))))
	return cf
}

// repFactor pulls the variables that divide every term of the
// polynomial e out in front, and a minus sign when that leaves fewer
// of them inside: gE·gI·(…).
func repFactor(e expr.Expr) expr.Expr {
	e = expr.Expand(e)
	if _, ok := expr.Const(e); ok {
		return e
	}
	var front []expr.Expr
	for _, v := range expr.Vars(e) {
		n := 0
		for n < 8 && repIsZero(expr.SubstExpr(e, v, expr.Num(0))) {
			e = expr.Expand(expr.Div(e, expr.Var(v)))
			n++
		}
		switch {
		case n == 1:
			front = append(front, expr.Var(v))
		case n > 1:
			front = append(front, expr.Pow(expr.Var(v), expr.Num(float64(n))))
		}
	}
	neg := false
	if ne := expr.Expand(expr.Neg(e)); strings.Count(expr.String(ne), "-") < strings.Count(expr.String(e), "-") {
		e, neg = ne, true
	}
	out := e
	if len(front) > 0 {
		prod := front[0]
		for _, f := range front[1:] {
			prod = expr.Mul(prod, f)
		}
		switch c, ok := expr.Const(e); {
		case ok && c == 1:
			out = prod
		case ok:
			out = expr.Mul(e, prod)
		default:
			out = expr.Mul(prod, e)
		}
	}
	if neg {
		out = expr.Neg(out)
	}
	return out
}

// repGroup writes the polynomial e as v₁·(…) + v₂·(…) + … + rest for
// those of vars in which e is linear and whose coefficient contains no
// variable grouped before it; each part is factored by repFactor.
func repGroup(e expr.Expr, vars []string) expr.Expr {
	e = expr.Expand(e)
	var parts []expr.Expr
	rest := e
	var taken, banned []string
	for _, v := range vars {
		if slices.Contains(banned, v) {
			continue
		}
		c := expr.Expand(expr.Diff(e, v))
		if repIsZero(c) || !repIsZero(expr.Diff(c, v)) {
			continue
		}
		cv := expr.Vars(c)
		if slices.ContainsFunc(taken, func(t string) bool { return slices.Contains(cv, t) }) {
			continue
		}
		taken = append(taken, v)
		banned = append(banned, cv...)
		parts = append(parts, expr.Mul(expr.Var(v), repFactor(c)))
		rest = expr.Expand(expr.Sub(rest, expr.Mul(expr.Var(v), c)))
	}
	if len(parts) == 0 {
		return repFactor(e)
	}
	if !repIsZero(rest) {
		parts = append(parts, repFactor(rest))
	}
	out := parts[0]
	for _, q := range parts[1:] {
		out = expr.Add(out, q)
	}
	return out
}

// repProbe is the point at which the closed forms are checked against
// jacobian.PlasticityAt: the paper's Fig. 2E point, all rates 0.02.
var repProbe = [2]float64{5, 10}

// repCheckClosed evaluates the closed forms at the probe and compares
// them with the numerical K; it returns both traces and determinants.
func repCheckClosed(f *jacobian.Family, cf repClosed, p model.Params) (trK, detK float64, pl *jacobian.Plasticity, err error) {
	rule, err := f.Compile(p, jacobian.UniformRates(0.02))
	if err != nil {
		return 0, 0, nil, err
	}
	w := p.OnPlane(repProbe[0], repProbe[1])
	pl, err = jacobian.PlasticityAt(rule, w, p.Eset, p.Iset)
	if err != nil {
		return 0, 0, nil, err
	}
	env := map[string]float64{
		"WEE": w.WEE, "WEI": w.WEI, "WIE": w.WIE, "WII": w.WII,
		"Eset": p.Eset, "Iset": p.Iset, "gE": p.GE, "gI": p.GI,
		"thetaE": p.ThetaE, "thetaI": p.ThetaI, "tauE": p.TauE, "tauI": p.TauI, "Iext": p.Iext,
	}
	for _, n := range jacobian.RateNames {
		env[n] = 0.02
	}
	for k, v := range f.Consts {
		env[k] = v
	}
	a, bb := p.GE*w.WEE-1, p.GI*w.WII+1
	C := p.GE*p.GI*w.WEI*w.WIE - a*bb
	env["a"], env["b"], env["C"] = a, bb, C
	tr, err := expr.Eval(cf.Tr, env)
	if err != nil {
		return 0, 0, nil, err
	}
	det, err := expr.Eval(cf.Det, env)
	if err != nil {
		return 0, 0, nil, err
	}
	trK = tr / C
	detK = det / C
	if cf.Direct {
		detK = det / (C * C)
	}
	return trK, detK, pl, nil
}

// repClosedTol is the relative agreement required between the closed
// forms and the numerical K at the probe: both are a few dozen flops
// from the same numbers.
const repClosedTol = 1e-9

// ruleSections show each family: its rules, the entries of its
// plasticity Jacobian and the closed-form trace and determinant of K.
func (b *repBuilder) ruleSections() []Section {
	p := b.cfg.Params
	intro := Section{ID: "rules", Title: "Rule families", Level: 1, Blocks: []Block{
		&Paragraph{Text: "Each family is four expressions for dWEE/dt, dWEI/dt, dWIE/dt and dWII/dt over " +
			"the rates E, I, the weights, the model constants and the learning rates aXX (and hXX, the " +
			"homeostatic rates of the two-term family). They are exactly the text paradox parses and " +
			"simulates; the derivatives below are computed from them symbolically, not typed in. In the " +
			"maps and the ratio curve \"aE\" is the rate of both weights onto E (aEE = aEI) and \"aI\" the " +
			"rate of both weights onto I (aIE = aII), as in the paper's αE and αI."},
		&Paragraph{Text: "For each family the table gives the rule and the entries of M = ∂f/∂(E, I) " +
			"and of D = ∂f/∂W at the setpoints, which with G (Eq. 6) make the Jacobian J = D + M·G. The " +
			"closed forms of tr K and det K below follow from them (Cauchy-Binet for det K); where C > 0 " +
			fmt.Sprintf("the plasticity subsystem is stable iff C·tr K < 0 and C·det K > 0. Each closed form was "+
				"checked against the numerically computed K at (WEE, WIE) = (%g, %g) with all rates 0.02.",
				repProbe[0], repProbe[1])},
	}}
	secs := []Section{intro}
	for _, f := range b.fams {
		s := b.ruleSection(f, p)
		if f == b.cfg.Extra {
			// A rule file may reuse a built-in name.
			s.ID, s.Title = "rule-file-"+repSlug(f.Name), s.Title+" (rule file)"
		}
		secs = append(secs, s)
	}
	return secs
}

func (b *repBuilder) ruleSection(f *jacobian.Family, p model.Params) Section {
	s := Section{ID: "rule-" + repSlug(f.Name), Title: "Family " + f.Name, Level: 2}
	if f.Doc != "" {
		s.Blocks = append(s.Blocks, &Paragraph{Text: f.Doc})
	}
	if len(f.Consts) > 0 {
		var cs []string
		for _, k := range repSortedKeys(f.Consts) {
			cs = append(cs, fmt.Sprintf("%s = %s", k, repG(f.Consts[k])))
		}
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Constants of this family: " + strings.Join(cs, ", ") + "."})
	}
	cf := closedForm(f)
	var rows [][]Cell
	for k, e := range f.Exprs {
		var direct []string
		var directML []string
		for j := 0; j < 4; j++ {
			if repIsZero(cf.D[k][j]) {
				continue
			}
			direct = append(direct, fmt.Sprintf("∂/∂%s = %s", model.Names[j], expr.String(cf.D[k][j])))
			directML = append(directML, "<mrow><mfrac><mo>&#x2202;</mo><mrow><mo>&#x2202;</mo>"+
				repMV(model.Names[j])+"</mrow></mfrac><mo>=</mo>"+expr.MathML(cf.D[k][j])+"</mrow>")
		}
		dcell := Cell{Text: "0"}
		if len(direct) > 0 {
			dcell = Cell{Math: &Math{
				MathML: "<mtable><mtr><mtd>" + strings.Join(directML, "</mtd></mtr><mtr><mtd>") + "</mtd></mtr></mtable>",
				Text:   strings.Join(direct, ", "),
			}}
		}
		rows = append(rows, []Cell{
			{Math: &Math{MathML: "<mrow><mi>d</mi>" + repMV(model.Names[k]) + "<mo>/</mo><mi>d</mi><mi>t</mi></mrow>",
				Text: "d" + model.Names[k] + "/dt"}},
			{Math: repExprMath(e)},
			{Math: repExprMath(cf.M[k][0])},
			{Math: repExprMath(cf.M[k][1])},
			dcell,
		})
	}
	s.Blocks = append(s.Blocks, &Table{
		Caption: fmt.Sprintf("Family %s: the four rules and the entries of the plasticity Jacobian at the "+
			"setpoints (E = Eset, I = Iset).", f.Name),
		Header: []Cell{{Text: "weight"}, {Text: "rule f"}, {Text: "∂f/∂E"}, {Text: "∂f/∂I"}, {Text: "∂f/∂W (non-zero)"}},
		Rows:   rows,
	})

	tr := repGroup(cf.Tr, []string{"a", "b", "WEI", "WIE"})
	var det expr.Expr
	detLHS, detLHSText := "<mrow><mi>C</mi><mspace width=\"0.2em\"/><mi>det</mi><mspace width=\"0.2em\"/><mi>K</mi></mrow>", "C·det K"
	if cf.Direct {
		det = repGroup(cf.Det, []string{"C", "a", "b", "WEI", "WIE"})
		detLHS, detLHSText = "<mrow><msup><mi>C</mi><mn>2</mn></msup><mspace width=\"0.2em\"/><mi>det</mi><mspace width=\"0.2em\"/><mi>K</mi></mrow>", "C²·det K"
	} else {
		det = repFactor(cf.Det)
	}
	s.Blocks = append(s.Blocks,
		repLongEq("<mrow><mi>C</mi><mspace width=\"0.2em\"/><mi>tr</mi><mspace width=\"0.2em\"/><mi>K</mi></mrow>", "C·tr K", tr),
		repLongEq(detLHS, detLHSText, det),
	)
	if cf.Direct {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "This family has direct weight terms (D ≠ 0), so K is " +
			"not G·M; the forms above are those of the map J induces on the quotient by the plane's " +
			"tangent, multiplied out, in the symbols a, b and C (C = gE·gI·WEI·WIE − a·b)."})
	}
	if _, err := jacobian.NewPlaneKernel(mustCompile(f, p)); err != nil {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "The setpoint plane is not a plane of fixed points " +
			"of this family, so the reduction above does not apply and it is not mapped: " + err.Error()})
		return s
	}
	trK, detK, pl, err := repCheckClosed(f, cf, p)
	switch {
	case err != nil:
		s.Blocks = append(s.Blocks, &Paragraph{Text: "The closed forms could not be evaluated at the probe point: " + err.Error()})
	case !repClose(trK, pl.Trace) || !repClose(detK, pl.Det):
		s.Blocks = append(s.Blocks, &Paragraph{Emphasis: "Check failed. ", Text: fmt.Sprintf(
			"At the probe point the closed forms give tr K = %.10g, det K = %.10g but the numerical K "+
				"has %.10g and %.10g.", trK, detK, pl.Trace, pl.Det)})
	default:
		verdict := "unstable"
		if pl.Stable {
			verdict = "stable"
		}
		s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf(
			"At (WEE, WIE) = (%g, %g), all rates 0.02: tr K = %s, det K = %s (closed form and numerical K "+
				"agree to %g); eigenvalues %s and %s; the plasticity subsystem is %s there.",
			repProbe[0], repProbe[1], repG(pl.Trace), repG(pl.Det), repClosedTol,
			repComplex(pl.Eigenvalues[0]), repComplex(pl.Eigenvalues[1]), verdict)})
	}
	return s
}

// mustCompile compiles f with rates 0.02; Compile fails only on
// non-finite rates.
func mustCompile(f *jacobian.Family, p model.Params) *jacobian.Rule {
	r, err := f.Compile(p, jacobian.UniformRates(0.02))
	if err != nil {
		panic(err)
	}
	return r
}

func repClose(a, b float64) bool {
	return math.Abs(a-b) <= repClosedTol*math.Max(1e-300, math.Max(math.Abs(a), math.Abs(b)))
}

func repComplex(z complex128) string {
	if imag(z) == 0 {
		return repG(real(z))
	}
	sign := "+"
	if imag(z) < 0 {
		sign = "−"
	}
	return fmt.Sprintf("%.4g %s %.4gi", real(z), sign, math.Abs(imag(z)))
}

// repSlug turns a name into an ID part.
func repSlug(s string) string {
	var w strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			w.WriteRune(r)
		default:
			w.WriteByte('-')
		}
	}
	return strings.Trim(w.String(), "-")
}

// Region maps.

// repMapJob is one region map of the report.
type repMapJob struct {
	id, title, what string
	fam             *jacobian.Family
	rates           jacobian.Rates
	params          model.Params
}

// repRates returns rates aEE = aEI = aE and aIE = aII = aI, for both
// the cross and the homeostatic terms.
func repRates(aE, aI float64) jacobian.Rates {
	r := [4]float64{aE, aE, aI, aI}
	return jacobian.Rates{A: r, H: r}
}

// repBase is the SI's base learning rate; only ratios matter for the
// sign of an eigenvalue (reference analytics §7).
const repBase = 0.02

// repIextParams are the paper's non-paradoxical set: gE = 0.5 and
// Iext = 8 (both change; reference analytics §1).
func repIextParams(p model.Params) model.Params {
	p.GE, p.Iext = 0.5, 8
	return p
}

func (b *repBuilder) mapJobs() []repMapJob {
	p := b.cfg.Params
	q := repIextParams(p)
	fam := func(name string) *jacobian.Family {
		f, err := jacobian.Builtin(name)
		if err != nil {
			panic(err) // the built-in names are fixed
		}
		return f
	}
	jobs := []repMapJob{
		{"map-standard-equal", "standard, aE = aI", "the standard rule with all four rates 0.02 (aE = aI; Fig. 2F)",
			fam("standard"), repRates(repBase, repBase), p},
		{"map-standard-efast", "standard, aE = 10 aI", "the standard rule with aE = 0.02, aI = 0.002 (E-side plasticity 10x faster; cf. Fig. 2G)",
			fam("standard"), repRates(repBase, repBase/10), p},
		{"map-standard-ifast", "standard, aI = 10 aE", "the standard rule with aE = 0.002, aI = 0.02 (I-side plasticity 10x faster; cf. Fig. 2H)",
			fam("standard"), repRates(repBase/10, repBase), p},
		{"map-cross", "cross-homeostatic", "the cross-homeostatic rule with all rates 0.02 (Fig. 4H)",
			fam("cross"), repRates(repBase, repBase), p},
		{"map-twoterm", "two-term", "the two-term rule with cross and homeostatic rates all 0.02 (Eq. 8; Fig. S10, right)",
			fam("twoterm"), repRates(repBase, repBase), p},
		{"map-synscale", "synaptic scaling", "synaptic scaling with all rates 0.02 (Fig. S11, top)",
			fam("synscale"), repRates(repBase, repBase), p},
		{"map-standard-iext", "standard with Iext, aI = 100 aE", "the standard rule with aE = 0.0002, aI = 0.02 in the non-paradoxical set gE = 0.5, Iext = 8 (Fig. 2I)",
			fam("standard"), repRates(repBase/100, repBase), q},
		{"map-cross-iext", "cross with Iext", "the cross-homeostatic rule with all rates 0.02 in the non-paradoxical set gE = 0.5, Iext = 8",
			fam("cross"), repRates(repBase, repBase), q},
	}
	if f := b.cfg.Extra; f != nil {
		jobs = append(jobs, repMapJob{"map-extra-" + repSlug(f.Name), f.Name + " (rule file)",
			"the family " + f.Name + " from the rule file with all rates 0.02", f, repRates(repBase, repBase), p})
	}
	return jobs
}

// repMapResult is a computed map.
type repMapResult struct {
	job repMapJob
	m   *Map
	sum regions.Summary
}

// runMap classifies the grid for one job and locates its borders.
func (b *repBuilder) runMap(job repMapJob, g regions.Grid) (*repMapResult, error) {
	rule, err := job.fam.Compile(job.params, job.rates)
	if err != nil {
		return nil, err
	}
	k, err := jacobian.NewPlaneKernel(rule)
	if err != nil {
		return nil, err
	}
	raster := NewRaster(g)
	opt := regions.Options{Workers: b.cfg.Workers, Progress: func(done, total int) {
		b.progress("map "+job.title, done, total)
	}}
	sum, err := regions.Run(b.ctx, g, k, opt, func(row []regions.Cell) error {
		raster.AddRow(row)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reports: map %s: %w", job.title, err)
	}
	m := &Map{Title: job.title, Grid: g, Raster: raster, Summary: &sum,
		Borders: regions.Borders(g, job.params, k, b.prof.borderSamples)}
	return &repMapResult{job: job, m: m, sum: sum}, nil
}

// repShare is the both-stable fraction of the neural-stable cells.
func repShare(s *regions.Summary) float64 {
	n := s.Counts[regions.Stable] + s.Counts[regions.PlasticityUnstable]
	if n == 0 {
		return math.NaN()
	}
	return float64(s.Counts[regions.Stable]) / float64(n)
}

// mapSections compute and show the region maps.
func (b *repBuilder) mapSections() ([]Section, error) {
	pr := b.prof
	g := regions.Grid{WEE: regions.Axis{Min: 0, Max: 10, N: pr.gridN}, WIE: regions.Axis{Min: 0, Max: 20, N: pr.gridM}}
	jobs := b.mapJobs()
	var results []*repMapResult
	for _, job := range jobs {
		r, err := b.runMap(job, g)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
		b.prov.Set("maps."+strings.TrimPrefix(job.id, "map-"), fmt.Sprintf("rule=%s %s params={%s}",
			job.fam.Name, repRatesString(job.fam, job.rates), repParamsShort(job.params)))
	}

	intro := Section{ID: "maps", Title: "Region maps", Level: 1}
	intro.Blocks = append(intro.Blocks, &Paragraph{Text: fmt.Sprintf(
		"Each map classifies the points of the setpoint plane, WEE ∈ [0, 10] by WIE ∈ [0, 20] on a "+
			"%d x %d grid (WEI and WII from Eqs. 4-5), into four classes: no isolated fixed point "+
			"(C = 0), neural subsystem unstable, neural stable but plasticity unstable, and both stable. "+
			"The class colours are the same in every map and survive greyscale printing and colour-blind "+
			"readers. Lines are the borders, located by bisection to 1e-9 on %d scan lines each way: "+
			"the neural determinant (C = 0, solid green) and trace (dashed green) conditions, the "+
			"paradoxical border gE·WEE = 1 (pink), where WEI or WII vanish (dotted), and the plasticity "+
			"border (thick black). The legend gives each class's share of the plotted box.",
		pr.gridN, pr.gridM, pr.borderSamples)})

	var tableRows [][]Cell
	for _, r := range results {
		tableRows = append(tableRows, []Cell{
			{Text: r.job.title},
			{Text: repPct(r.sum.Fraction(regions.NoFixedPoint))},
			{Text: repPct(r.sum.Fraction(regions.NeuralUnstable))},
			{Text: repPct(r.sum.Fraction(regions.PlasticityUnstable))},
			{Text: repPct(r.sum.Fraction(regions.Stable))},
			{Text: repPct(repShare(&r.sum))},
		})
	}
	header := []Cell{{Text: "map"}}
	for c := regions.Class(0); c < regions.NumClasses; c++ {
		header = append(header, Cell{Text: c.Label(), Swatch: ClassColors[c]})
	}
	header = append(header, Cell{Text: "both stable / neural stable"})

	secs := []Section{intro}
	for _, r := range results {
		r := r
		s := Section{ID: r.job.id, Title: "Map: " + r.job.title, Level: 2}
		p := r.job.params
		caption := fmt.Sprintf("Region map of %s. Constants: %s. Both stable on %s of the box and on %s "+
			"of the neural-stable region; %s of the box is paradoxical (gE·WEE > 1).",
			r.job.what, repParamsShort(p), repPct(r.sum.Fraction(regions.Stable)),
			repPct(repShare(&r.sum)), repPct(float64(r.sum.Paradoxical)/float64(r.sum.Total)))
		s.Blocks = append(s.Blocks, &Figure{
			Caption: caption, Width: repMapW, Height: repMapH,
			Draw: func(dc draw.Canvas) error { return repDrawMap(dc, r.m) },
		})
		b.noteMap(r)
		secs = append(secs, s)
	}
	tbl := Section{ID: "map-fractions", Title: "Class fractions of all maps", Level: 2, Blocks: []Block{
		&Table{Caption: "Share of each class in the plotted box, and the both-stable share of the " +
			"neural-stable region (the last column; independent of the box wherever the region fits in it).",
			Header: header, Rows: tableRows},
	}}
	secs = append(secs, tbl)
	return secs, nil
}

// noteMap adds a map's headline to the summary.
func (b *repBuilder) noteMap(r *repMapResult) {
	switch r.job.id {
	case "map-standard-equal", "map-cross", "map-standard-iext":
		b.brief = append(b.brief, fmt.Sprintf("Map \"%s\": %s of the neural-stable region is also "+
			"plasticity-stable (%s of the plotted box).", r.job.title, repPct(repShare(&r.sum)),
			repPct(r.sum.Fraction(regions.Stable))))
	}
}

// Sizes of the report's figures. The PDF's text block is 6.7 in wide.
const (
	repMapW = 6.6 * vg.Inch
	repMapH = 3.9 * vg.Inch
)

// repDrawMap draws a map with its legend to the right of the data, as
// Map.WriteTo does, onto dc.
func repDrawMap(dc draw.Canvas, m *Map) error {
	p, err := m.Plot()
	if err != nil {
		return err
	}
	repCompact(p, 10)
	p.Title.Text = ""
	w := dc.Max.X - dc.Min.X
	legendW := w * 0.38
	p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	lg := m.legend()
	lg.TextStyle.Font.Size = vg.Points(8.5)
	lg.Padding = vg.Points(3)
	lg.Draw(draw.Crop(dc, w-legendW+vg.Points(6), 0, 0, -vg.Points(8)))
	return nil
}

// repCompact sets the plot's text to size points (titles one larger,
// ticks two smaller), for panels narrower than gonum's defaults expect.
func repCompact(p *plot.Plot, size float64) {
	p.Title.TextStyle.Font.Size = vg.Points(size + 1)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(size)
		ax.Tick.Label.Font.Size = vg.Points(size - 2)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(size - 1.5)
	p.Legend.Padding = vg.Points(0.2 * size)
}

// repHeadroom raises the top of the y axis by frac of its range, so that
// a legend in the top corner of a small panel clears the data; the Sim
// figure functions leave room for their legends at gonum's default font
// sizes and panel heights, and the report's panels are smaller.
func repHeadroom(p *plot.Plot, frac float64) {
	if p.Y.Max > p.Y.Min {
		p.Y.Max += frac * (p.Y.Max - p.Y.Min)
	}
}

// repNoLegend removes a panel's legend; its caption says what the marks
// are. Used where the data fill the panel and no corner is free.
func repNoLegend(p *plot.Plot) {
	top, left := p.Legend.Top, p.Legend.Left
	p.Legend = plot.NewLegend()
	p.Legend.Top, p.Legend.Left = top, left
}

// repRatesString formats rates like the command line's provenance.
func repRatesString(f *jacobian.Family, r jacobian.Rates) string {
	s := fmt.Sprintf("aEE=%g aEI=%g aIE=%g aII=%g", r.A[0], r.A[1], r.A[2], r.A[3])
	if f.UsesH() {
		s += fmt.Sprintf(" hEE=%g hEI=%g hIE=%g hII=%g", r.H[0], r.H[1], r.H[2], r.H[3])
	}
	return s
}

// The ratio curve: the both-stable share of the neural-stable region
// against log10(aE/aI).

// repRatioRange is the range of log10(aE/aI).
var repRatioRange = [2]float64{-3, 3}

// repRatioCurve is one family's curve.
type repRatioCurve struct {
	fam   *jacobian.Family
	label string    // the family's name, marked if from a rule file
	x, y  []float64 // log10(aE/aI) and the share (NaN if no neural-stable cell)
	thr   float64   // log10 of the threshold ratio, NaN if none
	thrOK bool      // the share is 1 from thr to the end of the range
	err   error     // the family cannot be mapped
}

// share returns the both-stable share of the neural-stable cells of g
// for family f at log10(aE/aI) = x, with the geometric mean of the
// rates fixed at repBase.
func (b *repBuilder) share(f *jacobian.Family, g regions.Grid, x float64) (float64, error) {
	aE, aI := repBase*math.Pow(10, x/2), repBase*math.Pow(10, -x/2)
	rule, err := f.Compile(b.cfg.Params, repRates(aE, aI))
	if err != nil {
		return 0, err
	}
	k, err := jacobian.NewPlaneKernel(rule)
	if err != nil {
		return 0, err
	}
	sum, err := regions.Run(b.ctx, g, k, regions.Options{Workers: b.cfg.Workers}, func([]regions.Cell) error { return nil })
	if err != nil {
		return 0, err
	}
	return repShare(&sum), nil
}

// repThresholdTol is the width in log10(aE/aI) to which the threshold is
// bisected.
const repThresholdTol = 1e-4

// ratioCurve computes one family's curve and its threshold: the least
// ratio from which on every neural-stable grid point is also
// plasticity-stable.
func (b *repBuilder) ratioCurve(f *jacobian.Family, g regions.Grid, n int, tick func()) repRatioCurve {
	c := repRatioCurve{fam: f, label: f.Name, thr: math.NaN()}
	if f == b.cfg.Extra {
		c.label += " (rule file)"
	}
	ax := regions.Axis{Min: repRatioRange[0], Max: repRatioRange[1], N: n}
	for i := 0; i < n; i++ {
		x := ax.At(i)
		y, err := b.share(f, g, x)
		if err != nil {
			c.err = err
			return c
		}
		c.x, c.y = append(c.x, x), append(c.y, y)
		tick()
	}
	// The last grid point where the share is below 1, and bisection
	// between it and the next.
	last := -1
	for i, y := range c.y {
		if !(y >= 1) {
			last = i
		}
	}
	switch {
	case last == n-1:
		return c // never 1 at the top of the range
	case last == -1:
		c.thr, c.thrOK = math.Inf(-1), true // 1 over the whole range
		return c
	}
	lo, hi := c.x[last], c.x[last+1]
	for hi-lo > repThresholdTol {
		mid := lo + (hi-lo)/2
		y, err := b.share(f, g, mid)
		if err != nil {
			c.err = err
			return c
		}
		if y >= 1 {
			hi = mid
		} else {
			lo = mid
		}
	}
	c.thr, c.thrOK = hi, true
	return c
}

// ratioSections compute and draw the curve.
func (b *repBuilder) ratioSections() ([]Section, error) {
	pr := b.prof
	p := b.cfg.Params
	g := regions.Grid{WEE: regions.Axis{Min: 0, Max: 10, N: pr.ratioGridN}, WIE: regions.Axis{Min: 0, Max: 20, N: 2*pr.ratioGridN - 1}}
	var curves []repRatioCurve
	done, total := 0, len(b.fams)*pr.ratioN
	for _, f := range b.fams {
		c := b.ratioCurve(f, g, pr.ratioN, func() {
			done++
			b.progress("ratio curve", done, total)
		})
		if err := b.ctx.Err(); err != nil {
			return nil, err
		}
		curves = append(curves, c)
	}
	// The analytic threshold of the standard rule (reference analytics
	// §5.1 (ii)): gE·SE/(gI·SI) ≥ τE/τI, with SE/SI = aE/aI here.
	analytic := p.GI * p.TauE / (p.GE * p.TauI)

	s := Section{ID: "ratio", Title: "A curve the paper does not have: stability against the rate ratio", Level: 1}
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf(
		"The paper shows region maps at three rate ratios. The curve below scans the ratio: for each family, "+
			"the share of the neural-stable region (the points of a %d x %d grid over WEE ∈ [0, 10], "+
			"WIE ∈ [0, 20] where the neural subsystem is stable) on which the plasticity subsystem is stable "+
			"too, against log10(aE/aI), with aE the rate of both weights onto E and aI that of both weights "+
			"onto I (for the two-term family the same ratio applies to both terms; for forced balance aE is "+
			"α1 and aI is α3). The geometric mean of aE and aI is held at 0.02; only the ratio matters. "+
			"The threshold is the least ratio from which on every neural-stable grid point is stable, "+
			"bisected to %g in log10.", pr.ratioGridN, 2*pr.ratioGridN-1, repThresholdTol)})
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf(
		"For the standard rule the threshold is known in closed form (reference analytics §5.1 (ii)): "+
			"the plasticity condition is the neural trace condition with τE/τI replaced by gE·SE/(gI·SI), so "+
			"aE/aI ≥ gI·τE/(gE·τI) = %s makes every neural-stable point plasticity-stable. The grid "+
			"threshold can only be lower, since the grid may miss the last unstable sliver near the tip of the "+
			"neural-stable wedge.", repG(analytic))})

	var rows [][]Cell
	for i, c := range curves {
		thr := "none in range"
		switch {
		case c.err != nil:
			thr = "not mapped: " + c.err.Error()
		case c.thrOK && math.IsInf(c.thr, -1):
			thr = fmt.Sprintf("stable at every ratio from %g to %g", math.Pow(10, repRatioRange[0]), math.Pow(10, repRatioRange[1]))
		case c.thrOK:
			thr = fmt.Sprintf("aE/aI ≥ %s (log10 = %.4f)", repG(math.Pow(10, c.thr)), c.thr)
		}
		at1 := math.NaN()
		if c.err == nil {
			if y, err := b.share(c.fam, g, 0); err == nil {
				at1 = y
			}
		}
		lo, hi := repMinMax(c.y)
		rows = append(rows, []Cell{
			{Text: c.label, Swatch: repSeriesColors[i%len(repSeriesColors)]},
			{Text: repPct(at1)}, {Text: repPct(lo) + " – " + repPct(hi)}, {Text: thr},
		})
		if c.fam.Name == "standard" && c.fam != b.cfg.Extra && c.thrOK && !math.IsInf(c.thr, -1) {
			b.brief = append(b.brief, fmt.Sprintf("The standard rule is stable on the whole neural-stable "+
				"region (grid) from aE/aI = %s on; the closed form gives gI·τE/(gE·τI) = %s. Below the "+
				"threshold the stable share falls to %s at aE/aI = %g.",
				repG(math.Pow(10, c.thr)), repG(analytic), repPct(lo), math.Pow(10, repRatioRange[0])))
		}
	}
	s.Blocks = append(s.Blocks,
		&Figure{Caption: fmt.Sprintf("Both-stable share of the neural-stable region against log10(aE/aI), "+
			"%d ratios from 10^%g to 10^%g, for every family (constants of Table 1). The dotted vertical "+
			"line is the standard rule's analytic threshold aE/aI = %s; short vertical bars on the top "+
			"axis mark each family's grid threshold where one exists. Markers every 10th point "+
			"tell overlapping curves apart.", pr.ratioN, repRatioRange[0], repRatioRange[1], repG(analytic)),
			Width: repMapW, Height: 3.6 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawRatio(dc, curves, analytic) }},
		&Table{Caption: "The ratio curve in numbers: the share at equal rates, its range over the scan, " +
			"and the threshold ratio.",
			Header: []Cell{{Text: "family"}, {Text: "share at aE = aI"}, {Text: "range of the share"}, {Text: "threshold"}},
			Rows:   rows},
	)
	return []Section{s}, nil
}

func repMinMax(ys []float64) (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, y := range ys {
		if math.IsNaN(y) {
			continue
		}
		if math.IsNaN(lo) || y < lo {
			lo = y
		}
		if math.IsNaN(hi) || y > hi {
			hi = y
		}
	}
	return lo, hi
}

// repSeriesColors and repSeriesDashes tell curves apart in colour
// (Okabe & Ito, without the class colours' blue and orange first) and
// in greyscale.
var (
	repSeriesColors = []color.RGBA{
		{0x00, 0x00, 0x00, 0xff}, {0xd5, 0x5e, 0x00, 0xff}, {0x00, 0x9e, 0x73, 0xff},
		{0xcc, 0x79, 0xa7, 0xff}, {0x56, 0xb4, 0xe9, 0xff}, {0xe6, 0x9f, 0x00, 0xff},
		{0x00, 0x72, 0xb2, 0xff},
	}
	repSeriesDashes = [][]vg.Length{
		nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)},
		{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}, {vg.Points(3), vg.Points(5)},
		{vg.Points(10), vg.Points(4)}, {vg.Points(1), vg.Points(4)},
	}
	repSeriesGlyphs = []draw.GlyphDrawer{
		draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
		draw.PlusGlyph{}, draw.RingGlyph{}, draw.PyramidGlyph{},
	}
)

// repDrawRatio draws the ratio curves with the legend to the right.
func repDrawRatio(dc draw.Canvas, curves []repRatioCurve, analytic float64) error {
	p := plot.New()
	repCompact(p, 10)
	p.X.Label.Text = "log10(aE/aI)   (aE: rates onto E, aI: rates onto I)"
	p.Y.Label.Text = "both stable / neural stable (%)"
	p.X.Min, p.X.Max = repRatioRange[0], repRatioRange[1]
	p.Y.Min, p.Y.Max = 0, 105
	lg := plot.NewLegend()
	lg.TextStyle.Font.Size = vg.Points(8.5)
	lg.Padding = vg.Points(3)
	lg.Top, lg.Left = true, true
	for i, c := range curves {
		if c.err != nil {
			continue
		}
		col := repSeriesColors[i%len(repSeriesColors)]
		var xy, marks plotter.XYs
		for k := range c.x {
			if math.IsNaN(c.y[k]) {
				continue
			}
			pt := plotter.XY{X: c.x[k], Y: 100 * c.y[k]}
			xy = append(xy, pt)
			if k%10 == i%10 || k == len(c.x)-1 && len(c.x) < 10 {
				marks = append(marks, pt)
			}
		}
		if len(xy) < 2 {
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color, l.Width, l.Dashes = col, vg.Points(1.4), repSeriesDashes[i%len(repSeriesDashes)]
		p.Add(l)
		var sc *plotter.Scatter
		if len(marks) > 0 {
			if sc, err = plotter.NewScatter(marks); err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: repSeriesGlyphs[i%len(repSeriesGlyphs)]}
			p.Add(sc)
		}
		if sc != nil {
			lg.Add(c.label, l, sc)
		} else {
			lg.Add(c.label, l)
		}
		if c.thrOK && !math.IsInf(c.thr, -1) {
			tick, err := plotter.NewLine(plotter.XYs{{X: c.thr, Y: 100}, {X: c.thr, Y: 105}})
			if err != nil {
				return err
			}
			tick.Color, tick.Width = col, vg.Points(2.5)
			p.Add(tick)
		}
	}
	if x := math.Log10(analytic); x > repRatioRange[0] && x < repRatioRange[1] {
		v, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 105}})
		if err != nil {
			return err
		}
		v.Color, v.Width, v.Dashes = color.Gray{0x55}, vg.Points(1), []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(v)
		lg.Add(fmt.Sprintf("analytic threshold, standard: aE/aI = %s", repG(analytic)), v)
	}
	p.Y.Tick.Marker = plot.ConstantTicks(repTicks(0, 100, 20))
	w := dc.Max.X - dc.Min.X
	legendW := w * 0.34
	p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	lg.Draw(draw.Crop(dc, w-legendW+vg.Points(8), 0, 0, -vg.Points(8)))
	return nil
}

// repTicks returns labelled ticks from lo to hi in steps of step.
func repTicks(lo, hi, step float64) []plot.Tick {
	var ts []plot.Tick
	for v := lo; v <= hi+step/1e6; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: repG(v)})
	}
	return ts
}

// Simulations.

// Learning rates of the paper's simulations (Figs. 2B-E and 4B-G).
const (
	repRateStandard = 1e-4
	repRateCross    = 5e-4
)

// repSim carries what the simulation sections share.
type repSim struct {
	b    *repBuilder
	p    model.Params
	seed uint64
}

// rule compiles a built-in family with all four rates r for params q.
func (s *repSim) rule(name string, r float64, q model.Params) (*jacobian.Rule, error) {
	f, err := jacobian.Builtin(name)
	if err != nil {
		return nil, err
	}
	return f.Compile(q, jacobian.UniformRates(r))
}

// protocol describes the trial protocol of c in words.
func repProtocol(c sim.Config) string {
	return fmt.Sprintf("Each trial lasts %s ms from E = I = 0; a pulse of %s into E for %s ms at %s ms ignites "+
		"activity; Ornstein-Uhlenbeck noise with σ = %s (τ = %s ms) enters both populations; the rates "+
		"averaged over the last %s ms are filtered across trials (τ = %s trials, floor %s Hz) and drive one "+
		"weight update per trial (weights floored at %s); dt = %s ms",
		repG(c.TrialMs), repG(c.PulseAmp), repG(c.PulseMs), repG(c.PulseOnsetMs), repG(c.Sigma), repG(c.TauOU),
		repG(c.WindowMs), repG(c.TrialTau), repG(c.RateFloor), repG(c.WeightFloor), repG(c.Dt))
}

func repW(w model.Weights) string {
	return fmt.Sprintf("(WEE, WEI, WIE, WII) = (%s, %s, %s, %s)", repG(w.WEE), repG(w.WEI), repG(w.WIE), repG(w.WII))
}

// simSections run the paper's simulations and draw them.
func (b *repBuilder) simSections() ([]Section, error) {
	s := &repSim{b: b, p: b.cfg.Params, seed: b.cfg.Seed}
	intro := Section{ID: "simulations", Title: "Simulations", Level: 1, Blocks: []Block{
		&Paragraph{Text: fmt.Sprintf("The two-population model integrated in time (forward Euler, in the "+
			"order of the authors' MATLAB code) with the constants of Table 1, every run seeded with %d. "+
			"Trial-based development follows the paper's Figs. 2 and 4, the step experiment its Figs. 1 and 3, "+
			"the multiunit network its Figs. 5 and 6, and the spiking network, from a saved training run, its Fig. 7.",
			s.seed)},
	}}
	secs := []Section{intro}
	for _, f := range []func() (Section, error){s.stepSection, s.fig2Section, s.fig2ESection, s.fig4Section,
		s.ensembleSection, s.multiunitSection, s.spikingSection} {
		sec, err := f()
		if err != nil {
			return nil, err
		}
		secs = append(secs, sec)
	}
	return secs, nil
}

// stepSection is the paradoxical effect on fixed weights (Figs. 1B-C,
// 3B-C).
func (s *repSim) stepSection() (Section, error) {
	type stepRun struct {
		title, what string
		apply       func(c *sim.StepConfig)
	}
	runs := []stepRun{
		{"Fig. 1B: +7 into I", "a current of 7 added to the I input",
			func(c *sim.StepConfig) {}},
		{"Figs. 1C, 3B: WIE 10 → 12", "WIE raised from 10 to 12",
			func(c *sim.StepConfig) { c.StepI, c.StepWeight, c.StepWeightTo = 0, "WIE", 12 }},
		{"Fig. 3C: WIE 10 → 8", "WIE lowered from 10 to 8",
			func(c *sim.StepConfig) { c.StepI, c.StepWeight, c.StepWeightTo = 0, "WIE", 8 }},
	}
	var plots []*plot.Plot
	var lines []string
	var base sim.StepConfig
	for i, r := range runs {
		c := sim.DefaultStepConfig()
		c.Params = s.p
		c.TraceEvery = 10
		r.apply(&c)
		if i == 0 {
			base = c
		}
		s.b.prov.Set(fmt.Sprintf("sim.step%d", i+1), fmt.Sprintf("%+v", c))
		res, err := sim.Step(c, s.seed)
		if err != nil {
			return Section{}, fmt.Errorf("reports: step experiment %q: %w", r.title, err)
		}
		pl, err := SimStepPlot(&res, c.StepMs, r.title)
		if err != nil {
			return Section{}, err
		}
		repCompact(pl, 9)
		repHeadroom(pl, 0.1)
		plots = append(plots, pl)
		dir := "rose"
		if res.ILowered() {
			dir = "fell"
		}
		lines = append(lines, fmt.Sprintf("%s: I %s from %.2f to %.2f Hz and E went from %.2f to %.2f Hz.",
			strings.SplitN(r.title, ":", 2)[1][1:], dir, res.IBefore, res.IDuring, res.EBefore, res.EDuring))
		if i == 0 {
			s.b.brief = append(s.b.brief, fmt.Sprintf("Paradoxical effect (Fig. 1B): 7 more units of input "+
				"into I moved the I rate from %.2f to %.2f Hz at weights %s.", res.IBefore, res.IDuring, repW(c.W)))
		}
	}
	sec := Section{ID: "sim-step", Title: "The paradoxical effect (Figs. 1B-C, 3)", Level: 2}
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("Fixed weights %s (Fig. 1B; gE·WEE = %s > 1, so the network is "+
			"inhibition-stabilized). A pulse of %s into E at %s ms ignites the Up state; from %s ms on, for "+
			"%s ms, one of three changes is held. The rates are averaged over the %s ms before the change "+
			"and the last %s ms of it:", repW(base.W), repG(s.p.GE*base.W.WEE), repG(base.PulseAmp),
			repG(base.KickOnsetMs), repG(base.StepOnsetMs), repG(base.StepMs), repG(base.AverageMs), repG(base.AverageMs))},
		&List{Items: lines},
		&Figure{Caption: fmt.Sprintf("The paradoxical effect: E (green) and I (vermillion) rates around a "+
			"step held for %s ms (grey), without noise (σ = 0). Left: %s. Middle: %s; the homeostatic "+
			"intuition says I should rise, and it falls. Right: %s; I rises. Weights otherwise %s; constants "+
			"of Table 1.", repG(base.StepMs), runs[0].what, runs[1].what, runs[2].what, repW(base.W)),
			Width: repMapW, Height: 2.3 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{plots}) }},
	)
	return sec, nil
}

// repTraceTrials spreads four traced trials over n trials: the paper's
// 1, 200, 600, 1000 for n = 1000.
func repTraceTrials(n int, paper []int, full int) []int {
	if n == full {
		return paper
	}
	out := make([]int, 0, len(paper))
	for _, t := range paper {
		v := max(1, t*n/full)
		if len(out) == 0 || v > out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// development runs one trial-based development and draws its traces,
// rates and weights.
func (s *repSim) development(key, rule string, rate float64, w0 model.Weights, trials int, traced []int) (*sim.Result, []*plot.Plot, *plot.Plot, *plot.Plot, error) {
	c := sim.DefaultConfig()
	c.Params = s.p
	c.Trials = trials
	c.TraceTrials = traced
	c.TraceEvery = s.b.prof.traceEvery
	r, err := s.rule(rule, rate, s.p)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	s.b.prov.Set("sim."+key, fmt.Sprintf("rule=%s rate=%g W0={%s} seed=%d config=%+v", rule, rate, w0, s.seed, c))
	res, err := sim.Run(s.b.ctx, c, r, w0, s.seed, func(done, total int) { s.b.progress("simulation "+key, done, total) })
	var oe *sim.OverflowError
	if err != nil && !errors.As(err, &oe) {
		return nil, nil, nil, nil, fmt.Errorf("reports: simulation %s: %w", key, err)
	}
	var traces []*plot.Plot
	for k := range res.Traces {
		tp, err := SimTracePlot(&res.Traces[k], s.p.Eset, s.p.Iset, "")
		if err != nil {
			return nil, nil, nil, nil, err
		}
		repCompact(tp, 9)
		repHeadroom(tp, 0.1)
		traces = append(traces, tp)
	}
	rp, err := SimRatesPlot(res.Trials, s.p.Eset, s.p.Iset)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	wp, err := SimWeightsPlot(res.Trials, w0)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	repCompact(rp, 9)
	repCompact(wp, 9)
	repHeadroom(rp, 0.1)
	repHeadroom(wp, 0.3)
	return &res, traces, rp, wp, nil
}

// repFinal describes the end of a development run.
func repFinal(res *sim.Result, p model.Params) string {
	f := res.Final()
	return fmt.Sprintf("after %d trials E = %.2f Hz and I = %.2f Hz (setpoints %s and %s Hz), weights %s",
		f.Trial, f.E, f.I, repG(p.Eset), repG(p.Iset), repW(f.W))
}

// fig2Section is the standard rule's development (Figs. 2B-C).
func (s *repSim) fig2Section() (Section, error) {
	n := s.b.prof.trials2
	traced := repTraceTrials(n, []int{1, 200, 600, 1000}, 1000)
	res, traces, rp, wp, err := s.development("fig2bc", "standard", repRateStandard, sim.Fig4BCode, n, traced)
	if err != nil {
		return Section{}, err
	}
	c := sim.DefaultConfig()
	sec := Section{ID: "sim-fig2", Title: "Standard rule from a silent start (Figs. 2B-C)", Level: 2}
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("The standard rule with all rates %g, from %s (the authors' code; the "+
			"legend of Fig. 2B says WII = 2), %d trials. Result: %s.", repRateStandard, repW(sim.Fig4BCode), n, repFinal(res, s.p))},
		&Figure{Caption: fmt.Sprintf("Standard rule, single trials (Fig. 2B): E (green) and I (vermillion) "+
			"against time from the pulse, at trials %s; dashed: the setpoints. %s. Rates %g, start %s, seed %d.",
			repInts(traced), repProtocol(c), repRateStandard, repW(sim.Fig4BCode), s.seed),
			Width: repMapW, Height: 2.1 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{traces}) }},
		&Figure{Caption: fmt.Sprintf("Standard rule across trials (Fig. 2C): left, the trial-filtered E and "+
			"I rates that drive the rule, with the setpoints dashed; right, the four weights. Same run as the "+
			"previous figure (rates %g, seed %d).", repRateStandard, s.seed),
			Width: repMapW, Height: 2.5 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{{rp, wp}}) }},
	)
	s.b.brief = append(s.b.brief, "Standard rule from a silent start (Fig. 2B-C): "+repFinal(res, s.p)+".")
	return sec, nil
}

// fig2ESection is the standard rule started on the setpoint plane
// (Fig. 2E).
func (s *repSim) fig2ESection() (Section, error) {
	n := s.b.prof.trials2E
	traced := []int{1, n}
	res, traces, rp, wp, err := s.development("fig2e", "standard", repRateStandard, sim.Fig2E, n, traced)
	if err != nil {
		return Section{}, err
	}
	sec := Section{ID: "sim-fig2e", Title: "Standard rule started at the setpoints (Fig. 2E)", Level: 2}
	row := append(append([]*plot.Plot{}, traces...), rp, wp)
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("The standard rule (rates %g) from %s, the setpoint-plane point "+
			"(WEE, WIE) = (5, 10) rounded to two decimals, where the neural subsystem is stable and the "+
			"plasticity subsystem is not (Section 4). Result: %s.", repRateStandard, repW(sim.Fig2E), repFinal(res, s.p))},
		&Figure{Caption: fmt.Sprintf("Standard rule started at the setpoints (Fig. 2E): single trials %s, the "+
			"trial-filtered rates across all %d trials (setpoints dashed) and the four weights. Rates %g, seed %d; "+
			"protocol as in Fig. 2B.", repInts(traced), n, repRateStandard, s.seed),
			Width: repMapW, Height: 2.3 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{row}) }},
	)
	return sec, nil
}

// fig4Section is the cross-homeostatic development (Figs. 4B-C).
func (s *repSim) fig4Section() (Section, error) {
	n := s.b.prof.trials4
	traced := repTraceTrials(n, []int{1, 20, 100, 500}, 500)
	res, traces, rp, wp, err := s.development("fig4bc", "cross", repRateCross, sim.Fig4BCode, n, traced)
	if err != nil {
		return Section{}, err
	}
	sec := Section{ID: "sim-fig4", Title: "Cross-homeostatic rule from a silent start (Figs. 4B-C)", Level: 2}
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("The cross-homeostatic rule with all rates %g from the same silent "+
			"start %s, %d trials. Result: %s.", repRateCross, repW(sim.Fig4BCode), n, repFinal(res, s.p))},
		&Figure{Caption: fmt.Sprintf("Cross-homeostatic rule, single trials (Fig. 4B) at trials %s; dashed: "+
			"the setpoints. Rates %g, start %s, seed %d; protocol as in Fig. 2B.",
			repInts(traced), repRateCross, repW(sim.Fig4BCode), s.seed),
			Width: repMapW, Height: 2.1 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{traces}) }},
		&Figure{Caption: fmt.Sprintf("Cross-homeostatic rule across trials (Fig. 4C): trial-filtered rates "+
			"with the setpoints dashed (left) and the four weights (right). Same run (rates %g, seed %d).",
			repRateCross, s.seed),
			Width: repMapW, Height: 2.5 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{{rp, wp}}) }},
	)
	s.b.brief = append(s.b.brief, "Cross-homeostatic rule from the same start (Fig. 4B-C): "+repFinal(res, s.p)+".")
	return sec, nil
}

// ensemble runs one ensemble.
func (s *repSim) ensemble(key, rule string, rate float64, q model.Params, kind sim.InitKind, keepEvery int, tick func(int)) (*sim.EnsembleResult, error) {
	ec := sim.DefaultEnsembleConfig()
	ec.Params = q
	ec.Runs, ec.Trials = s.b.prof.ensRuns, s.b.prof.ensTrials
	ec.Workers = s.b.cfg.Workers
	ec.Init = sim.DefaultInit(kind)
	ec.KeepEvery = keepEvery
	r, err := s.rule(rule, rate, q)
	if err != nil {
		return nil, err
	}
	s.b.prov.Set("sim."+key, fmt.Sprintf("rule=%s rate=%g seed=%d config=%+v", rule, rate, s.seed, ec))
	res, err := sim.Ensemble(s.b.ctx, ec, r, s.seed, func(done, _ int) { tick(done) })
	if err != nil {
		return nil, fmt.Errorf("reports: ensemble %s: %w", key, err)
	}
	return &res, nil
}

// repStats formats mean ± SEM.
func repStats(st sim.Stats) string {
	if st.N == 0 {
		return "no run finished"
	}
	return fmt.Sprintf("%.2f ± %.2f Hz", st.Mean, st.SEM)
}

// repEnsGroup is one cross-homeostatic ensemble of Figs. 4D-G: a setpoint
// pair and its result.
type repEnsGroup struct {
	key, label string
	q          model.Params
	res        *sim.EnsembleResult
}

// runEnsembles runs the standard ensemble of Fig. 2D and the three
// cross-homeostatic ensembles of Figs. 4D-G (setpoints (Eset, Iset),
// (Eset, 2 Iset) and (2 Eset, Iset): the paper's 5/14, 5/28, 10/14 Hz).
func (s *repSim) runEnsembles() (*sim.EnsembleResult, []repEnsGroup, error) {
	pr := s.b.prof
	groups := []repEnsGroup{{key: "fig4de", q: s.p}, {key: "fig4fg-2", q: s.p}, {key: "fig4fg-3", q: s.p}}
	groups[1].q.Iset *= 2
	groups[2].q.Eset *= 2
	per := pr.ensRuns * pr.ensTrials
	total := per * (1 + len(groups))
	keep := max(1, pr.ensTrials/100)
	std, err := s.ensemble("fig2d", "standard", repRateStandard, s.p, sim.InitBroad, keep,
		func(d int) { s.b.progress("ensembles", d, total) })
	if err != nil {
		return nil, nil, err
	}
	for i := range groups {
		g := &groups[i]
		g.label = fmt.Sprintf("%s / %s Hz", repG(g.q.Eset), repG(g.q.Iset))
		k := keep // trajectories only for the first pair (Fig. 4D)
		if i > 0 {
			k = 0
		}
		base := per * (i + 1)
		if g.res, err = s.ensemble(g.key, "cross", repRateCross, g.q, sim.InitPlane, k,
			func(d int) { s.b.progress("ensembles", base+d, total) }); err != nil {
			return nil, nil, err
		}
	}
	return std, groups, nil
}

// repEnsemblePlots are the panels of the ensemble figures.
type repEnsemblePlots struct {
	std, traj, cross []*plot.Plot
}

// ensemblePlots draws Fig. 2D (final rates and trajectories of the
// standard ensemble), Fig. 4D (trajectories of the first cross
// ensemble) and Figs. 4E-G (final rates and weights of all three).
func (s *repSim) ensemblePlots(std *sim.EnsembleResult, groups []repEnsGroup) (*repEnsemblePlots, error) {
	var out repEnsemblePlots
	var err error
	add := func(dst *[]*plot.Plot, p *plot.Plot, e error) {
		if e != nil && err == nil {
			err = e
		}
		*dst = append(*dst, p)
	}
	se, si := std.FinalRates()
	p, e := SimFinalRatesPlot([]SimRateGroup{{Label: fmt.Sprintf("%s / %s Hz", repG(s.p.Eset), repG(s.p.Iset)),
		E: se, I: si, Eset: s.p.Eset, Iset: s.p.Iset}})
	add(&out.std, p, e)
	for _, pair := range []SimPair{SimPairE, SimPairI} {
		p, e := SimTrajectoriesPlot(std, s.p, pair)
		add(&out.std, p, e)
		p, e = SimTrajectoriesPlot(groups[0].res, s.p, pair)
		add(&out.traj, p, e)
	}
	var rg []SimRateGroup
	var ws []SimWeightSet
	for _, g := range groups {
		e, in := g.res.FinalRates()
		rg = append(rg, SimRateGroup{Label: g.label, E: e, I: in, Eset: g.q.Eset, Iset: g.q.Iset})
		set := SimWeightSet{Label: g.label, Params: g.q}
		for _, r := range g.res.Runs {
			if r.Err == nil {
				set.Final = append(set.Final, r.Final.W)
			}
		}
		ws = append(ws, set)
	}
	p, e = SimFinalRatesPlot(rg)
	add(&out.cross, p, e)
	for _, pair := range []SimPair{SimPairE, SimPairI} {
		p, e := SimFinalWeightsPlot(ws, pair)
		add(&out.cross, p, e)
	}
	if err != nil {
		return nil, err
	}

	// Small panels: smaller text, room for the legends, and no legend
	// where the trajectories fill the panel (the captions say what the
	// marks are).
	for _, ps := range [][]*plot.Plot{out.std, out.traj, out.cross} {
		for _, p := range ps {
			repCompact(p, 9)
		}
	}
	for _, p := range []*plot.Plot{out.std[1], out.std[2], out.traj[0], out.traj[1]} {
		repNoLegend(p)
	}
	repHeadroom(out.std[0], 0.35)
	repHeadroom(out.cross[0], 0.35)
	repHeadroom(out.cross[1], 0.25)
	repHeadroom(out.cross[2], 0.25)
	return &out, nil
}

// ensembleSection runs and shows the ensembles of Figs. 2D and 4D-G.
func (s *repSim) ensembleSection() (Section, error) {
	pr := s.b.prof
	std, groups, err := s.runEnsembles()
	if err != nil {
		return Section{}, err
	}
	ps, err := s.ensemblePlots(std, groups)
	if err != nil {
		return Section{}, err
	}
	se, si := std.FinalRates()
	lines := []string{fmt.Sprintf("Standard, setpoints %s / %s Hz: final E = %s, I = %s (%d of %d runs finished).",
		repG(s.p.Eset), repG(s.p.Iset), repStats(se), repStats(si), se.N, len(std.Runs))}
	for _, g := range groups {
		e, in := g.res.FinalRates()
		lines = append(lines, fmt.Sprintf("Cross, setpoints %s: final E = %s, I = %s (%d of %d runs finished).",
			g.label, repStats(e), repStats(in), e.N, len(g.res.Runs)))
	}
	ce, ci := groups[0].res.FinalRates()
	s.b.brief = append(s.b.brief, fmt.Sprintf("Ensembles of %d runs x %d trials: the standard rule ends at "+
		"E = %s, I = %s; the cross-homeostatic rule at E = %s, I = %s (setpoints %s and %s Hz).",
		pr.ensRuns, pr.ensTrials, repStats(se), repStats(si), repStats(ce), repStats(ci), repG(s.p.Eset), repG(s.p.Iset)))

	plane, broad := sim.DefaultInit(sim.InitPlane), sim.DefaultInit(sim.InitBroad)
	sec := Section{ID: "sim-ensembles", Title: "Ensembles (Figs. 2D, 4D-G)", Level: 2}
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("Ensembles of %d runs of %d trials each; run k is seeded from (%d, k), so the "+
			"result does not depend on the number of cores. The standard rule (rates %g) starts from silent "+
			"networks: each weight uniform in [%s, %s] up to %s, redrawn until a noise-free trial leaves the "+
			"network silent. The cross-homeostatic rule (rates %g) starts around the setpoint plane, as Fig. 4D's "+
			"legend says: WEE uniform in [%g, %g], WIE in [%g, %g], WEI and WII from Eqs. 4-5, each weight "+
			"scaled by 1 ± %g, redrawn until the Up state is stable. Runs whose weights overflow are counted "+
			"as stopped.", pr.ensRuns, pr.ensTrials, s.seed, repRateStandard, repG(broad.Lo.WEE), repG(broad.Hi.WEE),
			repW(broad.Hi), repRateCross, plane.WEE[0], plane.WEE[1], plane.WIE[0], plane.WIE[1], plane.Jitter)},
		&List{Items: lines},
		&Figure{Caption: fmt.Sprintf("Standard rule, %d runs from silent starts (Fig. 2D): final rates, mean ± SEM "+
			"over the finished runs, with the setpoints as squares (left); weight trajectories from start to "+
			"end (black circles) in the planes of the weights onto E (middle) and onto I (right); the black "+
			"line is Eqs. 4-5, on which E = Eset and I = Iset. Rates %g, seed %d.", pr.ensRuns, repRateStandard, s.seed),
			Width: repMapW, Height: 2.6 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{ps.std}) }},
		&Figure{Caption: fmt.Sprintf("Cross-homeostatic rule, %d runs started around the setpoint plane "+
			"(Fig. 4D): weight trajectories in the planes of the weights onto E (left) and onto I (right); "+
			"black circles are the final weights, which land on the black line of Eqs. 4-5. Rates %g, seed %d.",
			pr.ensRuns, repRateCross, s.seed),
			Width: repMapW, Height: 2.8 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{ps.traj}) }},
		&Figure{Caption: fmt.Sprintf("Cross-homeostatic rule at three setpoint pairs (Figs. 4E-G): final rates, "+
			"mean ± SEM, with the setpoints as squares (left; the first pair is Fig. 4E); final weights onto "+
			"E (middle) and onto I (right), each pair with its line of Eqs. 4-5, whose slope is Eset/Iset. "+
			"%d runs per pair, rates %g, seed %d.", pr.ensRuns, repRateCross, s.seed),
			Width: repMapW, Height: 2.6 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, [][]*plot.Plot{ps.cross}) }},
	)
	return sec, nil
}

func repInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// repDrawPanels tiles plots in rows onto dc, aligned, as WritePanels
// does; a nil entry leaves its tile empty.
func repDrawPanels(dc draw.Canvas, rows [][]*plot.Plot) error {
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
	pad := vg.Millimeter * 2
	t := draw.Tiles{Rows: len(rows), Cols: cols, PadX: 2 * pad, PadY: pad,
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad}
	cs := plot.Align(filled, t, dc)
	for j := range filled {
		for i, p := range filled[j] {
			p.Draw(cs[j][i])
		}
	}
	return nil
}

// repNumbers are the numbers the renderers print: "2" and "2.1" for
// sections, and running numbers for figures and tables, keyed by the
// block's pointer.
type repNumbers struct {
	section map[string]string
	figure  map[*Figure]int
	table   map[*Table]int
}

// numbers numbers the sections, figures and tables of r in order.
func (r *Report) numbers() repNumbers {
	n := repNumbers{section: map[string]string{}, figure: map[*Figure]int{}, table: map[*Table]int{}}
	l1, l2 := 0, 0
	for _, s := range r.Sections {
		if s.Level <= 1 {
			l1, l2 = l1+1, 0
			n.section[s.ID] = fmt.Sprint(l1)
		} else {
			l2++
			n.section[s.ID] = fmt.Sprintf("%d.%d", l1, l2)
		}
		for _, bl := range s.Blocks {
			switch x := bl.(type) {
			case *Figure:
				n.figure[x] = len(n.figure) + 1
			case *Table:
				n.table[x] = len(n.table) + 1
			}
		}
	}
	return n
}

// Verdicts of package verify.

// repVerifyTiny is the verify profile of Config.Quick: small enough for
// tests, too small for the verdicts to mean anything.
func repVerifyTiny() verify.Profile {
	return verify.Profile{
		Name: "tiny", Grid: 41, Dense: 61,
		Samples: 10, SamplePoints: 2,
		EnsembleRuns: 2, EnsembleTrials: 30,
		AgreementCells: 2, AgreementTrials: 60,
	}
}

// verifySections check the claims and show the verdicts, and the
// confusion matrix of every agreement claim.
func (b *repBuilder) verifySections() ([]Section, error) {
	claims := b.cfg.Claims
	if claims == nil {
		claims = verify.Catalogue()
	}
	prof := verify.Quick()
	if b.cfg.Quick {
		prof = repVerifyTiny()
		// The multiunit claims need whole 250-trial runs of the 100-unit
		// network; the tiny profile leaves them out rather than run them
		// too short to pass.
		var kept []verify.Claim
		for _, c := range claims {
			if !strings.HasPrefix(c.ID, "multiunit.") {
				kept = append(kept, c)
			}
		}
		claims = kept
	}
	b.prov.Set("verify.profile", fmt.Sprintf("%+v", prof))
	var ids []string
	for _, c := range claims {
		ids = append(ids, c.ID)
	}
	b.prov.Set("verify.claims", strings.Join(ids, " "))
	rs, err := verify.Run(b.ctx, claims, verify.Options{
		Profile: prof, Seed: b.cfg.Seed, Workers: b.cfg.Workers,
		Progress: func(done, total int, _ string) { b.progress("verify", done, total) },
	})
	if err != nil {
		return nil, fmt.Errorf("reports: verify: %w", err)
	}
	sum := verify.Summarize(rs)
	b.brief = append(b.brief, fmt.Sprintf("paradox verify checked %d claims: %d pass, %d fail, %d could not be checked "+
		"(Section \"Verdicts\").", len(rs), sum.Pass, sum.Fail, sum.Error))

	s := Section{ID: "verdicts", Title: "Verdicts on the paper's claims", Level: 1}
	note := ""
	if b.cfg.Quick {
		note = " This report was made with --quick: the claims ran on grids and ensembles far too small for " +
			"their verdicts to mean anything."
	}
	s.Blocks = append(s.Blocks, &Paragraph{Text: fmt.Sprintf("Each claim of the catalogue of paradox verify "+
		"(and of the --claims file, if given) is one sentence with the computation that checks it: analytic "+
		"claims on dense grids of the setpoint plane and on random samples of the constants and rates, "+
		"simulation claims with the paper's protocol and fixed seeds. Pass means the computation supports the "+
		"claim. Profile %q (analytic grid %d x %d, ensembles of %d runs x %d trials, agreement on %d x %d "+
		"cells), seed %d.%s", prof.Name, prof.Grid, prof.Grid, prof.EnsembleRuns, prof.EnsembleTrials,
		prof.AgreementCells, prof.AgreementCells, b.cfg.Seed, note)})
	var rows [][]Cell
	for _, r := range rs {
		rows = append(rows, []Cell{
			{Text: r.ID, Mono: true}, {Text: r.Statement}, {Text: r.Source},
			{Text: r.Verdict.String(), Swatch: repVerdictColors[r.Verdict]},
			{Text: r.Measured}, {Text: r.Expected},
		})
	}
	s.Blocks = append(s.Blocks, &Table{
		Caption: fmt.Sprintf("Verdicts: %d pass, %d fail, %d error.", sum.Pass, sum.Fail, sum.Error),
		Header:  []Cell{{Text: "claim"}, {Text: "statement"}, {Text: "source"}, {Text: "verdict"}, {Text: "measured"}, {Text: "expected"}},
		Rows:    rows,
	})
	for _, r := range rs {
		if t := repConfusion(r); t != nil {
			s.Blocks = append(s.Blocks, t)
		}
	}
	var bad []string
	for _, r := range rs {
		if r.Verdict != verify.Pass {
			bad = append(bad, fmt.Sprintf("%s (%s): %s", r.ID, r.Verdict, strings.Join(r.Details, "; ")))
		}
	}
	if len(bad) > 0 {
		s.Blocks = append(s.Blocks, &Paragraph{Text: "Details of the claims that did not pass:"}, &List{Items: bad})
	}
	return []Section{s}, nil
}

// repVerdictColors mark pass, fail and error.
var repVerdictColors = map[verify.Verdict]color.Color{
	verify.Pass:  color.RGBA{0x00, 0x9e, 0x73, 0xff},
	verify.Fail:  color.RGBA{0xd5, 0x5e, 0x00, 0xff},
	verify.Error: color.RGBA{0x44, 0x44, 0x44, 0xff},
}

// repConfusion is the confusion matrix of an agreement claim, from the
// counts it reports, or nil for other claims.
func repConfusion(r verify.Result) *Table {
	v := r.Values
	keys := []string{"stable_stay", "stable_leave", "unstable_stay", "unstable_leave"}
	for _, k := range keys {
		if _, ok := v[k]; !ok {
			return nil
		}
	}
	n := func(k string) string { return fmt.Sprint(int(v[k])) }
	caption := fmt.Sprintf("Agreement of analysis and simulation, claim %s (%s): cells of the setpoint plane "+
		"started next to their setpoint weights, by analytic class (rows) and by whether the run stayed "+
		"(columns). Diagonal cells agree.", r.ID, r.Verdict)
	if _, ok := v["far_total"]; ok {
		caption += fmt.Sprintf(" Away from the borders %d of %d cells agree; near them %d of %d.",
			int(v["far_agree"]), int(v["far_total"]), int(v["near_agree"]), int(v["near_total"]))
	}
	return &Table{
		Caption: caption,
		Header:  []Cell{{Text: "analysis \\ simulation"}, {Text: "stays"}, {Text: "leaves"}},
		Rows: [][]Cell{
			{{Text: "stable"}, {Text: n("stable_stay")}, {Text: n("stable_leave")}},
			{{Text: "unstable"}, {Text: n("unstable_stay")}, {Text: n("unstable_leave")}},
		},
	}
}

// The multiunit network (Figs. 5-6).

// repMuClip is the top of the unit-rate panels, in units of the larger
// setpoint.
const repMuClip = 2.5

// repMuMaxStarts bounds the search for a run index whose first trial
// stays below the rate ceilings.
const repMuMaxStarts = 40

// muStart returns the first run index k of the seed whose initial
// weights (multiunit's normal initialisation) give a first trial below
// the rate ceilings, and those weights. About half of the draws start
// at the ceilings, where either rule first silences the network and the
// paper's 250 trials are too few to recover (sim/multiunit's doc).
func (s *repSim) muStart(c multiunit.Config, rule *multiunit.Rule) (int, *multiunit.Weights, error) {
	one := c
	one.Trials, one.KeepUnits, one.TraceTrials = 1, false, nil
	in := multiunit.DefaultInit(multiunit.InitNormal)
	for k := 0; k < repMuMaxStarts; k++ {
		w0, err := in.Draw(c.NE, c.NI, s.seed, k)
		if err != nil {
			return 0, nil, err
		}
		r, err := multiunit.Run(s.b.ctx, one, rule, w0, s.seed, k, nil)
		if err != nil {
			return 0, nil, err
		}
		if f := r.Trials[0]; f.MeanE < 0.99*c.EMax && f.MeanI < 0.99*c.IMax {
			return k, w0, nil
		}
	}
	return 0, nil, fmt.Errorf("reports: multiunit: no start below the rate ceilings among runs 0-%d of seed %d",
		repMuMaxStarts-1, s.seed)
}

// multiunitSection trains the 80 + 20 unit network with the
// cross-homeostatic (Fig. 5) and the two-term rule (Fig. 6) from the
// same initial weights and shows whether single units reach their
// setpoints.
func (s *repSim) multiunitSection() (Section, error) {
	c := multiunit.DefaultConfig()
	c.Params = s.p
	c.KeepUnits, c.TraceTrials = true, nil
	if s.b.cfg.Quick {
		c.Trials = 10
	}
	fams := []struct {
		name, fig string
		alpha     float64
	}{{"cross", "Fig. 5", multiunit.AlphaCross}, {"twoterm", "Fig. 6", multiunit.AlphaTwoTerm}}
	var rows [][]*plot.Plot
	var lines []string
	run := -1
	for i, f := range fams {
		jr, err := s.rule(f.name, f.alpha, s.p)
		if err != nil {
			return Section{}, err
		}
		rule, err := multiunit.NewRule(jr)
		if err != nil {
			return Section{}, err
		}
		var w0 *multiunit.Weights
		if run, w0, err = s.muStart(c, rule); err != nil {
			return Section{}, err
		}
		s.b.prov.Set("multiunit."+f.name, fmt.Sprintf("alpha=%g seed=%d run=%d init=%+v config=%+v",
			f.alpha, s.seed, run, multiunit.DefaultInit(multiunit.InitNormal), c))
		res, err := multiunit.Run(s.b.ctx, c, rule, w0, s.seed, run, func(done, total int) {
			s.b.progress("multiunit", i*total+done, 2*total)
		})
		if err != nil {
			return Section{}, fmt.Errorf("reports: multiunit %s: %w", f.name, err)
		}
		rp, err := MultiunitRatesPlot(&res, s.p.Eset, s.p.Iset, 20)
		if err != nil {
			return Section{}, err
		}
		rp.Title.Text = fmt.Sprintf("%s: unit rates across trials", f.name)
		// The first trials can reach the rate ceilings; clip them so
		// that the approach to the setpoints stays readable.
		rp.Y.Min, rp.Y.Max = 0, repMuClip*math.Max(s.p.Eset, s.p.Iset)
		row := []*plot.Plot{rp}
		for _, inh := range []bool{false, true} {
			bp, err := MultiunitBalancePlot(res.W, s.p, inh, fmt.Sprintf("%s: %s units at the end", f.name,
				map[bool]string{false: "E", true: "I"}[inh]))
			if err != nil {
				return Section{}, err
			}
			row = append(row, bp)
		}
		for _, p := range row {
			repCompact(p, 9)
		}
		repHeadroom(rp, 0.15)
		rows = append(rows, row)
		l := res.Trials[len(res.Trials)-1]
		lines = append(lines, fmt.Sprintf("%s (%s), α = %g: after %d trials the E units fire %.2f ± %.2f Hz "+
			"(range %.2f-%.2f) and the I units %.2f ± %.2f Hz (range %.2f-%.2f); setpoints %s and %s Hz.",
			f.name, f.fig, f.alpha, l.Trial, l.E, l.ESD, l.EMin, l.EMax, l.I, l.ISD, l.IMin, l.IMax,
			repG(s.p.Eset), repG(s.p.Iset)))
	}
	s.b.brief = append(s.b.brief, "Multiunit network: "+lines[0]+" "+lines[1])
	sec := Section{ID: "sim-multiunit", Title: "Multiunit network (Figs. 5-6)", Level: 2}
	sec.Blocks = append(sec.Blocks,
		&Paragraph{Text: fmt.Sprintf("%d excitatory and %d inhibitory threshold-linear units, all-to-all, each "+
			"with the two-population model's equations, noise and trial protocol, and every synapse plastic "+
			"under the per-synapse form of the rule (package sim/multiunit). Both rules start from the same "+
			"weights: the multiunit normal initialisation N(0.1, 0.04²) of run %d of seed %d, the first run "+
			"whose first trial stays below the rate ceilings (about half of the draws start at the ceilings, "+
			"where either rule first silences the network). %d trials, the authors' learning rates.",
			c.NE, c.NI, run, s.seed, c.Trials)},
		&List{Items: lines},
		&Figure{Caption: fmt.Sprintf("Multiunit network, cross-homeostatic rule (top, Fig. 5) and two-term rule "+
			"(bottom, Fig. 6). Left: trial-filtered rates of 20 E and 20 I units (thin) and the population "+
			"means (thick) across %d trials, setpoints dashed; rates above %g x the larger setpoint (the first "+
			"trials) run off the top. Middle and right: each E (I) unit's summed incoming E weight against "+
			"its summed incoming I weight at the end, with the balance line of Eqs. 4-5 on which a unit "+
			"fires at its setpoint. Seed %d, run %d.", c.Trials, repMuClip, s.seed, run),
			Width: repMapW, Height: 5 * vg.Inch,
			Draw: func(dc draw.Canvas) error { return repDrawPanels(dc, rows) }},
	)
	return sec, nil
}
