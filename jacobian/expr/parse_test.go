package expr

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	// Values are worked by hand at x = 2, y = 3.
	env := map[string]float64{"x": 2, "y": 3}
	const tol = 1e-15 // one or two roundings
	for _, tc := range []struct {
		src  string
		str  string
		want float64
	}{
		{"2", "2", 2},
		{"0.5", "0.5", 0.5},
		{".5", "0.5", 0.5},
		{"1e-3", "0.001", 1e-3},
		{"2.5E+4", "25000", 2.5e4},
		{"3.", "3", 3},
		{"x+y*2", "x + y*2", 8},
		{"(x+y)*2", "(x + y)*2", 10},
		{"x-y-1", "x - y - 1", -2},
		{"x-(y-1)", "x - (y - 1)", 0},
		{"x/y/2", "x/(y*2)", 1.0 / 3},
		{"x/(y/2)", "x/(y/2)", 4.0 / 3},
		{"-x^2", "-x^2", -4},
		{"(-x)^2", "(-x)^2", 4},
		{"x^y^2", "x^y^2", 512},
		{"(x^y)^2", "(x^y)^2", 64},
		{"2^-1", "1/2", 0.5},
		{"x^-y", "x^(-y)", 0.125},
		{"+x", "x", 2},
		{"--x", "x", 2},
		{"-(-x)", "x", 2},
		{"- -x*y", "x*y", 6},
		{"x*-y", "-x*y", -6},
		{"x*(-2)", "x*(-2)", -4},
		{"-x*y", "-x*y", -6},
		{"\tx\n+ y ", "x + y", 5},
		{"min(x, y) + max(x,y)", "min(x, y) + max(x, y)", 5},
		{"exp(0)*log(1)+sqrt(4)", "exp(0)*log(1) + sqrt(4)", 2},
		{"abs(x-y) + sign(x-y) + step(x-y)", "abs(x - y) + sign(x - y) + step(x - y)", 0},
		{"x_1 + 1", "x_1 + 1", 1}, // x_1 is unbound: eval reads 0
	} {
		e, err := Parse(tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := String(e); got != tc.str {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.str)
		}
		if got := eval(e, env); !within(got, tc.want, tol) {
			t.Errorf("%q: got value %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src string
		col int
		msg string
	}{
		{"", 1, "empty expression"},
		{"   ", 4, "empty expression"},
		{"(x", 1, `unclosed "("`},
		{"x*(y+(z)", 3, `unclosed "("`},
		{"min(x, y", 4, `unclosed "("`},
		{"x)", 2, `unexpected ")"`},
		{"aEE*E)", 6, `unexpected ")"`},
		{"()", 2, `unexpected ")"`},
		{"x y", 3, `unexpected "y"`},
		{"(x y)", 4, `unexpected "y"`},
		{"x +", 4, "unexpected end of input"},
		{"x * * y", 5, `unexpected "*"`},
		{"x, y", 2, `unexpected ","`},
		{"foo(x)", 1, `unknown function "foo"`},
		{"x + f(1)", 5, `unknown function "f"`},
		{"min(x)", 1, "min takes 2 arguments, got 1"},
		{"exp(x, y)", 1, "exp takes 1 argument, got 2"},
		{"exp()", 1, "exp takes 1 argument, got 0"},
		{"exp + 1", 1, "exp is a function; want exp(...)"},
		{"1e", 1, `bad number "1e"`},
		{"x + 1e+", 5, `bad number "1e+"`},
		{"1.2.3", 1, `bad number "1.2.3"`},
		{"2x", 1, `bad number "2x"`},
		{"0x10", 1, `bad number "0x10"`},
		{"1e999", 1, `bad number "1e999": out of range`},
		{"NaN", 1, "NaN: NaN and Inf are not accepted"},
		{"2*inf", 3, "inf: NaN and Inf are not accepted"},
		{"x $ y", 3, `unexpected character "$"`},
		{"é + x", 1, `unexpected character "é"`},
		{"x + é", 5, `unexpected character "é"`},
		{"x.", 2, `unexpected character "."`},
	} {
		_, err := Parse(tc.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a *SyntaxError", tc.src, err)
			continue
		}
		if se.Col != tc.col || se.Msg != tc.msg || se.Src != tc.src {
			t.Errorf("%q: got col %d %q, want col %d %q", tc.src, se.Col,
				se.Msg, tc.col, tc.msg)
		}
	}
}

func TestParseDeep(t *testing.T) {
	deep := make([]byte, 0, 2*maxDepth+10)
	for range maxDepth + 1 {
		deep = append(deep, '(')
	}
	deep = append(deep, 'x')
	_, err := Parse(string(deep))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Msg != "expression nested too deeply" {
		t.Errorf("got %v, want too deep", err)
	}
}

func TestSyntaxErrorString(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"aEE*E)", "col 6: unexpected \")\"\naEE*E)\n     ^"},
		{"\tx )", "col 4: unexpected \")\"\n\tx )\n\t  ^"},
		{"x +", "col 4: unexpected end of input\nx +\n   ^"},
		{"x\n)", "col 3: unexpected \")\"\nx )\n  ^"},
	} {
		_, err := Parse(tc.src)
		if err == nil {
			t.Fatalf("%q parsed", tc.src)
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("got\n%s\nwant\n%s", got, tc.want)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"(\") did not panic")
		}
	}()
	MustParse("(")
}

// FuzzParse checks that Parse never panics, that what it accepts prints
// to text that parses back to the same value, and that the rest of the
// package handles it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{ruleEE, ruleEI, ruleWEE, rulePlane,
		"-x^2", "2^-1", "min(x, y)", "1e-3*.5", "((x))", "x/y/z"} {
		f.Add(s)
	}
	// Two roundings may move: the printer regroups a/b/c as a/(b·c).
	const tol = 1e-12
	env := map[string]float64{"x": 1.5, "y": 0.75, "z": 2.5}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		back, err := Parse(String(e))
		if err != nil {
			t.Fatalf("%q printed as %q: %v", src, String(e), err)
		}
		for _, v := range Vars(e) {
			if _, ok := env[v]; !ok {
				env[v] = 1.25
			}
		}
		a, b := eval(e, env), eval(back, env)
		if wellConditioned(e, env) && !within(a, b, tol) {
			t.Errorf("%q printed as %q: got %v, want %v", src, String(e),
				b, a)
		}

		// The rest of the package must not panic on what Parse accepts.
		s := Simplify(e)
		if ss := Simplify(s); !Equal(ss, s) {
			t.Errorf("%q: Simplify not idempotent: %v, then %v", src, s, ss)
		}
		checkXML(t, MathML(s))
		_ = LaTeX(e)
		vars := Vars(e)
		if len(vars) > 0 {
			_ = Diff(e, vars[0])
		}
		p, err := Compile(e, vars)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, len(vars))
		for i, v := range vars {
			x[i] = env[v]
		}
		if got := p.Eval(x); !within(got, a, 0) {
			t.Errorf("%q: compiled %v, want %v", src, got, a)
		}
	})
}
