package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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
	killed := start(1)
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it as soon as its data file is being written.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if tmp, _ := filepath.Glob(filepath.Join(shardDir(1), ".standard.npy.tmp-*")); len(tmp) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("shard 1 never started writing")
		}
		time.Sleep(time.Millisecond)
	}
	killed.Process.Kill()
	killed.Wait()
	if m, _ := filepath.Glob(filepath.Join(shardDir(1), "*"+manifestSuffix)); len(m) != 0 {
		t.Fatalf("a killed shard left a manifest: %v", m)
	}
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
