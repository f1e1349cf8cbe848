package reports

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim/spiking"
)

// spkTinyParams is a 160 E + 40 I network with 400-ms trials whose
// weights start active, so that a few trials have spikes and Up states
// (as the spiking command's tests use).
func spkTinyParams() spiking.Params {
	p := spiking.Fig7()
	p.NE, p.NI, p.KickN, p.TrialMS = 160, 40, 10, 400
	p.WEE0, p.WEI0, p.WIE0, p.WII0 = 800, 300, 600, 300
	return p
}

// spkWriteRun trains the tiny network for n trials and writes what
// `paradox spiking train --out dir` writes for the report: weights.bin
// and train.csv in the documented layout (cmd/paradox/spiking.go).
func spkWriteRun(t *testing.T, dir string, n int, seed uint64) {
	t.Helper()
	tr, err := spiking.NewTrainer(spkTinyParams(), seed)
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	fmt.Fprintf(&csv, "# paradox test\n# command: paradox spiking train --trials %d --seed %d --out %s\n# seed: %d\n# trials: %d\n",
		n, seed, dir, seed, n)
	fmt.Fprintln(&csv, "trial,E,I,up_s,n_ups,spikes_E,spikes_I,WEE,WEI,WIE,WII")
	err = tr.Run(n, nil, func(q spiking.TrialRecord) error {
		fmt.Fprintf(&csv, "%d,%.6g,%.6g,%.4g,%d,%d,%d,%.8g,%.8g,%.8g,%.8g\n", q.Trial, q.E, q.I, q.UpS, q.NUps,
			q.SpikesE, q.SpikesI, q.W.WEE, q.W.WEI, q.W.WIE, q.W.WII)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	if err := spiking.WriteWeights(&w, tr.P, tr.G, tr.W); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"weights.bin": w.Bytes(), "train.csv": csv.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// spkWriteParadox writes a paradox.csv in the layout of `paradox
// spiking paradox` and a small paradox.png.
func spkWriteParadox(t *testing.T, dir, weights string) {
	t.Helper()
	csv := "# paradox test\n# command: paradox spiking paradox --weights " + weights + " --out " + dir + "\n# trials: 2\n" +
		"amp_pA,kept_E,kept_I,base_E,stim_E,base_I,stim_I,drop_I,alive_end\n" +
		"0,2,2,4.1,4.0,10.9,10.7,0.2,2\n2,2,1,4.1,3.6,10.9,9.0,1.9,1\n4,0,0,NaN,NaN,NaN,NaN,NaN,0\n"
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, 15, color.Black)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"paradox.csv": []byte(csv), "paradox.png": b.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// spkSectionReport builds only the spiking section for cfg, in a
// report of its own, as Build would.
func spkSectionReport(t *testing.T, cfg Config) *Report {
	t.Helper()
	prov := provenance.New(nil)
	b := &repBuilder{ctx: context.Background(), cfg: cfg, prof: repProfileFor(cfg.Quick), prov: &prov}
	s := &repSim{b: b, p: model.Default(), seed: cfg.Seed}
	sec, err := s.spikingSection()
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Title: "t", Subtitle: "s", Date: repTestDate, Sections: []Section{sec, b.provenanceSection()}}
	if err := r.check(); err != nil {
		t.Fatal(err)
	}
	return r
}

func spkRender(t *testing.T, r *Report) (html, pdf []byte) {
	t.Helper()
	var hb, pb bytes.Buffer
	if err := WriteHTML(&hb, r); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&pb, r); err != nil {
		t.Fatal(err)
	}
	return hb.Bytes(), pb.Bytes()
}

// TestSpikingSection trains the tiny network for a few trials, writes
// its files and a paradox test's, and checks the section built from
// them: its figures, the comparison with the authors' numbers, the
// paradox table, and the same bytes from the same files.
func TestSpikingSection(t *testing.T) {
	dir := t.TempDir()
	spkWriteRun(t, dir, 4, 3)
	spkWriteParadox(t, dir, filepath.Join(dir, "weights.bin"))
	run, err := LoadSpikingRun(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	par, err := LoadSpikingParadox(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Records) != 4 || run.Meta["seed"] != "3" || len(par.Rows) != 3 || par.Figure == nil {
		t.Fatalf("loaded %d records, seed %q, %d paradox rows, figure %v",
			len(run.Records), run.Meta["seed"], len(par.Rows), par.Figure != nil)
	}
	if run.initialWeights() == nil {
		t.Error("the initial weights were not redrawn from the log's seed")
	}
	cfg := Config{Seed: 5, Quick: true, Spiking: run, SpikingParadox: par, Regenerate: "paradox report --quick"}
	r := spkSectionReport(t, cfg)

	n := r.numbers()
	if len(n.figure) != 5 || len(n.table) != 3 {
		t.Errorf("%d figures and %d tables, want 5 (training, rates, balance, PSTH image, paradox numbers) and 3",
			len(n.figure), len(n.table))
	}
	html, pdf := spkRender(t, r)
	h := unescapeHTML(string(html))
	for _, want := range []string{`id="sim-spiking"`, "Spiking network (Fig. 7)", "174.9 pA", "209.4 pA",
		"the rule's setpoint S_E", "I-rate drop", "the weights of the training run above", ";base64,iVBORw0KGgo", // a PNG
		"spiking.weights_sha256 = " + run.WeightsSHA256} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	html2, pdf2 := spkRender(t, spkSectionReport(t, cfg))
	if !bytes.Equal(html, html2) || !bytes.Equal(pdf, pdf2) {
		t.Error("two sections from the same files and seed differ")
	}

	totext := poppler(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text := runTool(t, totext, "-layout", path, "-")
	for _, want := range []string{"Spiking network (Fig. 7)", "174.9 pA", "Paradoxical effect (Fig. 7I)", "Figure 5."} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

// Without a run the section says how to make one, with the report's own
// command line.
func TestSpikingSectionCommands(t *testing.T) {
	r := spkSectionReport(t, Config{Seed: 1, Regenerate: "paradox report --out r --seed 1"})
	var text strings.Builder
	for _, bl := range r.Sections[0].Blocks {
		switch x := bl.(type) {
		case *Paragraph:
			text.WriteString(x.Text)
		case *Preformatted:
			text.WriteString(x.Text)
		}
	}
	for _, want := range []string{
		"paradox spiking train --preset fig7 --trials 3000 --seed 1 --out out/fig7\n",
		"paradox spiking paradox --weights out/fig7/weights.bin --workers 2 --out out/fig7-paradox\n",
		"paradox report --out r --seed 1 --spiking out/fig7 --spiking-paradox out/fig7-paradox",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("section lacks %q:\n%s", want, text.String())
		}
	}
}

// Logs that are not paradox's, or lack a column, are errors that name
// the file; a log and weights from different runs are flagged.
func TestLoadSpikingRunErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadSpikingRun(dir, ""); err == nil {
		t.Error("empty folder: no error")
	}
	spkWriteRun(t, dir, 2, 1)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("trial,E,I\n0,1,2\n"), 0o644)
	if _, err := LoadSpikingRun(dir, bad); err == nil || !strings.Contains(err.Error(), `no column "up_s"`) {
		t.Errorf("log without up_s: %v", err)
	}
	other := t.TempDir()
	spkWriteRun(t, other, 2, 1)
	run, err := LoadSpikingRun(dir, filepath.Join(other, "train.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if w := spkLogMismatch(run); w != "" {
		t.Errorf("same seed, same run: %s", w)
	}
	run.Records[len(run.Records)-1].W.WEE *= 2
	if w := spkLogMismatch(run); !strings.Contains(w, "WEE") {
		t.Errorf("doubled WEE in the log: warning %q", w)
	}
}

// spkRoundTicks puts a handful of ticks at round values.
func TestSpikingRoundTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 2999, "0 500 1000 1500 2000 2500"},
		{0, 3, "0 1 2 3"},
		{10, 70, "10 20 30 40 50 60 70"},
	} {
		var got []string
		for _, tk := range spkRoundTicks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("lo=%g,hi=%g: got %s, want %s", tc.lo, tc.hi, s, tc.want)
		}
	}
}
