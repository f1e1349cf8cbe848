package jacobian

import (
	"fmt"
	"math"
	"sync"

	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
)

// Rule is a family compiled for one set of model constants and rates: the
// four expressions as fast programs over E, I and the weights. A Rule is
// safe for concurrent use.
type Rule struct {
	Family *Family
	Params model.Params
	Rates  Rates

	// Exprs are the family's expressions with every constant substituted.
	Exprs [4]expr.Expr

	prog *expr.VecProgram

	// derivs are the compiled first derivatives, built on first use.
	derivsOnce sync.Once
	derivs     *derivProgs
	derivsErr  error
}

// derivProgs are the compiled derivatives of a rule over the state
// variables: m[k] = (∂f_k/∂E, ∂f_k/∂I) and d[k][j] = ∂f_k/∂W_j.
type derivProgs struct {
	m [4][2]*expr.Program
	d [4][4]*expr.Program
}

// compiledDerivs returns the rule's derivative programs, compiling them
// once.
func (r *Rule) compiledDerivs() (*derivProgs, error) {
	r.derivsOnce.Do(func() {
		dp := &derivProgs{}
		for k, e := range r.Exprs {
			for i, v := range []string{"E", "I"} {
				if dp.m[k][i], r.derivsErr = expr.Compile(expr.Diff(e, v), stateVars); r.derivsErr != nil {
					return
				}
			}
			for j, v := range model.Names {
				if dp.d[k][j], r.derivsErr = expr.Compile(expr.Diff(e, v), stateVars); r.derivsErr != nil {
					return
				}
			}
		}
		r.derivs = dp
	})
	return r.derivs, r.derivsErr
}

// Compile binds the model constants and rates of f and compiles its
// expressions. It fails if a rate the family uses is not finite.
func (f *Family) Compile(p model.Params, r Rates) (*Rule, error) {
	for i := 0; i < 4; i++ {
		if !finite(r.A[i]) || !finite(r.H[i]) {
			return nil, fmt.Errorf("jacobian: rates %v: not finite", r)
		}
	}
	consts := f.constants(p, r)
	rl := &Rule{Family: f, Params: p, Rates: r}
	es := make([]expr.Expr, 4)
	for i, e := range f.Exprs {
		rl.Exprs[i] = expr.Subst(e, consts)
		es[i] = rl.Exprs[i]
	}
	prog, err := expr.CompileVec(es, stateVars)
	if err != nil {
		return nil, fmt.Errorf("jacobian: compiling %s: %w", f.Name, err)
	}
	rl.prog = prog
	return rl, nil
}

// Delta returns dW/dt of the rule at rates E, I and weights w: the four
// expressions evaluated. A trial-based simulation adds it to w once per
// trial. It does not allocate.
func (r *Rule) Delta(E, I float64, w model.Weights) model.Weights {
	x := [6]float64{E, I, w.WEE, w.WEI, w.WIE, w.WII}
	var d [4]float64
	r.prog.Eval(d[:], x[:])
	return model.FromArray(d)
}

// Derivs are the symbolic first derivatives of a family's expressions
// (before any constant is bound).
type Derivs struct {
	// DE[k] = ∂f_k/∂E and DI[k] = ∂f_k/∂I.
	DE, DI [4]expr.Expr

	// DW[k][j] = ∂f_k/∂W_j.
	DW [4][4]expr.Expr
}

// Derivatives returns the symbolic derivatives of every expression of f
// with respect to E, I and the four weights.
func (f *Family) Derivatives() Derivs {
	var d Derivs
	for k, e := range f.Exprs {
		d.DE[k] = expr.Diff(e, "E")
		d.DI[k] = expr.Diff(e, "I")
		for j, w := range model.Names {
			d.DW[k][j] = expr.Diff(e, w)
		}
	}
	return d
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
