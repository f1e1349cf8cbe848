package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
)

// repTestDate is the injected date of the test reports.
var repTestDate = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

var (
	repTestOnce sync.Once
	repTestDoc  *Report
	repTestErr  error
)

// quickReport builds the --quick report once for all tests.
func quickReport(t *testing.T) *Report {
	t.Helper()
	repTestOnce.Do(func() {
		repTestDoc, repTestErr = Build(context.Background(), repQuickConfig(repTestDate))
	})
	if repTestErr != nil {
		t.Fatal(repTestErr)
	}
	return repTestDoc
}

func repQuickConfig(date time.Time) Config {
	return Config{Params: model.Default(), Seed: 7, Quick: true, Date: date, Workers: 2,
		Regenerate: "paradox report --quick --seed 7"}
}

// TestClosedForms checks the symbolic C·tr K and C·det K of every
// built-in family against the numerically computed K
// (jacobian.PlasticityAt) at random points of the setpoint plane and
// random positive rates. Both are a few dozen flops from the same
// numbers, so they agree to rounding; 1e-8 relative leaves room for the
// cancellation near the borders.
func TestClosedForms(t *testing.T) {
	const tol = 1e-8
	rng := rand.New(rand.NewPCG(1, 2))
	p := model.Default()
	for _, f := range jacobian.Builtins() {
		cf := closedForm(f)
		for k := 0; k < 20; k++ {
			WEE, WIE := 2+8*rng.Float64(), 6+14*rng.Float64()
			var r jacobian.Rates
			for i := range 4 {
				r.A[i] = 0.001 + 0.05*rng.Float64()
				r.H[i] = 0.001 + 0.05*rng.Float64()
			}
			rule, err := f.Compile(p, r)
			if err != nil {
				t.Fatal(err)
			}
			w := p.OnPlane(WEE, WIE)
			pl, err := jacobian.PlasticityAt(rule, w, p.Eset, p.Iset)
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]float64{
				"WEE": w.WEE, "WEI": w.WEI, "WIE": w.WIE, "WII": w.WII,
				"Eset": p.Eset, "Iset": p.Iset, "gE": p.GE, "gI": p.GI,
				"thetaE": p.ThetaE, "thetaI": p.ThetaI, "tauE": p.TauE, "tauI": p.TauI, "Iext": p.Iext,
			}
			for i := range 4 {
				env[jacobian.RateNames[i]], env[jacobian.RateNames[4+i]] = r.A[i], r.H[i]
			}
			a, b := p.GE*w.WEE-1, p.GI*w.WII+1
			C := p.GE*p.GI*w.WEI*w.WIE - a*b
			env["a"], env["b"], env["C"] = a, b, C
			tr, err := expr.Eval(cf.Tr, env)
			if err != nil {
				t.Fatal(err)
			}
			det, err := expr.Eval(cf.Det, env)
			if err != nil {
				t.Fatal(err)
			}
			det /= C
			if cf.Direct {
				det /= C
			}
			name := fmt.Sprintf("rule=%s,WEE=%.3g,WIE=%.3g", f.Name, WEE, WIE)
			if !relClose(tr/C, pl.Trace, tol) || !relClose(det, pl.Det, tol) {
				t.Errorf("%s: closed form tr K = %g, det K = %g; numerical %g, %g", name, tr/C, det, pl.Trace, pl.Det)
			}
		}
	}
}

func relClose(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+1e-300
}

// TestClosedFormStandard checks the printed form of the standard rule
// against analytics.md §5.1: C·tr K = a gI SI − b gE SE and
// C·det K = gE gI SE SI, multiplied out.
func TestClosedFormStandard(t *testing.T) {
	f, err := jacobian.Builtin("standard")
	if err != nil {
		t.Fatal(err)
	}
	cf := closedForm(f)
	got := expr.String(repGroup(cf.Tr, []string{"a", "b", "WEI", "WIE"}))
	want := "a*gI*(aIE*Eset^2 + aII*Iset^2) - b*gE*(aEE*Eset^2 + aEI*Iset^2)"
	if got != want {
		t.Errorf("C·tr K: got %s, want %s", got, want)
	}
	if got := expr.String(repFactor(cf.Det)); !strings.HasPrefix(got, "gE*gI*(") {
		t.Errorf("C·det K: got %s, want gE*gI*(SE·SI multiplied out)", got)
	}
}

// TestStructure checks the document: the sections the issue asks for,
// one figure per map, and captions that name their parameters.
func TestStructure(t *testing.T) {
	r := quickReport(t)
	ids := map[string]*Section{}
	for i := range r.Sections {
		ids[r.Sections[i].ID] = &r.Sections[i]
	}
	for _, id := range []string{"summary", "model", "setpoint-plane", "rules", "rule-standard", "rule-cross",
		"rule-twoterm", "rule-synscale", "rule-forcedbalance", "maps", "map-standard-equal", "map-standard-efast",
		"map-standard-ifast", "map-cross", "map-twoterm", "map-synscale", "map-standard-iext", "ratio",
		"sim-step", "sim-fig2", "sim-fig2e", "sim-fig4", "sim-ensembles", "sim-multiunit", "sim-spiking", "verdicts",
		"limits", "provenance"} {
		if ids[id] == nil {
			t.Errorf("no section %q", id)
		}
	}
	n := r.numbers()
	if len(n.figure) < 15 {
		t.Errorf("%d figures, want at least 15 (8 maps, the ratio curve, 9 simulation figures)", len(n.figure))
	}
	for f := range n.figure {
		if f.Width <= 0 || f.Height <= 0 || len(f.Caption) < 60 {
			t.Errorf("figure %d: size %v x %v, caption %q", n.figure[f], f.Width, f.Height, f.Caption)
		}
	}
	for _, s := range r.Sections {
		for _, bl := range s.Blocks {
			if f, ok := bl.(*Figure); ok && strings.HasPrefix(s.ID, "map-") && !strings.Contains(f.Caption, "Eset = 5 Hz") {
				t.Errorf("%s: caption does not give the constants: %q", s.ID, f.Caption)
			}
		}
	}
	// The rule sections report the check of the closed forms.
	for _, f := range jacobian.Builtins() {
		s := ids["rule-"+f.Name]
		var text strings.Builder
		for _, bl := range s.Blocks {
			if p, ok := bl.(*Paragraph); ok {
				text.WriteString(p.Emphasis + p.Text)
			}
		}
		if !strings.Contains(text.String(), "agree to") {
			t.Errorf("family %s: no agreement of closed form and numerical K reported:\n%s", f.Name, text.String())
		}
	}
	// The verdicts section has a verdict table and a confusion matrix.
	tables := 0
	for _, bl := range ids["verdicts"].Blocks {
		if tb, ok := bl.(*Table); ok {
			tables++
			if tables == 1 && len(tb.Rows) < 10 {
				t.Errorf("verdict table has %d rows", len(tb.Rows))
			}
		}
	}
	if tables < 2 {
		t.Errorf("verdicts: %d tables, want the verdicts and at least one confusion matrix", tables)
	}
}

// TestDeterministic builds the report twice with the same inputs and
// seed: the HTML and the PDF are the same bytes. With another date only
// the date changes in the HTML.
func TestDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the report three times")
	}
	render := func(r *Report) (h, p []byte) {
		var hb, pb bytes.Buffer
		if err := WriteHTML(&hb, r); err != nil {
			t.Fatal(err)
		}
		if err := WritePDF(&pb, r); err != nil {
			t.Fatal(err)
		}
		return hb.Bytes(), pb.Bytes()
	}
	h1, p1 := render(quickReport(t))
	r2, err := Build(context.Background(), repQuickConfig(repTestDate))
	if err != nil {
		t.Fatal(err)
	}
	h2, p2 := render(r2)
	if !bytes.Equal(h1, h2) {
		t.Errorf("HTML differs between two builds with the same inputs (%d and %d bytes)", len(h1), len(h2))
	}
	if !bytes.Equal(p1, p2) {
		t.Errorf("PDF differs between two builds with the same inputs (%d and %d bytes)", len(p1), len(p2))
	}
	other := repTestDate.Add(49*time.Hour + 3*time.Minute)
	r3, err := Build(context.Background(), repQuickConfig(other))
	if err != nil {
		t.Fatal(err)
	}
	h3, _ := render(r3)
	strip := func(b []byte, d time.Time) string {
		s := strings.ReplaceAll(string(b), htmlDate(d), "DATE")
		return strings.ReplaceAll(s, d.UTC().Format(time.RFC3339), "DATE")
	}
	if strip(h1, repTestDate) != strip(h3, other) {
		t.Error("HTML differs in more than the date between two dates")
	}
	if bytes.Equal(h1, h3) {
		t.Error("the date does not appear in the HTML")
	}
}

// TestHTMLSelfContained checks that the page can make no request: no
// script, stylesheet link, external image, font or frame.
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, quickReport(t)); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, bad := range []string{"<script", "<link", "<iframe", "<object", "<embed", "@import",
		`src="http`, `href="http`, `url(http`, `xlink:href="http`, `src="//`, `url(//`} {
		if strings.Contains(s, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Every link is a fragment that names an element of the page (the
	// SVG's xlink:href are inline data: images).
	for _, m := range regexp.MustCompile(`[^:]href="([^"]*)"`).FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(m[1], "#") || !strings.Contains(s, `id="`+m[1][1:]+`"`) {
			t.Errorf("link %q does not point into the page", m[1])
		}
	}
	if n, want := strings.Count(s, "<figure"), len(quickReport(t).numbers().figure); n != want {
		t.Errorf("%d <figure> elements, want %d", n, want)
	}
	if strings.Count(s, "<math") < 50 {
		t.Errorf("only %d formulas", strings.Count(s, "<math"))
	}
	if !strings.Contains(s, "@font-face") {
		t.Error("the plot font is not embedded")
	}
}
