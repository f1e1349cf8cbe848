package fastrand

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
)

// State is the xoshiro256** state as a value. The zero State is invalid
// (it generates only zeros); make one with NewState.
type State struct {
	s0, s1, s2, s3 uint64
}

// NewState returns the state of stream number stream of seed. Different
// (seed, stream) pairs give unrelated states (SplitMix64 of the seed,
// mixed with the stream number, expands into the four words).
func NewState(seed, stream uint64) State {
	// One SplitMix64 step on the seed, then the stream number mixed in
	// through a second finaliser, so that (seed, k) and (seed+1, k-1) do
	// not share a starting point.
	x := mix64(mix64(seed+golden) ^ (stream * 0xd1342543de82ef95))
	var s State
	s.s0, x = splitmix(x)
	s.s1, x = splitmix(x)
	s.s2, x = splitmix(x)
	s.s3, _ = splitmix(x)
	if s.s0|s.s1|s.s2|s.s3 == 0 {
		s.s0 = golden
	}
	return s
}

const golden = 0x9e3779b97f4a7c15

// splitmix returns the next SplitMix64 output and state (Steele, Lea &
// Flood 2014).
func splitmix(x uint64) (out, next uint64) {
	next = x + golden
	return mix64(next), next
}

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Next returns 64 uniformly distributed bits and the advanced state.
func (s State) Next() (uint64, State) {
	r := bits.RotateLeft64(s.s1*5, 7) * 9
	t := s.s1 << 17
	s.s2 ^= s.s0
	s.s3 ^= s.s1
	s.s1 ^= s.s2
	s.s0 ^= s.s3
	s.s2 ^= t
	s.s3 = bits.RotateLeft64(s.s3, 45)
	return r, s
}

// Float64 returns a uniform deviate in [0, 1) with 53 random bits and the
// advanced state.
func (s State) Float64() (float64, State) {
	u, s := s.Next()
	return float64(u>>11) * 0x1p-53, s
}

// Normal returns a standard normal deviate and the advanced state. About
// 99% of calls take the inlined fast path: one 64-bit draw, one compare
// and one multiply.
func (s State) Normal() (float64, State) {
	u, s := s.Next()
	i := u & (zigN - 1)
	j := u >> 11
	if j < zigK[i] {
		// The sign bit of the draw becomes the sign bit of the result
		// without a branch (a 50% branch would be mispredicted half
		// the time).
		x := math.Float64frombits(math.Float64bits(float64(j)*zigW[i]) ^ (u&zigN)<<55)
		return x, s
	}
	return normalSlow(u, s)
}

// Rand is a generator behind a pointer. It implements math/rand/v2's
// Source.
type Rand struct {
	State
}

// New returns a generator on stream number stream of seed (see
// NewState).
func New(seed, stream uint64) *Rand {
	return &Rand{NewState(seed, stream)}
}

// Uint64 returns 64 uniformly distributed bits.
func (r *Rand) Uint64() uint64 {
	var u uint64
	u, r.State = r.State.Next()
	return u
}

// Float64 returns a uniform deviate in [0, 1).
func (r *Rand) Float64() float64 {
	var x float64
	x, r.State = r.State.Float64()
	return x
}

// Normal returns a standard normal deviate.
func (r *Rand) Normal() float64 {
	var x float64
	x, r.State = r.State.Normal()
	return x
}

// Serialisation.

var magic = [4]byte{'x', 's', '2', '1'}

// StateSize is the length of a serialised state in bytes.
const StateSize = 4 + 4*8

// ErrState is returned when a serialised state is malformed.
var ErrState = errors.New("fastrand: malformed state")

// AppendBinary appends the serialised state to b.
func (s State) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, magic[:]...)
	for _, w := range [4]uint64{s.s0, s.s1, s.s2, s.s3} {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b, nil
}

// MarshalBinary returns the serialised state (StateSize bytes).
func (s State) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(make([]byte, 0, StateSize))
}

// UnmarshalBinary restores a state written by MarshalBinary. It returns
// ErrState for a wrong length, wrong magic bytes or the all-zero state.
func (s *State) UnmarshalBinary(b []byte) error {
	if len(b) != StateSize || [4]byte(b[:4]) != magic {
		return ErrState
	}
	var w [4]uint64
	for k := range w {
		w[k] = binary.LittleEndian.Uint64(b[4+8*k:])
	}
	if w[0]|w[1]|w[2]|w[3] == 0 {
		return ErrState
	}
	*s = State{w[0], w[1], w[2], w[3]}
	return nil
}
