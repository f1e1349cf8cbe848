package regions

import (
	"math"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

// BorderTol is the width of the bracket at which bisection stops: border
// points are located to 1e-9 in the weight that is bisected.
const BorderTol = 1e-9

// poleTol separates roots from poles of a test function: after bisection
// to BorderTol, |f| at the ends of the bracket at a root is about
// BorderTol/spacing ~ 1e-7 of its values at the bracketing samples, while
// at a pole (a jump through ±∞ or between two finite values) it stays of
// their order or grows.
const poleTol = 1e-3

// Border is a set of points (WEE, WIE) on one border, each located by
// bisection on a continuous test function.
type Border struct {
	// Name identifies the border: "det" (C = 0), "trace" (neural trace
	// = 0), "paradoxical" (gE WEE = 1), "WEI=0", "WII=0" and
	// "plasticity" (largest real part of the plasticity eigenvalues = 0,
	// the border of plasticity stability), and "plasticity-trace" and
	// "plasticity-det" (tr K = 0 and det K = 0 over the whole plane, the
	// notebooks' A and D borders, drawn by the paper also where the neural
	// subsystem is unstable).
	Name   string
	Points [][2]float64
}

// testFunc is a function on the plane whose sign changes across a border.
type testFunc struct {
	name string
	f    func(WEE, WIE float64) float64
	// poles says the function can jump in sign through ±∞ (across C = 0);
	// such crossings are not borders and are discarded.
	poles bool
}

// Borders locates every border of the map of k over g. Each test function
// is scanned along samples lines of constant WEE and samples lines of
// constant WIE at samples points each; every sign change is refined by
// bisection to BorderTol.
func Borders(g Grid, p model.Params, k *jacobian.PlaneKernel, samples int) []Border {
	tests := []testFunc{
		{"det", func(x, y float64) float64 { return k.At(x, y).C }, false},
		{"trace", func(x, y float64) float64 {
			w := p.OnPlane(x, y)
			return (p.GE*w.WEE-1)/p.TauE - (p.GI*w.WII+1)/p.TauI
		}, false},
		{"paradoxical", func(x, _ float64) float64 { return p.GE*x - 1 }, false},
		{"WEI=0", func(x, _ float64) float64 { return p.WEIOnPlane(x) }, false},
		{"WII=0", func(_, y float64) float64 { return p.WIIOnPlane(y) }, false},
		{"plasticity-trace", func(x, y float64) float64 {
			s := k.At(x, y)
			if s.Singular {
				return math.NaN()
			}
			return s.C * s.PlasticityTrace
		}, false},
		{"plasticity-det", func(x, y float64) float64 {
			s := k.At(x, y)
			if s.Singular {
				return math.NaN()
			}
			return s.C * s.PlasticityDet
		}, false},
		{"plasticity", func(x, y float64) float64 {
			s := k.At(x, y)
			if s.Singular {
				return math.NaN()
			}
			return s.PlasticityMaxRe
		}, true},
	}
	out := make([]Border, len(tests))
	for i, t := range tests {
		out[i] = Border{Name: t.name, Points: scan(g, t, samples)}
	}
	return out
}

// scan finds the sign changes of t along both families of lines.
func scan(g Grid, t testFunc, samples int) [][2]float64 {
	var pts [][2]float64
	xs := Axis{g.WEE.Min, g.WEE.Max, samples}
	ys := Axis{g.WIE.Min, g.WIE.Max, samples}
	for i := 0; i < samples; i++ {
		x := xs.At(i)
		fy := func(y float64) float64 { return t.f(x, y) }
		for _, y := range roots(fy, ys, t.poles) {
			pts = append(pts, [2]float64{x, y})
		}
		y := ys.At(i)
		fx := func(x float64) float64 { return t.f(x, y) }
		for _, x := range roots(fx, xs, t.poles) {
			pts = append(pts, [2]float64{x, y})
		}
	}
	return pts
}

// roots returns the points of a where f changes sign, refined by
// bisection. With poles set, a crossing is kept only if |f| at both ends
// of the narrowed bracket is small against its values at the bracketing
// samples: at a root they shrink with the bracket, at a pole (a jump
// through ±∞, or between two finite values) they do not.
func roots(f func(float64) float64, a Axis, poles bool) []float64 {
	var out []float64
	x0, f0 := a.At(0), f(a.At(0))
	for i := 1; i < a.N; i++ {
		x1, f1 := a.At(i), f(a.At(i))
		switch {
		case f0 == 0:
			out = append(out, x0)
		case !math.IsNaN(f0) && !math.IsNaN(f1) && f1 != 0 && (f0 < 0) != (f1 < 0):
			x, flo, fhi, ok := bisect(f, x0, x1, f0, f1)
			scale := math.Max(math.Abs(f0), math.Abs(f1))
			if ok && (!poles || math.Max(math.Abs(flo), math.Abs(fhi)) <= poleTol*scale) {
				out = append(out, x)
			}
		}
		x0, f0 = x1, f1
	}
	if f0 == 0 {
		out = append(out, x0)
	}
	return out
}

// bisect narrows [lo, hi], with f(lo) = flo of the other sign than
// f(hi) = fhi, to BorderTol and returns the midpoint and f at the ends
// of the final bracket.
func bisect(f func(float64) float64, lo, hi, flo, fhi float64) (x, fl, fh float64, ok bool) {
	for hi-lo > BorderTol {
		mid := lo + (hi-lo)/2
		fm := f(mid)
		if math.IsNaN(fm) {
			return 0, 0, 0, false
		}
		if fm == 0 {
			return mid, 0, 0, true
		}
		if (fm < 0) == (flo < 0) {
			lo, flo = mid, fm
		} else {
			hi, fhi = mid, fm
		}
	}
	return lo + (hi-lo)/2, flo, fhi, true
}
