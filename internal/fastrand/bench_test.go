package fastrand

import "testing"

var sink float64

// BenchmarkNormal is the cost of one standard normal through *Rand.
func BenchmarkNormal(b *testing.B) {
	r := New(1, 2)
	var s float64
	for b.Loop() {
		s += r.Normal()
	}
	sink = s
}

// BenchmarkStateNormal is the value form a simulation loop uses.
func BenchmarkStateNormal(b *testing.B) {
	st := NewState(1, 2)
	var s, x float64
	for b.Loop() {
		x, st = st.Normal()
		s += x
	}
	sink = s
}

func BenchmarkUint64(b *testing.B) {
	st := NewState(1, 2)
	var s, u uint64
	for b.Loop() {
		u, st = st.Next()
		s += u
	}
	sink = float64(s)
}
