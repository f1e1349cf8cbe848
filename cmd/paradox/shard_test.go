package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
	"github.com/paradoxlab/paradox/sim/multiunit"
)

// TestMain lets a test run the program as a separate process: with
// PARADOX_AS_MAIN=1 the test binary is paradox itself.
func TestMain(m *testing.M) {
	if os.Getenv("PARADOX_AS_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Stdout, os.Stderr, append([]string{"paradox"}, os.Args[1:]...)))
	}
	os.Exit(m.Run())
}

// process starts the program as a separate process, as a cluster array
// task would run it.
func process(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "PARADOX_AS_MAIN=1"), env...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%v: %s", args, errb.String())
		}
	})
	return cmd
}

// TestShardedMapMatchesUnsharded runs a map as 3 shards in separate
// processes (one through the Slurm variables, one through the Kubernetes
// index), kills one midway and re-runs it, merges, and compares the
// merged .npy with the unsharded one byte for byte.
func TestShardedMapMatchesUnsharded(t *testing.T) {
	dir := t.TempDir()
	grid := []string{"--rule", "standard", "--wee", "0:10:3000", "--wie", "0:20:2000", "--workers", "1", "-q"}
	whole := filepath.Join(dir, "whole")
	if err := process(t, nil, append([]string{"map", "--out", whole, "--npy", filepath.Join(whole, "standard.npy")}, grid...)...).Run(); err != nil {
		t.Fatal(err)
	}

	shardDir := func(i int) string { return filepath.Join(dir, "shard"+strconv.Itoa(i)) }
	envs := [][]string{
		{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_COUNT=3"},
		{"JOB_COMPLETION_INDEX=1"},
		nil,
	}
	extra := [][]string{nil, {"--shards", "3"}, {"--shard", "2/3"}}
	start := func(i int) *exec.Cmd {
		args := append([]string{"map", "--out", shardDir(i)}, grid...)
		return process(t, envs[i], append(args, extra[i]...)...)
	}

	// Kill shard 1 midway: nothing that looks finished may remain.
	killMidway(t, start(1), shardDir(1), "standard.npy")
	if err := process(t, nil, "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), shardDir(2)).Run(); err == nil {
		t.Fatal("merge of incomplete shards succeeded")
	}

	for i := 0; i < 3; i++ {
		if err := start(i).Run(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	// A re-run shard writes the same bytes.
	first, _ := os.ReadFile(filepath.Join(shardDir(2), "standard.npy"))
	if err := start(2).Run(); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(shardDir(2), "standard.npy"))
	if !bytes.Equal(first, again) {
		t.Error("re-running shard 2 changed its data")
	}

	merged := filepath.Join(dir, "merged")
	cmd := process(t, nil, "merge", "--out", merged, shardDir(2), shardDir(0), shardDir(1))
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(whole, "standard.npy"))
	got, _ := os.ReadFile(filepath.Join(merged, "standard.npy"))
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("merged .npy (%d bytes) differs from the unsharded one (%d bytes)", len(got), len(want))
	}
	for _, f := range []string{"standard.png", "standard.svg", "standard.pdf", "standard.json"} {
		if _, err := os.Stat(filepath.Join(merged, f)); err != nil {
			t.Error(err)
		}
	}
	wantJSON, _ := os.ReadFile(filepath.Join(whole, "standard.json"))
	gotJSON, _ := os.ReadFile(filepath.Join(merged, "standard.json"))
	if section(wantJSON, `"counts"`) != section(gotJSON, `"counts"`) {
		t.Errorf("merged counts differ:\n%s\nvs\n%s", section(gotJSON, `"counts"`), section(wantJSON, `"counts"`))
	}
	if !strings.Contains(out.String(), "stable") {
		t.Errorf("merge printed no class fractions: %q", out.String())
	}

	// Duplicated shards are named.
	cmd = process(t, nil, "merge", "--out", filepath.Join(dir, "dup"), shardDir(0), shardDir(1), shardDir(1), shardDir(2))
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err == nil || !strings.Contains(errb.String(), "duplicated") {
		t.Errorf("duplicate shard: err %v, stderr %q", err, errb.String())
	}
}

// killMidway starts cmd, kills it as soon as it is writing the file
// name in dir, and checks that it left no manifest.
func killMidway(t *testing.T, cmd *exec.Cmd, dir, name string) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if tmp, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp-*")); len(tmp) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s: the shard never started writing %s", dir, name)
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if cmd.ProcessState.Exited() {
		t.Fatalf("%s: the shard finished before it could be killed; give it more work", dir)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*"+manifestSuffix)); len(m) != 0 {
		t.Fatalf("a killed shard left a manifest: %v", m)
	}
}

// TestShardedEnsembleMatchesUnsharded runs an ensemble of two setpoint
// pairs as 3 shards in separate processes (through the Slurm variables,
// the Kubernetes index and --shard), kills one midway and re-runs it,
// merges, and compares the merged CSV's data rows and the figures with
// the unsharded run's byte for byte.
func TestShardedEnsembleMatchesUnsharded(t *testing.T) {
	dir := t.TempDir()
	ens := []string{"ensemble", "--runs", "12", "--trials", "100", "--keep-every", "20",
		"--setpoints", "5:14,10:14", "--workers", "1", "-q"}
	whole := filepath.Join(dir, "whole")
	wholeCSV := filepath.Join(dir, "whole.csv")
	if err := process(t, nil, append(ens, "--csv", wholeCSV, "--out", whole)...).Run(); err != nil {
		t.Fatal(err)
	}

	shardDir := func(i int) string { return filepath.Join(dir, "shard"+strconv.Itoa(i)) }
	envs := [][]string{
		{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_COUNT=3"},
		{"JOB_COMPLETION_INDEX=1"},
		nil,
	}
	extra := [][]string{nil, {"--shards", "3"}, {"--shard", "2/3"}}
	start := func(i int, more ...string) *exec.Cmd {
		args := append(append(append([]string{}, ens...), "--out", shardDir(i)), extra[i]...)
		return process(t, envs[i], append(args, more...)...)
	}
	killMidway(t, start(1), shardDir(1), ensembleData)
	for _, i := range []int{0, 2, 1} {
		if i == 1 {
			bad := filepath.Join(dir, "bad")
			mergeFails(t, "missing shards 1 of 3", "merge", "--out", bad, shardDir(0), shardDir(2))
			mergeFails(t, "no finished shard", "merge", "--out", bad, shardDir(0), shardDir(1), shardDir(2))
		}
		if err := start(i).Run(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	// A re-run shard writes the same bytes, whatever its workers.
	files := []string{ensembleData, ensembleName + manifestSuffix}
	var first [][]byte
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(shardDir(2), f))
		first = append(first, b)
	}
	if err := start(2, "--workers", "2").Run(); err != nil {
		t.Fatal(err)
	}
	for k, f := range files {
		if again, _ := os.ReadFile(filepath.Join(shardDir(2), f)); len(again) == 0 || !bytes.Equal(first[k], again) {
			t.Errorf("re-running shard 2 changed %s", f)
		}
	}

	merged := filepath.Join(dir, "merged")
	if err := process(t, nil, "merge", "--out", merged, shardDir(2), shardDir(0), shardDir(1)).Run(); err != nil {
		t.Fatal(err)
	}
	compareCSV(t, wholeCSV, filepath.Join(merged, ensembleName+".csv"), 1+2*12)
	figs, _ := filepath.Glob(filepath.Join(whole, "*"))
	if len(figs) != 8 {
		t.Errorf("the unsharded run drew %d files, want 8: %v", len(figs), figs)
	}
	for _, f := range figs {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join(merged, filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("merged %s differs from the unsharded one (%v)", filepath.Base(f), err)
		}
	}

	// Shards of another configuration, or of a map, do not merge.
	other := filepath.Join(dir, "other")
	if err := process(t, nil, append(ens, "--seed", "7", "--shard", "1/3", "--out", other)...).Run(); err != nil {
		t.Fatal(err)
	}
	mergeFails(t, "different configurations", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), other, shardDir(2))
	mapDir := filepath.Join(dir, "map")
	if err := process(t, nil, "map", "--wee", "0:10:3", "--wie", "0:20:3", "--shard", "0/1", "--out", mapDir, "-q").Run(); err != nil {
		t.Fatal(err)
	}
	mergeFails(t, "one kind", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), shardDir(1), shardDir(2), mapDir)
}

// TestShardedMultiunitMatchesUnsharded runs a multiunit batch of 4 runs
// as 3 shards in separate processes (through the Slurm variables, the
// Kubernetes index and --shard), kills one midway and re-runs it,
// merges, and compares the merged CSVs' data rows and the figures with
// the unsharded run's byte for byte.
func TestShardedMultiunitMatchesUnsharded(t *testing.T) {
	dir := t.TempDir()
	mu := []string{"multiunit", "--runs", "4", "--trials", "3", "--workers", "1", "-q"}
	whole := filepath.Join(dir, "whole")
	wholeCSV, wholeRuns := filepath.Join(dir, "whole.csv"), filepath.Join(dir, "whole_runs.csv")
	if err := process(t, nil, append(mu, "--csv", wholeCSV, "--runs-csv", wholeRuns, "--out", whole)...).Run(); err != nil {
		t.Fatal(err)
	}

	// Shard i of 3 takes runs [4i/3, 4(i+1)/3): run 0, run 1, runs 2-3.
	shardDir := func(i int) string { return filepath.Join(dir, "shard"+strconv.Itoa(i)) }
	envs := [][]string{
		{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_COUNT=3"},
		{"JOB_COMPLETION_INDEX=1"},
		nil,
	}
	extra := [][]string{nil, {"--shards", "3"}, {"--shard", "2/3"}}
	start := func(i int, more ...string) *exec.Cmd {
		args := append(append(append([]string{}, mu...), "--out", shardDir(i)), extra[i]...)
		return process(t, envs[i], append(args, more...)...)
	}
	killMidway(t, start(2), shardDir(2), muData)
	for _, i := range []int{0, 1, 2} {
		if i == 2 {
			mergeFails(t, "missing shards 2 of 3", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), shardDir(1))
		}
		if err := start(i).Run(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	// A re-run shard writes the same bytes, whatever its workers; shard
	// 0 holds run 0 with its whole network.
	files := []string{muData, muName + manifestSuffix}
	var first [][]byte
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(shardDir(0), f))
		first = append(first, b)
	}
	if err := start(0, "--workers", "2").Run(); err != nil {
		t.Fatal(err)
	}
	for k, f := range files {
		if again, _ := os.ReadFile(filepath.Join(shardDir(0), f)); len(again) == 0 || !bytes.Equal(first[k], again) {
			t.Errorf("re-running shard 0 changed %s", f)
		}
	}

	merged := filepath.Join(dir, "merged")
	if err := process(t, nil, "merge", "--out", merged, shardDir(2), shardDir(0), shardDir(1)).Run(); err != nil {
		t.Fatal(err)
	}
	compareCSV(t, wholeCSV, filepath.Join(merged, muName+".csv"), 1+4*3)
	compareCSV(t, wholeRuns, filepath.Join(merged, muName+"_runs.csv"), 1+4)
	figs, _ := filepath.Glob(filepath.Join(whole, "*"))
	if len(figs) != 10 {
		t.Errorf("the unsharded run drew %d files, want 10: %v", len(figs), figs)
	}
	for _, f := range figs {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join(merged, filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("merged %s differs from the unsharded one (%v)", filepath.Base(f), err)
		}
	}

	// Shards of another configuration do not merge; a shard writes no
	// CSV and needs a folder.
	other := filepath.Join(dir, "other")
	if err := process(t, nil, append(mu, "--sigma", "5", "--shard", "1/3", "--out", other)...).Run(); err != nil {
		t.Fatal(err)
	}
	mergeFails(t, "different configurations", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), other, shardDir(2))
	mergeFails(t, "--runs-csv", append(mu, "--shard", "1/3", "--out", other, "--runs-csv", filepath.Join(dir, "r.csv"))...)
	mergeFails(t, "give --out", append(mu, "--shard", "1/3")...)
}

// mergeFails runs args and checks that they fail with a message that
// holds want.
func mergeFails(t *testing.T, want string, args ...string) {
	t.Helper()
	cmd := process(t, nil, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err == nil || !strings.Contains(errb.String(), want) {
		t.Errorf("%v: err %v, stderr %q, want a failure naming %q", args, err, errb.String(), want)
	}
}

// compareCSV checks that two CSVs have the same data rows byte for
// byte, rows lines with the header, and provenance comments that differ
// only in the command and the date.
func compareCSV(t *testing.T, wantPath, gotPath string, rows int) {
	t.Helper()
	want, _ := os.ReadFile(wantPath)
	got, err := os.ReadFile(gotPath)
	if err != nil {
		t.Fatal(err)
	}
	split := func(b []byte) (comments, rows string) {
		var c, r strings.Builder
		for _, line := range strings.SplitAfter(string(b), "\n") {
			switch {
			case strings.HasPrefix(line, "# command:"), strings.HasPrefix(line, "# date:"):
			case strings.HasPrefix(line, "#"):
				c.WriteString(line)
			default:
				r.WriteString(line)
			}
		}
		return c.String(), r.String()
	}
	wc, wr := split(want)
	gc, gr := split(got)
	if n := strings.Count(wr, "\n"); n != rows {
		t.Errorf("the unsharded %s has %d lines after its comments, want %d:\n%s", wantPath, n, rows, wr)
	}
	if gr != wr {
		t.Errorf("merged %s rows differ from the unsharded ones:\n%s\nwant\n%s", gotPath, gr, wr)
	}
	if gc != wc {
		t.Errorf("merged %s comments differ beyond command and date:\n%s\nwant\n%s", gotPath, gc, wc)
	}
}

// The data of an ensemble shard carries every float exactly, the
// non-finite values of an overflow included.
func TestRunLineRoundTrip(t *testing.T) {
	tiny := math.SmallestNonzeroFloat64
	rec := sim.TrialRecord{Trial: 7, W: model.Weights{WEE: 0.1, WEI: 1.0 / 3, WIE: math.MaxFloat64, WII: tiny},
		E: math.Copysign(0, -1), I: 1e-300, MeanE: 5.000000000000001, MeanI: 14}
	in := sim.RunSummary{
		Run: 3, W0: model.Weights{WEE: math.Pi, WEI: 2, WIE: 1e21, WII: 1.5}, Trials: []sim.TrialRecord{rec, rec}, Final: rec,
		Err: &sim.OverflowError{Trial: 8, Weight: "WIE", Value: math.Inf(1), E: math.NaN(), I: math.Inf(-1)},
	}
	var b bytes.Buffer
	if err := writeEnsembleRuns(&b, []sim.EnsembleResult{{}, {Runs: []sim.RunSummary{in}}}); err != nil {
		t.Fatal(err)
	}
	var l runLine
	if err := json.Unmarshal(b.Bytes(), &l); err != nil {
		t.Fatalf("%v in %s", err, b.Bytes())
	}
	out := l.summary()
	bits := func(s sim.RunSummary) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%d %v ", s.Run, s.Err)
		for _, r := range append(append([]sim.TrialRecord{}, s.Trials...), s.Final) {
			fmt.Fprintf(&sb, "%d ", r.Trial)
			w := r.W.Array()
			for _, v := range append(w[:], r.E, r.I, r.MeanE, r.MeanI) {
				fmt.Fprintf(&sb, "%x ", math.Float64bits(v))
			}
		}
		for _, v := range s.W0.Array() {
			fmt.Fprintf(&sb, "%x ", math.Float64bits(v))
		}
		return sb.String()
	}
	if l.Pair != 1 || bits(out) != bits(in) {
		t.Errorf("pair %d, run after the round trip:\n%s\nwant pair 1,\n%s\nfrom %s", l.Pair, bits(out), bits(in), b.Bytes())
	}
}

// The data of a multiunit shard carries every float exactly, run 0's
// network (sparse connections, traces) and an overflow included: read
// back and written again, it gives the same bytes.
func TestMultiunitRunsRoundTrip(t *testing.T) {
	rec := multiunit.TrialRecord{Trial: 1, E: math.Copysign(0, -1), ESD: math.NaN(), I: math.Inf(1), ISD: 1.0 / 3,
		EMin: math.SmallestNonzeroFloat64, EMax: math.MaxFloat64, IMin: 1e-300, IMax: 5.000000000000001,
		MeanE: 0.1, MeanI: 14, Sums: model.Weights{WEE: math.Pi, WEI: math.Inf(-1), WIE: 2, WII: 1e21}}
	w0 := &multiunit.Weights{NE: 2, NI: 1, W: []float64{0, 0.1, 0, 0.2, 0, 0.3, 1.0 / 7, 0, 0},
		Conn: []bool{false, true, false, true, false, true, true, false, false}}
	w := w0.Clone()
	w.W[1] = math.Inf(1)
	in := multiunit.BatchResult{Seed: 44, Runs: []multiunit.RunSummary{
		{Run: 0, W0Sums: model.Weights{WEE: 0.1, WEI: 0.2, WIE: 0.3, WII: 0.4}, Trials: []multiunit.TrialRecord{rec}},
		{Run: 1, Trials: []multiunit.TrialRecord{rec, rec},
			Err: &sim.OverflowError{Trial: 3, Weight: "WEI[0,2]", Value: math.Inf(1), E: math.NaN(), I: 2}},
	}}
	in.Example = multiunit.Result{Seed: 44, W0: w0, W: w, Trials: in.Runs[0].Trials,
		Units: [][]float64{{1, 2, math.NaN()}}, UnitExc: [][]float64{{0.1, 0.2, 0}}, UnitInh: [][]float64{{0, 0.3, 1e-310}},
		Traces: []multiunit.Trace{{Trial: 1, Units: []int{0, 2}, T0: -249.9, Dt: 0.5, R: [][]float64{{0, 1}, {2, 3}}}}}

	path := filepath.Join(t.TempDir(), muData)
	var b bytes.Buffer
	if err := writeMultiunitRuns(&b, &in); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _, _ := fileSHA256(path)
	out := multiunit.BatchResult{Seed: 44}
	if err := readMultiunitShard(path, manifest{Range: [2]int{0, 2}, SHA256: sum}, &out); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := writeMultiunitRuns(&again, &out); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Errorf("after the round trip:\n%s\nwant\n%s", again.Bytes(), b.Bytes())
	}
	if got, want := fmt.Sprint(out.Runs[1].Err), fmt.Sprint(in.Runs[1].Err); got != want {
		t.Errorf("run 1: error %q, want %q", got, want)
	}
	if !slices.Equal(out.Example.W.Conn, w0.Conn) || out.Example.W.NE != 2 {
		t.Errorf("connections %v of %d E units, want %v of 2", out.Example.W.Conn, out.Example.W.NE, w0.Conn)
	}
	if err := readMultiunitShard(path, manifest{Range: [2]int{0, 2}, SHA256: strings.Repeat("0", 64)}, &out); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("wrong checksum: err %v", err)
	}
}

// section returns the JSON text from key to the end of its object.
func section(b []byte, key string) string {
	s := string(b)
	i := strings.Index(s, key)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], "}")
	return s[i : i+j]
}

// TestShardedAgreementMatchesUnsharded runs the agreement claims (3 x 3
// cells each, 18 in all) as 3 shards in separate processes (through the
// Slurm variables, the Kubernetes index and --shard; shard 1 spans both
// claims), re-runs one with other workers, merges, and compares the
// merged verify.json with the unsharded --json byte for byte but for
// the command, the date and the timings.
func TestShardedAgreementMatchesUnsharded(t *testing.T) {
	dir := t.TempDir()
	ver := []string{"verify", "--quick", "--only", "agreement.*", "--agreement-cells", "3", "-q"}
	wholeJSON := filepath.Join(dir, "whole.json")
	if err := process(t, nil, append(ver, "--json", wholeJSON)...).Run(); err != nil {
		t.Fatal(err)
	}

	shardDir := func(i int) string { return filepath.Join(dir, "shard"+strconv.Itoa(i)) }
	envs := [][]string{
		{"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_COUNT=3"},
		{"JOB_COMPLETION_INDEX=1"},
		nil,
	}
	extra := [][]string{nil, {"--shards", "3"}, {"--shard", "2/3"}}
	start := func(i int, more ...string) *exec.Cmd {
		args := append(append(append([]string{}, ver...), "--out", shardDir(i)), extra[i]...)
		return process(t, envs[i], append(args, more...)...)
	}
	for _, i := range []int{0, 2, 1} {
		if i == 1 {
			mergeFails(t, "missing shards 1 of 3", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), shardDir(2))
		}
		if err := start(i, "--workers", "1").Run(); err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
	}
	// A re-run shard writes the same bytes, whatever its workers.
	files := []string{agreementData, agreementName + manifestSuffix}
	var first [][]byte
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(shardDir(1), f))
		first = append(first, b)
	}
	if err := start(1, "--workers", "2").Run(); err != nil {
		t.Fatal(err)
	}
	for k, f := range files {
		if again, _ := os.ReadFile(filepath.Join(shardDir(1), f)); len(again) == 0 || !bytes.Equal(first[k], again) {
			t.Errorf("re-running shard 1 changed %s", f)
		}
	}

	merged := filepath.Join(dir, "merged")
	if err := process(t, nil, "merge", "--out", merged, shardDir(2), shardDir(0), shardDir(1)).Run(); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(wholeJSON)
	got, err := os.ReadFile(filepath.Join(merged, "verify.json"))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := untimedJSON(got), untimedJSON(want); g != w || !strings.Contains(w, `"agreement.twoterm"`) {
		t.Errorf("merged verify.json differs from the unsharded one:\n%s\nwant\n%s", g, w)
	}

	// Shards of other settings do not merge; other claims do not shard.
	other := filepath.Join(dir, "other")
	if err := process(t, nil, "verify", "--quick", "--only", "agreement.twoterm", "--agreement-cells", "2", "--out", other, "-q").Run(); err != nil {
		t.Fatal(err)
	}
	mergeFails(t, "different configurations", "merge", "--out", filepath.Join(dir, "bad"), shardDir(0), other, shardDir(2))
	mergeFails(t, "not an agreement claim", "verify", "--quick", "--only", "cross.*", "--shard", "0/2", "--out", other)
}

// untimedJSON drops the lines of a verify JSON that hold the command,
// the date or a timing.
func untimedJSON(b []byte) string {
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		k := strings.TrimSpace(l)
		if !strings.HasPrefix(k, `"command":`) && !strings.HasPrefix(k, `"date":`) && !strings.HasPrefix(k, `"seconds":`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
