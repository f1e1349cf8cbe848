package spiking

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
)

// ParadoxConfig sets up the paradoxical-effect test of Fig. 7I
// (spiking.md §9): after the usual kick, a square current into every I
// cell, in trials without plasticity.
type ParadoxConfig struct {
	// Amps are the step amplitudes in pA. The default is 0, 2, 4, 6.
	Amps []float64
	// Trials is the number of trials per amplitude (40). Trial k of
	// every amplitude uses the same noise seed, and the same redrawn
	// delays, so amplitudes are compared on common random numbers.
	Trials int
	// TrialMS is the trial length in ms (5100).
	TrialMS float64
	// StimFromMS and StimToMS bound the step in ms (3000, 4000);
	// BaseFromMS and BaseToMS bound the baseline window (2000, 3000).
	StimFromMS, StimToMS float64
	BaseFromMS, BaseToMS float64
	// MinE and MinI are the exclusion thresholds in Hz (2, 4): a trial
	// whose mean E (I) rate during the step is below MinE (MinI) has
	// lost its Up state and is left out of the E (I) averages.
	MinE, MinI float64
	// RedrawDelays redraws every synaptic delay per trial from the
	// trial's seed, as the reference does (true).
	RedrawDelays bool
	// Seed seeds the trials' streams.
	Seed uint64
	// Workers is the number of trials run at once (1). Results do not
	// depend on it.
	Workers int
}

// DefaultParadox returns the configuration of Fig. 7I.
func DefaultParadox() ParadoxConfig {
	return ParadoxConfig{
		Amps: []float64{0, 2, 4, 6}, Trials: 40, TrialMS: 5100,
		StimFromMS: 3000, StimToMS: 4000, BaseFromMS: 2000, BaseToMS: 3000,
		MinE: 2, MinI: 4, RedrawDelays: true, Workers: 1,
	}
}

// ParadoxResult holds, per amplitude a, the PSTHs averaged over the
// kept trials and the window means.
type ParadoxResult struct {
	Config ParadoxConfig
	// BinMS is the PSTH bin in ms; bin k starts at k·BinMS.
	BinMS float64
	// PSTHE[a] and PSTHI[a] are the mean E and I rates in Hz over the
	// kept trials (NaN where none is kept).
	PSTHE, PSTHI [][]float64
	// KeptE[a] and KeptI[a] count the kept trials of 40 (Trials).
	KeptE, KeptI []int
	// BaseE, StimE, BaseI and StimI are the mean rates in Hz of the kept
	// trials in the baseline and step windows.
	BaseE, StimE, BaseI, StimI []float64
	// AliveEnd[a] counts the trials whose I rate over the last 200 ms
	// before TrialMS − 100 ms is at least MinI (the Up state survived).
	AliveEnd []int
}

// DropI returns BaseI − StimI for amplitude index a: positive when the
// step into I lowers the I rate, the paradoxical effect.
func (r *ParadoxResult) DropI(a int) float64 { return r.BaseI[a] - r.StimI[a] }

// trialWindows are the per-trial means a ParadoxResult needs.
type trialWindows struct {
	e, i         []float64 // PSTH
	baseE, stimE float64
	baseI, stimI float64
	endI         float64
}

// Paradox runs the test on the network p, g with weights w. The graph
// and the weights are not modified. progress, if not nil, is called from
// the calling goroutine after each trial.
func Paradox(p Params, g *Graph, w *Weights, cfg ParadoxConfig, progress func(done, total int)) (*ParadoxResult, error) {
	if cfg.Trials < 1 || len(cfg.Amps) == 0 {
		return nil, errors.New("spiking: paradox needs at least one trial and one amplitude")
	}
	if !(cfg.StimFromMS < cfg.StimToMS && cfg.BaseFromMS < cfg.BaseToMS &&
		cfg.StimToMS <= cfg.TrialMS && cfg.BaseToMS <= cfg.TrialMS) {
		return nil, errors.New("spiking: paradox windows must lie inside the trial")
	}
	workers := min(max(cfg.Workers, 1), len(cfg.Amps)*cfg.Trials)
	steps := p.steps(cfg.TrialMS)
	nBins := steps / p.binSteps()
	total := len(cfg.Amps) * cfg.Trials
	out := make([]trialWindows, total)

	jobs := make(chan int)
	done := make(chan error, total)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gc := g.CloneDelays()
			nw, err := NewNetwork(p, gc, NewXoshiro(0))
			if err != nil {
				for range jobs {
					done <- err
				}
				return
			}
			nw.SetWeights(w)
			for job := range jobs {
				a, k := job/cfg.Trials, job%cfg.Trials
				out[job] = paradoxTrial(p, nw, gc, cfg, cfg.Amps[a], k, steps, nBins)
				done <- nil
			}
		}()
	}
	go func() {
		for job := range total {
			jobs <- job
		}
		close(jobs)
	}()
	var err error
	for n := 1; n <= total; n++ {
		if e := <-done; e != nil && err == nil {
			err = e
		}
		if progress != nil {
			progress(n, total)
		}
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return summariseParadox(p, cfg, out, nBins), nil
}

// paradoxTrial runs trial k at amplitude amp on nw, whose graph gc it
// may redraw.
func paradoxTrial(p Params, nw *Network, gc *Graph, cfg ParadoxConfig, amp float64, k, steps, nBins int) trialWindows {
	seed := cfg.Seed*0x9e3779b97f4a7c15 + uint64(k)
	if cfg.RedrawDelays {
		gc.RedrawDelays(p, rand.New(rand.NewPCG(seed, streamGraph)))
	}
	nw.RNG().Seed(seed ^ streamNoise)
	stim := []Stim{{I: true, From: p.steps(cfg.StimFromMS), To: p.steps(cfg.StimToMS), Amp: amp}}
	nw.Run(steps, stim)
	h := NewPSTH(p, nw.Spikes(), nBins)
	win := func(x []float64, from, to float64) float64 {
		lo := int(math.Round(from / p.BinMS))
		hi := min(int(math.Round(to/p.BinMS)), len(x))
		return mean(x[lo:hi])
	}
	return trialWindows{
		e: h.E, i: h.I,
		baseE: win(h.E, cfg.BaseFromMS, cfg.BaseToMS),
		stimE: win(h.E, cfg.StimFromMS, cfg.StimToMS),
		baseI: win(h.I, cfg.BaseFromMS, cfg.BaseToMS),
		stimI: win(h.I, cfg.StimFromMS, cfg.StimToMS),
		endI:  win(h.I, cfg.TrialMS-300, cfg.TrialMS-100),
	}
}

func summariseParadox(p Params, cfg ParadoxConfig, out []trialWindows, nBins int) *ParadoxResult {
	na := len(cfg.Amps)
	r := &ParadoxResult{Config: cfg, BinMS: p.BinMS,
		PSTHE: make([][]float64, na), PSTHI: make([][]float64, na),
		KeptE: make([]int, na), KeptI: make([]int, na),
		BaseE: make([]float64, na), StimE: make([]float64, na),
		BaseI: make([]float64, na), StimI: make([]float64, na),
		AliveEnd: make([]int, na)}
	for a := range na {
		r.PSTHE[a] = make([]float64, nBins)
		r.PSTHI[a] = make([]float64, nBins)
		for k := range cfg.Trials {
			tw := out[a*cfg.Trials+k]
			if tw.stimE >= cfg.MinE {
				r.KeptE[a]++
				r.BaseE[a] += tw.baseE
				r.StimE[a] += tw.stimE
				addTo(r.PSTHE[a], tw.e)
			}
			if tw.stimI >= cfg.MinI {
				r.KeptI[a]++
				r.BaseI[a] += tw.baseI
				r.StimI[a] += tw.stimI
				addTo(r.PSTHI[a], tw.i)
			}
			if tw.endI >= cfg.MinI {
				r.AliveEnd[a]++
			}
		}
		scale(r.PSTHE[a], r.KeptE[a], &r.BaseE[a], &r.StimE[a])
		scale(r.PSTHI[a], r.KeptI[a], &r.BaseI[a], &r.StimI[a])
	}
	return r
}

func addTo(dst, x []float64) {
	for k, v := range x {
		dst[k] += v
	}
}

// scale divides the sums by n, or sets them to NaN when n is 0.
func scale(x []float64, n int, s ...*float64) {
	f := 1 / float64(n)
	if n == 0 {
		f = math.NaN()
	}
	for k := range x {
		x[k] *= f
	}
	for _, v := range s {
		*v *= f
	}
}
