package expr

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

func TestCompileMatchesEval(t *testing.T) {
	// Program.Eval does the operations of Eval in the same order with one
	// rounding each, so it should match bit for bit; the tolerance only
	// absorbs a fused multiply-add that a compiler may emit on some
	// architectures.
	const tol = 1e-15
	g := newGen(false)
	vars := append([]string{"unused"}, g.vars...)
	x := make([]float64, len(vars))
	for range 3000 {
		e := g.expr(5)
		for _, e := range []Expr{e, Simplify(e)} {
			p, err := Compile(e, vars)
			if err != nil {
				t.Fatal(err)
			}
			env := g.point()
			for i, v := range vars {
				x[i] = env[v]
			}
			want, err := Eval(e, env)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Eval(x); !within(got, want, tol) {
				t.Errorf("%v at %v: got %v, want %v", e, env, got, want)
			}
		}
	}
}

func TestCompileVec(t *testing.T) {
	es := []Expr{MustParse(ruleEE), MustParse(ruleEI), MustParse("3"),
		MustParse(rulePlane)}
	vars := Vars(MustParse(rulePlane + "+" + ruleEI + "+" + ruleEE))
	p, err := CompileVec(es, vars)
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != len(es) {
		t.Errorf("Len = %d, want %d", p.Len(), len(es))
	}
	x := make([]float64, len(vars))
	for i, v := range vars {
		x[i] = ruleEnv[v]
	}
	dst := make([]float64, len(es))
	p.Eval(dst, x)
	const tol = 1e-15 // as in TestCompileMatchesEval
	for i, e := range es {
		want, _ := Eval(e, ruleEnv)
		if !within(dst[i], want, tol) {
			t.Errorf("%v: got %v, want %v", e, dst[i], want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	e := MustParse(ruleEE)
	_, err := Compile(e, []string{"E", "aEE"})
	var ue *UnboundError
	if !errors.As(err, &ue) || len(ue.Names) != 1 || ue.Names[0] != "Eset" {
		t.Errorf("got %v, want Eset unbound", err)
	}
	if _, err := Compile(e, []string{"E", "aEE", "Eset", "E"}); err == nil {
		t.Error("repeated slot: got no error")
	}
	_, err = CompileVec([]Expr{e, MustParse("x")}, []string{"E", "aEE", "Eset"})
	if !errors.As(err, &ue) || ue.Names[0] != "x" {
		t.Errorf("got %v, want x unbound", err)
	}
}

func TestCompileFoldsConstants(t *testing.T) {
	c, err := newCompiler([]string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	o := c.compile(MustParse("2*exp(0)/4 + sqrt(16)"))
	if o.kind != kConst || o.c != 4.5 {
		t.Errorf("got %+v, want the constant 4.5", o)
	}
	o = c.compile(MustParse("x*(2*3)"))
	if o.kind != kFunc {
		t.Fatalf("got kind %v, want a closure", o.kind)
	}
	if got := o.f([]float64{2}); got != 12 {
		t.Errorf("got %v, want 12", got)
	}
}

func TestProgramEvalPanicsShort(t *testing.T) {
	p, err := Compile(MustParse("x + y"), []string{"x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("short x did not panic")
		}
	}()
	p.Eval([]float64{1})
}

func TestProgramAllocs(t *testing.T) {
	p, x := ruleProgram(t)
	var s float64
	if n := testing.AllocsPerRun(100, func() { s += p.Eval(x) }); n != 0 {
		t.Errorf("Program.Eval: %v allocations, want 0", n)
	}
	vp, x := ruleVecProgram(t)
	dst := make([]float64, vp.Len())
	if n := testing.AllocsPerRun(100, func() { vp.Eval(dst, x) }); n != 0 {
		t.Errorf("VecProgram.Eval: %v allocations, want 0", n)
	}
}

// TestProgramConcurrent evaluates one program from many goroutines; run
// it with -race.
func TestProgramConcurrent(t *testing.T) {
	vp, _ := ruleVecProgram(t)
	n := vp.Len()
	const tol = 1e-15 // as in TestCompileMatchesEval
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(1, uint64(w)))
			x := make([]float64, len(ruleVars))
			dst := make([]float64, n)
			for range 1000 {
				env := make(map[string]float64, len(ruleVars))
				for i, v := range ruleVars {
					x[i] = ruleEnv[v] * (0.5 + rng.Float64())
					env[v] = x[i]
				}
				vp.Eval(dst, x)
				for i, e := range ruleExprs() {
					want := eval(e, env)
					if !within(dst[i], want, tol) {
						t.Errorf("%v: got %v, want %v", e, dst[i], want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// ruleVars are the slots of the rule benchmarks.
var ruleVars = []string{"E", "I", "Eset", "Iset", "aEE", "aEI", "hEI",
	"gE", "gI", "thetaE", "Iext", "WEE", "WEI"}

// ruleExprs are four rules, one per weight, in the style of the
// plasticity families.
func ruleExprs() []Expr {
	return []Expr{
		MustParse(ruleWEE),
		MustParse(ruleEI),
		MustParse("aEI*I*(Eset - E)*WEI"),
		MustParse(rulePlane),
	}
}

func ruleProgram(tb testing.TB) (*Program, []float64) {
	p, err := Compile(MustParse(ruleEE), []string{"aEE", "E", "Eset", "I"})
	if err != nil {
		tb.Fatal(err)
	}
	return p, []float64{0.3, 4.2, 5, 15.5}
}

func ruleVecProgram(tb testing.TB) (*VecProgram, []float64) {
	p, err := CompileVec(ruleExprs(), ruleVars)
	if err != nil {
		tb.Fatal(err)
	}
	x := make([]float64, len(ruleVars))
	for i, v := range ruleVars {
		x[i] = ruleEnv[v]
	}
	return p, x
}

var sink float64

// BenchmarkProgramEvalRule evaluates a 4-expression rule.
func BenchmarkProgramEvalRule(b *testing.B) {
	p, x := ruleVecProgram(b)
	dst := make([]float64, p.Len())
	for b.Loop() {
		p.Eval(dst, x)
	}
	sink = dst[0]
}

// BenchmarkProgramEvalEE evaluates aEE*E*(Eset - E) over 4 slots.
func BenchmarkProgramEvalEE(b *testing.B) {
	p, x := ruleProgram(b)
	for b.Loop() {
		sink += p.Eval(x)
	}
}

// BenchmarkEvalRule is the reference evaluator on the rule of
// BenchmarkProgramEvalRule, for comparison.
func BenchmarkEvalRule(b *testing.B) {
	es := ruleExprs()
	for b.Loop() {
		for _, e := range es {
			sink += eval(e, ruleEnv)
		}
	}
}

func BenchmarkDiffPlane(b *testing.B) {
	e := MustParse(rulePlane)
	for b.Loop() {
		Diff(e, "gE")
	}
}

func BenchmarkSimplifyPlane(b *testing.B) {
	e := MustParse(rulePlane)
	for b.Loop() {
		Simplify(e)
	}
}

func BenchmarkParsePlane(b *testing.B) {
	for b.Loop() {
		MustParse(rulePlane)
	}
}
