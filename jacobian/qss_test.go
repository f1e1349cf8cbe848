package jacobian

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/num/dual"

	"github.com/paradoxlab/paradox/linalg"
	"github.com/paradoxlab/paradox/model"
)

// Tolerances of the Jacobian checks.
const (
	// dualTol: symbolic derivatives and dual numbers are both exact up to
	// rounding; entries are O(1/C) with C ~ 1..100, so 1e-10 relative to
	// the largest entry leaves room for cancellation.
	dualTol = 1e-10

	// fdTol: the central difference's truncation error is O(h²) with
	// gonum's default h ~ 6e-6, times third derivatives of a rational
	// function; 1e-6 relative is what the formula allows.
	fdTol = 1e-6
)

// dualRule is a family written by hand in dual arithmetic, as an
// independent derivation of the expressions in builtin.go.
type dualRule func(E, I dual.Number, W [4]dual.Number, p model.Params, r Rates) [4]dual.Number

func dn(x float64) dual.Number { return dual.Number{Real: x} }

var handRules = map[string]dualRule{
	"standard": func(E, I dual.Number, W [4]dual.Number, p model.Params, r Rates) [4]dual.Number {
		eE := dual.Sub(dn(p.Eset), E)
		eI := dual.Sub(dn(p.Iset), I)
		return [4]dual.Number{
			dual.Scale(r.A[0], dual.Mul(E, eE)),
			dual.Scale(-r.A[1], dual.Mul(I, eE)),
			dual.Scale(r.A[2], dual.Mul(E, eI)),
			dual.Scale(-r.A[3], dual.Mul(I, eI)),
		}
	},
	"cross": func(E, I dual.Number, W [4]dual.Number, p model.Params, r Rates) [4]dual.Number {
		eE := dual.Sub(dn(p.Eset), E)
		eI := dual.Sub(dn(p.Iset), I)
		return [4]dual.Number{
			dual.Scale(r.A[0], dual.Mul(E, eI)),
			dual.Scale(-r.A[1], dual.Mul(I, eI)),
			dual.Scale(-r.A[2], dual.Mul(E, eE)),
			dual.Scale(r.A[3], dual.Mul(I, eE)),
		}
	},
	"synscale": func(E, I dual.Number, W [4]dual.Number, p model.Params, r Rates) [4]dual.Number {
		eE := dual.Sub(dn(p.Eset), E)
		eI := dual.Sub(dn(p.Iset), I)
		return [4]dual.Number{
			dual.Scale(r.A[0], dual.Mul(eE, W[0])),
			dual.Scale(-r.A[1], dual.Mul(eE, W[1])),
			dual.Scale(r.A[2], dual.Mul(eI, W[2])),
			dual.Scale(-r.A[3], dual.Mul(eI, W[3])),
		}
	},
}

// upDual is the Up state (E*, I*) of analytics.md §2 in dual arithmetic.
func upDual(p model.Params, W [4]dual.Number) (E, I dual.Number) {
	gE, gI, thE := dn(p.GE), dn(p.GI), dn(p.ThetaEEff())
	a := dual.Sub(dual.Mul(gE, W[0]), dn(1))
	b := dual.Add(dual.Mul(gI, W[3]), dn(1))
	C := dual.Sub(dual.Mul(dual.Mul(gE, gI), dual.Mul(W[1], W[2])), dual.Mul(a, b))
	E = dual.Mul(gE, dual.Mul(dual.Sub(dual.Scale(p.GI*p.ThetaI, W[1]), dual.Mul(b, thE)), dual.Inv(C)))
	I = dual.Mul(gI, dual.Mul(dual.Sub(dual.Scale(p.ThetaI, a), dual.Mul(dual.Scale(p.GE, thE), W[2])), dual.Inv(C)))
	return E, I
}

// randomPlanePoint draws a point of the setpoint plane with C > 0.
func randomPlanePoint(rnd *rand.Rand, p model.Params) model.Weights {
	for {
		w := p.OnPlane(10*rnd.Float64(), 20*rnd.Float64())
		if _, _, C := abC(p, w); C > 0.5 {
			return w
		}
	}
}

func TestJacobianSymbolicDualFD(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	p := model.Default()
	for name, hand := range handRules {
		fam, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 20; i++ {
			r := Rates{}
			for k := range r.A {
				r.A[k] = 0.001 + 0.05*rnd.Float64()
			}
			rule, err := fam.Compile(p, r)
			if err != nil {
				t.Fatal(err)
			}
			w := randomPlanePoint(rnd, p)
			t.Run(fmt.Sprintf("rule=%s,WEE=%.3g,WIE=%.3g", name, w.WEE, w.WIE), func(t *testing.T) {
				pl, err := PlasticityAt(rule, w, p.Eset, p.Iset)
				if err != nil {
					t.Fatal(err)
				}
				scale := 0.0
				for k := 0; k < 4; k++ {
					for j := 0; j < 4; j++ {
						scale = math.Max(scale, math.Abs(pl.J[k][j]))
					}
				}

				// Dual numbers: one pass per weight.
				for j := 0; j < 4; j++ {
					var W [4]dual.Number
					for k, v := range w.Array() {
						W[k] = dn(v)
					}
					W[j].Emag = 1
					E, I := upDual(p, W)
					f := hand(E, I, W, p, r)
					for k := 0; k < 4; k++ {
						if d := math.Abs(f[k].Emag - pl.J[k][j]); d > dualTol*scale {
							t.Errorf("J[%d][%d] = %g, dual %g", k, j, pl.J[k][j], f[k].Emag)
						}
					}
				}

				// Central finite differences of the compiled reduced field.
				field := func(y, x []float64) {
					wx := model.FromArray([4]float64(x))
					fps := FixedPoints(p, wx)
					d := rule.Delta(fps[0].E, fps[0].I, wx).Array()
					copy(y, d[:])
				}
				jfd := mat.NewDense(4, 4, nil)
				x := w.Array()
				fd.Jacobian(jfd, field, x[:], &fd.JacobianSettings{Formula: fd.Central})
				for k := 0; k < 4; k++ {
					for j := 0; j < 4; j++ {
						if d := math.Abs(jfd.At(k, j) - pl.J[k][j]); d > fdTol*scale {
							t.Errorf("J[%d][%d] = %g, finite differences %g", k, j, pl.J[k][j], jfd.At(k, j))
						}
					}
				}
			})
		}
	}
}

// TestNonzeroEigenvaluesAreK checks that the two nonzero eigenvalues of
// the 4x4 J equal those of K, that the other two vanish, and that the
// tangent of the plane is the null space (analytics.md §4), for every
// built-in family.
func TestNonzeroEigenvaluesAreK(t *testing.T) {
	// eigTol: LAPACK's eigenvalues of a 4x4 matrix of rank 2 against the
	// 2x2 closed form, relative to the largest eigenvalue.
	const eigTol = 1e-9
	rnd := rand.New(rand.NewPCG(5, 6))
	p := model.Default()
	for _, fam := range Builtins() {
		rule, err := fam.Compile(p, Rates{A: [4]float64{0.02, 0.01, 0.005, 0.03}, H: [4]float64{0.004, 0.02, 0.01, 0.002}})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 50; i++ {
			w := randomPlanePoint(rnd, p)
			pl, err := PlasticityAt(rule, w, p.Eset, p.Iset)
			if err != nil {
				t.Fatal(err)
			}
			k := linalg.Eig2(pl.K[0][0], pl.K[0][1], pl.K[1][0], pl.K[1][1])
			scale := linalg.MaxAbs(pl.All)
			for m := range k {
				if cmplx.Abs(k[m]-pl.Eigenvalues[m]) > eigTol*scale {
					t.Errorf("%s at %v: eig(K) = %v, nonzero eig(J) = %v", fam.Name, w, k, pl.Eigenvalues)
				}
			}
			for _, z := range pl.Zero {
				if cmplx.Abs(z) > eigTol*scale {
					t.Errorf("%s at %v: structural zero %v is not zero (scale %g)", fam.Name, w, z, scale)
				}
			}
			if pl.NullResidual > eigTol {
				t.Errorf("%s at %v: |J t| / |J| = %g", fam.Name, w, pl.NullResidual)
			}
		}
	}
}
