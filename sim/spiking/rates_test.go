package spiking

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// series builds a rate series of n bins, active (1 Hz) in the given
// [start, stop) runs.
func series(n int, runs ...[2]int) []float64 {
	r := make([]float64, n)
	for _, u := range runs {
		for k := u[0]; k < u[1]; k++ {
			r[k] = 1
		}
	}
	return r
}

// Cases follow the reference's find_upstates with threshold 0.2 Hz, gap
// and minimum duration 10 bins (spiking.md §6).
func TestDetectUps(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    []float64
		want []Up
	}{
		{"none", series(149), nil},
		{"single", series(149, [2]int{10, 140}), []Up{{10, 140}}},
		{"open at end", series(149, [2]int{10, 149}), []Up{{10, 149}}},
		{"merged gap of 10", series(149, [2]int{10, 40}, [2]int{50, 90}), []Up{{10, 90}}},
		{"two, gap of 11", series(149, [2]int{10, 40}, [2]int{51, 90}), []Up{{10, 40}, {51, 90}}},
		{"short dropped", series(149, [2]int{10, 20}, [2]int{60, 90}), []Up{{60, 90}}},
		{"11 bins kept", series(149, [2]int{10, 21}), []Up{{10, 21}}},
		{"short pieces merge", series(149, [2]int{10, 15}, [2]int{20, 26}), []Up{{10, 26}}},
		// As the reference: an active first bin discards the first
		// downward crossing, and then nothing pairs.
		{"active at start", series(149, [2]int{0, 30}, [2]int{60, 149}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DetectUps(tc.r, 0.2, 10, 10)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// regular returns spikes of cell every period steps in [from, to).
func regular(cell int, from, to, period int) []Spike {
	var s []Spike
	for k := from; k < to; k += period {
		s = append(s, Spike{Step: int32(k), Cell: int32(cell)})
	}
	return s
}

func sortSpikes(s []Spike) []Spike {
	slices.SortFunc(s, func(a, b Spike) int { return int(a.Step - b.Step) })
	return s
}

// Synthetic trains on a 4 E + 2 I network, 1500-ms trials (PSTH bin 100
// steps). Rates are exact: counts over window lengths.
func TestMeasure(t *testing.T) {
	p := Fig7()
	p.NE, p.NI, p.KickN = 4, 2, 1
	const tol = 1e-12
	steps := p.TrialSteps()

	t.Run("single Up", func(t *testing.T) {
		// I cell 4 fires every 5 ms from 200 to 1200 ms: the I PSTH is
		// active in bins [20, 120), a 1-s Up. A spike exactly on the
		// left edge (step 2000) is not strictly inside and is left out.
		var sp []Spike
		sp = append(sp, regular(4, 2000, 12000, 50)...)
		sp = append(sp, regular(1, 2000, 12000, 100)...)  // E cell 1: 100 spikes, 1 on the edge
		sp = append(sp, regular(2, 12000, 14000, 100)...) // after the Up: not counted
		r := Measure(p, sortSpikes(sp), steps)
		if !slices.Equal(r.Ups, []Up{{20, 120}}) {
			t.Fatalf("Ups %v, want [{20 120}]", r.Ups)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"UpS", r.UpS, 1},
			{"I[0]", r.I[0], 199},
			{"E[1]", r.E[1], 99},
			{"E[2]", r.E[2], 0},
			{"MeanE", r.MeanE, 99.0 / 4},
			{"MeanI", r.MeanI, 199.0 / 2},
		} {
			if math.Abs(c.got-c.want) > tol {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
	})

	t.Run("several Ups", func(t *testing.T) {
		// Ups [200, 500) ms and [800, 1000) ms: each cell's rate is the
		// mean of its rates in the two windows.
		var sp []Spike
		sp = append(sp, regular(5, 2001, 5000, 100)...) // 30 spikes in 0.3 s, 100 Hz
		sp = append(sp, regular(5, 8001, 10000, 50)...) // 40 spikes in 0.2 s, 200 Hz
		sp = append(sp, regular(0, 2001, 5000, 300)...) // 10 in the first: 33.3 Hz
		r := Measure(p, sortSpikes(sp), steps)
		if !slices.Equal(r.Ups, []Up{{20, 50}, {80, 100}}) {
			t.Fatalf("Ups %v, want [{20 50} {80 100}]", r.Ups)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"UpS", r.UpS, 0.25},
			{"I[1]", r.I[1], (100.0 + 200) / 2},
			{"E[0]", r.E[0], (10 / 0.3) / 2},
		} {
			if math.Abs(c.got-c.want) > tol {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
	})

	t.Run("no Up", func(t *testing.T) {
		// An event: the kicked E cell 0 fires 3 times in bins 10-12, E
		// cell 1 twice in bins 11 and 40, I cell 4 once in bin 11 (too
		// short for an Up). Event length = max(4 E bins, 1 I bin)·10 ms;
		// rates = all spikes / 0.04 s; cell 0 gets the mean of cells 1-3.
		sp := sortSpikes([]Spike{{1005, 0}, {1105, 0}, {1205, 0},
			{1150, 1}, {4000, 1}, {1160, 4}})
		r := Measure(p, sp, steps)
		if len(r.Ups) != 0 {
			t.Fatalf("Ups %v, want none", r.Ups)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"UpS", r.UpS, 0.04},
			{"E[1]", r.E[1], 2 / 0.04},
			{"E[0]", r.E[0], (2 / 0.04) / 3},
			{"I[0]", r.I[0], 1 / 0.04},
		} {
			if math.Abs(c.got-c.want) > tol {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
	})

	t.Run("silent", func(t *testing.T) {
		r := Measure(p, nil, steps)
		if r.MeanE != 0 || r.MeanI != 0 || r.UpS != 0 {
			t.Errorf("got E %v I %v UpS %v, want zeros", r.MeanE, r.MeanI, r.UpS)
		}
	})
}

// CV_ISI of a regular train is 0; of alternating intervals a, b it is
// |a − b|/(a + b).
func TestCVISI(t *testing.T) {
	p := Fig7()
	p.NE, p.NI = 3, 1
	ups := []Up{{10, 140}}
	var sp []Spike
	sp = append(sp, regular(0, 1100, 13000, 100)...)
	for k := 1100; k < 13000; k += 300 { // intervals 100 and 200 steps
		sp = append(sp, Spike{int32(k), 1}, Spike{int32(k + 100), 1})
	}
	sp = append(sp, Spike{13100, 1})                // 40 intervals of each length
	sp = append(sp, regular(2, 1100, 1400, 100)...) // 3 spikes: too few
	sp = sortSpikes(sp)
	const tol = 1e-12
	for _, tc := range []struct {
		cell int
		want float64
	}{{0, 0}, {1, 1.0 / 3}} {
		t.Run(fmt.Sprint("cell=", tc.cell), func(t *testing.T) {
			got, n := CVISI(p, sp, ups, tc.cell, tc.cell+1)
			if n != 1 || math.Abs(got-tc.want) > tol {
				t.Errorf("CV %v over %d cells, want %v over 1", got, n, tc.want)
			}
		})
	}
	if _, n := CVISI(p, sp, ups, 2, 3); n != 0 {
		t.Errorf("cell with 3 spikes counted")
	}
}

func TestPSTH(t *testing.T) {
	p := Fig7()
	p.NE, p.NI = 2, 1
	// Step 14900 is the right edge of the last of 149 bins and counts;
	// step 14901 is dropped (np.histogram's closed last bin).
	sp := []Spike{{0, 0}, {99, 1}, {100, 2}, {14900, 0}, {14901, 0}}
	h := NewPSTH(p, sp, 149)
	const tol = 1e-12
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"E[0]", h.E[0], 2 / (2 * 0.01)},
		{"I[1]", h.I[1], 1 / 0.01},
		{"E[148]", h.E[148], 1 / (2 * 0.01)},
	} {
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}
