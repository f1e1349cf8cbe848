package sim

import "github.com/paradoxlab/paradox/model"

// Hand-written rules for the tests, with one learning rate α for all four
// weights and the setpoints Eset = 5, Iset = 14 Hz.

// standardRule is Methods Eq. 6.
type standardRule struct{ alpha, eset, iset float64 }

func (r standardRule) Delta(E, I float64, _ model.Weights) model.Weights {
	a := r.alpha
	return model.Weights{
		WEE: a * E * (r.eset - E),
		WEI: -a * I * (r.eset - E),
		WIE: a * E * (r.iset - I),
		WII: -a * I * (r.iset - I),
	}
}

// crossRule is Methods Eq. 7.
type crossRule struct{ alpha, eset, iset float64 }

func (r crossRule) Delta(E, I float64, _ model.Weights) model.Weights {
	a := r.alpha
	return model.Weights{
		WEE: a * E * (r.iset - I),
		WEI: -a * I * (r.iset - I),
		WIE: -a * E * (r.eset - E),
		WII: a * I * (r.eset - E),
	}
}

func cross(alpha float64) crossRule       { return crossRule{alpha, 5, 14} }
func standard(alpha float64) standardRule { return standardRule{alpha, 5, 14} }
