package model

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// planeTol: Eqs. 4-5 are evaluated in a handful of flops; 1e-12 allows
// for their rounding.
const planeTol = 1e-12

func TestOnPlaneIsFixedPoint(t *testing.T) {
	p := Default()
	for _, pt := range [][2]float64{{5, 10}, {2.1, 4}, {9.5, 19}} {
		w := p.OnPlane(pt[0], pt[1])
		// At E = Eset, I = Iset both right-hand sides of Methods Eqs. 1-2
		// vanish on the setpoint plane.
		dE := -p.Eset + p.FE(w.WEE*p.Eset-w.WEI*p.Iset+p.Iext)
		dI := -p.Iset + p.FI(w.WIE*p.Eset-w.WII*p.Iset)
		if math.Abs(dE) > planeTol || math.Abs(dI) > planeTol {
			t.Errorf("%v: dE = %g, dI = %g, want 0", w, dE, dI)
		}
	}
}

func TestFig2EStart(t *testing.T) {
	// rate-models.md §1: the Fig 2E start (5, 1.09, 10, 1.54) is the
	// setpoint plane at (5, 10) rounded; exactly (5, 38/35, 10, 43/28).
	w := Default().OnPlane(5, 10)
	if math.Abs(w.WEI-38.0/35) > planeTol || math.Abs(w.WII-43.0/28) > planeTol {
		t.Errorf("got %v, want WEI = 38/35, WII = 43/28", w)
	}
}

func TestValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key string
		v   float64
	}{
		{"taue", 0}, {"taui", -1}, {"ge", 0}, {"gi", -2}, {"eset", 0},
		{"iset", math.NaN()}, {"thetae", math.Inf(1)}, {"iext", math.NaN()},
	} {
		p := Default()
		p.Set(tc.key, tc.v)
		var pe *ParamError
		if err := p.Validate(); !errors.As(err, &pe) || pe.Field != tc.key {
			t.Errorf("%s = %v: got %v, want a ParamError naming it", tc.key, tc.v, err)
		}
	}
}

func TestDecodeParams(t *testing.T) {
	p, err := DecodeParams([]byte("ge = 0.5\niext = 8\n"), Default())
	if err != nil {
		t.Fatal(err)
	}
	if p.GE != 0.5 || p.Iext != 8 || p.TauE != 10 {
		t.Errorf("got %+v", p)
	}
	if _, err := DecodeParams([]byte("gee = 1\n"), Default()); err == nil || !strings.Contains(err.Error(), "gee") {
		t.Errorf("unknown key: got %v, want an error naming it", err)
	}
	if _, err := DecodeParams([]byte("taue = -1\n"), Default()); err == nil {
		t.Error("taue = -1 accepted")
	}
	if _, err := DecodeParams([]byte("taue = \n"), Default()); err == nil {
		t.Error("malformed TOML accepted")
	}
}
