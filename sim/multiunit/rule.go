package multiunit

import (
	"fmt"
	"strings"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
)

// Factor is what multiplies the error part of a per-synapse update.
type Factor int

const (
	// FactorNone: the expression is 0 and the class does not learn.
	FactorNone Factor = iota
	// FactorPre: the presynaptic unit's rate (Methods Eqs. 6-8).
	FactorPre
	// FactorWeight: the synapse's own weight (synaptic scaling, SI 1.5).
	FactorWeight
)

// ClassRule is the per-synapse update of one weight class, derived from
// the family's expression f for that class (see Rule):
//
//	Δw_ij = factor_ij · (Own(y_i) + ⟨Cross(z_l)⟩_l)
//
// where y_i is the postsynaptic unit's own rate and the mean runs over
// the units l of the other population (not i's) that project to i.
type ClassRule struct {
	Factor Factor

	// Own is the homeostatic part, an expression in the postsynaptic
	// population's rate (E for WEE and WEI, I for WIE and WII); Cross
	// the cross part, in the other population's rate. Either may be
	// the number 0.
	Own, Cross expr.Expr

	own, cross *expr.Program
	hasCross   bool
}

// Rule is a rule family mapped onto the synapses of a multiunit network,
// with its learning rates and setpoints bound.
//
// # Mapping
//
// The family gives, per class, f(E, I, W) = dW/dt of the two-population
// model. For the class onto population Y from population X (WEE: Y = X =
// E; WEI: Y = E, X = I; ...), with Z the population other than Y,
// NewRule writes f as
//
//	f = X·G(E, I)   (FactorPre; f vanishes at X = 0), or
//	f = W·G(E, I)   (FactorWeight; f vanishes at W = 0, the class's own
//	                 weight, and is not FactorPre),
//
// with G = f/X (or f/W) expanded symbolically, and splits G into a part
// in the postsynaptic population's rate and a part in the other's:
//
//	Own(y)   = G(y, Zset)                 (G at the other setpoint)
//	Cross(z) = G(Yset, z) − G(Yset, Zset)
//
// which is exact when G has no mixed term, ∂²G/∂Y∂Z = 0; NewRule checks
// it. A synapse onto unit i from unit j then changes by
//
//	Δw_ij = x_j · (Own(y_i) + (1/n_i) Σ_l Cross(z_l))
//
// with x_j the presynaptic rate (or w_ij), y_i unit i's own rate and the
// sum over the n_i units l of the other population that project to i,
// all rates being the floored, trial-filtered ones. For the built-in
// families this is rate-models.md §2 exactly: standard has only Own
// terms, cross only Cross terms (the same increment on every row), and
// twoterm both, with α per synapse: for WEE,
//
//	standard  Δw_ij = α Ē_j (Eset − Ē_i)
//	cross     Δw_ij = α Ē_j ⟨Iset − Ī⟩
//	twoterm   Δw_ij = α Ē_j (Eset − Ē_i) + α Ē_j ⟨Iset − Ī⟩.
//
// A synapse's learning rate is the family's aXX (and hXX): with rows of
// n_X identical entries the row sums follow the two-population rule with
// rates n_X·aXX, and floors floor/n_X (Weights.ClassSums).
//
// # Families that cannot be mapped
//
// NewRule returns an error for a class whose expression is neither
// X·G nor W·G (forcedbalance's WEI and WII, which relax to the setpoint
// plane, or a sum of a rate term and a weight term), whose G depends on
// a weight, or whose G mixes the two populations' rates (a product of
// the E and I errors, say). Vanishing and mixing are decided by
// expr.Expand, which is exact for polynomials; an expression that is not
// polynomial may be rejected even though it could be mapped.
//
// A Rule is immutable and safe for concurrent use.
type Rule struct {
	// Family is the family's name.
	Family string

	// Classes are the per-synapse rules of WEE, WEI, WIE and WII.
	Classes [4]ClassRule

	// Eset and Iset are the setpoints the split refers to (Hz).
	Eset, Iset float64
}

// pre and post return the presynaptic and postsynaptic population
// (0 for E, 1 for I) of class k.
func pre(k int) int  { return k & 1 }
func post(k int) int { return k >> 1 }

var popVar = [2]string{"E", "I"}

// NewRule maps the compiled two-population rule r onto synapses (see
// Rule). Its learning rates are then per synapse.
func NewRule(r *jacobian.Rule) (*Rule, error) {
	mr := &Rule{Family: r.Family.Name, Eset: r.Params.Eset, Iset: r.Params.Iset}
	set := [2]float64{r.Params.Eset, r.Params.Iset}
	for k, f := range r.Exprs {
		cr, err := mapClass(k, f, set)
		if err != nil {
			return nil, fmt.Errorf("multiunit: rule %s: d%s = %v: %w", r.Family.Name, model.Names[k], f, err)
		}
		mr.Classes[k] = cr
	}
	return mr, nil
}

func isZero(e expr.Expr) bool {
	v, ok := expr.Const(expr.Expand(e))
	return ok && v == 0
}

// mapClass maps the expression f of class k.
func mapClass(k int, f expr.Expr, set [2]float64) (ClassRule, error) {
	var cr ClassRule
	if isZero(f) {
		cr.Factor, cr.Own, cr.Cross = FactorNone, expr.Num(0), expr.Num(0)
		return cr, cr.compile(k)
	}
	x, w := popVar[pre(k)], model.Names[k]
	var g expr.Expr
	switch {
	case isZero(expr.SubstExpr(f, x, expr.Num(0))):
		cr.Factor, g = FactorPre, expr.Expand(expr.Div(f, expr.Var(x)))
	case isZero(expr.SubstExpr(f, w, expr.Num(0))):
		cr.Factor, g = FactorWeight, expr.Expand(expr.Div(f, expr.Var(w)))
	default:
		return cr, fmt.Errorf("not of the form %s·G or %s·G (it does not vanish when the presynaptic rate %s or the weight %s is 0), so it has no per-synapse form",
			x, w, x, w)
	}
	for _, v := range expr.Vars(g) {
		if v != "E" && v != "I" {
			return cr, fmt.Errorf("its error part %v depends on %s; only E and I can be mapped onto units", g, v)
		}
	}
	y, z := popVar[post(k)], popVar[1-post(k)]
	if !isZero(expr.Diff(expr.Diff(g, y), z)) {
		return cr, fmt.Errorf("its error part %v mixes the postsynaptic unit's own rate %s with the other population's rate %s, which cannot be split into own and partners' mean terms",
			g, y, z)
	}
	ys, zs := expr.Num(set[post(k)]), expr.Num(set[1-post(k)])
	cr.Own = expr.Simplify(expr.SubstExpr(g, z, zs))
	at := expr.SubstExpr(g, y, ys)
	cr.Cross = expr.Simplify(expr.Sub(at, expr.SubstExpr(at, z, zs)))
	return cr, cr.compile(k)
}

// compile compiles Own over the postsynaptic rate and Cross over the
// other population's rate.
func (cr *ClassRule) compile(k int) error {
	var err error
	if cr.own, err = expr.Compile(cr.Own, []string{popVar[post(k)]}); err != nil {
		return err
	}
	if cr.cross, err = expr.Compile(cr.Cross, []string{popVar[1-post(k)]}); err != nil {
		return err
	}
	cr.hasCross = !isZero(cr.Cross)
	return nil
}

// format returns the per-synapse form of class k's update, leaving out
// a part that is 0.
func (cr *ClassRule) format(k int) string {
	if cr.Factor == FactorNone {
		return "0"
	}
	fac := popVar[pre(k)] + "_j"
	if cr.Factor == FactorWeight {
		fac = "w_ij"
	}
	y, z := popVar[post(k)], popVar[1-post(k)]
	var terms []string
	if !isZero(cr.Own) {
		terms = append(terms, expr.SubstExpr(cr.Own, y, expr.Var(y+"_i")).String())
	}
	if cr.hasCross {
		terms = append(terms, fmt.Sprintf("mean_l(%v)", expr.SubstExpr(cr.Cross, z, expr.Var(z+"_l"))))
	}
	if len(terms) == 0 {
		return "0"
	}
	return fmt.Sprintf("%s·(%s)", fac, strings.Join(terms, " + "))
}

// Describe returns one line per class with its per-synapse update, for
// provenance: i is the postsynaptic unit, j the presynaptic one and
// mean_l the mean over the units l of the other population that project
// to i. For the cross rule's WEE it reads
// "dWEE_ij = E_j·(mean_l(0.00028 - 2e-05*I_l))" (with α = 2e-5).
func (r *Rule) Describe() []string {
	out := make([]string, 4)
	for k := range r.Classes {
		out[k] = fmt.Sprintf("d%s_ij = %s", model.Names[k], r.Classes[k].format(k))
	}
	return out
}
