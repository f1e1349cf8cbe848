package jacobian

import (
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/linalg"
	"github.com/paradoxlab/paradox/model"
)

// MarginalTol is the relative tolerance under which a largest real part
// counts as zero: |max Re λ| ≤ MarginalTol · max |λ| is marginal. Grid
// points can fall exactly on a border (for example (3.5, 12) for the
// standard rule at equal rates), where rounding leaves |Re λ| ~ 1e-16 |λ|;
// analytics.md §13 recommends 1e-9.
const MarginalTol = 1e-9

// Stability is the verdict of both subsystems at one point of the
// setpoint plane.
type Stability struct {
	// W are the four weights (WEI and WII from Methods Eqs. 4-5).
	W model.Weights

	// C = gE gI WEI WIE − (gE WEE − 1)(gI WII + 1). Singular is |C| ≤ 1e-12:
	// no isolated fixed point, and nothing below is computed.
	C        float64
	Singular bool

	// NeuralMaxRe and PlasticityMaxRe are the largest real parts of the
	// neural eigenvalues (1/ms) and of the nonzero plasticity eigenvalues
	// (in the rates' time unit); NeuralScale and PlasticityScale the
	// largest moduli, for the marginal test.
	NeuralMaxRe, NeuralScale         float64
	PlasticityMaxRe, PlasticityScale float64

	// Trace and Det of the neural Jacobian and of K.
	NeuralTrace, NeuralDet         float64
	PlasticityTrace, PlasticityDet float64

	// Paradoxical is gE WEE > 1.
	Paradoxical bool
}

// NeuralStable is a largest real part below −MarginalTol times the scale.
func (s *Stability) NeuralStable() bool {
	return !s.Singular && s.NeuralMaxRe < -MarginalTol*s.NeuralScale
}

// PlasticityStable is the same test for the plasticity eigenvalues.
func (s *Stability) PlasticityStable() bool {
	return !s.Singular && s.PlasticityMaxRe < -MarginalTol*s.PlasticityScale
}

// NeuralMarginal is |max Re| ≤ MarginalTol times the scale.
func (s *Stability) NeuralMarginal() bool {
	return !s.Singular && math.Abs(s.NeuralMaxRe) <= MarginalTol*s.NeuralScale
}

// PlasticityMarginal is |max Re| ≤ MarginalTol times the scale.
func (s *Stability) PlasticityMarginal() bool {
	return !s.Singular && math.Abs(s.PlasticityMaxRe) <= MarginalTol*s.PlasticityScale
}

// entry is one matrix entry on the setpoint plane: a constant, or a
// program over the four weights.
type entry struct {
	c    float64
	prog *expr.Program
}

func (e *entry) at(x []float64) float64 {
	if e.prog == nil {
		return e.c
	}
	return e.prog.Eval(x)
}

// PlaneKernel classifies points of the setpoint plane fast. It evaluates
// the rule's derivatives at E = Eset, I = Iset once per point (most are
// constants after substitution and cost nothing), forms only the two
// columns of J = D + M G that K needs, and reads stability off tr K and
// det K in closed form. It is safe for concurrent use and does not
// allocate.
type PlaneKernel struct {
	rule *Rule
	p    model.Params

	// m[k][0..1] = ∂f_k/∂E, ∂f_k/∂I; d[k][0..1] = ∂f_k/∂WEI, ∂f_k/∂WII:
	// the only entries of D that K uses.
	m [4][2]entry
	d [4][2]entry

	// allConst says every entry is a constant. kc then holds K's entries
	// as affine functions of the G entries: K00 and K10 of (g01, g11),
	// K01 and K11 of (g03, g13), as (constant, coefficient, coefficient).
	allConst bool
	kc       [4][3]float64

	// Precomputed constants: the plane WEI = sEI WEE + cEI and
	// WII = sII WIE + cII (Methods Eqs. 4-5), 1/τE, 1/τI, gE gI,
	// r = Eset/Iset and the Iset factors of G.
	sEI, cEI, sII, cII    float64
	invTauE, invTauI      float64
	gEgI, r               float64
	gEIset, gIIset, gEgI2 float64
}

var weightVars = model.Names[:]

// NewPlaneKernel prepares rule for the fast path. It checks that the
// setpoint plane is a plane of fixed points of the rule (every expression
// vanishes at E = Eset, I = Iset on the plane); otherwise there is no
// rank-2 structure to exploit and it returns an error.
func NewPlaneKernel(rule *Rule) (*PlaneKernel, error) {
	p := rule.Params
	if err := checkPlaneFixed(rule); err != nil {
		return nil, err
	}
	k := &PlaneKernel{rule: rule, p: p}
	pl := p.Plane()
	k.sEI, k.cEI, k.sII, k.cII = pl.SEI, pl.CEI, pl.SII, pl.CII
	k.invTauE, k.invTauI = 1/p.TauE, 1/p.TauI
	k.gEgI, k.r = p.GE*p.GI, p.Eset/p.Iset
	k.gEIset, k.gIIset, k.gEgI2 = p.GE*p.Iset, p.GI*p.Iset, p.GE*p.GI*p.Iset
	for i, e := range rule.Exprs {
		var err error
		if k.m[i][0], err = planeEntry(expr.Diff(e, "E"), p); err != nil {
			return nil, err
		}
		if k.m[i][1], err = planeEntry(expr.Diff(e, "I"), p); err != nil {
			return nil, err
		}
		if k.d[i][0], err = planeEntry(expr.Diff(e, "WEI"), p); err != nil {
			return nil, err
		}
		if k.d[i][1], err = planeEntry(expr.Diff(e, "WII"), p); err != nil {
			return nil, err
		}
	}
	k.allConst = true
	for i := 0; i < 4; i++ {
		for j := 0; j < 2; j++ {
			k.allConst = k.allConst && k.m[i][j].prog == nil && k.d[i][j].prog == nil
		}
	}
	if k.allConst {
		// K00 = J[1][1] − r J[0][1] with J[i][1] = d[i][0] + m[i][0] g01
		// + m[i][1] g11, and likewise for the other three entries.
		row := func(hi, lo, col int) [3]float64 {
			return [3]float64{
				k.d[hi][col].c - k.r*k.d[lo][col].c,
				k.m[hi][0].c - k.r*k.m[lo][0].c,
				k.m[hi][1].c - k.r*k.m[lo][1].c,
			}
		}
		k.kc = [4][3]float64{row(1, 0, 0), row(3, 2, 0), row(1, 0, 1), row(3, 2, 1)}
	}
	return k, nil
}

// planeFixedTol is the relative size, against the rule's typical
// magnitude one tenth away from the setpoints and the plane, below which dW/dt counts as
// zero on the setpoint plane: rounding of the plane's coefficients leaves
// about 1e-16 relative; a rule that does not vanish there is off by O(1).
const planeFixedTol = 1e-9

// checkPlaneFixed checks numerically, at a few points of the plane, that
// dW/dt = 0 at E = Eset, I = Iset.
func checkPlaneFixed(rule *Rule) error {
	p := rule.Params
	for _, pt := range [][2]float64{{5, 10}, {2.5, 7}, {8, 17}, {0.5, 1}} {
		w := p.OnPlane(pt[0], pt[1])
		at := rule.Delta(p.Eset, p.Iset, w).Array()
		// The typical size of each term: off the setpoints and off the
		// plane (weights scaled by 1.1).
		wOff := model.Weights{WEE: 1.1 * w.WEE, WEI: 1.1 * w.WEI, WIE: 1.1 * w.WIE, WII: 1.1 * w.WII}
		off := rule.Delta(1.1*p.Eset, 0.9*p.Iset, wOff).Array()
		for k := range at {
			scale := math.Max(math.Abs(off[k]), math.SmallestNonzeroFloat64)
			if math.Abs(at[k]) > planeFixedTol*scale && at[k] != 0 {
				return fmt.Errorf("jacobian: rule %s: d%s = %g at the setpoints (WEE=%g, WIE=%g), so the setpoint plane is not a plane of fixed points",
					rule.Family.Name, model.Names[k], at[k], pt[0], pt[1])
			}
		}
	}
	return nil
}

// planeEntry evaluates a derivative at E = Eset, I = Iset, folds it to a
// constant if it is one, and compiles it over the weights otherwise.
func planeEntry(e expr.Expr, p model.Params) (entry, error) {
	e = expr.Subst(e, map[string]float64{"E": p.Eset, "I": p.Iset})
	if c, ok := expr.Const(e); ok {
		return entry{c: c}, nil
	}
	prog, err := expr.Compile(e, weightVars)
	if err != nil {
		return entry{}, err
	}
	return entry{prog: prog}, nil
}

// At returns the stability of both subsystems at the setpoint-plane
// point with free weights WEE and WIE. It allocates a 4-float scratch
// when the rule's derivatives depend on the weights; AtTo does not.
func (k *PlaneKernel) At(WEE, WIE float64) Stability {
	var s Stability
	var x [4]float64
	k.AtTo(&s, WEE, WIE, &x)
	return s
}

// AtTo is At writing into dst, with caller-provided scratch space for
// the weights, so that a loop over many points neither allocates nor
// copies results.
func (k *PlaneKernel) AtTo(dst *Stability, WEE, WIE float64, x *[4]float64) {
	WEI := float64(k.sEI*WEE) + k.cEI
	WII := float64(k.sII*WIE) + k.cII
	a := k.p.GE*WEE - 1
	b := k.p.GI*WII + 1
	C := k.gEgI*WEI*WIE - a*b
	*dst = Stability{
		W: model.Weights{WEE: WEE, WEI: WEI, WIE: WIE, WII: WII},
		C: C, Paradoxical: a > 0,
	}
	if math.Abs(C) <= singularC {
		dst.Singular = true
		return
	}
	invC := 1 / C

	// Neural subsystem: tr = a/τE − b/τI, det = C/(τE τI).
	dst.NeuralTrace = a*k.invTauE - b*k.invTauI
	dst.NeuralDet = C * k.invTauE * k.invTauI
	dst.NeuralMaxRe, dst.NeuralScale = maxReScale(dst.NeuralTrace, dst.NeuralDet)

	// Columns WEI and WII of G = d(E*, I*)/dW at (Eset, Iset).
	g01 := -b * k.gEIset * invC
	g11 := -k.gEgI2 * WIE * invC
	g03 := k.gEgI2 * WEI * invC
	g13 := a * k.gIIset * invC

	// K on the quotient by the plane's tangent (r = Eset/Iset) from the
	// columns WEI and WII of J = D + M G.
	var k00, k01, k10, k11 float64
	if k.allConst {
		c := &k.kc
		k00 = c[0][0] + c[0][1]*g01 + c[0][2]*g11
		k10 = c[1][0] + c[1][1]*g01 + c[1][2]*g11
		k01 = c[2][0] + c[2][1]*g03 + c[2][2]*g13
		k11 = c[3][0] + c[3][1]*g03 + c[3][2]*g13
	} else {
		*x = [4]float64{WEE, WEI, WIE, WII}
		var j1, j3 [4]float64
		for i := 0; i < 4; i++ {
			mE, mI := k.m[i][0].at(x[:]), k.m[i][1].at(x[:])
			j1[i] = k.d[i][0].at(x[:]) + mE*g01 + mI*g11
			j3[i] = k.d[i][1].at(x[:]) + mE*g03 + mI*g13
		}
		r := k.r
		k00, k01 = j1[1]-r*j1[0], j3[1]-r*j3[0]
		k10, k11 = j1[3]-r*j1[2], j3[3]-r*j3[2]
	}
	dst.PlasticityTrace = k00 + k11
	dst.PlasticityDet = k00*k11 - k01*k10
	dst.PlasticityMaxRe, dst.PlasticityScale = maxReScale(dst.PlasticityTrace, dst.PlasticityDet)
}

// maxReScale returns the largest real part and the largest modulus of the
// eigenvalues of a 2x2 matrix with trace tr and determinant det.
func maxReScale(tr, det float64) (maxRe, scale float64) {
	h := tr / 2
	disc := h*h - det
	if disc <= 0 {
		return h, math.Sqrt(math.Max(det, 0))
	}
	s := math.Sqrt(disc)
	return h + s, math.Abs(h) + s
}

// Eigen classifies the same point by the slow path: the full 4x4
// Jacobian from the symbolic derivatives, its eigenvalues from gonum's
// mat.Eigen with the two structural zeros removed, and the neural
// eigenvalues likewise. It is the reference the fast path is tested
// against.
func Eigen(rule *Rule, WEE, WIE float64) (Stability, error) {
	p := rule.Params
	w := p.OnPlane(WEE, WIE)
	_, _, C := abC(p, w)
	s := Stability{W: w, C: C, Paradoxical: p.GE*WEE > 1}
	if math.Abs(C) <= singularC {
		s.Singular = true
		return s, nil
	}
	n := NeuralStability(p, w)
	flat := []float64{n.Jn[0][0], n.Jn[0][1], n.Jn[1][0], n.Jn[1][1]}
	ne, err := linalg.Eigenvalues(flat, 2)
	if err != nil {
		return s, err
	}
	s.NeuralTrace, s.NeuralDet = n.Trace, n.Det
	s.NeuralMaxRe, s.NeuralScale = real(ne[0]), linalg.MaxAbs(ne)

	pl, err := PlasticityAt(rule, w, p.Eset, p.Iset)
	if err != nil {
		return s, err
	}
	s.PlasticityTrace, s.PlasticityDet = pl.Trace, pl.Det
	s.PlasticityMaxRe = real(pl.Eigenvalues[0])
	s.PlasticityScale = linalg.MaxAbs(pl.Eigenvalues[:])
	return s, nil
}
