package expr

import (
	"fmt"
	"math"
	"testing"
)

func TestDiffRules(t *testing.T) {
	for _, tc := range []struct {
		src, v, want string
	}{
		{"3", "x", "0"},
		{"y", "x", "0"},
		{"x", "x", "1"},
		{"x + y + 2*x", "x", "3"},
		{"x*y", "x", "y"},
		{"x^2", "x", "2*x"},
		{"x^3", "x", "3*x^2"},
		{"1/x", "x", "-1/x^2"},
		{"x^y", "x", "x^(y - 1)*y"},
		{"x^y", "y", "x^y*log(x)"},
		{"x^x", "x", "x^x*(log(x) + 1)"},
		{"exp(2*x)", "x", "2*exp(2*x)"},
		{"log(x)", "x", "1/x"},
		{"sqrt(x)", "x", "0.5/sqrt(x)"},
		{"abs(x)", "x", "sign(x)"},
		{"sign(x) + step(x)", "x", "0"},
		{"min(x, y)", "x", "step(y - x)"},
		{"min(x, y)", "y", "1 - step(y - x)"},
		{"max(x, y)", "x", "step(x - y)"},
		{"max(x, y)", "y", "1 - step(x - y)"},
		{ruleEE, "E", "aEE*(Eset - E) - aEE*E"},
		{ruleEE, "aEE", "E*(Eset - E)"},
		{ruleWEE, "WEE", "aEE*(Eset - E)"},
		{rulePlane, "WEI", "-aEE*Eset*gE*gI*Iset"},
		{rulePlane, "WEE", "aEE*Eset^2*gE*gI"},
	} {
		got := Diff(MustParse(tc.src), tc.v)
		if s := String(got); s != tc.want {
			t.Errorf("d(%s)/d%s: got %q, want %q", tc.src, tc.v, s, tc.want)
		}
	}
}

// TestDiffRuleFamilies checks the derivatives of the rule families
// against derivatives worked by hand, by value at random points and by
// expanding the difference to zero.
func TestDiffRuleFamilies(t *testing.T) {
	for _, tc := range []struct {
		src, v, want string
	}{
		// d/dE aEE E (Eset − E) = aEE (Eset − E) − aEE E.
		{ruleEE, "E", "aEE*(Eset - 2*E)"},
		{ruleEE, "Eset", "aEE*E"},
		// −aEI I (Iset − I) − hEI I (Eset − E): product rule in I.
		{ruleEI, "I", "-aEI*(Iset - 2*I) - hEI*(Eset - E)"},
		{ruleEI, "E", "hEI*I"},
		{ruleEI, "hEI", "-I*(Eset - E)"},
		{ruleWEE, "E", "-aEE*WEE"},
		// The plane rule is aEE gE gI Eset Iset (P − WEI), with
		// P = (gE (Eset WEE − θE + Iext) − Eset)/(Iset gE), so
		// ∂P/∂WEE = Eset/Iset, ∂P/∂θE = −1/Iset, ∂P/∂gE = Eset/(Iset gE²).
		{rulePlane, "WEE", "aEE*gE*gI*Eset^2"},
		{rulePlane, "thetaE", "-aEE*gE*gI*Eset"},
		{rulePlane, "Iext", "aEE*gE*gI*Eset"},
		{rulePlane, "gE", "aEE*gI*Eset*Iset*((gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE) - WEI) + aEE*gI*Eset^2/gE"},
		{rulePlane, "Iset", "-aEE*gE*gI*Eset*WEI"},
	} {
		name := fmt.Sprintf("d(%s)/d%s", tc.src, tc.v)
		got := Diff(MustParse(tc.src), tc.v)
		want := MustParse(tc.want)

		// Both sides are a few roundings from the exact value, and the
		// bracket of the plane rule cancels to 0.4% of its terms.
		const tol = 1e-12
		g := newGen(true)
		for range 20 {
			env := make(map[string]float64, len(ruleEnv))
			for k, x := range ruleEnv {
				env[k] = x * (0.5 + g.rng.Float64())
			}
			if a, b := eval(got, env), eval(want, env); !within(a, b, tol) {
				t.Errorf("%s at %v: got %v, want %v", name, env, a, b)
			}
		}
		if d := Expand(Sub(got, want)); !Equal(d, zero) {
			t.Errorf("%s: got %v, want %v; difference %v", name, got,
				want, d)
		}
	}
}

// dual is a number with a derivative, for forward-mode automatic
// differentiation: an independent check of Diff.
type dual struct{ v, d float64 }

// evalDual evaluates e and its derivative in the variable wrt.
func evalDual(e Expr, env map[string]float64, wrt string) dual {
	switch e := e.(type) {
	case *number:
		return dual{e.v, 0}
	case *variable:
		if e.name == wrt {
			return dual{env[e.name], 1}
		}
		return dual{env[e.name], 0}
	case *sum:
		var s dual
		for _, t := range e.terms {
			x := evalDual(t, env, wrt)
			s = dual{s.v + x.v, s.d + x.d}
		}
		return s
	case *product:
		p := dual{1, 0}
		for _, f := range e.factors {
			x := evalDual(f, env, wrt)
			p = dual{p.v * x.v, chain(p.d, x.v) + chain(x.d, p.v)}
		}
		return p
	case *power:
		b, x := evalDual(e.base, env, wrt), evalDual(e.exp, env, wrt)
		v := math.Pow(b.v, x.v)
		var fb float64 // ∂(b^x)/∂b, 0 for x = 0 even where b is NaN
		if x.v != 0 {
			fb = x.v * math.Pow(b.v, x.v-1)
		}
		return dual{v, chain(b.d, fb) + chain(x.d, v*math.Log(b.v))}
	case *call:
		a := evalDual(e.args[0], env, wrt)
		switch e.fn {
		case fnExp:
			v := math.Exp(a.v)
			return dual{v, chain(a.d, v)}
		case fnLog:
			return dual{math.Log(a.v), chain(a.d, 1/a.v)}
		case fnSqrt:
			v := math.Sqrt(a.v)
			return dual{v, chain(a.d, 1/(2*v))}
		case fnAbs:
			return dual{math.Abs(a.v), chain(a.d, signum(a.v))}
		case fnSign:
			return dual{signum(a.v), 0}
		case fnStep:
			return dual{heaviside(a.v), 0}
		}
		b := evalDual(e.args[1], env, wrt)
		if (e.fn == fnMin) == (a.v <= b.v) {
			return a
		}
		return b
	}
	panic("unknown node")
}

// chain returns du·f'(u) for the chain rule, and 0 when either is 0
// whatever the other is, as Diff's simplified result has it: d sqrt(c) = 0
// even at c = 0, and d (u^0) = 0 even where u is NaN.
func chain(du, fprime float64) float64 {
	if du == 0 || fprime == 0 {
		return 0
	}
	return du * fprime
}

func TestDiffDual(t *testing.T) {
	// Diff and the dual numbers compute the same derivative in different
	// operation orders; they agree to rounding times the sensitivity of
	// the derivative, which wellConditioned bounds.
	const tol = 1e-8
	g := newGen(false)
	checked := 0
	for range 1500 {
		e := g.expr(4)
		v := g.vars[g.rng.IntN(len(g.vars))]
		d := Diff(e, v)
		for range 4 {
			env := g.point()
			if !wellConditioned(e, env) || !wellConditioned(d, env) {
				continue
			}
			checked++
			want := evalDual(e, env, v).d
			if got := eval(d, env); !within(got, want, tol) {
				t.Errorf("d(%v)/d%s = %v\nat %v: got %v, want %v", e, v, d,
					env, got, want)
			}
		}
	}
	t.Logf("%d points checked", checked)
	if checked < 3000 {
		t.Errorf("only %d of 6000 points checked", checked)
	}
}

func TestDiffFiniteDifference(t *testing.T) {
	// A central difference with step h has truncation error
	// h²·|f'''|/6 and rounding error ε·|f|/h; h = 1e-5 (near ε^(1/3))
	// makes both about 1e-10 for moderate f, so 1e-6 leaves room for
	// the larger third derivatives of random expressions. Points where
	// steps h and 2h disagree beyond the tolerance are too curved for a
	// difference to judge and are skipped.
	const (
		h   = 1e-5
		tol = 1e-6
	)
	g := newGen(true)
	checked, total := 0, 0
	for range 1000 {
		e := g.expr(4)
		v := g.vars[g.rng.IntN(len(g.vars))]
		d := Diff(e, v)
		for range 4 {
			env := g.point()
			total++
			if !wellConditioned(e, env) || !wellConditioned(d, env) {
				continue
			}
			fd1 := central(e, env, v, h)
			fd2 := central(e, env, v, 2*h)
			if !within(fd1, fd2, tol) {
				continue
			}
			checked++
			if got := eval(d, env); !within(got, fd1, tol) {
				t.Errorf("d(%v)/d%s = %v\nat %v: got %v, want %v", e, v, d,
					env, got, fd1)
			}
		}
	}
	t.Logf("%d points checked", checked)
	if checked < total/2 {
		t.Errorf("only %d of %d points checked", checked, total)
	}
}

// central returns the central difference of e in v at env with step
// h relative to the value of v.
func central(e Expr, env map[string]float64, v string, h float64) float64 {
	x := env[v]
	step := h * math.Max(1, math.Abs(x))
	at := func(y float64) float64 {
		env[v] = y
		return eval(e, env)
	}
	d := (at(x+step) - at(x-step)) / (2 * step)
	env[v] = x
	return d
}
