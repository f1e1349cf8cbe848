package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paradoxlab/paradox/model"
)

// Random streams derived from a seed: the graph and the initial weights
// are drawn from PCG streams, the membrane noise from a Xoshiro stream.
const (
	streamGraph   = 0x6772617068 // "graph"
	streamWeights = 0x77656967   // "weig"
	streamNoise   = 0x6e6f697365 // "noise"
)

// GraphRNG, WeightsRNG and NoiseRNG return the seeded streams a Trainer
// uses, for callers that build a network by hand.
func GraphRNG(seed uint64) *rand.Rand   { return rand.New(rand.NewPCG(seed, streamGraph)) }
func WeightsRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, streamWeights)) }
func NoiseRNG(seed uint64) *Xoshiro     { return NewXoshiro(seed ^ streamNoise) }

// TrialRecord is what one training trial measured.
type TrialRecord struct {
	// Trial is the 0-based index of the trial.
	Trial int
	// E and I are the population-mean rates in Hz measured in the trial,
	// before the trial filter and the floor.
	E, I float64
	// UpS is the mean Up duration in s (the event duration if NUps = 0).
	UpS  float64
	NUps int
	// SpikesE and SpikesI count the spikes of the trial.
	SpikesE, SpikesI int
	// W are the class-mean weights in pA during the trial, before its
	// update, named onto-from.
	W model.Weights
	// Rates are the per-cell rates of the trial; Spikes are its spikes.
	// Both are valid until the next Step.
	Rates  Rates
	Spikes []Spike
}

// Trainer runs the training of spiking.md §5-7: trials from a reset
// state driven by the kick, rates from the I-keyed Up window, the
// two-trial filter with the persistent floor, and the local two-term
// rule on every synapse, clipped to [WMin, WMax].
type Trainer struct {
	P    Params
	Seed uint64
	G    *Graph
	// W are the weights in pA (float64; the network runs on a float32
	// copy).
	W *Weights
	// Trials is the number of trials done.
	Trials int
	// RE and RI are the filtered per-cell rates in Hz after the floor;
	// Filtered reports whether they hold a value yet.
	RE, RI   []float64
	Filtered bool

	net        *Network
	inEI, inIE []int     // I inputs onto each E cell, E inputs onto each I cell
	a, bb      []float64 // sensors A (per E cell) and B (per I cell)
}

// NewTrainer draws the graph, the initial weights and the noise stream
// of p from seed and returns a trainer before its first trial.
func NewTrainer(p Params, seed uint64) (*Trainer, error) {
	g, err := NewGraph(p, GraphRNG(seed))
	if err != nil {
		return nil, err
	}
	w := NewWeights(p, g, WeightsRNG(seed))
	return newTrainer(p, seed, g, w, NoiseRNG(seed))
}

func newTrainer(p Params, seed uint64, g *Graph, w *Weights, rng *Xoshiro) (*Trainer, error) {
	net, err := NewNetwork(p, g, rng)
	if err != nil {
		return nil, err
	}
	return &Trainer{
		P: p, Seed: seed, G: g, W: w,
		RE: make([]float64, p.NE), RI: make([]float64, p.NI),
		net:  net,
		inEI: g.EI.InDegree(), inIE: g.IE.InDegree(),
		a: make([]float64, p.NE), bb: make([]float64, p.NI),
	}, nil
}

// Network returns the network the trainer runs.
func (t *Trainer) Network() *Network { return t.net }

// Step runs one trial and updates the weights.
func (t *Trainer) Step() TrialRecord {
	p := t.P
	m := t.W.Means()
	t.net.SetWeights(t.W)
	steps := p.TrialSteps()
	t.net.Run(steps, nil)
	sp := t.net.Spikes()
	r := Measure(p, sp, steps)
	rec := TrialRecord{
		Trial: t.Trials, E: r.MeanE, I: r.MeanI, UpS: r.UpS, NUps: len(r.Ups),
		W:     model.FromArray(m),
		Rates: r, Spikes: sp,
	}
	for _, s := range sp {
		if int(s.Cell) < p.NE {
			rec.SpikesE++
		} else {
			rec.SpikesI++
		}
	}
	t.Update(r.E, r.I)
	t.Trials++
	return rec
}

// Run runs n trials. After each it calls each (if not nil), whose error
// stops the run, and progress (if not nil) with the trials done so far
// of n.
func (t *Trainer) Run(n int, progress func(done, total int), each func(TrialRecord) error) error {
	for k := range n {
		rec := t.Step()
		if each != nil {
			if err := each(rec); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(k+1, n)
		}
	}
	return nil
}

// Update applies one step of the rule to t.W given the trial's per-cell
// rates rE and rI in Hz (spiking.md §6.5-6 and §7):
//
//	R ← R + (r − R)/τ (R ← r on the first trial)
//	A_j = mean of R^I over the I cells presynaptic to E cell j
//	B_m = mean of R^E over the E cells presynaptic to I cell m
//	R ← max(R, floor), kept for the next trial
//	E_i→E_j: ΔW = +α R_i^E [(S_I − A_j) + (S_E − R_j^E)]
//	I_k→E_j: ΔW = −α R_k^I [(S_I − A_j) + (S_E − R_j^E)]
//	E_i→I_m: ΔW = +α R_i^E [−(S_E − B_m) + (S_I − R_m^I)]
//	I_k→I_m: ΔW = −α R_k^I [−(S_E − B_m) + (S_I − R_m^I)]
//
// and clips every weight to [WMin, WMax]. A cell with no presynaptic
// partner of the opposite type has its sensor set to 0.
func (t *Trainer) Update(rE, rI []float64) {
	p := t.P
	if !t.Filtered {
		copy(t.RE, rE)
		copy(t.RI, rI)
		t.Filtered = true
	} else {
		for i, r := range rE {
			t.RE[i] += (r - t.RE[i]) / p.TauTrials
		}
		for i, r := range rI {
			t.RI[i] += (r - t.RI[i]) / p.TauTrials
		}
	}
	presynMean(t.a, &t.G.EI, t.RI, t.inEI)
	presynMean(t.bb, &t.G.IE, t.RE, t.inIE)
	for i := range t.RE {
		t.RE[i] = max(t.RE[i], p.RateFloor)
	}
	for i := range t.RI {
		t.RI[i] = max(t.RI[i], p.RateFloor)
	}

	// Per-postsynaptic error terms, reusing the sensor buffers.
	cE, cI := t.a, t.bb
	for j := range cE {
		cE[j] = (p.Iset - cE[j]) + (p.Eset - t.RE[j])
	}
	for m := range cI {
		cI[m] = -(p.Eset - cI[m]) + (p.Iset - t.RI[m])
	}
	lo, hi := p.WMin, p.WMax
	applyRule(t.W.EE, &t.G.EE, t.RE, cE, p.Alpha, lo, hi)
	applyRule(t.W.EI, &t.G.EI, t.RI, cE, -p.Alpha, lo, hi)
	applyRule(t.W.IE, &t.G.IE, t.RE, cI, p.Alpha, lo, hi)
	applyRule(t.W.II, &t.G.II, t.RI, cI, -p.Alpha, lo, hi)
}

// presynMean sets dst[j] to the mean of r over the presynaptic cells of
// j in pr, or 0 for a cell without any.
func presynMean(dst []float64, pr *Projection, r []float64, in []int) {
	clear(dst)
	for k := range pr.NPre {
		for _, j := range pr.Post[pr.Ptr[k]:pr.Ptr[k+1]] {
			dst[j] += r[k]
		}
	}
	for j, n := range in {
		if n > 0 {
			dst[j] /= float64(n)
		}
	}
}

// applyRule does w += α·R_pre·c_post on every synapse of pr, then clips.
func applyRule(w []float64, pr *Projection, rPre, cPost []float64, alpha, lo, hi float64) {
	for k := range pr.NPre {
		f := alpha * rPre[k]
		a, b := pr.Ptr[k], pr.Ptr[k+1]
		for s, j := range pr.Post[a:b] {
			i := int(a) + s
			w[i] = min(max(w[i]+f*cPost[j], lo), hi)
		}
	}
}

// Milestones are the landmarks of a training run.
type Milestones struct {
	// Ignition is the first trial with an Up state of at least
	// IgnitionUpS, or −1.
	Ignition int
	// Convergence is the first trial from which every running mean over
	// ConvWindow trials of the measured E and I rates stays within
	// ConvTol (relative) of the setpoints to the end of the run, or −1.
	Convergence int
	// FinalE, FinalI and FinalW are the means over the last FinalTrials
	// trials (or all trials if fewer) of the rates in Hz and class-mean
	// weights in pA.
	FinalE, FinalI float64
	FinalW         model.Weights
}

// Milestone settings: see Milestones.
const (
	IgnitionUpS = 1.0
	ConvWindow  = 50
	ConvTol     = 0.1
	FinalTrials = 500
)

// FindMilestones returns the milestones of the records of a run.
func FindMilestones(p Params, recs []TrialRecord) Milestones {
	ms := Milestones{Ignition: -1, Convergence: -1}
	for _, r := range recs {
		if r.NUps > 0 && r.UpS >= IgnitionUpS {
			ms.Ignition = r.Trial
			break
		}
	}
	ok := func(e, i float64) bool {
		return math.Abs(e/p.Eset-1) <= ConvTol && math.Abs(i/p.Iset-1) <= ConvTol
	}
	if len(recs) >= ConvWindow {
		conv := -1
		for s := len(recs) - ConvWindow; s >= 0; s-- {
			var e, i float64
			for _, r := range recs[s : s+ConvWindow] {
				e += r.E
				i += r.I
			}
			if !ok(e/ConvWindow, i/ConvWindow) {
				break
			}
			conv = recs[s].Trial
		}
		ms.Convergence = conv
	}
	tail := recs[max(len(recs)-FinalTrials, 0):]
	var w [4]float64
	for _, r := range tail {
		ms.FinalE += r.E / float64(len(tail))
		ms.FinalI += r.I / float64(len(tail))
		for c, v := range r.W.Array() {
			w[c] += v / float64(len(tail))
		}
	}
	ms.FinalW = model.FromArray(w)
	return ms
}

// String formats the milestones on one line.
func (ms Milestones) String() string {
	return fmt.Sprintf("ignition=%d convergence=%d E=%.2fHz I=%.2fHz %v",
		ms.Ignition, ms.Convergence, ms.FinalE, ms.FinalI, ms.FinalW)
}
