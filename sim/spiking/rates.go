package spiking

import (
	"math"
	"slices"
)

// PSTH is a population rate histogram: E[k] and I[k] are the mean rates
// in Hz of the E and I cells in bin k, which spans steps
// [k·BinSteps, (k+1)·BinSteps).
type PSTH struct {
	BinSteps int
	BinMS    float64
	E, I     []float64
}

// NewPSTH returns the PSTH of spikes in bins of p.BinMS over the first
// nBins bins; a spike at the right edge of the last bin counts in it, and
// later spikes are left out. The reference uses the bin edges
// 0, 10, …, 1490 ms for a 1500-ms trial, so nBins = 149 there and the
// last 10 ms are dropped (spiking.md §6).
func NewPSTH(p Params, spikes []Spike, nBins int) PSTH {
	bs := p.binSteps()
	h := PSTH{BinSteps: bs, BinMS: p.BinMS,
		E: make([]float64, nBins), I: make([]float64, nBins)}
	last := int32(nBins * bs)
	for _, s := range spikes {
		if s.Step > last {
			continue
		}
		k := min(int(s.Step)/bs, nBins-1)
		if int(s.Cell) < p.NE {
			h.E[k]++
		} else {
			h.I[k]++
		}
	}
	sec := p.BinMS / 1000
	for k := range h.E {
		h.E[k] /= float64(p.NE) * sec
		h.I[k] /= float64(p.NI) * sec
	}
	return h
}

// trialBins returns the number of PSTH bins of a trial of steps steps,
// the reference's convention: the bin edges 0, bin, … stop before the
// end of the trial, so the last (partial or whole) bin is dropped.
func trialBins(p Params, steps int) int {
	return max((steps-1)/p.binSteps(), 1)
}

// Up is an Up state: the bins [Start, Stop) of a PSTH.
type Up struct {
	Start, Stop int
}

// DetectUps finds the Up states of the rate series r (the I-population
// PSTH) as the reference's find_upstates does (spiking.md §6): a bin is
// active when r ≥ thresh; an Up starts at an upward crossing and ends at
// the first inactive bin after it, or at len(r) if the series ends
// active; gaps of at most gap bins between Ups are merged, and Ups of at
// most minDur bins are dropped. As in the reference, a series that is
// active in its first bin has its first downward crossing discarded,
// and if no crossing pair is left there is no Up.
func DetectUps(r []float64, thresh float64, gap, minDur int) []Up {
	var ups, downs []int
	for k := 1; k < len(r); k++ {
		was, is := r[k-1] >= thresh, r[k] >= thresh
		switch {
		case !was && is:
			ups = append(ups, k)
		case was && !is:
			downs = append(downs, k)
		}
	}
	if len(ups)-len(downs) == 1 {
		downs = append(downs, len(r))
	}
	if len(ups) == 0 || len(downs) == 0 {
		return nil
	}
	if downs[0] < ups[0] {
		downs = downs[1:]
	}
	if len(ups) == 0 || len(downs) == 0 {
		return nil
	}
	if ups[len(ups)-1] > downs[len(downs)-1] {
		downs = append(downs, len(r))
	}
	if len(ups) != len(downs) {
		return nil // unreachable for a binary series; kept as the reference's assert
	}

	// Merge across short Downs, then drop short Ups.
	var out []Up
	cur := Up{ups[0], downs[0]}
	for k := 1; k < len(ups); k++ {
		if ups[k]-cur.Stop > gap {
			out = append(out, cur)
			cur.Start = ups[k]
		}
		cur.Stop = downs[k]
	}
	out = append(out, cur)
	return slices.DeleteFunc(out, func(u Up) bool { return u.Stop-u.Start <= minDur })
}

// Rates are the rates of one trial as the plasticity rule sees them.
type Rates struct {
	// E and I are the per-cell rates in Hz.
	E, I []float64
	// MeanE and MeanI are their population means in Hz.
	MeanE, MeanI float64
	// Ups are the detected Up states, in PSTH bins.
	Ups []Up
	// UpS is the mean Up duration in s, or with no Up the event
	// duration (see Measure).
	UpS float64
}

// Measure returns the rates of a trial from its spikes (spiking.md §6).
// With one or more Up states, a cell's rate is its count of spikes
// strictly inside each Up window divided by the window's duration,
// averaged over the windows. With none (an "event"), it is the cell's
// count of all spikes of the trial divided by the event duration, the
// larger of the numbers of PSTH bins with any E and with any I spike
// times the bin width; the KickN kicked E cells then get the mean rate of
// the other E cells. A trial without any spike has rates 0 (the
// reference would divide by 0).
func Measure(p Params, spikes []Spike, steps int) Rates {
	h := NewPSTH(p, spikes, trialBins(p, steps))
	bs := p.binSteps()
	gap := int(math.Round(p.UpGapMS / p.BinMS))
	minDur := int(math.Round(p.UpMinMS / p.BinMS))
	r := Rates{E: make([]float64, p.NE), I: make([]float64, p.NI)}
	r.Ups = DetectUps(h.I, p.UpThresh, gap, minDur)

	if len(r.Ups) > 0 {
		for _, u := range r.Ups {
			lo, hi := int32(u.Start*bs), int32(u.Stop*bs)
			dur := float64(u.Stop-u.Start) * p.BinMS / 1000
			w := 1 / (dur * float64(len(r.Ups)))
			for _, s := range spikes {
				if s.Step > lo && s.Step < hi {
					r.addSpike(p.NE, s.Cell, w)
				}
			}
			r.UpS += dur / float64(len(r.Ups))
		}
	} else {
		nE, nI := 0, 0
		for k := range h.E {
			if h.E[k] > 0 {
				nE++
			}
			if h.I[k] > 0 {
				nI++
			}
		}
		r.UpS = float64(max(nE, nI)) * p.BinMS / 1000
		if r.UpS > 0 {
			for _, s := range spikes {
				r.addSpike(p.NE, s.Cell, 1/r.UpS)
			}
			if k := p.KickN; k > 0 && k < p.NE {
				m := mean(r.E[k:])
				for i := range k {
					r.E[i] = m
				}
			}
		}
	}
	r.MeanE, r.MeanI = mean(r.E), mean(r.I)
	return r
}

func (r *Rates) addSpike(ne int, cell int32, w float64) {
	if int(cell) < ne {
		r.E[cell] += w
	} else {
		r.I[int(cell)-ne] += w
	}
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// CVISI returns the median over cells of the coefficient of variation of
// the interspike intervals inside the Up windows, and the number of
// cells it is taken over. The reference computes no CV (spiking.md §9);
// this is our definition: for each cell, the intervals between
// consecutive spikes that both lie strictly inside the same Up window
// are pooled over the windows; a cell with at least 4 spikes inside the
// windows (so at least 3 intervals if all are in one window) is kept if
// it has at least 2 intervals; its CV is the standard deviation of its
// intervals (normalised by the number of intervals) divided by their
// mean. It returns NaN and 0 when no cell qualifies. The ups are in bins
// of p.BinMS, as Measure returns them; cells selects the cells, by
// global index range [lo, hi).
func CVISI(p Params, spikes []Spike, ups []Up, lo, hi int) (median float64, cells int) {
	bs := int32(p.binSteps())
	last := make([]int32, hi-lo)
	count := make([]int, hi-lo)
	sum := make([]float64, hi-lo)
	sum2 := make([]float64, hi-lo)
	nInt := make([]int, hi-lo)
	for _, u := range ups {
		a, b := int32(u.Start)*bs, int32(u.Stop)*bs
		for i := range last {
			last[i] = -1
		}
		for _, s := range spikes {
			if s.Step <= a || s.Step >= b || int(s.Cell) < lo || int(s.Cell) >= hi {
				continue
			}
			c := int(s.Cell) - lo
			count[c]++
			if last[c] >= 0 {
				d := float64(s.Step-last[c]) * p.Dt
				sum[c] += d
				sum2[c] += d * d
				nInt[c]++
			}
			last[c] = s.Step
		}
	}
	var cv []float64
	for c := range count {
		if count[c] < 4 || nInt[c] < 2 {
			continue
		}
		m := sum[c] / float64(nInt[c])
		v := max(sum2[c]/float64(nInt[c])-m*m, 0)
		cv = append(cv, math.Sqrt(v)/m)
	}
	if len(cv) == 0 {
		return math.NaN(), 0
	}
	slices.Sort(cv)
	k := len(cv) / 2
	if len(cv)%2 == 1 {
		return cv[k], len(cv)
	}
	return (cv[k-1] + cv[k]) / 2, len(cv)
}
