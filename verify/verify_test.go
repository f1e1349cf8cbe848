package verify

import (
	"context"
	"strings"
	"testing"

	"github.com/paradoxlab/paradox/jacobian"
)

// quickResults runs the whole catalogue once with the quick profile and
// shares the results between tests.
var quickResults = func() func(t *testing.T) []Result {
	var rs []Result
	var err error
	done := false
	return func(t *testing.T) []Result {
		t.Helper()
		if !done {
			rs, err = Run(context.Background(), Catalogue(), Options{Profile: Quick()})
			done = true
		}
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
}()

// Every built-in claim passes on the real model with the quick profile.
func TestCataloguePassesQuick(t *testing.T) {
	rs := quickResults(t)
	if len(rs) != len(Catalogue()) {
		t.Fatalf("%d results for %d claims", len(rs), len(Catalogue()))
	}
	for _, r := range rs {
		t.Run(r.ID, func(t *testing.T) {
			if r.Verdict != Pass {
				t.Errorf("verdict %v: measured %s; expected %s\n%s", r.Verdict, r.Measured, r.Expected, strings.Join(r.Details, "\n"))
			}
			if r.Statement == "" || r.Source == "" || r.Measured == "" || r.Expected == "" {
				t.Errorf("incomplete result %+v", r)
			}
			t.Logf("%.2f s: %s", r.Seconds, r.Measured)
		})
	}
}

// The catalogue's ids are unique and well formed, and every claim has a
// check.
func TestCatalogueIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Catalogue() {
		if seen[c.ID] || !idPattern.MatchString(c.ID) || !strings.Contains(c.ID, ".") || c.Check == nil {
			t.Errorf("bad or repeated claim %q", c.ID)
		}
		seen[c.ID] = true
	}
}

// flip returns the built-in family name with the sign of the expression
// of weight k flipped, built the way a user's family is.
func flip(t *testing.T, name string, k int, src string) *jacobian.Family {
	t.Helper()
	b, err := jacobian.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	var exprs [4]string
	for i, e := range b.Exprs {
		exprs[i] = e.String()
	}
	exprs[k] = src
	f, err := jacobian.NewFamily(name, "test: one sign flipped", exprs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Flipping one sign of a built-in rule (in the test, through the
// Families option) makes the claim about that rule fail.
func TestFlippedSignFails(t *testing.T) {
	for _, tc := range []struct {
		claim, family string
		k             int
		src           string // the flipped expression
	}{
		// Cross: dWIE = +aIE E (Eset − E) instead of −.
		{"cross.stable", "cross", 2, "aIE*E*(Eset - E)"},
		// Standard: dWII = +aII I (Iset − I) instead of −.
		{"standard.equal-overlap", "standard", 3, "aII*I*(Iset - I)"},
		// Two-term: the homeostatic WEE term anti-homeostatic.
		{"twoterm.det", "twoterm", 0, "aEE*E*(Iset - I) - hEE*E*(Eset - E)"},
		// Synaptic scaling: dWEI with the wrong sign.
		{"synscale.slowI-stable", "synscale", 1, "aEI*(Eset - E)*WEI"},
		// Cross in simulation: dWEE = −aEE E (Iset − I).
		{"sim.fig4b", "cross", 0, "-aEE*E*(Iset - I)"},
		// Two-term in the 80E/20I network: each E unit's own term on
		// WEE anti-homeostatic, so units drift apart.
		{"multiunit.twoterm-units", "twoterm", 0, "aEE*E*(Iset - I) - hEE*E*(Eset - E)"},
	} {
		t.Run(tc.claim, func(t *testing.T) {
			cs, err := Select(Catalogue(), []string{tc.claim})
			if err != nil {
				t.Fatal(err)
			}
			fam := flip(t, tc.family, tc.k, tc.src)
			rs, err := Run(context.Background(), cs, Options{
				Profile:  Quick(),
				Families: map[string]*jacobian.Family{tc.family: fam},
			})
			if err != nil {
				t.Fatal(err)
			}
			if rs[0].Verdict != Fail {
				t.Errorf("flipped %s d%d = %s: verdict %v, want fail (measured %s)", tc.family, tc.k, tc.src, rs[0].Verdict, rs[0].Measured)
			}
			t.Logf("measured with the flip: %s", rs[0].Measured)
		})
	}
}

func TestSelect(t *testing.T) {
	all := Catalogue()
	for _, tc := range []struct {
		pats []string
		want int
	}{
		{nil, len(all)},
		{[]string{"cross.stable"}, 1},
		{[]string{"synscale."}, 2},
		{[]string{"sim.fig4*"}, 3},
		{[]string{"cross.stable", "cross."}, 1},
	} {
		got, err := Select(all, tc.pats)
		if err != nil || len(got) != tc.want {
			t.Errorf("Select(%q): %d claims, %v; want %d", tc.pats, len(got), err, tc.want)
		}
	}
	for _, bad := range []string{"nothing.here", "[", "sim"} {
		if _, err := Select(all, []string{bad}); err == nil {
			t.Errorf("Select(%q): want an error", bad)
		}
	}
}

// A check that panics gives an Error verdict, not a crash.
func TestPanicIsError(t *testing.T) {
	cs := []Claim{{ID: "x.panic", Check: func(context.Context, *Env) Outcome { panic("boom") }}}
	rs, err := Run(context.Background(), cs, Options{})
	if err != nil || rs[0].Verdict != Error || !strings.Contains(strings.Join(rs[0].Details, ""), "boom") {
		t.Errorf("got %+v, %v", rs, err)
	}
}
