package spiking

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// smallParams is a 160 E + 40 I network with the Fig. 7 rule, small
// enough for unit tests.
func smallParams() Params {
	p := Fig7()
	p.NE, p.NI, p.KickN = 160, 40, 10
	return p
}

// silent-phase drift (spiking.md §7). With no spike at all every
// measured rate is 0. On the first trial the filter starts at r = 0, so
// A = B = 0, and after the floor R = 1 Hz:
//
//	E post: (S_I − A) + (S_E − R^E) = 14 + 4 = 18,  I post: −(S_E − B) + (S_I − R^I) = −5 + 13 = 8
//
// From the second trial the filter gives R = 1 + (0 − 1)/2 = 0.5 Hz
// before the floor, so A = B = 0.5 and
//
//	E post: 13.5 + 4 = 17.5,  I post: −4.5 + 13 = 8.5
//
// Every presynaptic factor is the floored 1 Hz, so every synapse of a
// class takes the same step: EE +17.5α, I→E −17.5α, E→I +8.5α,
// II −8.5α (0.14, 0.14, 0.068, 0.068 pA at α = 0.008).
func TestSilentDrift(t *testing.T) {
	p := smallParams()
	p.Sigma, p.KickN = 0, 0 // nothing ever fires
	tr, err := NewTrainer(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	// tol: float64 rounding of w + Δw at w ≤ 10³ pA.
	const tol = 1e-12
	a := p.Alpha
	for trial, step := range [][4]float64{
		{18 * a, -18 * a, 8 * a, -8 * a},
		{17.5 * a, -17.5 * a, 8.5 * a, -8.5 * a},
		{17.5 * a, -17.5 * a, 8.5 * a, -8.5 * a},
	} {
		before := tr.W.Clone()
		rec := tr.Step()
		if rec.SpikesE+rec.SpikesI != 0 {
			t.Fatalf("trial %d: %d spikes, want none", trial, rec.SpikesE+rec.SpikesI)
		}
		for c, ws := range tr.W.Classes() {
			for k, w := range *ws {
				if d := w - (*before.Classes()[c])[k]; math.Abs(d-step[c]) > tol {
					t.Fatalf("trial %d class %s synapse %d: Δw = %.15g, want %.15g",
						trial, [4]string{"EE", "EI", "IE", "II"}[c], k, d, step[c])
				}
			}
		}
	}
}

// Stopping after k trials, writing a checkpoint, reading it back and
// running on gives bit-identical weights, filter state and records to an
// uninterrupted run.
func TestCheckpointResume(t *testing.T) {
	p := smallParams()
	p.WEE0, p.WEI0, p.WIE0, p.WII0 = 800, 300, 600, 300 // active: spikes and Ups
	const n, k = 6, 3
	full, _ := NewTrainer(p, 9)
	var want []TrialRecord
	_ = full.Run(n, nil, func(r TrialRecord) error {
		want = append(want, strip(r))
		return nil
	})

	part, _ := NewTrainer(p, 9)
	var got []TrialRecord
	keep := func(r TrialRecord) error { got = append(got, strip(r)); return nil }
	_ = part.Run(k, nil, keep)
	var buf bytes.Buffer
	if err := part.WriteCheckpoint(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := ReadCheckpoint(&buf)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Run(n-k, nil, keep)

	if want[n-1].SpikesE == 0 {
		t.Fatal("test network is silent; it should exercise spikes")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records differ after resume:\n got %+v\nwant %+v", got[k:], want[k:])
	}
	if !reflect.DeepEqual(res.W, full.W) || !slices.Equal(res.RE, full.RE) ||
		!slices.Equal(res.RI, full.RI) || res.Trials != full.Trials {
		t.Error("weights or filter state differ after resume")
	}
}

func strip(r TrialRecord) TrialRecord {
	r.Rates, r.Spikes = Rates{}, nil
	return r
}

// Same seed, same run; another seed, another graph.
func TestSeeds(t *testing.T) {
	p := smallParams()
	a, _ := NewTrainer(p, 4)
	b, _ := NewTrainer(p, 4)
	c, _ := NewTrainer(p, 5)
	for _, tr := range []*Trainer{a, b, c} {
		_ = tr.Run(2, nil, nil)
	}
	if !reflect.DeepEqual(a.W, b.W) || !reflect.DeepEqual(a.G, b.G) {
		t.Error("same seed gave different results")
	}
	if reflect.DeepEqual(a.G.EE.Post, c.G.EE.Post) {
		t.Error("different seeds gave the same graph")
	}
}

// WriteWeights/ReadWeights keep the parameters and graph exactly and
// the weights to float32; a corrupted byte is caught by the checksum.
func TestWeightsFile(t *testing.T) {
	p := smallParams()
	tr, _ := NewTrainer(p, 2)
	var buf bytes.Buffer
	if err := WriteWeights(&buf, p, tr.G, tr.W); err != nil {
		t.Fatal(err)
	}
	raw := slices.Clone(buf.Bytes())
	q, g, w, err := ReadWeights(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q, p) || !reflect.DeepEqual(g, tr.G) {
		t.Error("params or graph changed in the round trip")
	}
	for c, ws := range w.Classes() {
		for k, v := range *ws {
			if want := float64(float32((*tr.W.Classes()[c])[k])); v != want {
				t.Fatalf("class %d synapse %d: %v, want %v", c, k, v, want)
			}
		}
	}
	raw[len(raw)/2] ^= 1
	if _, _, _, err := ReadWeights(bytes.NewReader(raw)); err == nil {
		t.Error("corrupted file accepted")
	}
	if _, err := ReadCheckpoint(bytes.NewReader(raw)); err == nil {
		t.Error("weights file accepted as a checkpoint")
	}
}

func TestParams(t *testing.T) {
	for _, name := range PresetNames {
		p, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		q, err := DecodeParams(p.EncodeTOML(), Public())
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Errorf("%s: TOML round trip gave %+v, %v", name, q, err)
		}
	}
	p, err := DecodeParams([]byte("alpha = 0.01\nwmax = inf\nne = 800\n"), Public())
	if err != nil || p.Alpha != 0.01 || !math.IsInf(p.WMax, 1) || p.NE != 800 || p.NI != 400 {
		t.Errorf("override gave %+v, %v", p, err)
	}
	if _, err := DecodeParams([]byte("alpah = 1\n"), Fig7()); err == nil || !strings.Contains(err.Error(), "alpah") {
		t.Errorf("unknown key: got %v, want an error naming it", err)
	}
	if _, err := DecodeParams([]byte("dt = -1\n"), Fig7()); err == nil || !strings.Contains(err.Error(), "dt") {
		t.Errorf("bad value: got %v, want an error naming dt", err)
	}
}

// The paradox test gives the same result for any number of workers.
func TestParadoxWorkers(t *testing.T) {
	p := smallParams()
	p.NE, p.NI, p.KickN = 80, 20, 10
	g, _ := NewGraph(p, GraphRNG(1))
	w := Uniform(g, [4]float64{800, 300, 600, 300})
	cfg := DefaultParadox()
	cfg.Amps, cfg.Trials, cfg.TrialMS = []float64{0, 50}, 3, 600
	cfg.BaseFromMS, cfg.BaseToMS, cfg.StimFromMS, cfg.StimToMS = 200, 300, 300, 400
	cfg.MinE, cfg.MinI = 0, 0
	var res [2]*ParadoxResult
	for i, workers := range []int{1, 2} {
		cfg.Workers = workers
		r, err := Paradox(p, g, w, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		res[i] = r
	}
	res[0].Config.Workers = 2
	if !reflect.DeepEqual(res[0], res[1]) {
		t.Error("results depend on the number of workers")
	}
	if res[0].KeptI[0] != 3 || len(res[0].PSTHI[0]) != 60 {
		t.Errorf("kept %d trials with %d bins, want 3 with 60", res[0].KeptI[0], len(res[0].PSTHI[0]))
	}
}
