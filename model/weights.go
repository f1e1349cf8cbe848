package model

import (
	"fmt"
	"math"
)

// Weights are the four recurrent weights of the two-population model,
// named onto-from as in the paper: WEI is onto E from I.
type Weights struct {
	WEE, WEI, WIE, WII float64
}

// Array returns the weights in the order WEE, WEI, WIE, WII, the order
// used for every 4-vector and 4x4 matrix in paradox.
func (w Weights) Array() [4]float64 {
	return [4]float64{w.WEE, w.WEI, w.WIE, w.WII}
}

// FromArray is the inverse of Weights.Array.
func FromArray(a [4]float64) Weights {
	return Weights{WEE: a[0], WEI: a[1], WIE: a[2], WII: a[3]}
}

// Names are the weight names in Array order.
var Names = [4]string{"WEE", "WEI", "WIE", "WII"}

func (w Weights) String() string {
	return fmt.Sprintf("WEE=%g WEI=%g WIE=%g WII=%g", w.WEE, w.WEI, w.WIE, w.WII)
}

// Finite reports whether all four weights are finite.
func (w Weights) Finite() bool {
	for _, v := range w.Array() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Plane holds the setpoint plane as two lines, WEI = SEI·WEE + CEI and
// WII = SII·WIE + CII (Methods Eqs. 4-5 with θE replaced by θE − Iext):
//
//	SEI = SII = Eset/Iset
//	CEI = −(gE (θE − Iext) + Eset)/(Iset gE)
//	CII = −(gI θI + Iset)/(Iset gI)
type Plane struct {
	SEI, CEI, SII, CII float64
}

// Plane returns the coefficients of the setpoint plane. Every function
// of paradox that needs WEI or WII on the plane uses them, with the
// product rounded before the sum (no fused multiply-add), so that they
// agree to the last bit on every architecture.
func (p Params) Plane() Plane {
	return Plane{
		SEI: p.Eset / p.Iset, CEI: -(p.GE*p.ThetaEEff() + p.Eset) / (p.Iset * p.GE),
		SII: p.Eset / p.Iset, CII: -(p.GI*p.ThetaI + p.Iset) / (p.Iset * p.GI),
	}
}

// WEIOnPlane returns WEI on the setpoint plane for a given WEE (Methods
// Eq. 4): WEI = (gE (Eset WEE − θE + Iext) − Eset) / (Iset gE).
func (p Params) WEIOnPlane(WEE float64) float64 {
	pl := p.Plane()
	return float64(pl.SEI*WEE) + pl.CEI
}

// WIIOnPlane returns WII on the setpoint plane for a given WIE (Methods
// Eq. 5): WII = (gI (Eset WIE − θI) − Iset) / (Iset gI).
func (p Params) WIIOnPlane(WIE float64) float64 {
	pl := p.Plane()
	return float64(pl.SII*WIE) + pl.CII
}

// OnPlane returns the four weights of the setpoint plane point with free
// weights WEE and WIE (Methods Eqs. 4-5).
func (p Params) OnPlane(WEE, WIE float64) Weights {
	return Weights{WEE: WEE, WEI: p.WEIOnPlane(WEE), WIE: WIE, WII: p.WIIOnPlane(WIE)}
}
