package expr

import (
	"fmt"
	"math"
)

// evalFunc evaluates a compiled subtree at the slot values x.
type evalFunc func(x []float64) float64

// Program is an expression compiled for fast evaluation: a tree of
// closures over slot indices, with constant subtrees folded and the
// common shapes (slot·slot, slot − slot, x², ...) fused into one closure.
// A Program is immutable and safe for concurrent use.
type Program struct {
	f    evalFunc
	nvar int
}

// VecProgram is several expressions compiled over the same slots. It is
// immutable and safe for concurrent use.
//
// TODO: subexpressions shared between the expressions (common in a
// Jacobian) are evaluated once per expression; a shared-subexpression
// pass would save that work.
type VecProgram struct {
	fs   []evalFunc
	nvar int
}

// Compile compiles e for evaluation at x, where x[i] is the value of the
// variable vars[i]. A variable of e not in vars is an *UnboundError that
// names it; a name repeated in vars is an error. Program.Eval returns
// what Eval returns, rounded the same way.
func Compile(e Expr, vars []string) (*Program, error) {
	c, err := newCompiler(vars)
	if err != nil {
		return nil, err
	}
	if err := c.check(e); err != nil {
		return nil, err
	}
	return &Program{f: c.compile(e).fn(), nvar: len(vars)}, nil
}

// Eval returns the value of the program at x. It panics if x is shorter
// than the vars given to Compile. It does not allocate.
func (p *Program) Eval(x []float64) float64 {
	if len(x) < p.nvar {
		panic(fmt.Sprintf("expr: Program.Eval: len(x) = %d, want %d",
			len(x), p.nvar))
	}
	return p.f(x)
}

// CompileVec compiles es for evaluation at x as Compile does.
func CompileVec(es []Expr, vars []string) (*VecProgram, error) {
	c, err := newCompiler(vars)
	if err != nil {
		return nil, err
	}
	p := &VecProgram{fs: make([]evalFunc, len(es)), nvar: len(vars)}
	for i, e := range es {
		if err := c.check(e); err != nil {
			return nil, fmt.Errorf("expr: expression %d: %w", i, err)
		}
		p.fs[i] = c.compile(e).fn()
	}
	return p, nil
}

// Len returns the number of expressions of p.
func (p *VecProgram) Len() int { return len(p.fs) }

// Eval sets dst[i] to the value of the i-th expression at x. It panics
// if dst is shorter than p.Len() or x is shorter than the vars given to
// CompileVec. It does not allocate.
func (p *VecProgram) Eval(dst, x []float64) {
	if len(dst) < len(p.fs) || len(x) < p.nvar {
		panic(fmt.Sprintf("expr: VecProgram.Eval: len(dst) = %d, "+
			"len(x) = %d, want %d, %d", len(dst), len(x), len(p.fs), p.nvar))
	}
	for i, f := range p.fs {
		dst[i] = f(x)
	}
}

type compiler struct {
	slots map[string]int
}

func newCompiler(vars []string) (*compiler, error) {
	c := &compiler{slots: make(map[string]int, len(vars))}
	for i, v := range vars {
		if j, ok := c.slots[v]; ok {
			return nil, fmt.Errorf("expr: variable %s in slots %d and %d",
				v, j, i)
		}
		c.slots[v] = i
	}
	return c, nil
}

func (c *compiler) check(e Expr) error {
	return unbound(notNil(e), func(name string) bool {
		_, ok := c.slots[name]
		return ok
	})
}

type opKind uint8

const (
	kFunc  opKind = iota // f(x)
	kSlot                // x[i]
	kConst               // c
)

// operand is a compiled subtree. Slots and constants are kept apart so
// that the closure of their parent can read them directly.
type operand struct {
	kind opKind
	f    evalFunc
	i    int
	c    float64
}

func slotOp(i int) operand      { return operand{kind: kSlot, i: i} }
func constOp(c float64) operand { return operand{kind: kConst, c: c} }
func funcOp(f evalFunc) operand { return operand{kind: kFunc, f: f} }
func (o operand) isConst() bool { return o.kind == kConst }

// fn returns o as a closure.
func (o operand) fn() evalFunc {
	switch o.kind {
	case kSlot:
		i := o.i
		return func(x []float64) float64 { return x[i] }
	case kConst:
		c := o.c
		return func([]float64) float64 { return c }
	}
	return o.f
}

// compile mirrors eval operation by operation, so that the compiled
// program rounds exactly as Eval does.
func (c *compiler) compile(e Expr) operand {
	if isConstant(e) {
		return constOp(eval(e, nil))
	}
	switch e := e.(type) {
	case *variable:
		return slotOp(c.slots[e.name])
	case *sum:
		acc := c.compile(e.terms[0])
		for _, t := range e.terms[1:] {
			// a + (−t) rounds as a − t.
			if n, ok := negated(t); ok {
				acc = binary(opSub, acc, c.compile(n))
			} else {
				acc = binary(opAdd, acc, c.compile(t))
			}
		}
		return acc
	case *product:
		return c.compileProduct(e.factors)
	case *power:
		return c.compilePower(e)
	case *call:
		return c.compileCall(e)
	}
	panic("expr: unknown node")
}

func (c *compiler) compileProduct(fs []Expr) operand {
	// (−1)·a·b rounds as −(a·b).
	neg := false
	if n, ok := fs[0].(*number); ok && n.v == -1 {
		neg, fs = true, fs[1:]
	}
	var acc operand
	if b, ok := reciprocal(fs[0]); ok {
		acc = unary(opRecip, c.compile(b))
	} else {
		acc = c.compile(fs[0])
	}
	for _, f := range fs[1:] {
		if b, ok := reciprocal(f); ok {
			acc = binary(opDiv, acc, c.compile(b))
		} else {
			acc = binary(opMul, acc, c.compile(f))
		}
	}
	if neg {
		acc = unary(opNeg, acc)
	}
	return acc
}

func (c *compiler) compilePower(e *power) operand {
	b, x := c.compile(e.base), c.compile(e.exp)
	if !x.isConst() {
		return binary(opPow, b, x)
	}
	switch x.c {
	case 2:
		return unary(opSquare, b)
	case -1:
		return unary(opRecip, b)
	}
	f, y := b.fn(), x.c
	return funcOp(func(x []float64) float64 { return math.Pow(f(x), y) })
}

func (c *compiler) compileCall(e *call) operand {
	a := c.compile(e.args[0])
	switch e.fn {
	case fnMin:
		return binary(opMin, a, c.compile(e.args[1]))
	case fnMax:
		return binary(opMax, a, c.compile(e.args[1]))
	case fnExp:
		return unary(opExp, a)
	case fnLog:
		return unary(opLog, a)
	case fnSqrt:
		return unary(opSqrt, a)
	case fnAbs:
		return unary(opAbs, a)
	case fnSign:
		return unary(opSign, a)
	case fnStep:
		return unary(opStep, a)
	}
	panic("expr: unknown function")
}

type op uint8

const (
	opAdd op = iota
	opSub
	opMul
	opDiv
	opPow
	opMin
	opMax
	opNeg
	opRecip
	opSquare
	opSqrt
	opExp
	opLog
	opAbs
	opSign
	opStep
)

// apply1 applies a unary op to a value.
func (o op) apply1(a float64) float64 {
	switch o {
	case opNeg:
		return -a
	case opRecip:
		return 1 / a
	case opSquare:
		return a * a
	case opSqrt:
		return math.Sqrt(a)
	case opExp:
		return math.Exp(a)
	case opLog:
		return math.Log(a)
	case opAbs:
		return math.Abs(a)
	case opSign:
		return signum(a)
	case opStep:
		return heaviside(a)
	}
	panic("expr: not a unary op")
}

// apply2 applies a binary op to two values.
func (o op) apply2(a, b float64) float64 {
	switch o {
	case opAdd:
		return a + b
	case opSub:
		return a - b
	case opMul:
		return a * b
	case opDiv:
		return a / b
	case opPow:
		return powEval(a, b)
	case opMin:
		return math.Min(a, b)
	case opMax:
		return math.Max(a, b)
	}
	panic("expr: not a binary op")
}

// unary returns o applied to a, fused with a slot read where it is one.
func unary(o op, a operand) operand {
	if a.isConst() {
		return constOp(o.apply1(a.c))
	}
	if a.kind == kSlot {
		return funcOp(unarySlot(o, a.i))
	}
	return funcOp(unaryFunc(o, a.f))
}

func unarySlot(o op, i int) evalFunc {
	switch o {
	case opNeg:
		return func(x []float64) float64 { return -x[i] }
	case opRecip:
		return func(x []float64) float64 { return 1 / x[i] }
	case opSquare:
		return func(x []float64) float64 { return x[i] * x[i] }
	case opSqrt:
		return func(x []float64) float64 { return math.Sqrt(x[i]) }
	case opExp:
		return func(x []float64) float64 { return math.Exp(x[i]) }
	case opLog:
		return func(x []float64) float64 { return math.Log(x[i]) }
	}
	return func(x []float64) float64 { return o.apply1(x[i]) }
}

func unaryFunc(o op, f evalFunc) evalFunc {
	switch o {
	case opNeg:
		return func(x []float64) float64 { return -f(x) }
	case opRecip:
		return func(x []float64) float64 { return 1 / f(x) }
	case opSquare:
		return func(x []float64) float64 { v := f(x); return v * v }
	case opSqrt:
		return func(x []float64) float64 { return math.Sqrt(f(x)) }
	case opExp:
		return func(x []float64) float64 { return math.Exp(f(x)) }
	case opLog:
		return func(x []float64) float64 { return math.Log(f(x)) }
	}
	return func(x []float64) float64 { return o.apply1(f(x)) }
}

// binary returns a o b, fused with the slot reads and constants among
// a and b. The four arithmetic ops have a closure for each pairing of
// operand kinds; the rest read their operands through closures.
func binary(o op, a, b operand) operand {
	if a.isConst() && b.isConst() {
		return constOp(o.apply2(a.c, b.c))
	}
	switch o {
	case opAdd:
		return funcOp(add(a, b))
	case opSub:
		return funcOp(sub(a, b))
	case opMul:
		return funcOp(mul(a, b))
	case opDiv:
		return funcOp(div(a, b))
	}
	f, g := a.fn(), b.fn()
	return funcOp(func(x []float64) float64 { return o.apply2(f(x), g(x)) })
}

// pairing names the kinds of the two operands of a binary op.
type pairing uint8

const (
	pFF pairing = iota // f(x) o g(x)
	pFS                // f(x) o x[j]
	pFC                // f(x) o c
	pSF                // x[i] o g(x)
	pSS                // x[i] o x[j]
	pSC                // x[i] o c
	pCF                // c o g(x)
	pCS                // c o x[j]
)

func pair(a, b operand) pairing {
	return pairing(3*int(kindIndex(a)) + int(kindIndex(b)))
}

// kindIndex maps func, slot, const to 0, 1, 2 for pair.
func kindIndex(o operand) uint8 {
	switch o.kind {
	case kSlot:
		return 1
	case kConst:
		return 2
	}
	return 0
}

func add(a, b operand) evalFunc {
	f, g, i, j, c, d := a.f, b.f, a.i, b.i, a.c, b.c
	switch pair(a, b) {
	case pFS:
		return func(x []float64) float64 { return f(x) + x[j] }
	case pFC:
		return func(x []float64) float64 { return f(x) + d }
	case pSF:
		return func(x []float64) float64 { return x[i] + g(x) }
	case pSS:
		return func(x []float64) float64 { return x[i] + x[j] }
	case pSC:
		return func(x []float64) float64 { return x[i] + d }
	case pCF:
		return func(x []float64) float64 { return c + g(x) }
	case pCS:
		return func(x []float64) float64 { return c + x[j] }
	}
	return func(x []float64) float64 { return f(x) + g(x) }
}

func sub(a, b operand) evalFunc {
	f, g, i, j, c, d := a.f, b.f, a.i, b.i, a.c, b.c
	switch pair(a, b) {
	case pFS:
		return func(x []float64) float64 { return f(x) - x[j] }
	case pFC:
		return func(x []float64) float64 { return f(x) - d }
	case pSF:
		return func(x []float64) float64 { return x[i] - g(x) }
	case pSS:
		return func(x []float64) float64 { return x[i] - x[j] }
	case pSC:
		return func(x []float64) float64 { return x[i] - d }
	case pCF:
		return func(x []float64) float64 { return c - g(x) }
	case pCS:
		return func(x []float64) float64 { return c - x[j] }
	}
	return func(x []float64) float64 { return f(x) - g(x) }
}

func mul(a, b operand) evalFunc {
	f, g, i, j, c, d := a.f, b.f, a.i, b.i, a.c, b.c
	switch pair(a, b) {
	case pFS:
		return func(x []float64) float64 { return f(x) * x[j] }
	case pFC:
		return func(x []float64) float64 { return f(x) * d }
	case pSF:
		return func(x []float64) float64 { return x[i] * g(x) }
	case pSS:
		return func(x []float64) float64 { return x[i] * x[j] }
	case pSC:
		return func(x []float64) float64 { return x[i] * d }
	case pCF:
		return func(x []float64) float64 { return c * g(x) }
	case pCS:
		return func(x []float64) float64 { return c * x[j] }
	}
	return func(x []float64) float64 { return f(x) * g(x) }
}

func div(a, b operand) evalFunc {
	f, g, i, j, c, d := a.f, b.f, a.i, b.i, a.c, b.c
	switch pair(a, b) {
	case pFS:
		return func(x []float64) float64 { return f(x) / x[j] }
	case pFC:
		return func(x []float64) float64 { return f(x) / d }
	case pSF:
		return func(x []float64) float64 { return x[i] / g(x) }
	case pSS:
		return func(x []float64) float64 { return x[i] / x[j] }
	case pSC:
		return func(x []float64) float64 { return x[i] / d }
	case pCF:
		return func(x []float64) float64 { return c / g(x) }
	case pCS:
		return func(x []float64) float64 { return c / x[j] }
	}
	return func(x []float64) float64 { return f(x) / g(x) }
}
