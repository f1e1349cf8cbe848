package sim

import (
	"math"

	"github.com/paradoxlab/paradox/model"
)

// fixedPoint is the Up state of the threshold-linear model with both
// populations active (analytics.md §2):
//
//	E* = gE (gI θI WEI − b θE')/C,  I* = gI (a θI − gE θE' WIE)/C
//
// with a = gE WEE − 1, b = gI WII + 1, C = gE gI WEI WIE − a b and
// θE' = θE − Iext.
func fixedPoint(p model.Params, w model.Weights) (E, I float64) {
	a := p.GE*w.WEE - 1
	b := p.GI*w.WII + 1
	C := p.GE*p.GI*w.WEI*w.WIE - a*b
	thE := p.ThetaE - p.Iext
	E = p.GE * (p.GI*p.ThetaI*w.WEI - b*thE) / C
	I = p.GI * (a*p.ThetaI - p.GE*thE*w.WIE) / C
	return E, I
}

// relErr is |got − want|/max(1, |want|).
func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(1, math.Abs(want))
}

// referencePort is an independent, deliberately plain transcription of
// the authors' Fig2/Fig4 scripts for the noise-free case
// (rate-models.md §1): the code's operation order, −E + gE·[…]+ written
// out, math.Max and math.Min, no precomputed constants. It returns the
// filtered E, I after each trial and the weights after each update.
func referencePort(w0 model.Weights, rule Rule, trials int) (E, I []float64, W []model.Weights) {
	const (
		dt, tmax          = 1e-4, 20000
		etau, itau        = 0.010 / dt, 0.002 / dt
		on, dur           = 2500, 100 // 1-based; the slice On:On+Dur holds 101 steps
		thE, thI, gE, gI  = 4.8, 25.0, 1.0, 4.0
		emax, imax, wmin  = 100.0, 250.0, 0.1
		tauTrial, floorHz = 2.0, 1.0
	)
	w := w0
	var exAvg, inhAvg float64
	for range trials {
		e, i := 0.0, 0.0
		var se, si float64
		for t := 1; t <= tmax; t++ {
			pulse := 0.0
			if t >= on && t <= on+dur {
				pulse = 7
			}
			e = e + (-e+gE*math.Max(w.WEE*e-w.WEI*i+pulse-thE, 0))/math.Round(etau)
			i = i + (-i+gI*math.Max(w.WIE*e-w.WII*i-thI, 0))/math.Round(itau)
			e, i = math.Min(e, emax), math.Min(i, imax)
			if t >= 15000 {
				se += e
				si += i
			}
		}
		exAvg += (se/5001 - exAvg) / tauTrial
		inhAvg += (si/5001 - inhAvg) / tauTrial
		d := rule.Delta(math.Max(floorHz, exAvg), math.Max(floorHz, inhAvg), w)
		w = model.Weights{
			WEE: math.Max(w.WEE+d.WEE, wmin), WEI: math.Max(w.WEI+d.WEI, wmin),
			WIE: math.Max(w.WIE+d.WIE, wmin), WII: math.Max(w.WII+d.WII, wmin),
		}
		E, I, W = append(E, exAvg), append(I, inhAvg), append(W, w)
	}
	return E, I, W
}
