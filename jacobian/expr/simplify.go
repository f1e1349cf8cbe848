package expr

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// maxPasses bounds the passes of Simplify; one pass almost always
// reaches the fixed point and the second confirms it.
const maxPasses = 8

// Simplify returns e in a canonical-enough form. It folds constants,
// applies the identities x+0 = x, x·1 = x, x·0 = 0, x^0 = 1, x^1 = x,
// 1^x = 1, flattens sums and products, collects numeric coefficients of
// like terms (2x + 3x = 5x, x − x = 0), combines like factors into
// powers (x·x = x², x·x^(−1) = 1), distributes integer powers over
// products ((2x)² = 4x²) and a lone numeric coefficient over a sum
// (−(a − b) = b − a), and sorts terms and factors in a fixed order.
//
// Simplify is idempotent: Simplify(Simplify(e)) equals Simplify(e). It
// never changes the value of e where e is defined, up to rounding, but it
// may define e where e was not (x/x is 1 at x = 0). It does not expand
// products of sums or factor; see Expand.
func Simplify(e Expr) Expr {
	// TODO: Simplify does not pull common factors out of a sum, so the
	// derivative of aEE*E*(Eset - E) in E reads aEE*(Eset - E) - aEE*E
	// rather than aEE*(Eset - 2*E); a pass that factors the common
	// monomial out of the terms (after Expand) would print the shorter
	// form.
	notNil(e)
	for range maxPasses {
		s := simplify(e)
		if Equal(s, e) {
			return s
		}
		e = s
	}
	return e
}

// num returns the number v with −0 made +0.
func num(v float64) Expr {
	if v == 0 {
		v = 0
	}
	return &number{v}
}

var one, zero = Num(1), Num(0)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// isInteger reports whether v is an integer of magnitude below 2^53.
func isInteger(v float64) bool {
	return v == math.Trunc(v) && math.Abs(v) < 1<<53
}

func simplify(e Expr) Expr {
	switch e := e.(type) {
	case *number:
		return num(e.v)
	case *sum:
		return simplifySum(simplifyAll(e.terms))
	case *product:
		return simplifyProduct(simplifyAll(e.factors))
	case *power:
		return simplifyPower(simplify(e.base), simplify(e.exp))
	case *call:
		return simplifyCall(e.fn, simplifyAll(e.args))
	}
	return e
}

func simplifyAll(es []Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = simplify(e)
	}
	return out
}

// foldNums returns the numbers folded by op, or the numbers themselves
// if folding finite numbers would overflow to a non-finite value.
func foldNums(nums []float64, unit float64,
	op func(a, b float64) float64) []float64 {
	acc := unit
	allFinite := true
	for _, v := range nums {
		acc = op(acc, v)
		allFinite = allFinite && finite(v)
	}
	if !finite(acc) && allFinite {
		return nums
	}
	return []float64{acc}
}

// term is c·rest in a sum; rest is never a number.
type term struct {
	c    float64
	rest Expr
}

// splitCoef splits e into a leading numeric coefficient and the rest.
func splitCoef(e Expr) (float64, Expr) {
	p, ok := e.(*product)
	if !ok {
		return 1, e
	}
	n, ok := p.factors[0].(*number)
	if !ok {
		return 1, e
	}
	if len(p.factors) == 2 {
		return n.v, p.factors[1]
	}
	return n.v, &product{p.factors[1:]}
}

// withCoef returns c·rest with the coefficient leading.
func withCoef(c float64, rest Expr) Expr {
	if c == 1 {
		return rest
	}
	if p, ok := rest.(*product); ok {
		return &product{append([]Expr{num(c)}, p.factors...)}
	}
	return &product{[]Expr{num(c), rest}}
}

// simplifySum simplifies the sum of already simplified terms.
func simplifySum(terms []Expr) Expr {
	var nums []float64
	var ts []term
	for _, t := range newSumTerms(terms) {
		if n, ok := t.(*number); ok {
			nums = append(nums, n.v)
			continue
		}
		c, rest := splitCoef(t)
		ts = append(ts, term{c, rest})
	}

	// Collect like terms.
	slices.SortStableFunc(ts, func(a, b term) int {
		return compareFactors(a.rest, b.rest)
	})
	var out []term
	for _, t := range ts {
		if k := len(out) - 1; k >= 0 && Equal(out[k].rest, t.rest) {
			out[k].c += t.c
			continue
		}
		out = append(out, t)
	}
	out = slices.DeleteFunc(out, func(t term) bool { return t.c == 0 })

	// Positive terms first, then by their rest.
	slices.SortStableFunc(out, func(a, b term) int {
		if pa, pb := a.c > 0, b.c > 0; pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return compareFactors(a.rest, b.rest)
	})
	res := make([]Expr, 0, len(out)+1)
	for _, t := range out {
		res = append(res, withCoef(t.c, t.rest))
	}
	var cs []Expr
	for _, v := range foldNums(nums, 0, addF) {
		if v != 0 || len(res) == 0 {
			cs = append(cs, num(v))
		}
	}
	// A positive constant leads when all other terms are negative, so
	// that 5 − E does not read −E + 5.
	if len(cs) == 1 && cs[0].(*number).v > 0 && len(out) > 0 &&
		out[0].c < 0 {
		res = append(cs, res...)
	} else {
		res = append(res, cs...)
	}
	if len(res) == 1 {
		return res[0]
	}
	return &sum{res}
}

func addF(a, b float64) float64 { return a + b }
func mulF(a, b float64) float64 { return a * b }

// newSumTerms flattens nested sums in terms.
func newSumTerms(terms []Expr) []Expr {
	var flat []Expr
	for _, t := range terms {
		if s, ok := t.(*sum); ok {
			flat = append(flat, s.terms...)
		} else {
			flat = append(flat, t)
		}
	}
	return flat
}

// factor is base^exp in a product.
type factor struct{ base, exp Expr }

func splitPower(e Expr) factor {
	if p, ok := e.(*power); ok {
		return factor{p.base, p.exp}
	}
	return factor{e, one}
}

// simplifyProduct simplifies the product of already simplified factors.
func simplifyProduct(factors []Expr) Expr {
	var nums []float64
	var fs []factor
	for _, f := range factors {
		switch f := f.(type) {
		case *number:
			nums = append(nums, f.v)
		case *product:
			for _, g := range f.factors {
				if n, ok := g.(*number); ok {
					nums = append(nums, n.v)
				} else {
					fs = append(fs, splitPower(g))
				}
			}
		default:
			fs = append(fs, splitPower(f))
		}
	}
	if slices.Contains(nums, 0) {
		return zero
	}

	// Combine like factors: x^a·x^b = x^(a+b).
	slices.SortStableFunc(fs, func(a, b factor) int {
		return compare(a.base, b.base)
	})
	var merged []factor
	for _, f := range fs {
		if k := len(merged) - 1; k >= 0 && Equal(merged[k].base, f.base) {
			merged[k].exp = addExps(merged[k].exp, f.exp)
			continue
		}
		merged = append(merged, f)
	}
	var rest []Expr
	again := false
	for _, f := range merged {
		g := simplifyPower(f.base, f.exp)
		switch g.(type) {
		case *number, *product:
			again = true
		}
		rest = append(rest, g)
	}
	if again {
		// A power folded to a number or distributed over a product.
		for _, v := range nums {
			rest = append(rest, num(v))
		}
		return simplifyProduct(rest)
	}
	return buildProduct(foldNums(nums, 1, mulF), rest)
}

// buildProduct returns the product of the coefficients cs and the
// non-numeric factors rest, sorted, distributing a lone coefficient over
// a lone sum.
func buildProduct(cs []float64, rest []Expr) Expr {
	if len(cs) == 1 && cs[0] == 0 {
		return zero
	}
	if len(cs) == 1 && cs[0] == 1 {
		cs = nil
	}
	if len(rest) == 0 {
		if len(cs) == 0 {
			return one
		}
		if len(cs) == 1 {
			return num(cs[0])
		}
	}
	if len(rest) == 1 && len(cs) == 1 {
		if s, ok := rest[0].(*sum); ok {
			return distribute(cs[0], s)
		}
	}
	slices.SortStableFunc(rest, compareFactor)
	out := make([]Expr, 0, len(cs)+len(rest))
	for _, c := range cs {
		out = append(out, num(c))
	}
	out = append(out, rest...)
	if len(out) == 1 {
		return out[0]
	}
	return &product{out}
}

// distribute returns c·s multiplied out over the terms of s.
func distribute(c float64, s *sum) Expr {
	ts := make([]Expr, len(s.terms))
	for i, t := range s.terms {
		ts[i] = simplifyProduct([]Expr{num(c), t})
	}
	return simplifySum(ts)
}

// addExps returns the simplified sum of two simplified exponents.
func addExps(a, b Expr) Expr {
	na, okA := a.(*number)
	nb, okB := b.(*number)
	if okA && okB {
		return num(na.v + nb.v)
	}
	return simplifySum([]Expr{a, b})
}

// simplifyPower simplifies b^e for simplified b and e.
func simplifyPower(b, e Expr) Expr {
	ne, eNum := e.(*number)
	nb, bNum := b.(*number)
	switch {
	case eNum && ne.v == 0:
		return one
	case eNum && ne.v == 1:
		return b
	case bNum && nb.v == 1:
		return one
	case bNum && eNum:
		if v := powEval(nb.v, ne.v); finite(v) {
			return num(v)
		}
	}
	if !eNum || !isInteger(ne.v) {
		return &power{b, e}
	}

	// An integer power n: (x^a)^n = x^(a·n), (x·y)^n = x^n·y^n.
	switch b := b.(type) {
	case *power:
		return simplifyPower(b.base, simplifyProduct([]Expr{b.exp, e}))
	case *product:
		fs := make([]Expr, len(b.factors))
		for i, f := range b.factors {
			fs[i] = simplifyPower(f, e)
		}
		return simplifyProduct(fs)
	}
	return &power{b, e}
}

// simplifyCall simplifies a call with simplified arguments.
func simplifyCall(fn funcID, args []Expr) Expr {
	if vs, ok := numbers(args); ok {
		var b float64
		if len(vs) > 1 {
			b = vs[1]
		}
		if v := fn.apply(vs[0], b); finite(v) {
			return num(v)
		}
	}
	switch fn {
	case fnAbs, fnSign:
		// abs(abs(x)) = abs(x), sign(sign(x)) = sign(x).
		if c, ok := args[0].(*call); ok && c.fn == fn {
			return c
		}
	case fnMin, fnMax:
		if Equal(args[0], args[1]) {
			return args[0]
		}
	}
	return &call{fn, args}
}

// numbers returns the values of es if all are numbers.
func numbers(es []Expr) ([]float64, bool) {
	vs := make([]float64, len(es))
	for i, e := range es {
		n, ok := e.(*number)
		if !ok {
			return nil, false
		}
		vs[i] = n.v
	}
	return vs, true
}

// Equal reports whether a and b are the same tree. Numbers are equal if
// they are == or both NaN. Equal does not simplify: x+y and y+x differ,
// but Simplify makes them equal.
func Equal(a, b Expr) bool { return compare(a, b) == 0 }

// rank orders the kinds of node: numbers, variables, calls, powers,
// products, sums.
func rank(e Expr) int {
	switch e.(type) {
	case *number:
		return 0
	case *variable:
		return 1
	case *call:
		return 2
	case *power:
		return 3
	case *product:
		return 4
	}
	return 5
}

// compare is a total order on expressions; it is 0 exactly when the
// trees are Equal. Variables sort by name ignoring case first, so aEE
// comes before E.
func compare(a, b Expr) int {
	if c := cmp.Compare(rank(a), rank(b)); c != 0 {
		return c
	}
	switch a := a.(type) {
	case *number:
		return cmp.Compare(a.v, b.(*number).v)
	case *variable:
		return compareNames(a.name, b.(*variable).name)
	case *call:
		b := b.(*call)
		if c := cmp.Compare(a.fn, b.fn); c != 0 {
			return c
		}
		return slices.CompareFunc(a.args, b.args, compare)
	case *power:
		b := b.(*power)
		if c := compare(a.base, b.base); c != 0 {
			return c
		}
		return compare(a.exp, b.exp)
	case *product:
		return slices.CompareFunc(a.factors, b.(*product).factors, compare)
	case *sum:
		return slices.CompareFunc(a.terms, b.(*sum).terms, compare)
	}
	panic("expr: unknown node")
}

func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareFactor orders the factors of a product by base, then exponent,
// so that x, x², y read in that order.
func compareFactor(a, b Expr) int {
	fa, fb := splitPower(a), splitPower(b)
	if c := compare(fa.base, fb.base); c != 0 {
		return c
	}
	if c := compare(fa.exp, fb.exp); c != 0 {
		return c
	}
	return compare(a, b)
}

// compareFactors orders the non-numeric parts of sum terms by their
// factor lists.
func compareFactors(a, b Expr) int {
	return slices.CompareFunc(factorsOf(a), factorsOf(b), compareFactor)
}

func factorsOf(e Expr) []Expr {
	if p, ok := e.(*product); ok {
		return p.factors
	}
	return []Expr{e}
}

// maxExpandPower is the largest power of a sum that Expand multiplies
// out.
const maxExpandPower = 8

// Expand returns e simplified with products of sums multiplied out and
// sums raised to integer powers 2..8 expanded, so that two polynomials
// (or rational functions whose denominators are products of powers)
// that are equal simplify to the same tree. Powers of sums with negative
// or non-integer exponents are left as they are.
func Expand(e Expr) Expr { return Simplify(expand(Simplify(e))) }

func expand(e Expr) Expr {
	switch e := e.(type) {
	case *sum:
		ts := make([]Expr, len(e.terms))
		for i, t := range e.terms {
			ts[i] = expand(t)
		}
		return simplifySum(ts)
	case *product:
		acc := one
		for _, f := range e.factors {
			acc = expandMul(acc, expand(f))
		}
		return acc
	case *power:
		b := expand(e.base)
		n, ok := e.exp.(*number)
		if _, isSum := b.(*sum); !isSum || !ok || !isInteger(n.v) ||
			n.v < 2 || n.v > maxExpandPower {
			return simplifyPower(b, expand(e.exp))
		}
		acc := one
		for range int(n.v) {
			acc = expandMul(acc, b)
		}
		return acc
	case *call:
		args := make([]Expr, len(e.args))
		for i, a := range e.args {
			args[i] = expand(a)
		}
		return simplifyCall(e.fn, args)
	}
	return e
}

// expandMul returns a·b multiplied out over the terms of both.
func expandMul(a, b Expr) Expr {
	as, bs := termsOf(a), termsOf(b)
	out := make([]Expr, 0, len(as)*len(bs))
	for _, x := range as {
		for _, y := range bs {
			out = append(out, simplifyProduct([]Expr{x, y}))
		}
	}
	return simplifySum(out)
}

func termsOf(e Expr) []Expr {
	if s, ok := e.(*sum); ok {
		return s.terms
	}
	return []Expr{e}
}
