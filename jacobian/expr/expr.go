package expr

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Expr is an immutable expression tree. Its nodes are unexported; build
// one with Parse or with the constructors Num, Var, Add, Sub, Mul, Div,
// Neg, Pow and the function constructors (Exp, Log, ...). An Expr never
// changes once built, so it may be shared between goroutines. Its String
// method returns String(e).
type Expr interface {
	fmt.Stringer
	isExpr()
}

// number is a numeric literal.
type number struct{ v float64 }

// variable is a named variable.
type variable struct{ name string }

// sum is t₀ + t₁ + … with at least two terms. A difference a − b is the
// sum of a and the product (−1)·b.
type sum struct{ terms []Expr }

// product is f₀·f₁·… with at least two factors. A quotient a/b is the
// product of a and the power b^(−1).
type product struct{ factors []Expr }

// power is base^exp.
type power struct{ base, exp Expr }

// call is a built-in function applied to its arguments.
type call struct {
	fn   funcID
	args []Expr
}

func (*number) isExpr()   {}
func (*variable) isExpr() {}
func (*sum) isExpr()      {}
func (*product) isExpr()  {}
func (*power) isExpr()    {}
func (*call) isExpr()     {}

func (e *number) String() string   { return String(e) }
func (e *variable) String() string { return String(e) }
func (e *sum) String() string      { return String(e) }
func (e *product) String() string  { return String(e) }
func (e *power) String() string    { return String(e) }
func (e *call) String() string     { return String(e) }

// funcID names a built-in function.
type funcID uint8

const (
	fnExp funcID = iota
	fnLog
	fnSqrt
	fnAbs
	fnSign
	fnStep
	fnMin
	fnMax
	numFuncs
)

var funcNames = [numFuncs]string{
	"exp", "log", "sqrt", "abs", "sign", "step", "min", "max",
}

func (f funcID) String() string { return funcNames[f] }

// arity returns the number of arguments f takes.
func (f funcID) arity() int {
	if f == fnMin || f == fnMax {
		return 2
	}
	return 1
}

// lookupFunc returns the built-in function called name.
func lookupFunc(name string) (funcID, bool) {
	for i, n := range funcNames {
		if n == name {
			return funcID(i), true
		}
	}
	return 0, false
}

// apply evaluates f at a (and b for the two-argument functions).
func (f funcID) apply(a, b float64) float64 {
	switch f {
	case fnExp:
		return math.Exp(a)
	case fnLog:
		return math.Log(a)
	case fnSqrt:
		return math.Sqrt(a)
	case fnAbs:
		return math.Abs(a)
	case fnSign:
		return signum(a)
	case fnStep:
		return heaviside(a)
	case fnMin:
		return math.Min(a, b)
	case fnMax:
		return math.Max(a, b)
	}
	panic("expr: unknown function")
}

// signum returns −1, 0 or 1 by the sign of x, and NaN for NaN.
func signum(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case x == 0:
		return 0
	}
	return x
}

// heaviside returns 1 for x ≥ 0, 0 for x < 0 and NaN for NaN.
func heaviside(x float64) float64 {
	switch {
	case x >= 0:
		return 1
	case x < 0:
		return 0
	}
	return x
}

// powEval is the power used by every evaluator in the package: x² is x·x
// and x^(−1) is 1/x, so that the compiled and the reference evaluators
// round identically; all other powers are math.Pow.
func powEval(x, y float64) float64 {
	switch y {
	case 2:
		return x * x
	case -1:
		return 1 / x
	}
	return math.Pow(x, y)
}

// Num returns the number v. A non-finite v is allowed but prints as NaN,
// +Inf or -Inf, which Parse rejects.
func Num(v float64) Expr { return &number{v} }

// Var returns the variable called name. It panics if name is not an
// identifier [A-Za-z_][A-Za-z0-9_]*, or is a function name, NaN or Inf.
func Var(name string) Expr {
	if !validName(name) {
		panic(fmt.Sprintf("expr: invalid variable name %q", name))
	}
	return &variable{name}
}

// validName reports whether name may name a variable.
func validName(name string) bool {
	if name == "" || reservedName(name) {
		return false
	}
	if _, ok := lookupFunc(name); ok {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isLetter(c) && (i == 0 || !isDigit(c)) {
			return false
		}
	}
	return true
}

// reservedName reports whether name spells a non-finite float.
func reservedName(name string) bool {
	switch strings.ToLower(name) {
	case "nan", "inf", "infinity":
		return true
	}
	return false
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Add returns a + b. Sums are flattened: Add(Add(a, b), c) is a+b+c.
func Add(a, b Expr) Expr { return newSum([]Expr{notNil(a), notNil(b)}) }

// Sub returns a − b, which is a + (−1)·b.
func Sub(a, b Expr) Expr { return Add(a, Neg(b)) }

// Mul returns a·b. Products are flattened: Mul(Mul(a, b), c) is a·b·c,
// and a sign is moved to the front: Mul(a, Neg(b)) is Neg(Mul(a, b)).
func Mul(a, b Expr) Expr {
	if p, ok := notNil(b).(*product); ok {
		if n, ok := p.factors[0].(*number); ok && n.v == -1 {
			return Neg(Mul(a, newProduct(p.factors[1:])))
		}
	}
	return newProduct([]Expr{notNil(a), b})
}

// Div returns a/b, which is a·b^(−1).
func Div(a, b Expr) Expr { return Mul(a, Pow(b, Num(-1))) }

// Pow returns a^b.
func Pow(a, b Expr) Expr { return &power{notNil(a), notNil(b)} }

// Neg returns −a. A number is negated in place, so Neg(Num(2)) is
// Num(−2); a product with a leading number has that number negated, so
// Neg(Neg(a)) is a; any other a gives the product (−1)·a.
func Neg(a Expr) Expr {
	switch a := notNil(a).(type) {
	case *number:
		return Num(-a.v)
	case *product:
		c, ok := a.factors[0].(*number)
		if !ok {
			break
		}
		if c.v == -1 {
			return newProduct(a.factors[1:])
		}
		fs := slices.Clone(a.factors)
		fs[0] = Num(-c.v)
		return &product{fs}
	}
	return newProduct([]Expr{Num(-1), a})
}

// Exp returns exp(a).
func Exp(a Expr) Expr { return newCall(fnExp, a) }

// Log returns the natural logarithm log(a).
func Log(a Expr) Expr { return newCall(fnLog, a) }

// Sqrt returns sqrt(a).
func Sqrt(a Expr) Expr { return newCall(fnSqrt, a) }

// Abs returns abs(a) = |a|.
func Abs(a Expr) Expr { return newCall(fnAbs, a) }

// Sign returns sign(a): −1, 0 or 1 by the sign of a.
func Sign(a Expr) Expr { return newCall(fnSign, a) }

// Step returns the Heaviside step step(a): 1 for a ≥ 0, else 0.
func Step(a Expr) Expr { return newCall(fnStep, a) }

// Min returns min(a, b).
func Min(a, b Expr) Expr { return newCall(fnMin, a, b) }

// Max returns max(a, b).
func Max(a, b Expr) Expr { return newCall(fnMax, a, b) }

func newCall(fn funcID, args ...Expr) Expr {
	for _, a := range args {
		notNil(a)
	}
	return &call{fn, args}
}

func notNil(e Expr) Expr {
	if e == nil {
		panic("expr: nil Expr")
	}
	return e
}

// newSum returns the sum of terms, flattening nested sums. It returns 0
// for no terms and the term itself for one.
func newSum(terms []Expr) Expr {
	var flat []Expr
	for _, t := range terms {
		if s, ok := t.(*sum); ok {
			flat = append(flat, s.terms...)
		} else {
			flat = append(flat, t)
		}
	}
	switch len(flat) {
	case 0:
		return Num(0)
	case 1:
		return flat[0]
	}
	return &sum{flat}
}

// newProduct returns the product of factors, flattening nested
// products. It returns 1 for no factors and the factor itself for one.
func newProduct(factors []Expr) Expr {
	var flat []Expr
	for _, f := range factors {
		if p, ok := f.(*product); ok {
			flat = append(flat, p.factors...)
		} else {
			flat = append(flat, f)
		}
	}
	switch len(flat) {
	case 0:
		return Num(1)
	case 1:
		return flat[0]
	}
	return &product{flat}
}

// reciprocal reports whether e is b^(−1) and returns b.
func reciprocal(e Expr) (Expr, bool) {
	p, ok := e.(*power)
	if !ok {
		return nil, false
	}
	if n, ok := p.exp.(*number); ok && n.v == -1 {
		return p.base, true
	}
	return nil, false
}

// Vars returns the names of the variables of e, sorted and unique.
func Vars(e Expr) []string {
	var names []string
	walkVars(e, func(name string) { names = append(names, name) })
	slices.Sort(names)
	return slices.Compact(names)
}

// walkVars calls f with the name of every variable occurrence in e.
func walkVars(e Expr, f func(name string)) {
	switch e := e.(type) {
	case *variable:
		f(e.name)
	case *sum:
		for _, t := range e.terms {
			walkVars(t, f)
		}
	case *product:
		for _, t := range e.factors {
			walkVars(t, f)
		}
	case *power:
		walkVars(e.base, f)
		walkVars(e.exp, f)
	case *call:
		for _, t := range e.args {
			walkVars(t, f)
		}
	}
}

// hasVar reports whether the variable v occurs in e.
func hasVar(e Expr, v string) bool {
	switch e := e.(type) {
	case *variable:
		return e.name == v
	case *sum:
		return slices.ContainsFunc(e.terms, func(t Expr) bool {
			return hasVar(t, v)
		})
	case *product:
		return slices.ContainsFunc(e.factors, func(t Expr) bool {
			return hasVar(t, v)
		})
	case *power:
		return hasVar(e.base, v) || hasVar(e.exp, v)
	case *call:
		return slices.ContainsFunc(e.args, func(t Expr) bool {
			return hasVar(t, v)
		})
	}
	return false
}

// isConstant reports whether e has no variables.
func isConstant(e Expr) bool {
	switch e := e.(type) {
	case *number:
		return true
	case *variable:
		return false
	case *sum:
		return !slices.ContainsFunc(e.terms, notConstant)
	case *product:
		return !slices.ContainsFunc(e.factors, notConstant)
	case *power:
		return isConstant(e.base) && isConstant(e.exp)
	case *call:
		return !slices.ContainsFunc(e.args, notConstant)
	}
	return false
}

func notConstant(e Expr) bool { return !isConstant(e) }

// SubstExpr returns e with every occurrence of the variable v replaced by
// by. The result is not simplified; call Simplify for that.
func SubstExpr(e Expr, v string, by Expr) Expr {
	notNil(by)
	return mapVars(e, func(x *variable) Expr {
		if x.name == v {
			return by
		}
		return x
	})
}

// Subst returns e with each variable named in vals replaced by its value,
// simplified, so that constant subexpressions are folded. Variables not
// in vals are left in place.
func Subst(e Expr, vals map[string]float64) Expr {
	return Simplify(mapVars(e, func(x *variable) Expr {
		if v, ok := vals[x.name]; ok {
			return Num(v)
		}
		return x
	}))
}

// mapVars rebuilds e with each variable x replaced by f(x).
func mapVars(e Expr, f func(*variable) Expr) Expr {
	switch e := e.(type) {
	case *variable:
		return f(e)
	case *sum:
		return newSum(mapAll(e.terms, f))
	case *product:
		return newProduct(mapAll(e.factors, f))
	case *power:
		return &power{mapVars(e.base, f), mapVars(e.exp, f)}
	case *call:
		return &call{e.fn, mapAll(e.args, f)}
	}
	return e
}

func mapAll(es []Expr, f func(*variable) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = mapVars(e, f)
	}
	return out
}

// UnboundError reports the variables of an expression that have no
// value (Eval) or no slot (Compile).
type UnboundError struct {
	// Names are the unbound variables, sorted.
	Names []string
}

func (e *UnboundError) Error() string {
	if len(e.Names) == 1 {
		return "expr: unbound variable " + e.Names[0]
	}
	return "expr: unbound variables " + strings.Join(e.Names, ", ")
}

// unbound returns an *UnboundError for the variables of e for which
// bound is false, or nil.
func unbound(e Expr, bound func(name string) bool) error {
	var names []string
	for _, v := range Vars(e) {
		if !bound(v) {
			names = append(names, v)
		}
	}
	if names == nil {
		return nil
	}
	return &UnboundError{Names: names}
}

// Eval returns the value of e with its variables set from env. It is the
// slow reference evaluator; see Compile for the fast one. A variable of
// e missing from env is an *UnboundError that names it.
//
// Sums add left to right, products multiply left to right and divide by
// each factor b^(−1), and powers use math.Pow except that x² is x·x and
// x^(−1) is 1/x. The compiled evaluators round the same way.
func Eval(e Expr, env map[string]float64) (float64, error) {
	err := unbound(e, func(name string) bool {
		_, ok := env[name]
		return ok
	})
	if err != nil {
		return math.NaN(), err
	}
	return eval(e, env), nil
}

// eval is Eval without the check for unbound variables, which read as 0.
func eval(e Expr, env map[string]float64) float64 {
	switch e := e.(type) {
	case *number:
		return e.v
	case *variable:
		return env[e.name]
	case *sum:
		acc := eval(e.terms[0], env)
		for _, t := range e.terms[1:] {
			acc += eval(t, env)
		}
		return acc
	case *product:
		return evalProduct(e.factors, env)
	case *power:
		return powEval(eval(e.base, env), eval(e.exp, env))
	case *call:
		a := eval(e.args[0], env)
		var b float64
		if len(e.args) > 1 {
			b = eval(e.args[1], env)
		}
		return e.fn.apply(a, b)
	}
	panic("expr: unknown node")
}

func evalProduct(fs []Expr, env map[string]float64) float64 {
	var acc float64
	for i, f := range fs {
		if b, ok := reciprocal(f); ok {
			d := eval(b, env)
			if i == 0 {
				acc = 1 / d
			} else {
				acc /= d
			}
			continue
		}
		v := eval(f, env)
		if i == 0 {
			acc = v
		} else {
			acc *= v
		}
	}
	return acc
}

// Const returns the value of e and true if e simplifies to a number.
func Const(e Expr) (float64, bool) {
	if n, ok := Simplify(e).(*number); ok {
		return n.v, true
	}
	return 0, false
}
