package jacobian

import (
	"math"

	"github.com/paradoxlab/paradox/linalg"
	"github.com/paradoxlab/paradox/model"
)

// singularC is the |C| below which the neural fixed-point equations are
// treated as singular (no isolated fixed point); analytics.md §13.
const singularC = 1e-12

// FixedPoint is a fixed point of the neural subsystem.
type FixedPoint struct {
	E, I float64

	// ActiveE and ActiveI say which populations are above threshold.
	ActiveE, ActiveI bool
}

// Neural is the linear stability of the neural subsystem at a fixed
// point with both populations active.
type Neural struct {
	// C = gE gI WEI WIE − a b, with a = gE WEE − 1 and b = gI WII + 1.
	C float64

	// Jn is the Jacobian of (dE/dt, dI/dt), in 1/ms:
	// [[a/τE, −gE WEI/τE], [gI WIE/τI, −b/τI]].
	Jn [2][2]float64

	// Trace and Det of Jn: a/τE − b/τI and C/(τE τI).
	Trace, Det float64

	// Eigenvalues of Jn, by decreasing real part.
	Eigenvalues [2]complex128

	// Stable is C > 0 and b τE > a τI (Routh-Hurwitz; analytics.md §2).
	Stable bool
}

// abC returns a = gE WEE − 1, b = gI WII + 1 and C = gE gI WEI WIE − a b.
func abC(p model.Params, w model.Weights) (a, b, C float64) {
	a = p.GE*w.WEE - 1
	b = p.GI*w.WII + 1
	C = p.GE*p.GI*w.WEI*w.WIE - a*b
	return a, b, C
}

// FixedPoints returns every fixed point of the threshold-linear neural
// subsystem at weights w, the Up state (both active) first if it exists.
// Each branch of the rectifiers is solved as a linear system and kept if
// its activity pattern is self-consistent (analytics.md §2).
func FixedPoints(p model.Params, w model.Weights) []FixedPoint {
	var fps []FixedPoint
	a, b, C := abC(p, w)
	thE := p.ThetaEEff()

	// Both active: E* = gE (gI θI WEI − b θE')/C, I* = gI (a θI − gE θE' WIE)/C.
	if math.Abs(C) > singularC {
		E := p.GE * (p.GI*p.ThetaI*w.WEI - b*thE) / C
		I := p.GI * (a*p.ThetaI - p.GE*thE*w.WIE) / C
		if E > 0 && I > 0 {
			fps = append(fps, FixedPoint{E: E, I: I, ActiveE: true, ActiveI: true})
		}
	}
	// E active, I silent: E = gE θE'/a, needs WIE E ≤ θI.
	if a != 0 {
		E := p.GE * thE / a
		if E > 0 && w.WIE*E-p.ThetaI <= 0 {
			fps = append(fps, FixedPoint{E: E, ActiveE: true})
		}
	}
	// E silent, I active: I = −gI θI/b, needs −WEI I ≤ θE'.
	if b != 0 {
		I := -p.GI * p.ThetaI / b
		if I > 0 && -w.WEI*I-thE <= 0 {
			fps = append(fps, FixedPoint{I: I, ActiveI: true})
		}
	}
	// Both silent: needs θE' ≥ 0 and θI ≥ 0.
	if thE >= 0 && p.ThetaI >= 0 {
		fps = append(fps, FixedPoint{})
	}
	return fps
}

// NeuralStability returns the linear stability of the Up state at
// weights w (the Jacobian is the same everywhere in the active region).
func NeuralStability(p model.Params, w model.Weights) Neural {
	a, b, C := abC(p, w)
	n := Neural{C: C}
	n.Jn = [2][2]float64{
		{a / p.TauE, -p.GE * w.WEI / p.TauE},
		{p.GI * w.WIE / p.TauI, -b / p.TauI},
	}
	n.Trace = a/p.TauE - b/p.TauI
	n.Det = C / (p.TauE * p.TauI)
	n.Eigenvalues = linalg.Eig2(n.Jn[0][0], n.Jn[0][1], n.Jn[1][0], n.Jn[1][1])
	n.Stable = linalg.Stable2(n.Trace, n.Det)
	return n
}

// Paradoxical reports the paradoxical (inhibition-stabilized) condition
// gE WEE > 1 (analytics.md §3; the paper's "WEE × Eset − 1" is a
// misprint).
func Paradoxical(p model.Params, WEE float64) bool { return p.GE*WEE > 1 }

// DIdInputI returns dI*/d(input to I) = −gI (gE WEE − 1)/C at the Up
// state: negative means an increase of drive to I lowers I (the
// paradoxical effect). It is ±Inf when C = 0.
func DIdInputI(p model.Params, w model.Weights) float64 {
	a, _, C := abC(p, w)
	return -p.GI * a / C
}
