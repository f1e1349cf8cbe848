package expr

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{ruleEE, "aEE*E*(Eset - E)"},
		{ruleEI, "-aEI*I*(Iset - I) - hEI*I*(Eset - E)"},
		{ruleWEE, "aEE*(Eset - E)*WEE"},
		{rulePlane, "aEE*gE*gI*Eset*Iset*((gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE) - WEI)"},
		{"a - (b - c)", "a - (b - c)"},
		{"a - (-b)", "a + b"},
		{"a - -2*b", "a + 2*b"},
		{"a - 2*b", "a - 2*b"},
		{"a + -2", "a - 2"},
		{"(a*b)^2", "(a*b)^2"},
		{"(a/b)^2", "(a/b)^2"},
		{"a^(b + c)", "a^(b + c)"},
		{"a^(b*c)", "a^(b*c)"},
		{"a^(1/3)", "a^(1/3)"},
		{"(-2)^a", "(-2)^a"},
		{"2^(-a)", "2^(-a)"},
		{"exp(-a)^2", "exp(-a)^2"},
		{"-a/b", "-a/b"},
		{"a/-b", "a/(-b)"},
		{"1e-5*a + 1e21", "1e-05*a + 1e+21"},
	} {
		if got := String(MustParse(tc.src)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.src, got, tc.want)
		}
	}
	for _, tc := range []struct {
		e    Expr
		want string
	}{
		{Num(1.0 / 3), "1/3"},
		{Num(-2.0 / 3), "-2/3"},
		{Mul(Num(1.0/7), Var("x")), "x/7"},
		{Mul(Num(-0.1), Var("x")), "-0.1*x"},
		{Mul(Var("x"), Num(-1)), "x*(-1)"},
		{Pow(Var("x"), Num(-0.5)), "1/x^0.5"},
		{Num(math.Copysign(0, -1)), "-0"},
	} {
		if got := String(tc.e); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestLaTeX(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{ruleEE, `a_{EE} E \left(E_{set} - E\right)`},
		{ruleEI, `-a_{EI} I \left(I_{set} - I\right) - h_{EI} I \left(E_{set} - E\right)`},
		{ruleWEE, `a_{EE} \left(E_{set} - E\right) W_{EE}`},
		{rulePlane, `a_{EE} g_{E} g_{I} E_{set} I_{set} \left(\frac{g_{E} \left(E_{set} W_{EE} - \theta_{E} + I_{ext}\right) - E_{set}}{I_{set} g_{E}} - W_{EI}\right)`},
		{"tauE*WEI + hEE", `\tau_{E} W_{EI} + h_{EE}`},
		{"x^2*2", `x^{2} \cdot 2`},
		{"(a + b)^(1/2)", `\left(a + b\right)^{\frac{1}{2}}`},
		{"sqrt(x) + abs(y) + exp(z) + log(w)", `\sqrt{x} + \left|y\right| + \exp\left(z\right) + \log\left(w\right)`},
		{"min(x, y) - sign(x) + step(y)", `\min\left(x, y\right) - \operatorname{sign}\left(x\right) + \operatorname{step}\left(y\right)`},
		{"2.5e-7*x + 1e9", `2.5 \cdot 10^{-7} x + 10^{9}`},
		{"rate*dt + x_1 + alpha + Omega2", `\mathit{rate} \mathit{dt} + x_{1} + \alpha + \Omega_{2}`},
		{"x_theta", `x_{\theta}`},
	} {
		if got := LaTeX(MustParse(tc.src)); got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct {
		name, base, sub string
	}{
		{"aEE", "a", "EE"},
		{"WEI", "W", "EI"},
		{"Eset", "E", "set"},
		{"Iset", "I", "set"},
		{"thetaE", "theta", "E"},
		{"tauE", "tau", "E"},
		{"gE", "g", "E"},
		{"hEE", "h", "EE"},
		{"Iext", "I", "ext"},
		{"E", "E", ""},
		{"theta", "theta", ""},
		{"eta2", "eta", "2"},
		{"x1", "x", "1"},
		{"x_max", "x", "max"},
		{"rate", "rate", ""},
		{"pie", "pie", ""},
		{"_x", "_x", ""},
	} {
		base, sub := splitName(tc.name)
		if base != tc.base || sub != tc.sub {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.name, base, sub,
				tc.base, tc.sub)
		}
	}
}

func TestMathML(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"x", "<mrow><mi>x</mi></mrow>"},
		{ruleEE, "<mrow><msub><mi>a</mi><mi>EE</mi></msub><mo>&#x2062;</mo>" +
			"<mi>E</mi><mo>&#x2062;</mo><mrow><mo>(</mo><mrow>" +
			"<msub><mi>E</mi><mi>set</mi></msub><mo>&#x2212;</mo><mi>E</mi>" +
			"</mrow><mo>)</mo></mrow></mrow>"},
		{"thetaE/x^2", "<mrow><mfrac><msub><mi>θ</mi><mi>E</mi></msub>" +
			"<msup><mi>x</mi><mn>2</mn></msup></mfrac></mrow>"},
		{"-sqrt(x1)", "<mrow><mo>&#x2212;</mo><msqrt><msub><mi>x</mi>" +
			"<mn>1</mn></msub></msqrt></mrow>"},
		{"min(x, 2)*3", "<mrow><mrow><mi>min</mi><mo>&#x2061;</mo><mrow>" +
			"<mo>(</mo><mi>x</mi><mo>,</mo><mn>2</mn><mo>)</mo></mrow>" +
			"</mrow><mo>&#xD7;</mo><mn>3</mn></mrow>"},
		{"1e-5", "<mrow><msup><mn>10</mn><mrow><mo>&#x2212;</mo><mn>5</mn>" +
			"</mrow></msup></mrow>"},
	} {
		got := MathML(MustParse(tc.src))
		if got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.src, got, tc.want)
		}
		checkXML(t, got)
	}
}

// checkXML fails t unless s is one well-formed <mrow> element.
func checkXML(t *testing.T, s string) {
	t.Helper()
	if !strings.HasPrefix(s, "<mrow>") || !strings.HasSuffix(s, "</mrow>") {
		t.Errorf("not an <mrow>: %s", s)
	}
	d := xml.NewDecoder(strings.NewReader(s))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("%s: %v", s, err)
			return
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				t.Errorf("text outside the root: %s", s)
			}
		}
	}
	if roots != 1 {
		t.Errorf("%d root elements: %s", roots, s)
	}
}

func TestMathMLRandom(t *testing.T) {
	g := newGen(false)
	for range 500 {
		e := g.expr(5)
		checkXML(t, MathML(e))
		checkXML(t, MathML(Simplify(e)))
	}
}

func TestStringRoundTrip(t *testing.T) {
	// The printer may regroup a/b/c as a/(b·c) and a + (b + c) is
	// flattened on construction, so values agree to a few roundings times
	// the sensitivity of the expression, which wellConditioned bounds.
	const tol = 1e-9
	g := newGen(false)
	for range 2000 {
		e := g.expr(5)
		for _, e := range []Expr{e, Simplify(e)} {
			s := String(e)
			back, err := Parse(s)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			if s2 := String(back); s2 != s {
				// Not required, but the printed form should be stable
				// after one round.
				if s3 := String(MustParse(s2)); s3 != s2 {
					t.Errorf("unstable text: %s -> %s -> %s", s, s2, s3)
				}
			}
			env := g.point()
			if !wellConditioned(e, env) {
				continue
			}
			if a, b := eval(e, env), eval(back, env); !within(a, b, tol) {
				t.Errorf("%s at %v: got %v, want %v", s, env, b, a)
			}
		}
	}
}
