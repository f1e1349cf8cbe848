package spiking

import (
	"math"
	"slices"
	"testing"
)

// The ziggurat must give a standard normal: its moments and its CDF are
// checked on 2·10⁶ draws. With n draws the sampling SD of the mean is
// 1/√n ≈ 7·10⁻⁴, of the variance √(2/n) ≈ 10⁻³ and of the kurtosis
// √(24/n) ≈ 3.5·10⁻³; the tolerances are five of those SDs.
func TestNormMoments(t *testing.T) {
	const n = 2_000_000
	x := NewXoshiro(7)
	var m1, m2, m4 float64
	var tail int
	for range n {
		z := x.Norm()
		m1 += z
		m2 += z * z
		m4 += z * z * z * z
		if math.Abs(z) > zigR {
			tail++
		}
	}
	m1 /= n
	m2 /= n
	m4 /= n
	const tolMean, tolVar, tolKurt = 3.5e-3, 5e-3, 1.75e-2
	if math.Abs(m1) > tolMean {
		t.Errorf("mean %g, want 0 ± %g", m1, tolMean)
	}
	if math.Abs(m2-1) > tolVar {
		t.Errorf("variance %g, want 1 ± %g", m2, tolVar)
	}
	if math.Abs(m4/(m2*m2)-3) > tolKurt {
		t.Errorf("kurtosis %g, want 3 ± %g", m4/(m2*m2), tolKurt)
	}
	// P(|Z| > r) = erfc(r/√2) ≈ 2.58·10⁻⁴: the tail path is exercised.
	want := n * math.Erfc(zigR/math.Sqrt2)
	if d := math.Abs(float64(tail) - want); d > 5*math.Sqrt(want) {
		t.Errorf("%d draws beyond %g, want %.0f ± %.0f", tail, zigR, want, 5*math.Sqrt(want))
	}
}

// Kolmogorov-Smirnov distance of 10⁵ draws from Φ; the 0.1% critical
// value is 1.95/√n ≈ 6.2·10⁻³.
func TestNormCDF(t *testing.T) {
	const n = 100_000
	x := NewXoshiro(11)
	z := make([]float64, n)
	for i := range z {
		z[i] = x.Norm()
	}
	slices.Sort(z)
	d := 0.0
	for i, v := range z {
		f := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
	}
	const tolKS = 1.95 / 316.2
	if d > tolKS {
		t.Errorf("KS distance %g, want < %g", d, tolKS)
	}
}

// FillNorm and Norm must consume the stream identically, and a marshalled state must resume it.
func TestXoshiroState(t *testing.T) {
	a, b := NewXoshiro(3), NewXoshiro(3)
	buf := make([]float32, 1000)
	a.FillNorm(buf, 1)
	for i, v := range buf {
		if w := float32(b.Norm()); v != w {
			t.Fatalf("draw %d: FillNorm %v, Norm %v", i, v, w)
		}
	}
	st, _ := a.MarshalBinary()
	c := &Xoshiro{}
	if err := c.UnmarshalBinary(st); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if x, y := a.Uint64(), c.Uint64(); x != y {
			t.Fatalf("after restore, draw %d: %x != %x", i, x, y)
		}
	}
	if err := c.UnmarshalBinary(make([]byte, 32)); err == nil {
		t.Error("all-zero state accepted")
	}
}
