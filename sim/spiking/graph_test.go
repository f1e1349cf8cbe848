package spiking

import (
	"fmt"
	"math"
	"testing"
)

// checkGraph verifies the structural invariants of every projection:
// exact counts round(PConn·nPre·nPost), strictly increasing targets per
// row (no pair twice), no autapse within a population.
func checkGraph(t *testing.T, p Params, g *Graph) {
	t.Helper()
	within := [4]bool{true, false, false, true}
	for c, pr := range g.Projections() {
		want := int(math.Round(p.PConn * float64(pr.NPre) * float64(pr.NPost)))
		if within[c] {
			want = min(want, pr.NPre*(pr.NPre-1))
		}
		if pr.Len() != want {
			t.Errorf("class %d: %d synapses, want %d", c, pr.Len(), want)
		}
		if err := pr.check(); err != nil {
			t.Errorf("class %d: %v", c, err)
		}
		for k := range pr.NPre {
			row := pr.Post[pr.Ptr[k]:pr.Ptr[k+1]]
			for s, j := range row {
				if s > 0 && row[s-1] >= j {
					t.Fatalf("class %d row %d: targets not strictly increasing", c, k)
				}
				if within[c] && int(j) == k {
					t.Fatalf("class %d: autapse on cell %d", c, k)
				}
			}
		}
	}
}

// The Fig. 7 graph has 640,000 E→E, 160,000 E→I, 160,000 I→E and
// 40,000 I→I synapses (spiking.md §3). Small and dense graphs exercise
// the other sampling branch and the autapse exclusion at the limit.
func TestGraphCounts(t *testing.T) {
	for _, tc := range []struct {
		ne, ni int
		pc     float64
	}{
		{1600, 400, 0.25}, {30, 10, 0.9}, {12, 5, 1}, {50, 20, 0.02},
	} {
		t.Run(fmt.Sprintf("ne=%d,ni=%d,p=%g", tc.ne, tc.ni, tc.pc), func(t *testing.T) {
			p := Fig7()
			p.NE, p.NI, p.PConn, p.KickN = tc.ne, tc.ni, tc.pc, 0
			g, err := NewGraph(p, GraphRNG(3))
			if err != nil {
				t.Fatal(err)
			}
			checkGraph(t, p, g)
		})
	}
	g, _ := NewGraph(Fig7(), GraphRNG(1))
	for c, want := range []int{640_000, 160_000, 160_000, 40_000} {
		if n := g.Projections()[c].Len(); n != want {
			t.Errorf("Fig7 class %d: %d synapses, want %d", c, n, want)
		}
	}
}

// Delays are uniform on {1, …, 10} steps from E cells and {1, …, 5}
// from I cells (spiking.md §2). Pearson's χ² over the delay counts of
// each class must stay below its 0.1% critical value (27.88 for 9
// degrees of freedom, 18.47 for 4).
func TestDelayDistribution(t *testing.T) {
	p := Fig7()
	g, _ := NewGraph(p, GraphRNG(2))
	for c, pr := range g.Projections() {
		dmax, crit := 10, 27.88
		if c == 1 || c == 3 { // presynaptic I
			dmax, crit = 5, 18.47
		}
		count := make([]int, dmax+1)
		for _, d := range pr.Delay {
			if d < 1 || int(d) > dmax {
				t.Fatalf("class %d: delay %d steps outside 1..%d", c, d, dmax)
			}
			count[d]++
		}
		exp := float64(pr.Len()) / float64(dmax)
		chi2 := 0.0
		for _, n := range count[1:] {
			chi2 += (float64(n) - exp) * (float64(n) - exp) / exp
		}
		if chi2 > crit {
			t.Errorf("class %d: χ² = %.1f over %d delays, want < %g", c, chi2, dmax, crit)
		}
	}
}

// Initial weights are mean·N(1, 0.2²), clipped at 0: the class means
// match the preset to sampling accuracy (0.2/√n relative, n ≥ 40,000;
// tolMean is about five SDs).
func TestInitialWeights(t *testing.T) {
	p := Fig7()
	g, _ := NewGraph(p, GraphRNG(1))
	w := NewWeights(p, g, WeightsRNG(1))
	want := [4]float64{p.WEE0, p.WEI0, p.WIE0, p.WII0}
	const tolMean = 5e-3
	for c, m := range w.Means() {
		if math.Abs(m/want[c]-1) > tolMean {
			t.Errorf("class %d mean %.3f pA, want %g ± %g relative", c, m, want[c], tolMean)
		}
	}
}
