package fastrand

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// The first outputs of xoshiro256** from the state (1, 2, 3, 4), worked
// by hand from the algorithm (the first is rotl(2·5, 7)·9 = 11520).
func TestKnownAnswer(t *testing.T) {
	s := State{1, 2, 3, 4}
	want := []uint64{11520, 0, 1509978240}
	for k, w := range want {
		var u uint64
		u, s = s.Next()
		if u != w {
			t.Errorf("output %d: got %d, want %d", k, u, w)
		}
	}
}

// The ziggurat's layers must all have area V; the last one is not forced
// by the recursion, so it checks the constants R and V.
func TestZigguratTables(t *testing.T) {
	const tol = 1e-9
	top := zigX[zigN-1] * (1 - zigF[zigN-1])
	if math.Abs(top-zigV)/zigV > tol {
		t.Errorf("top layer area %v, want %v", top, zigV)
	}
	for i := 1; i < zigN-1; i++ {
		a := zigX[i] * (zigF[i+1] - zigF[i])
		if math.Abs(a-zigV)/zigV > tol {
			t.Fatalf("layer %d area %v, want %v", i, a, zigV)
		}
	}
}

// TestNormalMoments compares sample moments and tail frequencies of 4e6
// draws with those of N(0, 1). Each tolerance is 5 standard errors of
// the statistic for that n, so a correct generator fails with
// probability below 1e-6; the seed is fixed, so the test is repeatable.
func TestNormalMoments(t *testing.T) {
	const n = 4_000_000
	r := New(20240601, 0)
	var s1, s2, s3, s4 float64
	var gt3, gtR, gt45 int
	for range n {
		x := r.Normal()
		x2 := x * x
		s1 += x
		s2 += x2
		s3 += x2 * x
		s4 += x2 * x2
		ax := math.Abs(x)
		if ax > 3 {
			gt3++
		}
		if ax > zigR {
			gtR++
		}
		if ax > 4.5 {
			gt45++
		}
	}
	m := s1 / n
	checks := []struct {
		name      string
		got, want float64
		se        float64
	}{
		{"mean", m, 0, 1 / math.Sqrt(n)},
		{"variance", s2/n - m*m, 1, math.Sqrt(2.0 / n)},
		{"skewness", s3 / n, 0, math.Sqrt(15.0 / n)},
		{"kurtosis", s4 / n, 3, math.Sqrt(96.0 / n)},
		// P(|X| > x) = erfc(x/√2); binomial standard errors.
		{"P(|X|>3)", float64(gt3) / n, math.Erfc(3 / math.Sqrt2), 0},
		{"P(|X|>R)", float64(gtR) / n, math.Erfc(zigR / math.Sqrt2), 0},
		{"P(|X|>4.5)", float64(gt45) / n, math.Erfc(4.5 / math.Sqrt2), 0},
	}
	for _, c := range checks {
		se := c.se
		if se == 0 {
			se = math.Sqrt(c.want * (1 - c.want) / n)
		}
		if math.Abs(c.got-c.want) > 5*se {
			t.Errorf("%s: got %.6g, want %.6g ± %.2g (5 SE)", c.name, c.got, c.want, 5*se)
		}
	}
}

// TestNormalChiSquare bins draws into 100 cells of equal N(0,1)
// probability. The statistic has 99 degrees of freedom (mean 99, SD 14);
// the bound 99 + 5·14 = 169 fails a correct generator with probability
// about 1e-7.
func TestNormalChiSquare(t *testing.T) {
	const n, cells = 1_000_000, 100
	edges := make([]float64, cells-1)
	for k := range edges {
		edges[k] = math.Sqrt2 * math.Erfinv(2*float64(k+1)/cells-1)
	}
	var count [cells]int
	r := New(7, 3)
	for range n {
		x := r.Normal()
		lo, hi := 0, len(edges)
		for lo < hi {
			mid := (lo + hi) / 2
			if x < edges[mid] {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		count[lo]++
	}
	const exp = float64(n) / cells
	var chi2 float64
	for _, c := range count {
		d := float64(c) - exp
		chi2 += d * d / exp
	}
	if chi2 > 169 {
		t.Errorf("chi-square over %d cells: got %.1f, want < 169", cells, chi2)
	}
}

func TestFloat64Range(t *testing.T) {
	r := New(1, 1)
	var s float64
	const n = 1 << 20
	for range n {
		x := r.Float64()
		if x < 0 || x >= 1 {
			t.Fatalf("Float64 = %v, outside [0, 1)", x)
		}
		s += x
	}
	// Mean of U(0,1): 1/2 with SE 1/√(12 n); 5 SE.
	if m := s / n; math.Abs(m-0.5) > 5/math.Sqrt(12*n) {
		t.Errorf("mean %v, want 0.5", m)
	}
}

func TestStreamsDiffer(t *testing.T) {
	seen := map[State]bool{}
	for seed := range uint64(8) {
		for stream := range uint64(8) {
			s := NewState(seed, stream)
			if seen[s] {
				t.Fatalf("NewState(%d, %d) repeats an earlier state", seed, stream)
			}
			seen[s] = true
		}
	}
	// Neighbouring streams are uncorrelated: the correlation of 1e5
	// paired normals is within 5/√n of 0.
	a, b := New(5, 0), New(5, 1)
	const n = 100000
	var sab float64
	for range n {
		sab += a.Normal() * b.Normal()
	}
	if c := sab / n; math.Abs(c) > 5/math.Sqrt(n) {
		t.Errorf("correlation of streams 0 and 1: %v", c)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	r := New(42, 0)
	for range 1000 {
		r.Normal()
	}
	b, err := r.MarshalBinary()
	if err != nil || len(b) != StateSize {
		t.Fatalf("MarshalBinary: %d bytes, %v", len(b), err)
	}
	var want [50]float64
	for k := range want {
		want[k] = r.Normal()
	}
	var q Rand
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	for k := range want {
		if got := q.Normal(); got != want[k] {
			t.Fatalf("draw %d after restore: got %v, want %v", k, got, want[k])
		}
	}
	b2, _ := q.AppendBinary([]byte("x"))
	if !bytes.HasPrefix(b2, []byte("xxs21")) {
		t.Errorf("AppendBinary does not append: %q", b2[:5])
	}
	for _, bad := range [][]byte{nil, b[:10], append([]byte("abcd"), b[4:]...), append(b[:4:4], make([]byte, 32)...)} {
		if err := q.UnmarshalBinary(bad); err != ErrState {
			t.Errorf("UnmarshalBinary(%x): got %v, want ErrState", bad, err)
		}
	}
}

// Rand is a math/rand/v2 Source.
func TestSource(t *testing.T) {
	var _ rand.Source = (*Rand)(nil)
	a, b := rand.New(New(3, 0)), rand.New(New(3, 0))
	for range 100 {
		if x, y := a.IntN(1000), b.IntN(1000); x != y {
			t.Fatalf("same seed, different draws: %d, %d", x, y)
		}
	}
}
