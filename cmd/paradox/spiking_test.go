package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paradoxlab/paradox/sim/spiking"
	"github.com/urfave/cli/v2"
)

// spikingCLI runs the spiking command in-process and returns its stdout.
func spikingCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"paradox", "spiking"}, args...)
	app := &cli.App{Name: "paradox", Writer: &out, ErrWriter: &errb,
		Commands: []*cli.Command{spikingCommand()},
		Metadata: map[string]any{"args": full}, ExitErrHandler: func(*cli.Context, error) {}}
	if err := app.Run(full); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// spikingSmallConfig is a 200-cell network with 400-ms trials whose
// weights start active, so that a few trials exercise everything.
const spikingSmallConfig = `ne = 160
ni = 40
kick_n = 10
trial_ms = 400
wee0 = 800
wei0 = 300
wie0 = 600
wii0 = 300
`

func TestSpikingTrainResume(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "small.toml")
	if err := os.WriteFile(cfg, []byte(spikingSmallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	spikingCLI(t, "train", "--config", cfg, "--trials", "4", "--seed", "3", "--out", a, "--raster-trials", "0,2")
	spikingCLI(t, "train", "--config", cfg, "--trials", "2", "--seed", "3", "--out", b, "--checkpoint-every", "2")
	spikingCLI(t, "train", "--trials", "4", "--out", b, "--resume", filepath.Join(b, "checkpoint.bin"))

	rows := func(d string) []string {
		data, err := os.ReadFile(filepath.Join(d, "train.csv"))
		if err != nil {
			t.Fatal(err)
		}
		var r []string
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if !strings.HasPrefix(l, "#") {
				r = append(r, l)
			}
		}
		return r
	}
	ra, rb := rows(a), rows(b)
	if len(ra) != 5 || !strings.HasPrefix(ra[0], "trial,E,I,up_s,") {
		t.Fatalf("CSV rows %q, want a header and 4 rows", ra)
	}
	if strings.Join(ra, "\n") != strings.Join(rb, "\n") {
		t.Errorf("resumed log differs:\n%s\nwant\n%s", strings.Join(rb, "\n"), strings.Join(ra, "\n"))
	}
	wa, _ := os.ReadFile(filepath.Join(a, "weights.bin"))
	wb, _ := os.ReadFile(filepath.Join(b, "weights.bin"))
	if !bytes.Equal(wa, wb) {
		t.Error("resumed weights differ")
	}
	for _, f := range []string{"raster_t0.png", "raster_t2.png", "raster_t3.png", "training.png", "rate_hist.png", "balance.png"} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Errorf("missing figure: %v", err)
		}
	}

	out := spikingCLI(t, "paradox", "--weights", filepath.Join(a, "weights.bin"),
		"--amps", "0,50", "--trials", "2", "--workers", "2", "--out", a)
	if !strings.HasPrefix(out, "amp_pA,kept_E") || strings.Count(out, "\n") != 3 {
		t.Errorf("paradox table %q", out)
	}
	if _, _, _, err := spiking.ReadWeights(bytes.NewReader(wa)); err != nil {
		t.Error(err)
	}
}
