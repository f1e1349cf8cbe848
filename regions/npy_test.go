package regions

import (
	"bufio"
	"bytes"
	"math"
	"testing"
)

func TestNPYRoundTrip(t *testing.T) {
	h := NPYHeader(3, 7)
	if len(h)%64 != 0 {
		t.Fatalf("header length %d is not a multiple of 64", len(h))
	}
	c := Cell{Class: PlasticityUnstable}
	c.Paradoxical = true
	c.NeuralMaxRe, c.NeuralScale = -0.25, 1
	c.PlasticityMaxRe, c.PlasticityScale = 1.5, 2
	buf := AppendNPY(append([]byte(nil), h...), &c)
	rows, nx, err := ReadNPYHeader(bufio.NewReader(bytes.NewReader(buf)))
	if err != nil || rows != 3 || nx != 7 {
		t.Fatalf("shape (%d, %d), %v; want (3, 7)", rows, nx, err)
	}
	rec := DecodeNPY(buf[len(h):])
	if rec.Class != PlasticityUnstable || rec.Flags != FlagParadoxical || rec.NeuralMaxRe != -0.25 || rec.PlasticityMaxRe != 1.5 {
		t.Errorf("got %+v", rec)
	}
	s := Cell{Class: NoFixedPoint}
	s.Singular = true
	if r := DecodeNPY(AppendNPY(nil, &s)); !math.IsNaN(float64(r.NeuralMaxRe)) {
		t.Errorf("singular cell: max Re %v, want NaN", r.NeuralMaxRe)
	}
}
