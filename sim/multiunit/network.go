package multiunit

import (
	"github.com/paradoxlab/paradox/internal/fastrand"
)

// network is the state of one run: the weights in the kernel's layout,
// the rates, the noise and the buffers of a step. Nothing in a step or a
// trial allocates.
type network struct {
	ne, ni int

	// The four blocks of the weight matrix column by column: tEE holds
	// WEE with column j (the weights from E unit j) at tEE[j*ne:], tEI
	// WEI, tIE WIE and tII WII.
	tEE, tEI, tIE, tII []float64

	e, i   []float64 // rates in Hz
	xe, xi []float64 // OU noise into each unit

	// Input sums of a step: WEE·E, WEI·I, WIE·E and WII·I.
	sEE, sEI, sIE, sII []float64

	// Window sums of the current trial.
	winE, winI []float64

	rng fastrand.State
}

func newNetwork(ne, ni int, rng fastrand.State) *network {
	f := func(n int) []float64 { return make([]float64, n) }
	return &network{
		ne: ne, ni: ni,
		tEE: f(ne * ne), tEI: f(ne * ni), tIE: f(ni * ne), tII: f(ni * ni),
		e: f(ne), i: f(ni), xe: f(ne), xi: f(ni),
		sEE: f(ne), sEI: f(ne), sIE: f(ni), sII: f(ni),
		winE: f(ne), winI: f(ni),
		rng: rng,
	}
}

// load copies w into the kernel's layout.
func (nw *network) load(w *Weights) {
	n, ne := w.N(), nw.ne
	for i := range n {
		row := w.W[i*n : i*n+n]
		for j, v := range row {
			switch {
			case i < ne && j < ne:
				nw.tEE[j*ne+i] = v
			case i < ne:
				nw.tEI[(j-ne)*ne+i] = v
			case j < ne:
				nw.tIE[j*nw.ni+i-ne] = v
			default:
				nw.tII[(j-ne)*nw.ni+i-ne] = v
			}
		}
	}
}

// step advances every unit by one Euler step with a pulse amp into the
// E units, in the order of the authors' code (rate-models.md §1-2) and
// of package sim: the noise of every E unit, then of every I unit, then
// the E rates from the old E and I, then the I rates from the new
// (unclipped) E and the old I, then the ceilings. Per unit,
//
//	x = WEE·E − WEI·I + pulse + ξE − θE'
//	E ← E + ([x]+ − E/gE) / (τE/(dt gE))
//
// as sim computes it; the pulse and the noise are added even when 0,
// which leaves the bits of sim's noise-free and pulse-free forms.
func (nw *network) step(p *plan, amp float64) {
	if p.noisy {
		g := nw.rng
		for k, x := range nw.xe {
			var z float64
			z, g = g.Normal()
			nw.xe[k] = x + float64(p.ouA*(0-x)) + float64(p.ouS*z)
		}
		for k, x := range nw.xi {
			var z float64
			z, g = g.Normal()
			nw.xi[k] = x + float64(p.ouA*(0-x)) + float64(p.ouS*z)
		}
		nw.rng = g
	}
	matvecT(nw.sEE, nw.tEE, nw.e)
	matvecT(nw.sEI, nw.tEI, nw.i)
	matvecT(nw.sII, nw.tII, nw.i)

	sEE, sEI, xe := nw.sEE, nw.sEI[:len(nw.sEE)], nw.xe[:len(nw.sEE)]
	e := nw.e[:len(sEE)]
	thE, rE, tE := p.thE, p.rE, p.tE
	for k, a := range sEE {
		x := a - sEI[k] + amp + xe[k] - thE
		if !(x > 0) {
			x = 0
		}
		r := e[k]
		e[k] = r + (x-float64(r*rE))/tE
	}
	matvecT(nw.sIE, nw.tIE, nw.e)

	sIE, sII, xi := nw.sIE, nw.sII[:len(nw.sIE)], nw.xi[:len(nw.sIE)]
	in := nw.i[:len(sIE)]
	thI, rI, tI := p.thI, p.rI, p.tI
	for k, a := range sIE {
		y := a - sII[k] + xi[k] - thI
		if !(y > 0) {
			y = 0
		}
		r := in[k]
		in[k] = r + (y-float64(r*rI))/tI
	}
	for k, r := range e {
		e[k] = clip(r, p.emax)
	}
	for k, r := range in {
		in[k] = clip(r, p.imax)
	}
}

// clip applies the ceiling max and sets values below tiny to 0 (sim's
// clip; rates are never negative).
func clip(x, max float64) float64 {
	if x > max {
		return max
	}
	if x < tiny {
		return 0
	}
	return x
}

// trial runs one trial from all rates 0 and leaves the window sums in
// winE and winI. If rec is not nil, it is called after every step with
// the step's index.
func (nw *network) trial(p *plan, rec func(k int)) {
	clear(nw.e)
	clear(nw.i)
	clear(nw.winE)
	clear(nw.winI)
	for k := range p.n {
		amp := 0.0
		if k >= p.pulseStart && k < p.pulseEnd {
			amp = p.amp
		}
		nw.step(p, amp)
		if k >= p.winStart {
			for u, r := range nw.e {
				nw.winE[u] += r
			}
			for u, r := range nw.i {
				nw.winI[u] += r
			}
		}
		if rec != nil {
			rec(k)
		}
	}
}

// rate returns the current rate of unit u (E units first).
func (nw *network) rate(u int) float64 {
	if u < nw.ne {
		return nw.e[u]
	}
	return nw.i[u-nw.ne]
}
