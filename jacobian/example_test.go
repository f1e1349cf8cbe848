package jacobian_test

import (
	"fmt"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

// The standard rule at Fig. 2E's weights: the neural subsystem is stable
// but the plasticity is not (analytics.md §4's worked check).
func ExamplePlasticityAt() {
	p := model.Default()
	fam, _ := jacobian.Builtin("standard")
	rule, _ := fam.Compile(p, jacobian.UniformRates(0.02))
	w := p.OnPlane(5, 10)

	n := jacobian.NeuralStability(p, w)
	pl, _ := jacobian.PlasticityAt(rule, w, p.Eset, p.Iset)
	fmt.Printf("neural stable: %v\n", n.Stable)
	fmt.Printf("plasticity stable: %v, eigenvalues %.4f\n", pl.Stable, pl.Eigenvalues)
	// Output:
	// neural stable: true
	// plasticity stable: false, eigenvalues [(1.3175+1.8772i) (1.3175-1.8772i)]
}

// The fast path classifies points of the setpoint plane without an
// eigendecomposition.
func ExamplePlaneKernel() {
	p := model.Default()
	fam, _ := jacobian.Builtin("cross")
	rule, _ := fam.Compile(p, jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	s := k.At(5, 10)
	fmt.Printf("cross at (5, 10): neural %v, plasticity %v, paradoxical %v\n",
		s.NeuralStable(), s.PlasticityStable(), s.Paradoxical)
	// Output:
	// cross at (5, 10): neural true, plasticity true, paradoxical true
}
