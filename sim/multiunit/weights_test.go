package multiunit

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paradoxlab/paradox/model"
)

// TestInitDistributions: the drawn entries have the moments of their
// distribution (rate-models.md §2: mean 0.1, SD 0.04 for the paper's
// normal; U(0, 0.16) for the first commit; our log-normal matches the
// normal's mean and SD), self-connections are 0, and ConnProb keeps that
// fraction of the connections. The 9900 entries give a standard error
// of the mean of 0.04/√9900 = 4e-4; tolMoment is about 5 of those.
func TestInitDistributions(t *testing.T) {
	const tolMoment = 2e-3
	for _, tc := range []struct {
		in       Init
		mean, sd float64
	}{
		{DefaultInit(InitNormal), 0.1, 0.04},
		{DefaultInit(InitUniform), 0.08, 0.16 / math.Sqrt(12)},
		{DefaultInit(InitLogNormal), 0.1, 0.04},
	} {
		t.Run("init="+tc.in.Kind.String(), func(t *testing.T) {
			w, err := tc.in.Draw(80, 20, 44, 0)
			if err != nil {
				t.Fatal(err)
			}
			var x []float64
			for i := range w.N() {
				for j := range w.N() {
					if i == j {
						if w.At(i, j) != 0 {
							t.Fatalf("self-connection of %d: %v", i, w.At(i, j))
						}
						continue
					}
					x = append(x, w.At(i, j))
				}
			}
			m, sd := meanSD(x)
			if math.Abs(m-tc.mean) > tolMoment || math.Abs(sd-tc.sd) > tolMoment {
				t.Errorf("mean %.4f, SD %.4f; want %.4f, %.4f", m, sd, tc.mean, tc.sd)
			}
		})
	}
	in := DefaultInit(InitNormal)
	in.ConnProb = 0.25
	w, err := in.Draw(80, 20, 44, 0)
	if err != nil {
		t.Fatal(err)
	}
	dense, _ := DefaultInit(InitNormal).Draw(80, 20, 44, 0)
	conn := 0
	for i := range w.N() {
		for j := range w.N() {
			switch {
			case w.Connected(i, j):
				conn++
				if w.At(i, j) != dense.At(i, j) {
					t.Fatalf("sparse entry (%d,%d) = %v, dense %v; want the same draw", i, j, w.At(i, j), dense.At(i, j))
				}
			case w.At(i, j) != 0:
				t.Fatalf("absent connection (%d,%d) = %v", i, j, w.At(i, j))
			}
		}
	}
	// Binomial(9900, 0.25): SD 43 connections.
	if math.Abs(float64(conn)-0.25*9900) > 200 {
		t.Errorf("%d connections, want about %v", conn, 0.25*9900)
	}
}

// TestInitCSVRoundTrip: WriteCSV then ReadCSV gives the same bits, and a
// run started from the file is the run started from the drawn weights
// (the --init contract of issue 6).
func TestInitCSVRoundTrip(t *testing.T) {
	w, err := DefaultInit(InitLogNormal).Draw(80, 20, 44, 3)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	r, warnings, err := ReadCSV(strings.NewReader("# made by TestInitCSVRoundTrip\n\n"+text), 80)
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	for k := range w.W {
		if math.Float64bits(r.W[k]) != math.Float64bits(w.W[k]) {
			t.Fatalf("entry %d: read %v, wrote %v", k, r.W[k], w.W[k])
		}
	}
	c := DefaultConfig()
	c.Trials = 2
	rule := mustRule(t, "twoterm", AlphaTwoTerm)
	a, err := Run(context.Background(), c, rule, w, 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), c, rule, r, 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Trials) != fmt.Sprint(b.Trials) {
		t.Errorf("runs differ:\n%v\n%v", a.Trials, b.Trials)
	}
	var again bytes.Buffer
	if err := b.W0.WriteCSV(&again); err != nil || again.String() != text {
		t.Errorf("second write differs (%v)", err)
	}
}

// TestReadCSVErrors: malformed files are refused with the place of the
// fault; self-connections are dropped with a warning.
func TestReadCSVErrors(t *testing.T) {
	ok := Identical(3, 2, model.Weights{WEE: 2, WEI: 1, WIE: 3, WII: 1})
	var buf bytes.Buffer
	ok.WriteCSV(&buf)
	good := buf.String()
	for _, tc := range []struct {
		name, text, err string
	}{
		{"not square", "1,2\n3,4\n5,6\n", "3×2"},
		{"ragged", "0,1,1\n1,0\n", "line 2 has 2 columns"},
		{"nan", strings.Replace(good, "0.5", "NaN", 1), "not a finite number"},
		{"too few I units", "0,1,1\n1,0,1\n1,1,0\n", "at least 2 I units"},
	} {
		if _, _, err := ReadCSV(strings.NewReader(tc.text), 3); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.err)
		}
	}
	diag := "7" + good[1:]
	w, warnings, err := ReadCSV(strings.NewReader(diag), 3)
	if err != nil || len(warnings) != 1 || w.At(0, 0) != 0 {
		t.Errorf("self-connection: got %v, %v; want it dropped with one warning", warnings, err)
	}
}

// TestIdenticalSums: Identical's rows sum to the given weights.
func TestIdenticalSums(t *testing.T) {
	const tolSum = 1e-14
	want := model.Weights{WEE: 5, WEI: 1.52, WIE: 10, WII: 2.25}
	w := Identical(80, 20, want)
	got := w.ClassSums()
	for k, v := range got.Array() {
		if relErr(v, want.Array()[k]) > tolSum {
			t.Errorf("%s: got %v, want %v", model.Names[k], v, want.Array()[k])
		}
	}
}
