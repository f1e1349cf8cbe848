package spiking

import (
	"fmt"
	"math"
)

// Spike is one spike: the step at which the cell reached threshold
// (time Step·dt) and the cell's global index (E cells 0…NE−1, then I
// cells NE…NE+NI−1).
type Spike struct {
	Step, Cell int32
}

// Stim is a square current of Amp pA into every cell of one population
// (E when I is false) during the steps [From, To).
type Stim struct {
	I        bool
	From, To int
	Amp      float64
}

// popConst holds the forward-Euler factors of one population.
type popConst struct {
	a, b, c    float32 // v ← a·v + b + c·I: a = 1−dt/τm, b = dt·gL·EL/Cm, c = dt/Cm
	sd         float32 // noise per step, σ·√(dt/τm)
	vth, vr    float32
	el         float32
	refN       int32   // frozen steps after the reset step
	dA, jump   float32 // adaptation decay 1−dt/τad and jump β/τad
	fE, dE     float32 // E channel: s += fE·(u−s), u ← dE·u
	fI, dI     float32 // I channel
	incE, incI float32 // 1/τr: a delivered weight w adds w/τr to u
}

func newPopConst(p Params, cm, gl, el, vth, vr, tref, beta, tauad float64) popConst {
	dt := p.Dt
	tm := cm / gl
	ref := p.steps(tref)
	return popConst{
		a: float32(1 - dt/tm), b: float32(dt * gl * el / cm), c: float32(dt / cm),
		sd:  float32(p.Sigma * math.Sqrt(dt/tm)),
		vth: float32(vth), vr: float32(vr), el: float32(el),
		refN: int32(max(ref-1, 0)),
		dA:   float32(1 - dt/tauad), jump: float32(beta / tauad),
		fE: float32(dt / p.TauFallE), dE: float32(1 - dt/p.TauRiseE),
		fI: float32(dt / p.TauFallI), dI: float32(1 - dt/p.TauRiseI),
		incE: float32(1 / p.TauRiseE), incI: float32(1 / p.TauRiseI),
	}
}

// Network is the spiking network of spiking.md §1-5 with its state, the
// float32 working copy of its weights and its noise stream. It is not
// safe for concurrent use; run independent trials on separate Networks.
type Network struct {
	p      Params
	g      *Graph
	ne, n  int
	mask   int
	kickAt int
	sweep  int // steps between flushes of tiny values (see flushTiny)

	pe, pi popConst

	v, iad, sE, uE, sI, uI []float32
	ref                    []int32
	ext                    []float32 // kick current of the kicked cells, 0 elsewhere
	sX, uX                 []float32 // kick channel of the kicked cells
	ringE, ringI           []float32 // summed weights due per slot, slot-major

	wEE, wEI, wIE, wII []float32

	rng    *Xoshiro
	spikes []Spike
	fired  []int32
}

// NewNetwork returns a network on g with parameters p whose membrane
// noise is drawn from rng. The weights are zero until SetWeights.
func NewNetwork(p Params, g *Graph, rng *Xoshiro) (*Network, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if g.NE != p.NE || g.NI != p.NI {
		return nil, fmt.Errorf("spiking: graph has %d+%d cells, params %d+%d",
			g.NE, g.NI, p.NE, p.NI)
	}
	dmax := max(p.delaySteps(p.DelayMaxE), p.delaySteps(p.DelayMaxI))
	for _, pr := range g.Projections() {
		for _, d := range pr.Delay {
			dmax = max(dmax, int(d))
		}
	}
	ring := 1
	for ring <= dmax {
		ring <<= 1
	}
	n := p.N()
	nw := &Network{
		p: p, g: g, ne: p.NE, n: n, mask: ring - 1,
		kickAt: p.steps(p.KickMS),
		pe:     newPopConst(p, p.CmE, p.GLE, p.ELE, p.VthE, p.VrE, p.TrefE, p.BetaE, p.TauAdE),
		pi:     newPopConst(p, p.CmI, p.GLI, p.ELI, p.VthI, p.VrI, p.TrefI, p.BetaI, p.TauAdI),
		rng:    rng,
	}
	nw.sweep = sweepInterval(nw.pe, nw.pi)
	for _, s := range []*[]float32{&nw.v, &nw.iad, &nw.sE, &nw.uE,
		&nw.sI, &nw.uI, &nw.ext} {
		*s = make([]float32, n)
	}
	nw.ref = make([]int32, n)
	nw.sX = make([]float32, p.KickN)
	nw.uX = make([]float32, p.KickN)
	nw.ringE = make([]float32, ring*n)
	nw.ringI = make([]float32, ring*n)
	nw.wEE = make([]float32, g.EE.Len())
	nw.wEI = make([]float32, g.EI.Len())
	nw.wIE = make([]float32, g.IE.Len())
	nw.wII = make([]float32, g.II.Len())
	nw.fired = make([]int32, 0, n)
	nw.spikes = make([]Spike, 0, 1<<16)
	return nw, nil
}

// Params returns the parameters of the network.
func (nw *Network) Params() Params { return nw.p }

// Graph returns the connectivity of the network.
func (nw *Network) Graph() *Graph { return nw.g }

// RNG returns the noise stream.
func (nw *Network) RNG() *Xoshiro { return nw.rng }

// SetWeights copies w (in pA) into the network's float32 working copy.
// It panics if w does not match the graph.
func (nw *Network) SetWeights(w *Weights) {
	dst := [4][]float32{nw.wEE, nw.wEI, nw.wIE, nw.wII}
	for c, src := range w.Classes() {
		if len(*src) != len(dst[c]) {
			panic("spiking: weights do not match the graph")
		}
		for k, v := range *src {
			dst[c][k] = float32(v)
		}
	}
}

// Spikes returns the spikes of the last Run in the order they occurred.
// The slice is reused by the next Run.
func (nw *Network) Spikes() []Spike { return nw.spikes }

// Run resets the state (v = EL, every other variable 0, nothing in
// transit; the noise stream is not reset) and integrates the network for
// steps steps of dt with the kick and the stimuli (spiking.md §4-5).
// It does not allocate once the spike buffer has grown to the trial's
// count.
func (nw *Network) Run(steps int, stims []Stim) {
	nw.reset()
	var iE, iI float32
	for t := range steps {
		iE, iI = 0, 0
		for _, s := range stims {
			if t >= s.From && t < s.To {
				if s.I {
					iI += float32(s.Amp)
				} else {
					iE += float32(s.Amp)
				}
			}
		}
		nw.step(t, iE, iI)
		if t%nw.sweep == 0 {
			nw.flushTiny()
		}
	}
}

// tiny is the magnitude below which flushTiny sets a current to zero, in
// pA: 10⁻²⁰ pA moves v by less than 10⁻²¹ mV per step.
const tiny = 1e-20

// flushTiny sets decaying variables below tiny to zero. Without it the
// rise, fall and adaptation variables of a silent network decay into
// subnormal floats, whose arithmetic is about 50 times slower on x86;
// Go has no flush-to-zero mode.
func (nw *Network) flushTiny() {
	for _, s := range [][]float32{nw.iad, nw.sE, nw.uE, nw.sI, nw.uI, nw.sX, nw.uX} {
		for i, x := range s {
			if x < tiny && x > -tiny {
				s[i] = 0
			}
		}
	}
}

// sweepInterval returns how many steps may pass between calls of
// flushTiny before a value just above tiny can decay below the smallest
// normal float32 (about 1.2·10⁻³⁸), by the fastest decay factor of the
// model.
func sweepInterval(cs ...popConst) int {
	dmin := 1.0
	for _, c := range cs {
		for _, d := range []float32{c.dE, c.dI, 1 - c.fE, 1 - c.fI, c.dA} {
			if d > 0 {
				dmin = min(dmin, float64(d))
			}
		}
	}
	if dmin >= 1 {
		return 256
	}
	k := int(16 / -math.Log10(dmin)) // 16 of the 18 decades of headroom
	return min(max(k, 1), 256)
}

func (nw *Network) reset() {
	for i := range nw.n {
		el := nw.pe.el
		if i >= nw.ne {
			el = nw.pi.el
		}
		nw.v[i] = el
	}
	for _, s := range [][]float32{nw.iad, nw.sE, nw.uE, nw.sI, nw.uI,
		nw.ext, nw.sX, nw.uX, nw.ringE, nw.ringI} {
		clear(s)
	}
	clear(nw.ref)
	nw.spikes = nw.spikes[:0]
}

// step advances the network from step t to t+1 in Brian's order: the
// events delivered at the end of step t−1 enter the rise variables u,
// every variable is updated from its old values, cells at threshold
// spike and reset, and their spikes are queued d steps ahead.
func (nw *Network) step(t int, iE, iI float32) {
	n, ne := nw.n, nw.ne
	slot := ((t - 1) & nw.mask) * n

	// Kick channel: the generator spike of step kickAt is delivered in
	// that step, with no delay.
	if len(nw.uX) > 0 {
		c := &nw.pe
		if t-1 == nw.kickAt {
			amp := float32(nw.p.KickAmp)
			for k := range nw.uX {
				nw.uX[k] += amp
			}
		}
		sX, uX, ext := nw.sX, nw.uX[:len(nw.sX)], nw.ext[:len(nw.sX)]
		for k, sx := range sX {
			ext[k] = sx
			sX[k] = sx + c.fE*(uX[k]-sx)
			uX[k] *= c.dE
		}
	}

	f := nw.fired[:0]
	f = integrate(&nw.pe, nw.view(0, ne, slot), iE, 0, nw.rng, f)
	f = integrate(&nw.pi, nw.view(ne, n, slot), iI, int32(ne), nw.rng, f)
	nw.fired = f
	for _, c := range f {
		nw.spikes = append(nw.spikes, Spike{Step: int32(t), Cell: c})
		nw.propagate(t, c)
	}
}

// popView is the state of a range of cells, sliced for one step.
type popView struct {
	v, iad, sE, uE, sI, uI, ext, rE, rI []float32
	ref                                 []int32
}

func (nw *Network) view(lo, hi, slot int) popView {
	return popView{
		v: nw.v[lo:hi], iad: nw.iad[lo:hi],
		sE: nw.sE[lo:hi], uE: nw.uE[lo:hi], sI: nw.sI[lo:hi], uI: nw.uI[lo:hi],
		ext: nw.ext[lo:hi],
		rE:  nw.ringE[slot+lo : slot+hi], rI: nw.ringI[slot+lo : slot+hi],
		ref: nw.ref[lo:hi],
	}
}

// integrate is the forward-Euler update of one population (spiking.md
// §1, §2, §4), with the membrane noise drawn inline from rng (the
// ziggurat of Xoshiro.Norm). It appends the global index (base + i) of
// each cell that spiked to fired and returns it.
//
//	Cm dv/dt = gL (EL − v) − Iad + sE − sI + sX + Iext + noise
//	dIad/dt = −Iad/τad;  τf ds/dt = u − s;  τr du/dt = −u
//
// A refractory cell keeps v and draws no noise; the other variables
// integrate as usual.
func integrate(c *popConst, s popView, iext float32, base int32, rng *Xoshiro, fired []int32) []int32 {
	n := len(s.v)
	v, iad, ref := s.v, s.iad[:n], s.ref[:n]
	sE, uE, sI, uI := s.sE[:n], s.uE[:n], s.sI[:n], s.uI[:n]
	ext, rE, rI := s.ext[:n], s.rE[:n], s.rI[:n]
	a, b, cc, sd := c.a, c.b+c.c*iext, c.c, c.sd
	fE, dE, fI, dI := c.fE, c.dE, c.fI, c.dI
	incE, incI, dA := c.incE, c.incI, c.dA
	s0, s1, s2, s3 := rng.s[0], rng.s[1], rng.s[2], rng.s[3]
	for i := range v {
		ue := uE[i] + rE[i]*incE
		ui := uI[i] + rI[i]*incI
		rE[i], rI[i] = 0, 0
		se, si, ia := sE[i], sI[i], iad[i]
		cur := se - si - ia + ext[i]
		sE[i] = se + fE*(ue-se)
		uE[i] = ue * dE
		sI[i] = si + fI*(ui-si)
		uI[i] = ui * dI
		ia *= dA
		iad[i] = ia
		if ref[i] > 0 {
			ref[i]--
			continue
		}

		// xoshiro256++ step and the ziggurat's fast path, inline.
		r := rotl(s0+s3, 23) + s0
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = rotl(s3, 45)
		l := r & (zigN - 1)
		j := int64(r) >> 8
		var z float32
		if abs64(j) < zigK[l] {
			z = float32(j) * zigW32[l]
		} else {
			rng.s = [4]uint64{s0, s1, s2, s3}
			z = float32(rng.normSlow(l, j))
			s0, s1, s2, s3 = rng.s[0], rng.s[1], rng.s[2], rng.s[3]
		}

		vv := a*v[i] + b + cc*cur + sd*z
		if vv >= c.vth {
			vv = c.vr
			iad[i] = ia + c.jump
			ref[i] = c.refN
			fired = append(fired, base+int32(i))
		}
		v[i] = vv
	}
	rng.s = [4]uint64{s0, s1, s2, s3}
	return fired
}

// propagate queues the spike of cell c at step t: each synapse adds its
// weight to the ring slot of step t + delay, which enters u at the start
// of the following step.
func (nw *Network) propagate(t int, c int32) {
	if int(c) < nw.ne {
		nw.deliver(nw.ringE, &nw.g.EE, nw.wEE, c, t, 0)
		nw.deliver(nw.ringE, &nw.g.IE, nw.wIE, c, t, nw.ne)
		return
	}
	c -= int32(nw.ne)
	nw.deliver(nw.ringI, &nw.g.EI, nw.wEI, c, t, 0)
	nw.deliver(nw.ringI, &nw.g.II, nw.wII, c, t, nw.ne)
}

// deliver adds the weights of row of pr into ring; off is the global
// index of the first postsynaptic cell.
func (nw *Network) deliver(ring []float32, pr *Projection, w []float32, row int32, t, off int) {
	n, mask := nw.n, nw.mask
	lo, hi := pr.Ptr[row], pr.Ptr[row+1]
	post, del, ws := pr.Post[lo:hi], pr.Delay[lo:hi], w[lo:hi]
	del, ws = del[:len(post)], ws[:len(post)]
	for k, j := range post {
		ring[((t+int(del[k]))&mask)*n+off+int(j)] += ws[k]
	}
}
