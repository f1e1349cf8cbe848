package regions

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

func compile(t testing.TB, name string, p model.Params, r jacobian.Rates) *jacobian.Rule {
	t.Helper()
	fam, err := jacobian.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	rule, err := fam.Compile(p, r)
	if err != nil {
		t.Fatal(err)
	}
	return rule
}

var testRates = []struct {
	name string
	r    jacobian.Rates
}{
	{"equal", jacobian.UniformRates(0.02)},
	{"Efast", jacobian.Rates{A: [4]float64{0.02, 0.02, 0.002, 0.002}, H: [4]float64{0.01, 0.01, 0.01, 0.01}}},
	{"Ifast", jacobian.Rates{A: [4]float64{0.002, 0.002, 0.02, 0.02}, H: [4]float64{0.02, 0.002, 0.02, 0.002}}},
}

// TestFastPathMatchesEigen checks that the plane kernel classifies every
// cell of the test grids exactly as the full eigendecomposition does, for
// every built-in family, and that their largest real parts agree.
func TestFastPathMatchesEigen(t *testing.T) {
	// reTol: the closed form and LAPACK agree to rounding relative to the
	// largest eigenvalue, except near a double root (discriminant ~ 0,
	// e.g. at (7, 5) where b = 0) where a real eigenvalue moves by
	// sqrt(ε) ≈ 1.5e-8 of the scale for a rounding of ε.
	const reTol = 1e-7
	g := Grid{WEE: Axis{0, 10, 41}, WIE: Axis{0, 20, 41}}
	for _, fam := range jacobian.Builtins() {
		for _, tr := range testRates {
			t.Run(fmt.Sprintf("rule=%s,rates=%s", fam.Name, tr.name), func(t *testing.T) {
				rule := compile(t, fam.Name, model.Default(), tr.r)
				k, err := jacobian.NewPlaneKernel(rule)
				if err != nil {
					t.Fatal(err)
				}
				eig := EigenClassifier{Rule: rule}
				for r := 0; r < g.WIE.N; r++ {
					for c := 0; c < g.WEE.N; c++ {
						x, y := g.WEE.At(c), g.WIE.At(r)
						fs, es := k.At(x, y), eig.At(x, y)
						if Classify(&fs) != Classify(&es) {
							t.Errorf("(%g, %g): fast %v, eigen %v (max Re %g vs %g)", x, y,
								Classify(&fs), Classify(&es), fs.PlasticityMaxRe, es.PlasticityMaxRe)
						}
						if fs.Singular {
							continue
						}
						if d := math.Abs(fs.PlasticityMaxRe - es.PlasticityMaxRe); d > reTol*es.PlasticityScale {
							t.Errorf("(%g, %g): plasticity max Re %g, eigen %g", x, y, fs.PlasticityMaxRe, es.PlasticityMaxRe)
						}
						if d := math.Abs(fs.NeuralMaxRe - es.NeuralMaxRe); d > reTol*es.NeuralScale {
							t.Errorf("(%g, %g): neural max Re %g, eigen %g", x, y, fs.NeuralMaxRe, es.NeuralMaxRe)
						}
					}
				}
			})
		}
	}
}

// TestRunOrderAndWorkers checks that rows arrive in order and that the
// summary does not depend on the number of workers.
func TestRunOrderAndWorkers(t *testing.T) {
	rule := compile(t, "standard", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	g := Grid{WEE: Axis{0, 10, 57}, WIE: Axis{0, 20, 83}}
	var sums []Summary
	for _, workers := range []int{1, 3, 8} {
		next := 0
		sum, err := Run(context.Background(), g, k, Options{Workers: workers}, func(row []Cell) error {
			if row[0].Row != next {
				return fmt.Errorf("got row %d, want %d", row[0].Row, next)
			}
			next++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Total != g.Cells() {
			t.Fatalf("workers=%d: %d cells, want %d", workers, sum.Total, g.Cells())
		}
		sums = append(sums, sum)
	}
	for _, s := range sums[1:] {
		if s != sums[0] {
			t.Errorf("summary depends on workers: %+v vs %+v", s, sums[0])
		}
	}
}

// TestNeuralWedgeFraction checks the neural-stable area of the default
// box against analytics.md §2: 46.5 % of [0,10] x [0,20]. The tolerance
// is the grid's resolution: a 401 x 401 raster misplaces cells along two
// borders of length ~10, about 0.5 % of the area.
func TestNeuralWedgeFraction(t *testing.T) {
	const areaTol = 0.005
	rule := compile(t, "cross", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	g := Grid{WEE: Axis{0, 10, 401}, WIE: Axis{0, 20, 401}}
	sum, err := Run(context.Background(), g, k, Options{}, func([]Cell) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	neural := 1 - sum.Fraction(NeuralUnstable) - sum.Fraction(NoFixedPoint)
	if math.Abs(neural-0.465) > areaTol {
		t.Errorf("neural-stable fraction %.4f, analytics.md gives 0.465", neural)
	}
	// Cross at equal rates is stable wherever the neural subsystem is and
	// WEI > 0 (analytics.md §5.3); the box's WEI < 0 strip has WEE < 1.96,
	// outside the wedge, so every neural-stable cell is stable.
	if got := sum.Fraction(PlasticityUnstable); got != 0 {
		t.Errorf("cross: %.4f of cells plasticity unstable, want 0", got)
	}
}

// TestStandardOverlapWedge checks analytics.md §5.1: at equal rates the
// both-stable overlap is the wedge between 2.8 WEE + 2.2 and
// 5.2083 (WEE − 1), about 3.5 % of the box (same tolerance reasoning as
// above).
func TestStandardOverlapWedge(t *testing.T) {
	const areaTol = 0.005
	rule := compile(t, "standard", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	g := Grid{WEE: Axis{0, 10, 401}, WIE: Axis{0, 20, 401}}
	sum, err := Run(context.Background(), g, k, Options{}, func([]Cell) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Fraction(Stable); math.Abs(got-0.035) > areaTol {
		t.Errorf("both-stable fraction %.4f, analytics.md gives 0.035", got)
	}
}

func TestBordersBisected(t *testing.T) {
	p := model.Default()
	rule := compile(t, "standard", p, jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	bs := Borders(DefaultGrid(), p, k, 101)
	want := map[string]func(x, y float64) float64{
		// Closed forms of analytics.md §2 and §5.1 at default parameters.
		"det":              func(x, y float64) float64 { return y - 25.0/4.8*(x-1) },
		"trace":            func(x, y float64) float64 { return y - (5 + 0.14*(x-1)) },
		"paradoxical":      func(x, _ float64) float64 { return x - 1 },
		"WEI=0":            func(x, _ float64) float64 { return x - 1.96 },
		"WII=0":            func(_, y float64) float64 { return y - 5.7 },
		"plasticity":       func(x, y float64) float64 { return y - (2.8*x + 2.2) },
		"plasticity-trace": func(x, y float64) float64 { return y - (2.8*x + 2.2) },
	}
	for _, b := range bs {
		f, ok := want[b.Name]
		if !ok {
			// det K = gE gI SE SI / C never vanishes for the standard
			// rule with positive rates (analytics.md §5.1).
			if len(b.Points) != 0 {
				t.Errorf("%s: %d points, want none", b.Name, len(b.Points))
			}
			continue
		}
		if len(b.Points) == 0 {
			t.Errorf("%s: no points", b.Name)
		}
		// Coverage: the plasticity border 2.8 WEE + 2.2 crosses the
		// neural-stable wedge from WEE = 3.08 to the box's top at 6.36,
		// so the scan along WEE (101 lines) must find it on every line
		// of constant WIE between 10.8 and 20 (46 of them), including
		// those where it passes exactly through a sample point.
		if b.Name == "plasticity" {
			n := 0
			for _, pt := range b.Points {
				if math.Abs(pt[1]-math.Round(pt[1]*5)/5) < 1e-12 {
					n++
				}
			}
			if n < 46 {
				t.Errorf("plasticity: %d points on lines of constant WIE, want at least 46", n)
			}
		}
		for _, pt := range b.Points {
			// Points lie on the closed-form line to the bisection
			// tolerance times the line's slope (at most 5.21).
			if d := math.Abs(f(pt[0], pt[1])); d > 10*BorderTol {
				t.Errorf("%s: point %v is %g off the closed form", b.Name, pt, d)
				break
			}
		}
	}
}

func TestParseAxis(t *testing.T) {
	def := Axis{0, 1, 11}
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"0:10:201", true}, {"0:10", true}, {"1:0:5", false}, {"0:0:5", false},
		{"0:1:1", false}, {"NaN:1:5", false}, {"a:b:c", false}, {"0:1:x", false}, {"0", false},
	} {
		_, err := ParseAxis(tc.in, def)
		if (err == nil) != tc.ok {
			t.Errorf("ParseAxis(%q): err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestSingularCellCSV(t *testing.T) {
	c := Cell{Class: NoFixedPoint}
	c.Singular = true
	line := string(AppendCSV(nil, &c))
	if want := "0,0,0,0,no_fixed_point,false,false,false,false,false,,,0\n"; line != want {
		t.Errorf("got %q, want %q", line, want)
	}
}
