package spiking

import (
	"encoding/binary"
	"errors"
	"math"
)

// Xoshiro is the xoshiro256++ generator of Blackman and Vigna (2019): a
// 256-bit state, period 2²⁵⁶ − 1, one add and two rotations per output.
// It implements math/rand/v2's Source, and its state can be saved with
// MarshalBinary and restored with UnmarshalBinary, which is what lets a
// training run stop and resume to identical results.
//
// The zero value is not a valid generator; use NewXoshiro.
//
// TODO: internal/fastrand is a second xoshiro generator with ziggurat
// normals (xoshiro256**, used by the rate models). The two were written
// in parallel; moving this package onto fastrand would change every
// spiking random stream, so the trained-network numbers quoted in the
// tests' comments and in the README would have to be measured again.
type Xoshiro struct {
	s [4]uint64
}

// NewXoshiro returns a generator seeded from seed by SplitMix64, as the
// authors of xoshiro recommend. Distinct seeds give unrelated streams.
func NewXoshiro(seed uint64) *Xoshiro {
	x := &Xoshiro{}
	x.Seed(seed)
	return x
}

// Seed resets the state from seed (see NewXoshiro).
func (x *Xoshiro) Seed(seed uint64) {
	for i := range x.s {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		x.s[i] = z ^ (z >> 31)
	}
}

// Uint64 returns the next 64 random bits.
func (x *Xoshiro) Uint64() uint64 {
	s0, s1, s2, s3 := x.s[0], x.s[1], x.s[2], x.s[3]
	r := rotl(s0+s3, 23) + s0
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	s3 = rotl(s3, 45)
	x.s = [4]uint64{s0, s1, s2, s3}
	return r
}

func rotl(x uint64, k uint) uint64 { return x<<k | x>>(64-k) }

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (x *Xoshiro) Float64() float64 {
	return float64(x.Uint64()>>11) * 0x1p-53
}

// MarshalBinary returns the 32-byte state, little-endian.
func (x *Xoshiro) MarshalBinary() ([]byte, error) {
	b := make([]byte, 32)
	for i, v := range x.s {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b, nil
}

// UnmarshalBinary restores a state written by MarshalBinary.
func (x *Xoshiro) UnmarshalBinary(b []byte) error {
	if len(b) != 32 {
		return errors.New("spiking: xoshiro state must be 32 bytes")
	}
	var s [4]uint64
	for i := range s {
		s[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	if s == [4]uint64{} {
		return errors.New("spiking: xoshiro state is all zero")
	}
	x.s = s
	return nil
}

// Ziggurat constants for 256 layers (Marsaglia and Tsang, J. Stat. Softw.
// 5(8), 2000): zigR is the start of the tail, zigV the area of each layer.
const (
	zigN = 256
	zigR = 3.6541528853610088
	zigV = 0.00492867323399
	// zigM is the scale of the 56-bit signed integer drawn per sample.
	zigM = 1 << 55
)

var (
	zigK [zigN]int64   // |j| < zigK[i]: the sample lies inside layer i
	zigW [zigN]float64 // x = j·zigW[i]
	zigF [zigN]float64 // density exp(−x²/2) at the layer edges

	zigW32 [zigN]float32 // zigW in float32, for the inline fast paths
)

func init() {
	dn, tn := zigR, zigR
	q := zigV / math.Exp(-0.5*dn*dn)
	zigK[0] = int64(dn / q * zigM)
	zigK[1] = 0
	zigW[0] = q / zigM
	zigW[zigN-1] = dn / zigM
	zigF[0] = 1
	zigF[zigN-1] = math.Exp(-0.5 * dn * dn)
	for i := zigN - 2; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigV/dn+math.Exp(-0.5*dn*dn)))
		zigK[i+1] = int64(dn / tn * zigM)
		tn = dn
		zigF[i] = math.Exp(-0.5 * dn * dn)
		zigW[i] = dn / zigM
	}
	for i, w := range zigW {
		zigW32[i] = float32(w)
	}
}

// Norm returns a standard normal deviate by the 256-layer ziggurat. One
// 64-bit output is used per sample on the fast path (about 99% of
// draws): the low 8 bits choose the layer and the high 56 bits, as a
// signed integer, give the sign and the abscissa, so the two never share
// bits.
func (x *Xoshiro) Norm() float64 {
	r := x.Uint64()
	i := r & (zigN - 1)
	j := int64(r) >> 8
	if abs64(j) < zigK[i] {
		return float64(j) * zigW[i]
	}
	return x.normSlow(i, j)
}

func abs64(j int64) int64 {
	m := j >> 63
	return (j ^ m) - m
}

// normSlow handles the tail and the wedges of the ziggurat.
func (x *Xoshiro) normSlow(i uint64, j int64) float64 {
	for {
		v := float64(j) * zigW[i]
		if i == 0 {
			// Tail beyond zigR by Marsaglia's method.
			var t float64
			for {
				t = -math.Log(1-x.Float64()) / zigR
				y := -math.Log(1 - x.Float64())
				if y+y >= t*t {
					break
				}
			}
			if j < 0 {
				return -(zigR + t)
			}
			return zigR + t
		}
		if zigF[i]+x.Float64()*(zigF[i-1]-zigF[i]) < math.Exp(-0.5*v*v) {
			return v
		}
		r := x.Uint64()
		i = r & (zigN - 1)
		j = int64(r) >> 8
		if abs64(j) < zigK[i] {
			return float64(j) * zigW[i]
		}
	}
}

// FillNorm fills dst with independent normal deviates scaled by sd. It
// draws exactly what len(dst) calls of Norm would.
func (x *Xoshiro) FillNorm(dst []float32, sd float32) {
	for k := range dst {
		dst[k] = float32(x.Norm()) * sd
	}
}
