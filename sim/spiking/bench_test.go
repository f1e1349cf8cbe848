package spiking

import "testing"

// benchTrial times whole training trials (the 1.5-s simulation, the
// rate measurement and the update of all 10⁶ synapses) of the Fig. 7
// network whose class-mean weights are set to m before each trial, and
// reports the cost per neuron-step (2000 cells × 15,000 steps a trial).
func benchTrial(b *testing.B, m [4]float64) {
	p := Fig7()
	tr, err := NewTrainer(p, 1)
	if err != nil {
		b.Fatal(err)
	}
	w := Uniform(tr.G, m)
	tr.W = w.Clone()
	tr.Step() // grow the spike buffer
	spikes := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		tr.W = w.Clone()
		b.StartTimer()
		rec := tr.Step()
		spikes += rec.SpikesE + rec.SpikesI
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/float64(p.N()*p.TrialSteps()), "ns/neuron-step")
	b.ReportMetric(float64(spikes)/float64(b.N), "spikes/trial")
}

// BenchmarkTrialSilent: the paper's initial weights (80, 350, 100, 225
// pA), a silent network (about 140 spikes a trial).
func BenchmarkTrialSilent(b *testing.B) { benchTrial(b, [4]float64{80, 350, 100, 225}) }

// BenchmarkTrialActive: the converged class means of spiking.md §13
// (WEE 183, WEI 222, WIE 150, WII 163 pA), a full Up state (about 19,000
// spikes a trial).
func BenchmarkTrialActive(b *testing.B) { benchTrial(b, [4]float64{183, 222, 150, 163}) }

// BenchmarkRunActive times the step loop alone on the active network,
// and checks that it does not allocate.
func BenchmarkRunActive(b *testing.B) {
	p := Fig7()
	g, _ := NewGraph(p, GraphRNG(1))
	nw, _ := NewNetwork(p, g, NoiseRNG(1))
	nw.SetWeights(Uniform(g, [4]float64{183, 222, 150, 163}))
	nw.Run(p.TrialSteps(), nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		nw.Run(p.TrialSteps(), nil)
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/float64(p.N()*p.TrialSteps()), "ns/neuron-step")
}

func BenchmarkRunSilent(b *testing.B) {
	p := Fig7()
	g, _ := NewGraph(p, GraphRNG(1))
	nw, _ := NewNetwork(p, g, NoiseRNG(1))
	nw.SetWeights(Uniform(g, [4]float64{80, 350, 100, 225}))
	nw.Run(p.TrialSteps(), nil)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		nw.Run(p.TrialSteps(), nil)
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/float64(p.N()*p.TrialSteps()), "ns/neuron-step")
}
