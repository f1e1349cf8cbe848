package sim_test

import (
	"fmt"

	"github.com/paradoxlab/paradox/sim"
)

// The paradoxical effect of Fig. 1B: with the network of Figs. 1B-C in
// its Up state, adding 7 to the input of the I population lowers the I
// rate, from I* = 10 Hz to 4.615 Hz.
func ExampleStep() {
	r, err := sim.Step(sim.DefaultStepConfig(), 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("E: %.3f -> %.3f Hz\n", r.EBefore, r.EDuring)
	fmt.Printf("I: %.3f -> %.3f Hz, lowered: %v\n", r.IBefore, r.IDuring, r.ILowered())
	// Output:
	// E: 5.000 -> 2.954 Hz
	// I: 10.000 -> 4.615 Hz, lowered: true
}
