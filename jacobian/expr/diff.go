package expr

// Diff returns the derivative ∂e/∂v, simplified. The rules are the usual
// ones; the functions without a classical derivative get one that stays
// in the language and is right except on a set of measure zero:
//
//	d abs(u)    = sign(u) du
//	d sign(u)   = d step(u) = 0
//	d min(a, b) = step(b − a) da + (1 − step(b − a)) db
//	d max(a, b) = step(a − b) da + (1 − step(a − b)) db
//
// A power u^w with w free of v uses w·u^(w−1)·du, so that x² has the
// derivative 2x for negative x too; with u free of v it is
// u^w·log(u)·dw; otherwise u^w·(dw·log(u) + w·du/u).
func Diff(e Expr, v string) Expr { return Simplify(diff(notNil(e), v)) }

func diff(e Expr, v string) Expr {
	if !hasVar(e, v) {
		return zero
	}
	switch e := e.(type) {
	case *variable:
		return one
	case *sum:
		ts := make([]Expr, len(e.terms))
		for i, t := range e.terms {
			ts[i] = diff(t, v)
		}
		return newSum(ts)
	case *product:
		return diffProduct(e.factors, v)
	case *power:
		return diffPower(e, v)
	case *call:
		return diffCall(e, v)
	}
	panic("expr: unknown node")
}

// diffProduct is the product rule: Σᵢ (∏_{j≠i} fⱼ)·dfᵢ.
func diffProduct(fs []Expr, v string) Expr {
	var ts []Expr
	for i, f := range fs {
		if !hasVar(f, v) {
			continue
		}
		g := make([]Expr, len(fs))
		copy(g, fs)
		g[i] = diff(f, v)
		ts = append(ts, newProduct(g))
	}
	return newSum(ts)
}

func diffPower(e *power, v string) Expr {
	u, w := e.base, e.exp
	switch {
	case !hasVar(w, v):
		// w·u^(w−1)·du
		return newProduct([]Expr{w, Pow(u, Sub(w, one)), diff(u, v)})
	case !hasVar(u, v):
		// u^w·log(u)·dw
		return newProduct([]Expr{e, Log(u), diff(w, v)})
	}
	// u^w·(dw·log(u) + w·du/u)
	return Mul(e, Add(Mul(diff(w, v), Log(u)),
		Div(Mul(w, diff(u, v)), u)))
}

func diffCall(e *call, v string) Expr {
	u := e.args[0]
	switch e.fn {
	case fnExp:
		return Mul(e, diff(u, v))
	case fnLog:
		return Div(diff(u, v), u)
	case fnSqrt:
		return Div(diff(u, v), Mul(Num(2), e))
	case fnAbs:
		return Mul(Sign(u), diff(u, v))
	case fnSign, fnStep:
		return zero
	}
	a, b := e.args[0], e.args[1]
	var s Expr
	if e.fn == fnMin {
		s = Step(Sub(b, a))
	} else {
		s = Step(Sub(a, b))
	}
	return Add(Mul(s, diff(a, v)), Mul(Sub(one, s), diff(b, v)))
}
