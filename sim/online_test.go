package sim

import (
	"context"
	"math"
	"testing"
)

// Fig. S4: the online cross rule (α = 5e-7 per step, no rate floor)
// from (2.1, 3, 4, 2) reaches the setpoints within the 100 s run. Our
// run ends at sensors E ≈ 5.2, I ≈ 14.0; the tolerances allow for other
// seeds.
func TestOnlineFigS4(t *testing.T) {
	c := DefaultOnlineConfig()
	if testing.Short() {
		c.DurationMs = 20000
	}
	r, err := RunOnline(context.Background(), c, cross(5e-7), FigS4, 42, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := int(c.DurationMs / c.RecordEveryMs)
	if len(r.Samples) != n || r.OnsetsMs[0] != 200 {
		t.Fatalf("%d samples, first onset %v ms; want %d and 200", len(r.Samples), r.OnsetsMs[0], n)
	}
	if testing.Short() {
		return
	}
	last := r.Samples[n-1]
	if math.Abs(last.CaE-5) > 0.5 || math.Abs(last.CaI-14) > 1 {
		t.Errorf("sensors at 100 s: E=%.3f I=%.3f, want 5±0.5, 14±1", last.CaE, last.CaI)
	}
}
