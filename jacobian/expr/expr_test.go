package expr

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Rule expressions of the plasticity families, shared by the tests.
const (
	ruleEE    = "aEE*E*(Eset - E)"
	ruleEI    = "-aEI*I*(Iset - I) - hEI*I*(Eset-E)"
	ruleWEE   = "aEE*(Eset-E)*WEE"
	rulePlane = "aEE*gE*gI*Eset*Iset*((gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE) - WEI)"
)

// ruleEnv is a point of the model with the defaults of package model
// (Eset = 5 Hz, Iset = 14 Hz, θE = 4.8, gE = 1, gI = 4) and rates and
// weights near the setpoint plane.
var ruleEnv = map[string]float64{
	"E": 4.2, "I": 15.5, "Eset": 5, "Iset": 14,
	"aEE": 0.3, "aEI": 0.7, "hEI": 0.2,
	"gE": 1, "gI": 4, "thetaE": 4.8, "Iext": 0,
	"WEE": 5, "WEI": 1.09,
}

// within reports whether a and b agree to tol relative to the larger of
// them and 1; NaNs agree with NaNs and infinities with themselves.
func within(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	scale := math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
	return math.Abs(a-b) <= tol*scale
}

// gen makes random expressions over a few variables.
type gen struct {
	rng  *rand.Rand
	vars []string
	// smooth restricts the functions to exp, log and sqrt.
	smooth bool
}

func newGen(smooth bool) *gen {
	return &gen{
		rng:    rand.New(rand.NewPCG(1, 2)),
		vars:   []string{"x", "y", "z", "aEE"},
		smooth: smooth,
	}
}

func (g *gen) leaf() Expr {
	if g.rng.IntN(3) > 0 {
		return Var(g.vars[g.rng.IntN(len(g.vars))])
	}
	switch g.rng.IntN(3) {
	case 0:
		return Num(float64(g.rng.IntN(7) - 3))
	case 1:
		return Num(float64(g.rng.IntN(9)-4) / 2)
	}
	return Num(math.Round(g.rng.Float64()*1000) / 100)
}

// expr returns a random expression of at most the given depth.
func (g *gen) expr(depth int) Expr {
	if depth == 0 || g.rng.IntN(6) == 0 {
		return g.leaf()
	}
	sub := func() Expr { return g.expr(depth - 1) }
	n := 11
	if !g.smooth {
		n = 16
	}
	switch g.rng.IntN(n) {
	case 0, 1:
		return Add(sub(), sub())
	case 2:
		return Sub(sub(), sub())
	case 3, 4:
		return Mul(sub(), sub())
	case 5:
		return Div(sub(), sub())
	case 6:
		return Neg(sub())
	case 7:
		k := []float64{-2, -1, 0, 0.5, 1, 2, 3}[g.rng.IntN(7)]
		return Pow(sub(), Num(k))
	case 8:
		return Exp(Mul(Num(0.5), sub()))
	case 9:
		return Log(sub())
	case 10:
		return Sqrt(sub())
	case 11:
		return Abs(sub())
	case 12:
		return Min(sub(), sub())
	case 13:
		return Max(sub(), sub())
	case 14:
		return Sign(sub())
	}
	return Step(sub())
}

// point returns random values of the variables: in [0.25, 2.5] mostly,
// so that log and sqrt are defined, and in [−2.5, 2.5] one time in four.
func (g *gen) point() map[string]float64 {
	lo := 0.25
	if g.rng.IntN(4) == 0 {
		lo = -2.5
	}
	env := make(map[string]float64, len(g.vars))
	for _, v := range g.vars {
		env[v] = lo + (2.5-lo)*g.rng.Float64()
	}
	return env
}

// wellConditioned reports whether e at env is finite, moderate and
// changes by less than 1e-5 relatively when each variable moves by
// 1e-12 relatively. Rounding (reordered sums in Simplify, a different
// operation order after printing) can only be checked to a tolerance
// near 1e-9 where the expression is not much more sensitive than this.
func wellConditioned(e Expr, env map[string]float64) bool {
	const (
		maxMagnitude = 1e8
		nudge        = 1e-12
		maxChange    = 1e-5
	)
	v := eval(e, env)
	if !finite(v) || math.Abs(v) > maxMagnitude {
		return false
	}
	for _, sign := range []float64{-1, 1} {
		moved := make(map[string]float64, len(env))
		for k, x := range env {
			moved[k] = x * (1 + sign*nudge)
			sign = -sign
		}
		if !within(eval(e, moved), v, maxChange) {
			return false
		}
	}
	return true
}

func TestConstructors(t *testing.T) {
	x, y := Var("x"), Var("y")
	for _, tc := range []struct {
		e    Expr
		want string
	}{
		{Num(2.5), "2.5"},
		{Num(-3), "-3"},
		{Add(x, Num(1)), "x + 1"},
		{Add(Add(x, y), Add(y, x)), "x + y + y + x"},
		{Sub(x, y), "x - y"},
		{Sub(x, Add(x, y)), "x - (x + y)"},
		{Mul(Mul(Num(2), x), y), "2*x*y"},
		{Div(x, y), "x/y"},
		{Div(x, Mul(x, y)), "x/(x*y)"},
		{Neg(x), "-x"},
		{Neg(Neg(x)), "x"},
		{Neg(Num(2)), "-2"},
		{Neg(Mul(Num(2), x)), "-2*x"},
		{Pow(x, Num(2)), "x^2"},
		{Pow(Neg(x), Num(2)), "(-x)^2"},
		{Exp(Log(Sqrt(Abs(x)))), "exp(log(sqrt(abs(x))))"},
		{Min(x, Max(y, Sign(Step(x)))), "min(x, max(y, sign(step(x))))"},
	} {
		if got := String(tc.e); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
		if got := tc.e.String(); got != tc.want {
			t.Errorf("String method: got %q, want %q", got, tc.want)
		}
	}
}

func TestVarPanics(t *testing.T) {
	for _, name := range []string{"", "1x", "a-b", "exp", "NaN", "inf", "é"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Var(%q) did not panic", name)
				}
			}()
			Var(name)
		}()
	}
	for _, name := range []string{"x", "_x", "x_1", "WEE", "thetaE"} {
		Var(name)
	}
}

func TestVars(t *testing.T) {
	got := Vars(MustParse(rulePlane))
	want := []string{"Eset", "Iext", "Iset", "WEE", "WEI", "aEE",
		"gE", "gI", "thetaE"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := Vars(Num(1)); len(got) != 0 {
		t.Errorf("Vars(1) = %v, want none", got)
	}
}

func TestEval(t *testing.T) {
	// Closed forms at ruleEnv, worked by hand. A few roundings each; the
	// bracket of the plane rule cancels to 0.4% of its terms, which
	// amplifies them about 250 times.
	const tol = 1e-12
	for _, tc := range []struct {
		src  string
		want float64
	}{
		{ruleEE, 0.3 * 4.2 * (5 - 4.2)},
		{ruleEI, -0.7*15.5*(14-15.5) - 0.2*15.5*(5-4.2)},
		{ruleWEE, 0.3 * (5 - 4.2) * 5},
		{rulePlane, 0.3 * 4 * 5 * 14 * ((5*5-4.8-5)/14 - 1.09)},
		{"2^3^2", 512},
		{"-2^2", -4},
		{"min(E, I) + max(E, I)", 4.2 + 15.5},
		{"sign(E - I) + step(0) + step(-1) + abs(-2)", -1 + 1 + 0 + 2},
		{"exp(log(E)) - sqrt(E^2)", 0},
	} {
		got, err := Eval(MustParse(tc.src), ruleEnv)
		if err != nil {
			t.Fatal(err)
		}
		if !within(got, tc.want, tol) {
			t.Errorf("%s: got %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestEvalUnbound(t *testing.T) {
	_, err := Eval(MustParse("x + y*z"), map[string]float64{"y": 1})
	var ue *UnboundError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want an *UnboundError", err)
	}
	if !slices.Equal(ue.Names, []string{"x", "z"}) {
		t.Errorf("got names %v, want [x z]", ue.Names)
	}
	if got, want := err.Error(), "expr: unbound variables x, z"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSubst(t *testing.T) {
	e := MustParse(ruleEE)
	got := Subst(e, map[string]float64{"aEE": 2, "Eset": 5})
	if s, want := String(got), "2*E*(5 - E)"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
	all := Subst(e, ruleEnv)
	v, ok := Const(all)
	const tol = 1e-14 // one rounding per operation
	if want := 0.3 * 4.2 * (5 - 4.2); !ok || !within(v, want, tol) {
		t.Errorf("got %v (%v), want %v", v, ok, want)
	}
}

func TestSubstExpr(t *testing.T) {
	// Put WEI on the setpoint plane: the rule then vanishes.
	plane := MustParse("(gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE)")
	got := Simplify(SubstExpr(MustParse(rulePlane), "WEI", plane))
	if v, ok := Const(got); !ok || v != 0 {
		t.Errorf("got %v, want 0", got)
	}
	e := SubstExpr(MustParse("x*y + x"), "x", MustParse("a + b"))
	if s, want := String(e), "(a + b)*y + a + b"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
}

func TestConst(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want float64
		ok   bool
	}{
		{"2*3 + 1", 7, true},
		{"x - x + 2", 2, true},
		{"x", 0, false},
		{"log(0)", 0, false},
	} {
		v, ok := Const(MustParse(tc.src))
		if ok != tc.ok || v != tc.want {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.src, v, ok,
				tc.want, tc.ok)
		}
	}
}

func TestEqual(t *testing.T) {
	a, b := MustParse(ruleEE), MustParse("aEE * E * (Eset-E)")
	if !Equal(a, b) {
		t.Errorf("%v and %v differ", a, b)
	}
	if Equal(MustParse("x + y"), MustParse("y + x")) {
		t.Error("x + y and y + x are equal before Simplify")
	}
	if !Equal(Num(math.NaN()), Num(math.NaN())) {
		t.Error("NaN differs from NaN")
	}
}
