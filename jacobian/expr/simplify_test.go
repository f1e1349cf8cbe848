package expr

import (
	"testing"
)

func TestSimplify(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		// Identities.
		{"x*1", "x"},
		{"1*x", "x"},
		{"0*x", "0"},
		{"x*0*y", "0"},
		{"x+0", "x"},
		{"0 - x", "-x"},
		{"x - x", "0"},
		{"a*b - b*a", "0"},
		{"--x", "x"},
		{"-(-1*x)", "x"},
		{"x^1", "x"},
		{"x^0", "1"},
		{"1^x", "1"},
		{"0^2", "0"},
		{"x/x", "1"},
		{"x*y/y", "x"},
		// Constant folding.
		{"2*3 + 4", "10"},
		{"2^3", "8"},
		{"2^-1", "0.5"},
		{"1/3", "1/3"},
		{"sqrt(4) + exp(0) + log(1)", "3"},
		{"min(1, 2) + max(1, 2) + abs(-3) + sign(-2) + step(0)", "6"},
		{"1/0", "1/0"},
		{"log(0)", "log(0)"},
		{"(-8)^0.5", "(-8)^0.5"},
		// Coefficients and like terms.
		{"2*x + 3*x", "5*x"},
		{"x + 2*x", "3*x"},
		{"x + y - x", "y"},
		{"2*x*y - y*x", "x*y"},
		{"x/2", "0.5*x"},
		{"x/3", "x/3"},
		{"2*x/3", "2*x/3"},
		{"2*(x + y)", "2*x + 2*y"},
		{"-(x - y)", "y - x"},
		{"3 - (x + 1)", "2 - x"},
		{"1 + x", "x + 1"},
		{"-x - 1", "-x - 1"},
		// Like factors and powers.
		{"x*x", "x^2"},
		{"x*x^2*x", "x^4"},
		{"x^a*x^b", "x^(a + b)"},
		{"x^2/x^3", "1/x"},
		{"(x^2)^3", "x^6"},
		{"(2*x)^2", "4*x^2"},
		{"(-x)^2", "x^2"},
		{"(x*y)^-1", "1/(x*y)"},
		{"(x^0.5)^2", "x"},
		{"(x^2)^0.5", "(x^2)^0.5"},
		{"x^0.5*x^0.5", "x"},
		{"exp(x)*exp(x)", "exp(x)^2"},
		// Functions.
		{"abs(abs(x))", "abs(x)"},
		{"min(x, x)", "x"},
		{"max(x + 1, 1 + x)", "x + 1"},
		{"exp(2*x - x)", "exp(x)"},
		// Order: coefficient, variables ignoring case, calls, sums.
		{"(Eset - E)*E*aEE", "aEE*E*(Eset - E)"},
		{"y + exp(x) + x^2 + x", "x + x^2 + y + exp(x)"},
		{ruleEE, "aEE*E*(Eset - E)"},
		{ruleEI, "-aEI*I*(Iset - I) - hEI*I*(Eset - E)"},
		{ruleWEE, "aEE*WEE*(Eset - E)"},
		{rulePlane, "aEE*Eset*gE*gI*Iset*((gE*(Eset*WEE + Iext - thetaE) - Eset)/(gE*Iset) - WEI)"},
	} {
		got := Simplify(MustParse(tc.src))
		if s := String(got); s != tc.want {
			t.Errorf("%s: got %q, want %q", tc.src, s, tc.want)
		}
	}
}

func TestSimplifyIdempotent(t *testing.T) {
	g := newGen(false)
	for range 3000 {
		e := g.expr(5)
		s := Simplify(e)
		if ss := Simplify(s); !Equal(ss, s) {
			t.Fatalf("Simplify not idempotent on %v:\n once  %v\n twice %v",
				e, s, ss)
		}
		if ss := simplify(s); !Equal(ss, s) {
			t.Fatalf("one pass changes the fixed point of %v:\n %v\n %v",
				e, s, ss)
		}
	}
}

func TestSimplifyValue(t *testing.T) {
	// Simplify reorders sums and products and folds constants, so values
	// agree to a few roundings times the sensitivity of the expression,
	// which wellConditioned bounds.
	const tol = 1e-9
	g := newGen(false)
	checked := 0
	for range 2000 {
		e := g.expr(5)
		s := Simplify(e)
		for range 5 {
			env := g.point()
			if !wellConditioned(e, env) {
				continue
			}
			checked++
			if a, b := eval(e, env), eval(s, env); !within(a, b, tol) {
				t.Errorf("%v\nsimplified to %v\nat %v: got %v, want %v",
					e, s, env, b, a)
			}
		}
	}
	t.Logf("%d points checked", checked)
	if checked < 5000 {
		t.Errorf("only %d of 10000 points checked", checked)
	}
}

func TestExpand(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"(x + 1)^2", "2*x + x^2 + 1"},
		{"(x - y)*(x + y)", "x^2 - y^2"},
		{"aEE*E*(Eset - E)", "aEE*E*Eset - aEE*E^2"},
		{"(x + 1)/x", "1/x + 1"},
		{"(x + 1)^-1", "1/(x + 1)"},
		{"exp((x + 1)^2)", "exp(2*x + x^2 + 1)"},
	} {
		if got := String(Expand(MustParse(tc.src))); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestExpandValue(t *testing.T) {
	// As in TestSimplifyValue.
	const tol = 1e-9
	g := newGen(true)
	for range 500 {
		e := g.expr(4)
		x := Expand(e)
		env := g.point()
		if !wellConditioned(e, env) {
			continue
		}
		if a, b := eval(e, env), eval(x, env); !within(a, b, tol) {
			t.Errorf("%v\nexpanded to %v\nat %v: got %v, want %v", e, x,
				env, b, a)
		}
	}
}
