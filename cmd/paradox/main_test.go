package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the program in-process and returns its exit code, stdout
// and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &out, &errb, append([]string{"paradox"}, args...))
	return code, out.String(), errb.String()
}

// TestPointFig2E checks the acceptance example: at Fig. 2E's
// weights the standard rule is neural stable and plasticity unstable,
// with the eigenvalues of analytics.md §4's worked check
// (1.3175 ± 1.8772i at rates 0.02).
func TestPointFig2E(t *testing.T) {
	// eigTol: analytics.md prints four decimals.
	const eigTol = 5e-5
	code, out, errs := runCLI(t, "point", "--rule", "standard", "--wee", "5", "--wie", "10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		WEE, WEI, WIE, WII, E, I, C float64
		Paradoxical                 bool
		Neural                      struct {
			Stable      bool
			Trace, Det  float64
			Eigenvalues [][2]float64
		}
		Plasticity struct {
			Stable          bool
			Trace, Det      float64
			Eigenvalues     [][2]float64
			ZeroEigenvalues [][2]float64 `json:"zero_eigenvalues"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Neural.Stable || rep.Plasticity.Stable || !rep.Paradoxical {
		t.Errorf("neural stable %v, plasticity stable %v, paradoxical %v; want true, false, true",
			rep.Neural.Stable, rep.Plasticity.Stable, rep.Paradoxical)
	}
	ev := rep.Plasticity.Eigenvalues
	if len(ev) != 2 || math.Abs(ev[0][0]-1.3175) > eigTol || math.Abs(ev[0][1]-1.8772) > eigTol {
		t.Errorf("plasticity eigenvalues %v, want 1.3175 ± 1.8772i", ev)
	}
	if len(rep.Plasticity.ZeroEigenvalues) != 2 {
		t.Errorf("zero eigenvalues %v, want two", rep.Plasticity.ZeroEigenvalues)
	}
	// fpTol: E* and I* come from a 2x2 solve with entries of order 10.
	const fpTol = 1e-12
	if math.Abs(rep.E-5) > fpTol*5 || math.Abs(rep.I-14) > fpTol*14 {
		t.Errorf("fixed point (%g, %g), want the setpoints (5, 14)", rep.E, rep.I)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"bogus"}, "unknown command"},
		{"unknown flag", []string{"point", "--nope"}, "nope"},
		{"NaN", []string{"point", "--wee", "NaN", "--wie", "10"}, "--wee"},
		{"non-numeric", []string{"point", "--wee", "five", "--wie", "10"}, "--wee"},
		{"tau <= 0", []string{"point", "--wee", "5", "--wie", "10", "--taue", "0"}, "taue"},
		{"gain <= 0", []string{"point", "--wee", "5", "--wie", "10", "--gi", "-1"}, "gi"},
		{"unknown rule", []string{"point", "--rule", "nope", "--wee", "5", "--wie", "10"}, "unknown rule"},
		{"inverted range", []string{"map", "--wee", "10:0:11", "--out", dir}, "inverted"},
		{"empty range", []string{"map", "--wie", "3:3:11", "--out", dir}, "empty"},
		{"one point", []string{"map", "--wee", "0:10:1", "--out", dir}, "at least 2"},
		{"too many cells", []string{"map", "--wee", "0:10:20000", "--wie", "0:20:20000", "--out", dir}, "--force"},
		{"rates count", []string{"map", "--rates", "1,2", "--out", dir}, "--rates"},
		{"missing weights", []string{"point"}, "--wee"},
		{"shard with csv", []string{"map", "--shard", "0/2", "--csv", filepath.Join(dir, "x.csv"), "--out", dir}, "--csv"},
		{"merge without out", []string{"merge", dir}, "--out"},
		{"row too wide", []string{"map", "--wee", "0:10:2000000", "--wie", "0:20:2", "--out", dir}, "--force"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errs)
			}
			if !strings.Contains(errs, tc.want) {
				t.Errorf("stderr %q does not mention %q", errs, tc.want)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("usage errors left %d files in --out", len(ents))
	}
}

func TestMalformedRuleFileShowsColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.toml")
	os.WriteFile(path, []byte(`dWEE = "aEE*E*(Eset - E))"
dWEI = "0"
dWIE = "0"
dWII = "0"
`), 0o644)
	code, _, errs := runCLI(t, "rules", "--rule-file", path)
	if code != 2 || !strings.Contains(errs, "col ") {
		t.Errorf("exit %d, stderr %q; want 2 and a column", code, errs)
	}
}

// TestMapCSV checks the per-cell CSV: provenance comments, the header
// columns the issue names, one row per cell, booleans as true/false and
// no NaN anywhere (the grid includes the singular cell (1, 0), C = 0).
func TestMapCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.csv")
	code, out, errs := runCLI(t, "map", "--rule", "cross", "--wee", "0:10:21", "--wie", "0:20:21",
		"--out", dir, "--csv", path, "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "stable") {
		t.Errorf("stdout lacks the class fractions: %q", out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var body []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !strings.HasPrefix(l, "#") {
			body = append(body, l)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(strings.Join(body, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+21*21 {
		t.Fatalf("%d records, want header + %d", len(recs), 21*21)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"WEE", "WIE", "WEI", "WII", "class", "neural_stable", "plasticity_stable",
		"paradoxical", "neural_max_re", "plasticity_max_re"} {
		if _, ok := col[h]; !ok {
			t.Errorf("missing column %s", h)
		}
	}
	singular := 0
	for _, r := range recs[1:] {
		for _, v := range r {
			if strings.Contains(strings.ToLower(v), "nan") {
				t.Fatalf("NaN in row %v", r)
			}
		}
		if b := r[col["neural_stable"]]; b != "true" && b != "false" {
			t.Fatalf("boolean %q", b)
		}
		if r[col["class"]] == "no_fixed_point" {
			singular++
		}
	}
	if singular == 0 {
		t.Error("the grid's C = 0 cell (1, 0) was not labelled no_fixed_point")
	}
	for _, f := range []string{"cross.png", "cross.svg", "cross.pdf", "cross.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestRulesListsFamilies(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"standard", "cross", "twoterm", "synscale", "forcedbalance", "∂/∂E"} {
		if !strings.Contains(out, name) {
			t.Errorf("rules output lacks %q", name)
		}
	}
	if code, _, _ := runCLI(t, "--help"); code != 0 {
		t.Errorf("--help exit %d, want 0", code)
	}
}

func TestConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(path, []byte("ge = 0.5\niext = 8\n"), 0o644)
	code, out, errs := runCLI(t, "point", "--config", path, "--wee", "1.5", "--wie", "15", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"paradoxical": false`) {
		t.Errorf("gE = 0.5, WEE = 1.5 should be non-paradoxical: %s", out)
	}
	os.WriteFile(path, []byte("gee = 0.5\n"), 0o644)
	if code, _, errs := runCLI(t, "point", "--config", path, "--wee", "1", "--wie", "1"); code != 2 || !strings.Contains(errs, "gee") {
		t.Errorf("unknown key: exit %d, %q", code, errs)
	}
}
