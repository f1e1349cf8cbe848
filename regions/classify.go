package regions

import (
	"fmt"

	"github.com/paradoxlab/paradox/jacobian"
)

// Class is the stability class of one cell.
type Class uint8

const (
	// NoFixedPoint: C = 0, the neural fixed-point equations are singular
	// and the setpoints are no isolated fixed point.
	NoFixedPoint Class = iota

	// NeuralUnstable: the Up state at the setpoints is unstable (C < 0 or
	// the trace condition fails), or marginal.
	NeuralUnstable

	// PlasticityUnstable: the neural subsystem is stable but the QSS
	// plasticity subsystem is not (or is marginal).
	PlasticityUnstable

	// Stable: both subsystems are asymptotically stable.
	Stable

	// NumClasses is the number of classes.
	NumClasses = 4
)

var classNames = [NumClasses]string{"no_fixed_point", "neural_unstable", "plasticity_unstable", "stable"}

// String returns the class's name as used in CSV and JSON files.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", c)
}

// Label returns a human-readable description for legends.
func (c Class) Label() string {
	return [NumClasses]string{
		"no fixed point (C = 0)",
		"neural unstable",
		"neural stable, plasticity unstable",
		"both stable",
	}[c]
}

// Classify returns the class of a point from its stability. Marginal
// subsystems (|max Re λ| ≤ jacobian.MarginalTol · max |λ|) are not
// stable.
func Classify(s *jacobian.Stability) Class {
	switch {
	case s.Singular:
		return NoFixedPoint
	case !s.NeuralStable():
		return NeuralUnstable
	case !s.PlasticityStable():
		return PlasticityUnstable
	}
	return Stable
}

// Cell is one classified grid cell.
type Cell struct {
	// Row (WIE index) and Col (WEE index).
	Row, Col int

	jacobian.Stability
	Class Class
}

// Classifier gives the stability at a point of the setpoint plane.
// *jacobian.PlaneKernel is the fast one; EigenClassifier the reference.
type Classifier interface {
	At(WEE, WIE float64) jacobian.Stability
}

// EigenClassifier classifies by full eigendecomposition (jacobian.Eigen).
// It is 100x slower than the plane kernel and exists to check it.
type EigenClassifier struct {
	Rule *jacobian.Rule
}

// At implements Classifier. A failed eigendecomposition (which needs
// non-finite input) marks the cell singular.
func (e EigenClassifier) At(WEE, WIE float64) jacobian.Stability {
	s, err := jacobian.Eigen(e.Rule, WEE, WIE)
	if err != nil {
		s.Singular = true
	}
	return s
}
