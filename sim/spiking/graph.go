package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Projection is the synapses from one population onto another, stored
// by presynaptic cell (compressed sparse rows): the synapses of
// presynaptic cell k are Post[Ptr[k]:Ptr[k+1]], with targets in
// increasing order, and Delay holds the delay of each synapse in steps.
// Cell indices are local to their population.
type Projection struct {
	NPre, NPost int
	Ptr         []int32
	Post        []int32
	Delay       []uint8
}

// Len returns the number of synapses.
func (pr *Projection) Len() int { return len(pr.Post) }

// InDegree returns the number of synapses onto each postsynaptic cell.
func (pr *Projection) InDegree() []int {
	d := make([]int, pr.NPost)
	for _, j := range pr.Post {
		d[j]++
	}
	return d
}

// Graph is the fixed connectivity of the network: four projections named
// onto-from as the weights are (EI is onto E from I).
type Graph struct {
	NE, NI         int
	EE, EI, IE, II Projection
}

// Projections returns pointers to the four projections in the order
// WEE, WEI, WIE, WII (model.Names).
func (g *Graph) Projections() [4]*Projection {
	return [4]*Projection{&g.EE, &g.EI, &g.IE, &g.II}
}

// NewGraph draws the connectivity of p (spiking.md §3): for each
// projection exactly round(PConn·nPre·nPost) synapses, sampled without
// replacement from all (pre, post) pairs, excluding self-connections
// (autapses) within a population, and a delay per synapse uniform on
// {1, …, round(Dmax/dt)} steps, with Dmax from the presynaptic type.
func NewGraph(p Params, rng *rand.Rand) (*Graph, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g := &Graph{NE: p.NE, NI: p.NI}
	dE, dI := p.delaySteps(p.DelayMaxE), p.delaySteps(p.DelayMaxI)
	specs := []struct {
		pr            *Projection
		nPre, nPost   int
		within        bool
		maxDelaySteps int
	}{
		{&g.EE, p.NE, p.NE, true, dE},
		{&g.EI, p.NI, p.NE, false, dI},
		{&g.IE, p.NE, p.NI, false, dE},
		{&g.II, p.NI, p.NI, true, dI},
	}
	for _, s := range specs {
		n := int(math.Round(p.PConn * float64(s.nPre) * float64(s.nPost)))
		pairs := s.nPre * s.nPost
		if s.within {
			pairs -= s.nPre
		}
		if n > pairs {
			n = pairs
		}
		*s.pr = sampleProjection(rng, s.nPre, s.nPost, n, s.within)
		s.pr.RedrawDelays(rng, s.maxDelaySteps)
	}
	return g, nil
}

// sampleProjection draws n distinct pairs uniformly (no pair twice; no
// i→i pair when within is set) and returns them in CSR order. Dense
// projections are drawn by selecting the complement, so the loop always
// samples at most half of the allowed pairs.
func sampleProjection(rng *rand.Rand, nPre, nPost, n int, within bool) Projection {
	allowed := nPre * nPost
	if within {
		allowed -= nPre
	}
	mark := make([]bool, nPre*nPost)
	want, set := n, true
	if n > allowed/2 {
		want, set = allowed-n, false
		for k := range mark {
			mark[k] = true
		}
	}
	for c := 0; c < want; {
		k := rng.IntN(len(mark))
		if within && k/nPost == k%nPost {
			continue
		}
		if mark[k] != set {
			mark[k] = set
			c++
		}
	}
	if within && !set {
		for i := range nPre {
			mark[i*nPost+i] = false
		}
	}
	pr := Projection{NPre: nPre, NPost: nPost,
		Ptr: make([]int32, nPre+1), Post: make([]int32, 0, n)}
	for i := range nPre {
		row := mark[i*nPost : (i+1)*nPost]
		for j, ok := range row {
			if ok {
				pr.Post = append(pr.Post, int32(j))
			}
		}
		pr.Ptr[i+1] = int32(len(pr.Post))
	}
	pr.Delay = make([]uint8, len(pr.Post))
	return pr
}

// RedrawDelays draws every delay anew, uniformly on {1, …, maxSteps}:
// the same law as the reference's (floor(U·Dmax/dt) + 1)·dt with U
// uniform on [0, 1).
func (pr *Projection) RedrawDelays(rng *rand.Rand, maxSteps int) {
	if maxSteps < 1 || maxSteps > maxDelay {
		panic(fmt.Sprintf("spiking: delay of %d steps out of range", maxSteps))
	}
	for k := range pr.Delay {
		pr.Delay[k] = uint8(1 + rng.IntN(maxSteps))
	}
}

// RedrawDelays draws every delay of g anew for the delay bounds of p.
func (g *Graph) RedrawDelays(p Params, rng *rand.Rand) {
	dE, dI := p.delaySteps(p.DelayMaxE), p.delaySteps(p.DelayMaxI)
	g.EE.RedrawDelays(rng, dE)
	g.IE.RedrawDelays(rng, dE)
	g.EI.RedrawDelays(rng, dI)
	g.II.RedrawDelays(rng, dI)
}

// CloneDelays returns a copy of g that shares the connectivity and owns
// its delays, so that they can be redrawn without touching g.
func (g *Graph) CloneDelays() *Graph {
	c := *g
	for _, pr := range c.Projections() {
		pr.Delay = append([]uint8(nil), pr.Delay...)
	}
	return &c
}

// Weights are the synaptic weights in pA, one per synapse of the
// matching Graph projection, in its CSR order.
type Weights struct {
	EE, EI, IE, II []float64
}

// Classes returns pointers to the four weight slices in the order WEE,
// WEI, WIE, WII.
func (w *Weights) Classes() [4]*[]float64 {
	return [4]*[]float64{&w.EE, &w.EI, &w.IE, &w.II}
}

// NewWeights draws the initial weights of p on g: each weight is
// mean·N(1, WCV²) with negative values set to 0 (spiking.md §2).
func NewWeights(p Params, g *Graph, rng *rand.Rand) *Weights {
	w := &Weights{}
	means := [4]float64{p.WEE0, p.WEI0, p.WIE0, p.WII0}
	for c, pr := range g.Projections() {
		ws := make([]float64, pr.Len())
		for k := range ws {
			ws[k] = max(0, means[c]*(1+p.WCV*rng.NormFloat64()))
		}
		*w.Classes()[c] = ws
	}
	return w
}

// Uniform returns weights on g with every synapse of a class set to the
// class value in m, in the order WEE, WEI, WIE, WII.
func Uniform(g *Graph, m [4]float64) *Weights {
	w := &Weights{}
	for c, pr := range g.Projections() {
		ws := make([]float64, pr.Len())
		for k := range ws {
			ws[k] = m[c]
		}
		*w.Classes()[c] = ws
	}
	return w
}

// Clone returns a deep copy of w.
func (w *Weights) Clone() *Weights {
	c := &Weights{}
	for i, s := range w.Classes() {
		*c.Classes()[i] = append([]float64(nil), (*s)...)
	}
	return c
}

// Means returns the class-mean weights in pA, in the order WEE, WEI,
// WIE, WII.
func (w *Weights) Means() [4]float64 {
	var m [4]float64
	for i, s := range w.Classes() {
		for _, v := range *s {
			m[i] += v
		}
		if len(*s) > 0 {
			m[i] /= float64(len(*s))
		}
	}
	return m
}

// Incoming returns, for each cell of the post population, the summed
// incoming weight in pA of projection class c (0…3 as in Classes): the
// E/I balance of Fig. 7F, G, J and K sums WEE with WEI onto E cells and
// WIE with WII onto I cells.
func (w *Weights) Incoming(g *Graph, c int) []float64 {
	pr := g.Projections()[c]
	ws := *w.Classes()[c]
	sum := make([]float64, pr.NPost)
	for k, j := range pr.Post {
		sum[j] += ws[k]
	}
	return sum
}
