package jacobian

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paradoxlab/paradox/model"
)

// closedTol: the closed forms and K = G M are the same rational function
// evaluated in different orders; 1e-10 relative to the terms' scale.
const closedTol = 1e-10

func sE(p model.Params, r [4]float64) float64 { return r[0]*p.Eset*p.Eset + r[1]*p.Iset*p.Iset }
func sI(p model.Params, r [4]float64) float64 { return r[2]*p.Eset*p.Eset + r[3]*p.Iset*p.Iset }

// closedForms are tr K and det K of analytics.md §5.1, 5.3, 5.4 and 5.5.
var closedForms = map[string]func(p model.Params, w model.Weights, r Rates) (tr, det float64){
	"standard": func(p model.Params, w model.Weights, r Rates) (float64, float64) {
		a, b, C := abC(p, w)
		SE, SI := sE(p, r.A), sI(p, r.A)
		return (a*p.GI*SI - b*p.GE*SE) / C, p.GE * p.GI * SE * SI / C
	},
	"cross": func(p model.Params, w model.Weights, r Rates) (float64, float64) {
		_, _, C := abC(p, w)
		SE, SI := sE(p, r.A), sI(p, r.A)
		return -p.GE * p.GI * (w.WEI*SI + w.WIE*SE) / C, p.GE * p.GI * SE * SI / C
	},
	"twoterm": func(p model.Params, w model.Weights, r Rates) (float64, float64) {
		a, b, C := abC(p, w)
		hE, hI, cE, cI := sE(p, r.H), sI(p, r.H), sE(p, r.A), sI(p, r.A)
		tr := (a*p.GI*hI - b*p.GE*hE - p.GE*p.GI*(w.WEI*cI+w.WIE*cE)) / C
		return tr, p.GE * p.GI * (hE*hI + cE*cI) / C
	},
	"synscale": func(p model.Params, w model.Weights, r Rates) (float64, float64) {
		a, b, C := abC(p, w)
		PE := r.A[0]*w.WEE*p.Eset + r.A[1]*w.WEI*p.Iset
		PI := r.A[2]*w.WIE*p.Eset + r.A[3]*w.WII*p.Iset
		return (a*p.GI*PI - b*p.GE*PE) / C, p.GE * p.GI * PE * PI / C
	},
}

// randomParams draws model constants around the paper's, Iext included.
func randomParams(rnd *rand.Rand) model.Params {
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*rnd.Float64() }
	return model.Params{
		TauE: u(2, 30), TauI: u(1, 10), ThetaE: u(0, 10), ThetaI: u(5, 40),
		GE: u(0.3, 3), GI: u(0.5, 6), Eset: u(1, 20), Iset: u(2, 40), Iext: u(-5, 15),
	}
}

func TestClosedFormsK(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	for name, closed := range closedForms {
		fam, _ := Builtin(name)
		for i := 0; i < 200; i++ {
			p := randomParams(rnd)
			var r Rates
			for k := 0; k < 4; k++ {
				r.A[k] = 0.1*rnd.Float64() - 0.02
				r.H[k] = 0.1*rnd.Float64() - 0.02
			}
			rule, err := fam.Compile(p, r)
			if err != nil {
				t.Fatal(err)
			}
			k, err := NewPlaneKernel(rule)
			if err != nil {
				t.Fatal(err)
			}
			x, y := 20*rnd.Float64(), 40*rnd.Float64()
			s := k.At(x, y)
			if s.Singular {
				continue
			}
			tr, det := closed(p, s.W, r)
			if d := math.Abs(tr - s.PlasticityTrace); d > closedTol*(1+math.Abs(tr)) {
				t.Errorf("%s case %d: tr K = %g, closed form %g", name, i, s.PlasticityTrace, tr)
			}
			if d := math.Abs(det - s.PlasticityDet); d > closedTol*(1+math.Abs(det)) {
				t.Errorf("%s case %d: det K = %g, closed form %g", name, i, s.PlasticityDet, det)
			}
		}
	}
}

// printed is one border printed by the authors' SageMath notebooks
// (analytics.md §5), as WIE = (s WEE + c) / (d WEE + e), with the number
// of decimals printed.
type printed struct {
	name       string
	rule       string
	rates      Rates
	params     func(p *model.Params)
	quantity   string // "trace" or "det" of K
	s, c, d, e float64
	decimals   int
}

func uni(a, h float64) Rates {
	return Rates{A: [4]float64{a, a, a, a}, H: [4]float64{h, h, h, h}}
}

func ei(aE, aI float64) Rates {
	return Rates{A: [4]float64{aE, aE, aI, aI}, H: [4]float64{aE, aE, aI, aI}}
}

func nonParadoxical(p *model.Params) { p.GE, p.Iext = 0.5, 8 }

var printedBorders = []printed{
	{"H equal", "standard", uni(0.02, 0.02), nil, "trace", 2.8, 2.2, 0, 1, 1},
	{"H aE=100aI", "standard", ei(0.02, 0.0002), nil, "trace", 0.028, 4.972, 0, 1, 3},
	{"H nonparadoxical", "standard", ei(0.0002, 0.02), nonParadoxical, "trace", 280, -555, 0, 1, 0},
	{"H Fig 2H (EPS)", "standard", ei(2e-5, 0.02), nil, "trace", 2800, -2795, 0, 1, 0},
	{"CH equal", "cross", uni(0.02, 0.02), nil, "trace", -0.357, 0.7, 0, 1, 3},
	{"CH nonparadoxical", "cross", ei(0.0002, 0.02), nonParadoxical, "trace", -35.71, 48.57, 0, 1, 2},
	{"TT alpha=beta", "twoterm", uni(0.02, 0.02), nil, "trace", 0.4737, 1.0947, 0, 1, 4},
	{"TT 0.002/0.02", "twoterm", uni(0.002, 0.02), nil, "trace", 2.109, 1.872, 0, 1, 3},
	{"TT 0.002/0.02 nonparadoxical", "twoterm", uni(0.002, 0.02), nonParadoxical, "trace", 2.109, -0.3625, 0, 1, 3},
	{"TT S10 0.02/0.005", "twoterm", uni(0.02, 0.005), nil, "trace", -0.098, 0.823, 0, 1, 3},
	{"TT S10 0.0002/0.02", "twoterm", uni(0.0002, 0.02), nil, "trace", 2.714, 2.159, 0, 1, 3},
	{"SS Iext-notebook rates, paradoxical set", "synscale", Rates{A: [4]float64{0.02, 0.01, 0.0002, 0.005}}, nil, "trace", 1.755, -0.455, 0.386, -0.126, 3},
	{"SS aE=10aI", "synscale", ei(0.02, 0.002), nil, "trace", 4.202, -4.102, 0.72, -0.70, 2},
	// ForcedBalance: eigenvalues (A ± sqrt(A² + F C))/C, so tr K = 0 is
	// the A border and det K = 0 the F border.
	{"FB 0.02/0.0002 F", "forcedbalance", Rates{A: [4]float64{0.02, 0, 0.0002, 0}}, nil, "det", 5.754, -6.268, 0, 1, 3},
	{"FB 0.02/0.0002 A", "forcedbalance", Rates{A: [4]float64{0.02, 0, 0.0002, 0}}, nil, "trace", 5.468, -5.712, 0, 1, 3},
	{"FB equal F", "forcedbalance", Rates{A: [4]float64{0.02, 0, 0.02, 0}}, nil, "det", 6.891, -7.506, 0, 1, 3},
	{"FB equal A", "forcedbalance", Rates{A: [4]float64{0.02, 0, 0.02, 0}}, nil, "trace", 6.009, -6.252, 0, 1, 3},
}

// borderAt finds WIE where C·q(WEE, WIE) changes sign nearest to guess,
// q being tr K or det K (the factor C removes the pole at C = 0), by
// scanning guess ± span and bisecting.
func borderAt(k *PlaneKernel, quantity string, WEE, guess, span float64) (float64, bool) {
	q := func(y float64) float64 {
		s := k.At(WEE, y)
		if quantity == "det" {
			return s.C * s.PlasticityDet
		}
		return s.C * s.PlasticityTrace
	}
	const n = 4000
	best, found := 0.0, false
	y0, f0 := guess-span, q(guess-span)
	for i := 1; i <= n; i++ {
		y1 := guess - span + 2*span*float64(i)/n
		f1 := q(y1)
		if (f0 < 0) != (f1 < 0) {
			lo, hi, flo := y0, y1, f0
			for hi-lo > 1e-12*(1+math.Abs(hi)) {
				mid := (lo + hi) / 2
				if fm := q(mid); (fm < 0) == (flo < 0) {
					lo, flo = mid, fm
				} else {
					hi = mid
				}
			}
			r := (lo + hi) / 2
			if !found || math.Abs(r-guess) < math.Abs(best-guess) {
				best, found = r, true
			}
		}
		y0, f0 = y1, f1
	}
	return best, found
}

// TestPrintedBorders reproduces every border the notebooks print
// (analytics.md §5 tables) to the digits printed: the coefficients of
// the border computed here, rounded to the printed decimals, must equal
// the printed ones (tolerance half a unit of the last printed digit).
func TestPrintedBorders(t *testing.T) {
	for _, b := range printedBorders {
		t.Run(b.name, func(t *testing.T) {
			p := model.Default()
			if b.params != nil {
				b.params(&p)
			}
			fam, _ := Builtin(b.rule)
			rule, err := fam.Compile(p, b.rates)
			if err != nil {
				t.Fatal(err)
			}
			k, err := NewPlaneKernel(rule)
			if err != nil {
				t.Fatal(err)
			}
			line := func(x float64) float64 { return (b.s*x + b.c) / (b.d*x + b.e) }
			tol := 0.5 * math.Pow(10, -float64(b.decimals))
			if b.d == 0 {
				// A line: recover slope and intercept from two points.
				x1, x2 := 3.0, 7.0
				y1, ok1 := borderAt(k, b.quantity, x1, line(x1), 1+0.1*math.Abs(line(x1)))
				y2, ok2 := borderAt(k, b.quantity, x2, line(x2), 1+0.1*math.Abs(line(x2)))
				if !ok1 || !ok2 {
					t.Fatalf("no border near WIE = %g at WEE = %g", line(x1), x1)
				}
				s := (y2 - y1) / (x2 - x1)
				c := y1 - s*x1
				if math.Abs(s-b.s) > tol || math.Abs(c-b.c) > tol {
					t.Errorf("border WIE = %.6g WEE %+.6g, printed %g WEE %+g", s, c, b.s, b.c)
				}
				return
			}
			// A hyperbola: compare values to four significant digits.
			for _, x := range []float64{2, 4, 8} {
				y, ok := borderAt(k, b.quantity, x, line(x), 0.5)
				if !ok {
					t.Fatalf("no border near WIE = %g at WEE = %g", line(x), x)
				}
				// The printed coefficients have four significant
				// digits: half a unit of the fourth digit.
				const sigTol = 5e-4
				if math.Abs(y-line(x)) > sigTol*math.Abs(line(x)) {
					t.Errorf("WEE=%g: border WIE = %.6g, printed formula gives %.6g", x, y, line(x))
				}
			}
		})
	}
}

// TestCrossStableWherePositive checks analytics.md §8: the
// cross-homeostatic rule is plasticity stable wherever C > 0 and
// WEI, WIE > 0, for any positive rates, any parameters and any Iext.
func TestCrossStableWherePositive(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	fam, _ := Builtin("cross")
	checked := 0
	for i := 0; i < 2000; i++ {
		p := randomParams(rnd)
		var r Rates
		for k := range r.A {
			r.A[k] = math.Pow(10, -4+3*rnd.Float64())
		}
		rule, _ := fam.Compile(p, r)
		k, err := NewPlaneKernel(rule)
		if err != nil {
			t.Fatal(err)
		}
		s := k.At(30*rnd.Float64(), 60*rnd.Float64())
		if s.Singular || s.C <= 0 || s.W.WEI <= 0 || s.W.WIE <= 0 {
			continue
		}
		checked++
		if !(s.PlasticityTrace < 0 && s.PlasticityDet > 0) {
			t.Errorf("case %d: cross unstable at %v with %+v, rates %v: tr %g det %g", i, s.W, p, r.A, s.PlasticityTrace, s.PlasticityDet)
		}
	}
	if checked < 200 {
		t.Fatalf("only %d samples had C > 0 and positive weights", checked)
	}
}

// TestStandardRatioThreshold checks analytics.md §5.1 (ii): with the
// default parameters, aE/aI >= 20 (= tauE/tauI · gE SE/(gI SI) with
// uniform rates) makes the whole neural-stable region plasticity stable,
// and ratio 19 does not. The reference counts, 15 of 4730 neural-stable
// points unstable at ratio 19, are analytics.md §5.1 (ii); the notes do
// not name their grid, and 101 x 101 over [0,10] x [0,20] is the one that
// gives both numbers.
func TestStandardRatioThreshold(t *testing.T) {
	p := model.Default()
	fam, _ := Builtin("standard")
	count := func(ratio float64) (neural, unstable int) {
		rule, _ := fam.Compile(p, ei(0.02*ratio, 0.02))
		k, _ := NewPlaneKernel(rule)
		for i := 0; i <= 100; i++ {
			for j := 0; j <= 100; j++ {
				s := k.At(0.1*float64(i), 0.2*float64(j))
				if !s.NeuralStable() {
					continue
				}
				neural++
				if !s.PlasticityStable() {
					unstable++
				}
			}
		}
		return neural, unstable
	}
	if n, u := count(20); u != 0 {
		t.Errorf("ratio 20: %d of %d neural-stable points unstable, want 0", u, n)
	}
	n, u := count(19)
	if u == 0 {
		t.Errorf("ratio 19: every neural-stable point stable, want some unstable")
	}
	if n != 4730 || u != 15 {
		t.Errorf("ratio 19: %d of %d unstable, analytics notes give 15 of 4730", u, n)
	}
	t.Logf("ratio 19: %d of %d neural-stable points unstable", u, n)
}

// TestStandardBorderTendsToParadoxical checks analytics.md §5.1 (iii): as
// aE -> 0 the standard border WEE(WIE) tends to gE WEE = 1. From the
// closed-form border, its distance to 1/gE at fixed WIE is proportional
// to SE/SI, so it must shrink tenfold with each tenfold smaller aE.
func TestStandardBorderTendsToParadoxical(t *testing.T) {
	p := model.Default()
	fam, _ := Builtin("standard")
	prev := math.Inf(1)
	for _, aE := range []float64{1e-3, 1e-4, 1e-5, 1e-6} {
		rule, _ := fam.Compile(p, ei(aE, 0.02))
		k, _ := NewPlaneKernel(rule)
		// Bisect tr K = 0 along WEE at WIE = 10 between 0.5 and 3.
		lo, hi := 0.5, 3.0
		flo := k.At(lo, 10).PlasticityTrace
		for hi-lo > 1e-13 {
			mid := (lo + hi) / 2
			if fm := k.At(mid, 10).PlasticityTrace; (fm < 0) == (flo < 0) {
				lo, flo = mid, fm
			} else {
				hi = mid
			}
		}
		dist := math.Abs(lo - 1/p.GE)
		// The ratio of successive distances is 10 up to O(aE) corrections.
		if dist > prev/9 {
			t.Errorf("aE=%g: distance to the paradoxical line %g, previous %g: not shrinking like aE", aE, dist, prev)
		}
		// Closed form (analytics.md §5.1): gE WEE − 1 = (WIE − θI/Eset)
		// (SE/SI) gE Eset/Iset on the border.
		r := ei(aE, 0.02)
		want := (10 - p.ThetaI/p.Eset) * sE(p, r.A) / sI(p, r.A) * p.GE * p.Eset / p.Iset / p.GE
		// borderTol: the bisection stops at 1e-13 in WEE while the
		// distance is ≥ 1e-5, so 1e-6 relative is far above its error.
		const borderTol = 1e-6
		if math.Abs(dist-want) > borderTol*want {
			t.Errorf("aE=%g: distance %g, closed form %g", aE, dist, want)
		}
		prev = dist
	}
}

func TestStableImpliesParadoxical(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	fam, _ := Builtin("standard")
	stable := 0
	for i := 0; i < 20000; i++ {
		p := randomParams(rnd)
		if p.Iext >= p.ThetaE {
			continue
		}
		rule, _ := fam.Compile(p, uni(0.02, 0.02))
		k, _ := NewPlaneKernel(rule)
		s := k.At(20*rnd.Float64(), 40*rnd.Float64())
		if s.W.WIE <= 0 || !s.NeuralStable() {
			continue
		}
		stable++
		if !s.Paradoxical {
			t.Errorf("case %d: stable but not paradoxical at %v, %+v", i, s.W, p)
		}
	}
	if stable < 100 {
		t.Fatalf("only %d stable samples", stable)
	}
}

func TestFamiliesVanishOnPlane(t *testing.T) {
	p := model.Default()
	for _, f := range Builtins() {
		rule, err := f.Compile(p, uni(0.02, 0.01))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewPlaneKernel(rule); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
	bad, err := NewFamily("bad", "", [4]string{"aEE*E", "0", "0", "0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rule, _ := bad.Compile(p, uni(0.02, 0.02))
	if _, err := NewPlaneKernel(rule); err == nil {
		t.Error("a rule that does not vanish at the setpoints was accepted")
	}
}

func TestFamilyErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  [4]string
	}{
		{"syntax", [4]string{"aEE*E*(Eset - E", "0", "0", "0"}},
		{"unknown symbol", [4]string{"aEE*E*(Eset - X)", "0", "0", "0"}},
	} {
		if _, err := NewFamily("t", "", tc.src, nil); err == nil {
			t.Errorf("%s: no error", tc.name)
		} else {
			t.Logf("%s: %v", tc.name, err)
		}
	}
	if _, err := DecodeFamily([]byte("name='x'\ndWEE='0'\ndWEI='0'\ndWIE='0'\ndWII='0'\nbogus=1\n")); err == nil {
		t.Error("unknown key accepted")
	}
	if _, err := DecodeFamily([]byte("name='x'\ndWEE='0'\n")); err == nil {
		t.Error("missing expressions accepted")
	}
	if _, err := Builtin("nope"); err == nil {
		t.Error("unknown built-in accepted")
	}
}
