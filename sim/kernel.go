package sim

import (
	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
)

// state is what the integration carries from step to step: the rates, the
// noise and the generator.
type state struct {
	e, i   float64 // rates in Hz
	xe, xi float64 // OU noise into E and I
	rng    fastrand.State
}

// tiny is the rate below which a rate is set to 0 (see the package doc).
const tiny = 0x1p-1000

// The kernels below integrate n steps with the weights w held fixed and
// no pulse, and add every E and I sample to se and si in order (a
// sequential sum, as the code's mean). They copy the state to locals, so
// that it lives in registers, and write it back at the end. They compute
// the same steps, bit for bit, as plan.step, which handles the pulse.

// runQuiet integrates without noise. The code adds a zero pulse and zero
// noise, which is exact (x + 0 = x), so they are left out.
func (p *plan) runQuiet(s *state, w model.Weights, n int, se, si float64) (float64, float64) {
	e, i := s.e, s.i
	wee, wei, wie, wii := w.WEE, w.WEI, w.WIE, w.WII
	thE, thI, rE, rI := p.thE, p.thI, p.rE, p.rI
	tE, tI, emax, imax := p.tE, p.tI, p.emax, p.imax
	for range n {
		x := float64(wee*e) - float64(wei*i) - thE
		if !(x > 0) {
			x = 0
		}
		e = e + (x-float64(e*rE))/tE
		y := float64(wie*e) - float64(wii*i) - thI
		if !(y > 0) {
			y = 0
		}
		i = i + (y-float64(i*rI))/tI
		e, i = clip(e, emax), clip(i, imax)
		se += e
		si += i
	}
	s.e, s.i = e, i
	return se, si
}

// runNoisy integrates with OU noise.
func (p *plan) runNoisy(s *state, w model.Weights, n int, se, si float64) (float64, float64) {
	e, i, xe, xi, g := s.e, s.i, s.xe, s.xi, s.rng
	wee, wei, wie, wii := w.WEE, w.WEI, w.WIE, w.WII
	thE, thI, rE, rI := p.thE, p.thI, p.rE, p.rI
	tE, tI, emax, imax := p.tE, p.tI, p.emax, p.imax
	ouA, ouS := p.ouA, p.ouS
	var ne, ni float64
	for range n {
		ne, g = g.Normal()
		ni, g = g.Normal()
		xe = xe + float64(ouA*(0-xe)) + float64(ouS*ne)
		xi = xi + float64(ouA*(0-xi)) + float64(ouS*ni)
		x := float64(wee*e) - float64(wei*i) + xe - thE
		if !(x > 0) {
			x = 0
		}
		e = e + (x-float64(e*rE))/tE
		y := float64(wie*e) - float64(wii*i) + xi - thI
		if !(y > 0) {
			y = 0
		}
		i = i + (y-float64(i*rI))/tI
		e, i = clip(e, emax), clip(i, imax)
		se += e
		si += i
	}
	s.e, s.i, s.xe, s.xi, s.rng = e, i, xe, xi, g
	return se, si
}

// runPulse integrates n steps through step with a pulse amp into E.
func (p *plan) runPulse(s *state, w model.Weights, n int, amp, se, si float64) (float64, float64) {
	for range n {
		p.step(s, &w, amp, 0)
		se += s.e
		si += s.i
	}
	return se, si
}

// clip applies the ceiling max and sets values below tiny to 0. Rates
// are never negative, so no lower clip is needed (rate-models.md §1).
func clip(x, max float64) float64 {
	if x > max {
		return max
	}
	if x < tiny {
		return 0
	}
	return x
}

// stepper integrates one step at a time with everything variable: the
// pulse into E, an input into I, noise on or off. It is the slow path
// for traced trials, the online mode and the step experiment, and gives
// the same numbers as runQuiet and runNoisy when both inputs are 0.
func (p *plan) step(s *state, w *model.Weights, ampE, ampI float64) {
	xE := float64(w.WEE*s.e) - float64(w.WEI*s.i)
	xI := 0.0
	if p.noisy {
		var ne, ni float64
		ne, s.rng = s.rng.Normal()
		ni, s.rng = s.rng.Normal()
		s.xe = s.xe + float64(p.ouA*(0-s.xe)) + float64(p.ouS*ne)
		s.xi = s.xi + float64(p.ouA*(0-s.xi)) + float64(p.ouS*ni)
		xE = xE + ampE + s.xe
		xI = s.xi
	} else if ampE != 0 {
		xE += ampE
	}
	x := xE - p.thE
	if !(x > 0) {
		x = 0
	}
	e := s.e + (x-float64(s.e*p.rE))/p.tE
	y := float64(w.WIE*e) - float64(w.WII*s.i)
	if p.noisy {
		y += xI
	}
	if ampI != 0 {
		y += ampI
	}
	y -= p.thI
	if !(y > 0) {
		y = 0
	}
	i := s.i + (y-float64(s.i*p.rI))/p.tI
	s.e, s.i = clip(e, p.emax), clip(i, p.imax)
}
