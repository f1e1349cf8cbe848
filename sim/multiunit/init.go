package multiunit

import (
	"fmt"
	"math"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/sim"
)

// InitKind selects the distribution of the initial weights.
type InitKind int

const (
	// InitNormal draws every entry from N(Mean, SD²), the authors'
	// current code and the paper (0.1 + 0.04·N(0,1); rate-models.md
	// §2). Entries are not clipped: about 0.6% start negative and the
	// first update floors them, as in the code.
	InitNormal InitKind = iota

	// InitUniform draws every entry from U(Lo, Hi), the authors' first
	// commit and their Python port (U(0, 0.16); rate-models.md
	// surprise 10).
	InitUniform

	// InitLogNormal draws every entry from a log-normal distribution
	// with mean Mean and standard deviation SD (Fig. S5): exp(μ + s·z)
	// with s² = ln(1 + SD²/Mean²) and μ = ln Mean − s²/2. With the
	// defaults s = 0.3853 and μ = −2.3768. The SI's parameters are not
	// available to us; matching the normal initialisation's mean and
	// spread is our choice, so that only the shape differs.
	InitLogNormal
)

var initNames = [...]string{"normal", "uniform", "lognormal"}

func (k InitKind) String() string {
	if k >= 0 && int(k) < len(initNames) {
		return initNames[k]
	}
	return fmt.Sprintf("InitKind(%d)", int(k))
}

// ParseInitKind returns the InitKind named "normal", "uniform" or
// "lognormal".
func ParseInitKind(s string) (InitKind, error) {
	for k, n := range initNames {
		if n == s {
			return InitKind(k), nil
		}
	}
	return 0, fmt.Errorf("multiunit: unknown initialisation %q (want normal, uniform or lognormal)", s)
}

// Init describes how the initial weights are drawn. Every entry is
// drawn, the self-connections and absent connections included, and
// then those are set to 0, so that a sparse network holds the same
// values as the dense one from the same seed on its connections.
type Init struct {
	Kind InitKind

	// Mean and SD are the mean and standard deviation of an entry for
	// InitNormal and InitLogNormal. The defaults are 0.1 and 0.04.
	Mean, SD float64

	// Lo and Hi bound an entry for InitUniform. The defaults are 0
	// and 0.16.
	Lo, Hi float64

	// ConnProb is the probability that a unit projects to another;
	// each pair is drawn independently. 1 is all to all, the paper's
	// network. Entries are not rescaled, so the summed inputs shrink
	// in proportion. The default is 1.
	ConnProb float64
}

// DefaultInit returns the initialisation of the given kind with the
// paper's mean 0.1 and spread 0.04, all to all.
func DefaultInit(kind InitKind) Init {
	return Init{Kind: kind, Mean: 0.1, SD: 0.04, Lo: 0, Hi: 0.16, ConnProb: 1}
}

// Streams of a run's initial weights and connections: run k draws its
// entries from stream initStream+k of the seed and its connections from
// connStream+k; its noise uses stream k, as in sim.Ensemble.
const (
	initStream = 1 << 63
	connStream = 3 << 62
)

// Draw returns the initial weights of run k of a network of ne E and ni
// I units, from seed. It returns a *sim.ConfigError for a setting out
// of range.
func (in Init) Draw(ne, ni int, seed uint64, k int) (*Weights, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if ne < 2 || ni < 2 || ne+ni > maxUnits {
		return nil, &sim.ConfigError{Field: "NE+NI", Value: float64(ne + ni), Want: fmt.Sprintf("NE, NI >= 2 and NE+NI <= %d", maxUnits)}
	}
	n := ne + ni
	w := &Weights{NE: ne, NI: ni, W: make([]float64, n*n)}
	g := fastrand.NewState(seed, initStream+uint64(k))
	s := math.Log(1 + float64(in.SD*in.SD)/float64(in.Mean*in.Mean))
	mu, sd := math.Log(in.Mean)-s/2, math.Sqrt(s)
	for ij := range w.W {
		var x float64
		switch in.Kind {
		case InitNormal:
			x, g = g.Normal()
			x = in.Mean + float64(in.SD*x)
		case InitUniform:
			x, g = g.Float64()
			x = in.Lo + float64((in.Hi-in.Lo)*x)
		case InitLogNormal:
			x, g = g.Normal()
			x = math.Exp(mu + float64(sd*x))
		}
		w.W[ij] = x
	}
	if in.ConnProb < 1 {
		w.Conn = make([]bool, n*n)
		c := fastrand.NewState(seed, connStream+uint64(k))
		for ij := range w.Conn {
			var u float64
			u, c = c.Float64()
			w.Conn[ij] = u < in.ConnProb && ij/n != ij%n
		}
	}
	for i := range n {
		for j := range n {
			if !w.Connected(i, j) {
				w.W[i*n+j] = 0
			}
		}
	}
	return w, nil
}

func (in Init) validate() error {
	for _, f := range []struct {
		name string
		v    float64
		ok   bool
		want string
	}{
		{"Init.Kind", float64(in.Kind), in.Kind >= InitNormal && in.Kind <= InitLogNormal, "normal, uniform or lognormal"},
		{"Init.Mean", in.Mean, in.Kind != InitLogNormal || in.Mean > 0, "> 0 for a log-normal"},
		{"Init.SD", in.SD, in.SD >= 0, ">= 0"},
		{"Init.Lo", in.Lo, in.Lo <= in.Hi, "<= Init.Hi"},
		{"Init.Hi", in.Hi, true, "finite"},
		{"Init.ConnProb", in.ConnProb, in.ConnProb > 0 && in.ConnProb <= 1, "in (0, 1]"},
	} {
		if !finite(f.v) {
			return &sim.ConfigError{Field: f.name, Value: f.v, Want: "a finite number"}
		}
		if !f.ok {
			return &sim.ConfigError{Field: f.name, Value: f.v, Want: f.want}
		}
	}
	return nil
}
