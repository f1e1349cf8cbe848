package multiunit

import (
	"math"
	"strings"
	"testing"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
)

// authors returns the per-synapse increment of rate-models.md §2 (the
// authors' Fig5 and Fig6 scripts, all to all): onto unit i of class k
// from unit j, with own the postsynaptic unit's floored rate, pre the
// presynaptic one's and mE, mI the means of Eset − Ē over all E units
// and of Iset − Ī over all I units.
func authors(rule string, k int, a, own, pre, mE, mI float64) float64 {
	const eset, iset = 5, 14
	cross := [4]float64{a * pre * mI, -a * pre * mI, -a * pre * mE, a * pre * mE}
	homeo := [4]float64{a * (eset - own) * pre, -a * (eset - own) * pre, a * (iset - own) * pre, -a * (iset - own) * pre}
	switch rule {
	case "cross":
		return cross[k]
	case "standard":
		return homeo[k]
	}
	return cross[k] + homeo[k]
}

// TestRuleMatchesAuthors applies one update of each built-in family to a
// drawn 80/20 network at random floored rates and compares every weight
// with rate-models.md §2, floors (0.1/79, 0.1/20, 0.1/80, 0.1/19) and
// zero diagonals included (Figs. 5-6 methods). The mapping evaluates
// x·(Own + Cross) with the family's constants folded, the script
// α·x·(Iset − Ī) and so on: they differ in rounding only, by about 1e-16
// of the increments, hence tolRule.
func TestRuleMatchesAuthors(t *testing.T) {
	const tolRule = 1e-14
	const a = 3e-4 // large enough that some weights hit their floors
	c := DefaultConfig()
	for _, name := range []string{"standard", "cross", "twoterm"} {
		t.Run("rule="+name, func(t *testing.T) {
			w0, err := DefaultInit(InitNormal).Draw(c.NE, c.NI, 7, 0)
			if err != nil {
				t.Fatal(err)
			}
			l := newLearner(&c, mustRule(t, name, a), w0.Clone())
			g := fastrand.New(3, 0)
			for k := range l.fE {
				l.fE[k] = 1 + 12*g.Float64()
			}
			for k := range l.fI {
				l.fI[k] = 1 + 30*g.Float64()
			}
			for k := range 4 {
				if err := l.applyClass(k, 1); err != nil {
					t.Fatal(err)
				}
			}
			var mE, mI float64
			for _, r := range l.fE {
				mE += 5 - r
			}
			for _, r := range l.fI {
				mI += 14 - r
			}
			mE /= float64(c.NE)
			mI /= float64(c.NI)
			n := c.NE + c.NI
			rate := func(u int) float64 {
				if u < c.NE {
					return l.fE[u]
				}
				return l.fI[u-c.NE]
			}
			inputs := [4]float64{79, 20, 80, 19}
			floored := 0
			for i := range n {
				for j := range n {
					got, old := l.w.At(i, j), w0.At(i, j)
					k := class(i, j, c.NE)
					want := 0.0
					if i != j {
						floor := 0.1 / inputs[k]
						want = math.Max(floor, old+authors(name, k, a, rate(i), rate(j), mE, mI))
						if want == floor {
							floored++
						}
					}
					if math.Abs(got-want) > tolRule*math.Max(math.Abs(want), 0.1) {
						t.Fatalf("%s onto %d from %d: got %.17g, want %.17g", model.Names[k], i, j, got, want)
					}
				}
			}
			if floored == 0 {
				t.Error("no weight reached its floor; the test does not cover the floors")
			}
		})
	}
}

// TestRuleMapping checks the per-synapse forms NewRule derives and the
// families it refuses, with a reason.
func TestRuleMapping(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    [4]string
		factor Factor
		cross  bool   // whether WEE has a cross part
		err    string // "" if it maps
	}{
		{"standard", [4]string{}, FactorPre, false, ""},
		{"cross", [4]string{}, FactorPre, true, ""},
		{"twoterm", [4]string{}, FactorPre, true, ""},
		{"synscale", [4]string{}, FactorWeight, false, ""},
		{"forcedbalance", [4]string{}, 0, false, "dWEI"},
		{"mixed", [4]string{"aEE*E*(Eset - E)*(Iset - I)", "0", "0", "0"}, 0, false, "mixes"},
		{"weight in error", [4]string{"aEE*E*WEI", "0", "0", "0"}, 0, false, "depends on WEI"},
		{"rate plus weight", [4]string{"aEE*E*(Iset - I) + aEE*WEE", "0", "0", "0"}, 0, false, "not of the form"},
		{"quadratic own", [4]string{"aEE*E*(Eset - E)^2", "0", "0", "0"}, FactorPre, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fam, err := jacobian.Builtin(tc.name)
			if tc.src[0] != "" {
				fam, err = jacobian.NewFamily(tc.name, "", tc.src, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := fam.Compile(model.Default(), jacobian.UniformRates(1e-5))
			if err != nil {
				t.Fatal(err)
			}
			mr, err := NewRule(r)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := mr.Classes[0]; got.Factor != tc.factor || got.hasCross != tc.cross {
				t.Errorf("WEE: got factor %d, cross %v, want %d, %v (%s)", got.Factor, got.hasCross, tc.factor, tc.cross, mr.Describe()[0])
			}
		})
	}
}

// TestRuleSplitExact: for the built-in families the split of G at the
// setpoints leaves exact zeros where a family has no term (rate-models.md
// §2: the cross rule's update does not depend on the postsynaptic unit,
// the standard rule's not on the partners).
func TestRuleSplitExact(t *testing.T) {
	for _, tc := range []struct {
		name       string
		own, cross bool
	}{{"standard", true, false}, {"cross", false, true}, {"twoterm", true, true}} {
		mr := mustRule(t, tc.name, 2e-5)
		for k, cr := range mr.Classes {
			if gotOwn := !isZero(cr.Own); gotOwn != tc.own || cr.hasCross != tc.cross {
				t.Errorf("%s %s: own term %v, cross term %v; want %v, %v (%s)",
					tc.name, model.Names[k], gotOwn, cr.hasCross, tc.own, tc.cross, mr.Describe()[k])
			}
		}
	}
}
