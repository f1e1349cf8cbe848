package spiking_test

import (
	"fmt"

	"github.com/paradoxlab/paradox/sim/spiking"
)

// The two presets differ in the refractory periods, the learning rate
// and the weight bounds (spiking.md §12).
func ExamplePreset() {
	for _, name := range spiking.PresetNames {
		p, _ := spiking.Preset(name)
		fmt.Printf("%s: tref %g/%g ms, alpha %g, weights in [%g, %g] pA\n",
			name, p.TrefE, p.TrefI, p.Alpha, p.WMin, p.WMax)
	}
	// Output:
	// fig7: tref 2.5/1 ms, alpha 0.008, weights in [0.4, +Inf] pA
	// public: tref 5/2 ms, alpha 0.005, weights in [5, 750] pA
}

// An I-population PSTH with activity in bins 10-39 and 45-99 (a 50-ms
// gap, merged) and a 60-ms burst at 120-125 (dropped as too short).
func ExampleDetectUps() {
	r := make([]float64, 149)
	for k := range r {
		if (k >= 10 && k < 40) || (k >= 45 && k < 100) || (k >= 120 && k < 126) {
			r[k] = 2.5
		}
	}
	fmt.Println(spiking.DetectUps(r, 0.2, 10, 10))
	// Output: [{10 100}]
}
