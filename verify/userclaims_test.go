package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example file in the repository parses and every claim in it
// passes.
func TestExampleClaimsFile(t *testing.T) {
	cs, err := LoadClaims(filepath.Join("..", "testdata", "claims-example.toml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 4 {
		t.Fatalf("%d claims", len(cs))
	}
	rs, err := Run(context.Background(), cs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Verdict != Pass {
			t.Errorf("%s: %v, measured %s, expected %s\n%s", r.ID, r.Verdict, r.Measured, r.Expected, strings.Join(r.Details, "\n"))
		}
	}
}

// A claim about a family in a rule file, named relative to the claims
// file, and a failing bound.
func TestClaimsRuleFile(t *testing.T) {
	dir := t.TempDir()
	rule := `name = "leaky-cross"
dWEE = "aEE*E*(Iset - I)"
dWEI = "-aEI*I*(Iset - I)"
dWIE = "-aIE*E*(Eset - E)"
dWII = "aII*I*(Eset - E)"
`
	claims := `[[claim]]
id = "mine.ok"
kind = "fraction"
rule_file = "rule.toml"
count = "plasticity-stable"
at_least = 0.99

[[claim]]
id = "mine.too-strict"
kind = "fraction"
rule_file = "rule.toml"
count = "neural-stable"
of = "box"
at_least = 0.9
points = 51
`
	if err := os.WriteFile(filepath.Join(dir, "rule.toml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "claims.toml")
	if err := os.WriteFile(path, []byte(claims), 0o644); err != nil {
		t.Fatal(err)
	}
	cs, err := LoadClaims(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Run(context.Background(), cs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Verdict != Pass || rs[1].Verdict != Fail {
		t.Errorf("got %v (%s) and %v (%s), want pass and fail", rs[0].Verdict, rs[0].Measured, rs[1].Verdict, rs[1].Measured)
	}
	if !strings.Contains(rs[0].Statement, "leaky-cross") || rs[0].Source != "claims.toml" {
		t.Errorf("defaults: statement %q, source %q", rs[0].Statement, rs[0].Source)
	}
}

// Errors in a claims file name the claim and the key.
func TestClaimsFileErrors(t *testing.T) {
	const ok = "id = \"u.x\"\nkind = \"fraction\"\nrule = \"cross\"\ncount = \"stable\"\nat_least = 0.5\n"
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"malformed TOML", "[[claim]]\nid = \n", "line 2"},
		{"no claims", "", "no [[claim]]"},
		{"top-level key", "title = \"x\"\n[[claim]]\n" + ok, "unknown top-level key \"title\""},
		{"unknown key", "[[claim]]\n" + ok + "atleast = 0.4\n", "unknown key \"atleast\""},
		{"key of the other kind", "[[claim]]\n" + ok + "weights = [1, 2, 3, 4]\n", "unknown key \"weights\" for kind fraction"},
		{"missing id", "[[claim]]\nkind = \"fraction\"\n", "missing key id"},
		{"bad id", "[[claim]]\nid = \"a b\"\nkind = \"fraction\"\n", "id \"a b\""},
		{"bad kind", "[[claim]]\nid = \"u.x\"\nkind = \"maybe\"\n", "kind \"maybe\""},
		{"built-in id", "[[claim]]\nid = \"cross.stable\"\nkind = \"fraction\"\nrule = \"cross\"\ncount = \"stable\"\nat_least = 0.5\n", "built-in"},
		{"duplicate id", "[[claim]]\n" + ok + "[[claim]]\n" + ok, "used twice"},
		{"wrong type", "[[claim]]\n" + strings.Replace(ok, "0.5", "\"half\"", 1), "claim 1 (u.x): key at_least"},
		{"bound out of range", "[[claim]]\n" + strings.Replace(ok, "0.5", "1.5", 1), "bound 1.5"},
		{"no bound", "[[claim]]\nid = \"u.x\"\nkind = \"fraction\"\nrule = \"cross\"\ncount = \"stable\"\n", "at_least or at_most"},
		{"bad count", "[[claim]]\n" + strings.Replace(ok, "\"stable\"", "\"happy\"", 1), "count \"happy\""},
		{"unknown rule", "[[claim]]\n" + strings.Replace(ok, "\"cross\"", "\"crosss\"", 1), "unknown rule"},
		{"missing rule file", "[[claim]]\n" + strings.Replace(ok, "rule = \"cross\"", "rule_file = \"nope.toml\"", 1), "rule_file"},
		{"both rule and rule_file", "[[claim]]\n" + ok + "rule_file = \"x.toml\"\n", "not both"},
		{"no family", "[[claim]]\n" + strings.Replace(ok, "rule = \"cross\"\n", "", 1), "give rule or rule_file"},
		{"three rates", "[[claim]]\n" + ok + "rates = [1, 2, 3]\n", "one value or four"},
		{"unknown param", "[[claim]]\n" + ok + "params = { gee = 1 }\n", "params: unknown key \"gee\""},
		{"bad param", "[[claim]]\n" + ok + "params = { taue = -1 }\n", "taue"},
		{"bad ratio", "[[claim]]\n" + ok + "ratio = [10, 1]\n", "ratio [10 1]"},
		{"converges without weights", "[[claim]]\nid = \"u.c\"\nkind = \"converges\"\nrule = \"cross\"\nwithin = 10\n", "weights"},
		{"converges without within", "[[claim]]\nid = \"u.c\"\nkind = \"converges\"\nrule = \"cross\"\nweights = [1, 2, 3, 4]\n", "within 0"},
		{"bad expect", "[[claim]]\nid = \"u.c\"\nkind = \"converges\"\nrule = \"cross\"\nweights = [1, 2, 3, 4]\nwithin = 10\nexpect = \"maybe\"\n", "expect \"maybe\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeClaims([]byte(tc.doc), t.TempDir(), "test.toml", LoadOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
