package jacobian

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/paradoxlab/paradox/linalg"
	"github.com/paradoxlab/paradox/model"
)

// Sensitivity returns G = d(E*, I*)/dW at the Up state (E, I) with
// weights w, by implicit differentiation of the fixed-point equations
// F(E, I, W) = 0 with F = (−E + gE(WEE E − WEI I − θE'), −I + gI(WIE E − WII I − θI)):
//
//	G = −(∂F/∂(E, I))⁻¹ ∂F/∂W
//	  = (1/C) [[b gE E, −b gE I, −gE gI WEI E, gE gI WEI I],
//	           [gE gI WIE E, −gE gI WIE I, −a gI E, a gI I]]
//
// (analytics.md §4). It returns an error when C = 0.
func Sensitivity(p model.Params, w model.Weights, E, I float64) ([2][4]float64, error) {
	a, b, C := abC(p, w)
	if math.Abs(C) <= singularC {
		return [2][4]float64{}, fmt.Errorf("jacobian: singular neural system (C = %g) at %v", C, w)
	}
	gEgI := p.GE * p.GI
	return [2][4]float64{
		{b * p.GE * E / C, -b * p.GE * I / C, -gEgI * w.WEI * E / C, gEgI * w.WEI * I / C},
		{gEgI * w.WIE * E / C, -gEgI * w.WIE * I / C, -a * p.GI * E / C, a * p.GI * I / C},
	}, nil
}

// Plasticity is the linear stability of the QSS plasticity subsystem at
// one point.
type Plasticity struct {
	// J is the 4x4 Jacobian of dW/dt in the QSS reduction, row k the
	// derivative of dW_k/dt.
	J [4][4]float64

	// M = ∂f/∂(E, I) (4x2) and D = ∂f/∂W at fixed rates (4x4), both at the
	// fixed point; J = D + M G.
	M [4][2]float64
	D [4][4]float64

	// G = d(E*, I*)/dW.
	G [2][4]float64

	// K is the reduced 2x2 matrix whose eigenvalues are the nonzero
	// eigenvalues of J: G M when D vanishes at the point, else the map J
	// induces on the quotient by the tangent of the fixed-point plane.
	K [2][2]float64

	// Trace and Det of K.
	Trace, Det float64

	// All are the four eigenvalues of J by gonum's mat.Eigen, sorted by
	// decreasing real part.
	All []complex128

	// Eigenvalues are the two nonzero eigenvalues (those of K), and Zero
	// the two that J's rank-2 structure makes zero, as computed.
	Eigenvalues [2]complex128
	Zero        [2]complex128

	// NullResidual is max |J t| / ‖J‖ over the two tangent vectors
	// (1, E/I, 0, 0) and (0, 0, 1, E/I): zero up to rounding on the
	// setpoint plane.
	NullResidual float64

	// Stable is tr K < 0 and det K > 0.
	Stable bool
}

// PlasticityAt returns the QSS plasticity Jacobian of rule at weights w
// and the Up state (E, I), computed from the family's symbolic
// derivatives and the implicit-differentiation G.
func PlasticityAt(rule *Rule, w model.Weights, E, I float64) (*Plasticity, error) {
	G, err := Sensitivity(rule.Params, w, E, I)
	if err != nil {
		return nil, err
	}
	dp, err := rule.compiledDerivs()
	if err != nil {
		return nil, err
	}
	x := []float64{E, I, w.WEE, w.WEI, w.WIE, w.WII}
	pl := &Plasticity{G: G}
	for k := 0; k < 4; k++ {
		pl.M[k][0] = dp.m[k][0].Eval(x)
		pl.M[k][1] = dp.m[k][1].Eval(x)
		for j := 0; j < 4; j++ {
			pl.D[k][j] = dp.d[k][j].Eval(x)
		}
	}
	directZero := true
	for k := 0; k < 4; k++ {
		for j := 0; j < 4; j++ {
			pl.J[k][j] = pl.D[k][j] + pl.M[k][0]*G[0][j] + pl.M[k][1]*G[1][j]
			directZero = directZero && pl.D[k][j] == 0
		}
	}
	r := E / I
	if directZero {
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				for k := 0; k < 4; k++ {
					pl.K[i][j] += G[i][k] * pl.M[k][j]
				}
			}
		}
	} else {
		pl.K = quotientK(&pl.J, r)
	}
	pl.Trace = pl.K[0][0] + pl.K[1][1]
	pl.Det = pl.K[0][0]*pl.K[1][1] - pl.K[0][1]*pl.K[1][0]
	pl.Stable = linalg.Stable2(pl.Trace, pl.Det)
	pl.NullResidual = nullResidual(&pl.J, r)
	if err := pl.eigen(); err != nil {
		return nil, err
	}
	return pl, nil
}

// quotientK returns the 2x2 matrix that J induces on R⁴ modulo the span
// of t1 = (1, r, 0, 0) and t2 = (0, 0, 1, r), assuming J t1 = J t2 = 0.
// In the basis (t1, t2, e_WEI, e_WII) the last two coordinates of a
// vector w are (w_WEI − r w_WEE, w_WII − r w_WIE), so
//
//	K = [[J₁₁ − r J₀₁, J₁₃ − r J₀₃], [J₃₁ − r J₂₁, J₃₃ − r J₂₃]]
//
// (0-based indices in the order WEE, WEI, WIE, WII).
func quotientK(J *[4][4]float64, r float64) [2][2]float64 {
	return [2][2]float64{
		{J[1][1] - r*J[0][1], J[1][3] - r*J[0][3]},
		{J[3][1] - r*J[2][1], J[3][3] - r*J[2][3]},
	}
}

func nullResidual(J *[4][4]float64, r float64) float64 {
	norm := 0.0
	for k := 0; k < 4; k++ {
		for j := 0; j < 4; j++ {
			norm = math.Max(norm, math.Abs(J[k][j]))
		}
	}
	if norm == 0 {
		return 0
	}
	res := 0.0
	for k := 0; k < 4; k++ {
		res = math.Max(res, math.Abs(J[k][0]+r*J[k][1]))
		res = math.Max(res, math.Abs(J[k][2]+r*J[k][3]))
	}
	return res / norm
}

// eigen fills All, Eigenvalues and Zero: the two eigenvalues of J closest
// to the eigenvalues of K are the nonzero ones; the other two are the
// structural zeros.
func (pl *Plasticity) eigen() error {
	flat := make([]float64, 0, 16)
	for k := 0; k < 4; k++ {
		flat = append(flat, pl.J[k][:]...)
	}
	all, err := linalg.Eigenvalues(flat, 4)
	if err != nil {
		return err
	}
	pl.All = all
	// The two of smallest modulus are the structural zeros.
	idx := []int{0, 1, 2, 3}
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			if cmplx.Abs(all[idx[j]]) < cmplx.Abs(all[idx[i]]) {
				idx[i], idx[j] = idx[j], idx[i]
			}
		}
	}
	pl.Zero = [2]complex128{all[idx[0]], all[idx[1]]}
	nz := []complex128{all[idx[2]], all[idx[3]]}
	linalg.SortEig(nz)
	pl.Eigenvalues = [2]complex128{nz[0], nz[1]}
	return nil
}
