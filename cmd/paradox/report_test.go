package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// runReport runs `paradox report` in-process with args after the
// command name and returns the exit code, stdout and stderr.
func runReport(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	full := append([]string{"paradox", "report"}, args...)
	app := &cli.App{
		Name: "paradox", Writer: &stdout, ErrWriter: &stderr,
		Commands:       []*cli.Command{reportCommand()},
		Metadata:       map[string]any{"args": full},
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   func(_ *cli.Context, err error, _ bool) error { return usageError{err} },
	}
	code := 0
	if err := app.RunContext(context.Background(), full); err != nil {
		stderr.WriteString("paradox: " + err.Error() + "\n")
		code = 1
		var ue usageError
		if errors.As(err, &ue) {
			code = 2
		}
	}
	return code, stdout.String(), stderr.String()
}

// TestReportQuick writes the quick report twice with the same inputs,
// seed and SOURCE_DATE_EPOCH and checks the files, the message naming
// them, and that the two runs wrote the same bytes.
func TestReportQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the report twice")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	dir := filepath.Join(t.TempDir(), "r")
	var outs [2][2][]byte
	for i := range outs {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runReport(t, "--quick", "--quiet", "--out", dir, "--seed", "3")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		if stdout != "" {
			t.Errorf("stdout not empty: %q", stdout)
		}
		for j, name := range []string{"report.html", "report.pdf"} {
			path := filepath.Join(dir, name)
			if !strings.Contains(stderr, path) {
				t.Errorf("stderr does not name %s: %q", path, stderr)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			outs[i][j] = data
		}
		html := string(outs[i][0])
		for _, want := range []string{"--seed 3", "--quick", "--taue 10", "14 November 2023"} {
			if !strings.Contains(html, want) {
				t.Errorf("report lacks %q", want)
			}
		}
	}
	for j, name := range []string{"report.html", "report.pdf"} {
		if !bytes.Equal(outs[0][j], outs[1][j]) {
			t.Errorf("%s differs between two runs with the same inputs, seed and SOURCE_DATE_EPOCH", name)
		}
	}
}

// TestReportUsage checks that bad flags are usage errors (exit 2).
func TestReportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--taue", "-1"},
		{"--rule-file", "/nonexistent/rule.toml"},
		{"--claims", "/nonexistent/claims.toml"},
		{"--ge", "abc"},
	} {
		code, _, stderr := runReport(t, append(args, "--quick", "--out", t.TempDir())...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, stderr)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code, _, _ := runReport(t, "--quick", "--out", t.TempDir()); code != 2 {
		t.Errorf("SOURCE_DATE_EPOCH=yesterday: exit %d, want 2", code)
	}
}

// TestReportRuleFileAndClaims adds a family from a rule file (named like
// a built-in one) and a claims file to the quick report.
func TestReportRuleFileAndClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the report")
	}
	dir := t.TempDir()
	rule := filepath.Join(dir, "rule.toml")
	os.WriteFile(rule, []byte(`name = "cross"
doc  = "cross-homeostatic with a leak on WEE"
dWEE = "aEE*E*(Iset - I) - leak*(E - Eset)"
dWEI = "-aEI*I*(Iset - I)"
dWIE = "-aIE*E*(Eset - E)"
dWII = "aII*I*(Eset - E)"
[constants]
leak = 0.001
`), 0o644)
	claims := filepath.Join(dir, "claims.toml")
	os.WriteFile(claims, []byte(`[[claim]]
id = "user.leaky-cross"
kind = "fraction"
count = "plasticity-stable"
of = "neural-stable"
at_least = 0.9
points = 21
`), 0o644)
	out := filepath.Join(dir, "r")
	code, _, stderr := runReport(t, "--quick", "--quiet", "--out", out, "--rule-file", rule, "--claims", claims)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="rule-file-cross"`, "Family cross (rule file)", "user.leaky-cross", "leak = 0.001"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestReportSpiking trains the small spiking network for a few trials,
// tests it for the paradoxical effect and builds the quick report from
// both folders: the Fig. 7 section is in the HTML and the PDF, and the
// regenerating command line names the folders.
func TestReportSpiking(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "small.toml")
	if err := os.WriteFile(cfg, []byte(spikingSmallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	train, par, out := filepath.Join(dir, "train"), filepath.Join(dir, "par"), filepath.Join(dir, "r")
	spikingCLI(t, "train", "--config", cfg, "--trials", "4", "--seed", "3", "--out", train, "--quiet")
	spikingCLI(t, "paradox", "--weights", filepath.Join(train, "weights.bin"), "--amps", "0,50",
		"--trials", "2", "--workers", "2", "--out", par, "--quiet")

	code, _, stderr := runReport(t, "--quick", "--quiet", "--out", out, "--spiking", train, "--spiking-paradox", par)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="sim-spiking"`, "Spiking network (Fig. 7)", "174.9 pA",
		"Paradoxical effect (Fig. 7I)", "--spiking " + train + " --spiking-paradox " + par} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	totext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext on PATH (Debian: apt-get install poppler-utils)")
	}
	text, err := exec.Command(totext, "-layout", filepath.Join(out, "report.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Spiking network (Fig. 7)", "174.9 pA", "Paradoxical effect (Fig. 7I)"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

// TestReportSpikingUsage checks that missing or inconsistent spiking
// inputs are usage errors (exit 2) that say what to give.
func TestReportSpikingUsage(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--spiking", empty}, "--spiking"},
		{[]string{"--spiking-paradox", empty}, "needs --spiking DIR"},
		{[]string{"--spiking-csv", "x.csv"}, "needs --spiking DIR"},
	} {
		code, _, stderr := runReport(t, append(tc.args, "--quick", "--out", t.TempDir())...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q\n%s", tc.args, code, tc.want, stderr)
		}
	}
}
