package fastrand

import "math"

// The ziggurat covers the half-normal density f(x) = exp(−x²/2) with
// zigN layers of equal area zigV: a base strip [0, R] × [0, f(R)] plus the
// tail beyond R, and zigN−1 rectangles stacked above it. The constants
// are Marsaglia & Tsang's (2000) for 256 layers.
const (
	zigN = 256
	zigR = 3.6541528853610088
	zigV = 4.92867323399e-3
)

var (
	// zigX[i] is the right edge of layer i; zigX[0] = V/f(R) is the
	// width of the virtual rectangle that stands for the base strip
	// and the tail, zigX[1] = R and zigX[zigN] = 0.
	zigX [zigN + 1]float64
	// zigF[i] = f(zigX[i]).
	zigF [zigN + 1]float64
	// zigK[i] = ⌊2⁵³ zigX[i+1]/zigX[i]⌋: a 53-bit draw below it lies
	// inside the layer below and is accepted at once.
	zigK [zigN]uint64
	// zigW[i] = zigX[i]·2⁻⁵³ scales a 53-bit draw to [0, zigX[i]).
	zigW [zigN]float64
)

func init() {
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	zigX[0] = zigV / f(zigR)
	zigX[1] = zigR
	for i := 1; i < zigN-1; i++ {
		zigX[i+1] = math.Sqrt(-2 * math.Log(f(zigX[i])+zigV/zigX[i]))
	}
	zigX[zigN] = 0
	for i := range zigX {
		zigF[i] = f(zigX[i])
	}
	for i := 0; i < zigN; i++ {
		zigK[i] = uint64(zigX[i+1] / zigX[i] * 0x1p53)
		zigW[i] = zigX[i] * 0x1p-53
	}
}

// normalSlow finishes a draw u that the fast path of Normal rejected:
// the tail for layer 0, the wedge test for the others, and a fresh draw
// when the wedge test fails.
func normalSlow(u uint64, s State) (float64, State) {
	for {
		i := u & (zigN - 1)
		j := u >> 11
		neg := u&zigN != 0
		x := float64(j) * zigW[i]
		if j < zigK[i] {
			// Only reached from the retry at the end of the loop.
			return sign(x, neg), s
		}
		if i == 0 {
			// Tail beyond R (Marsaglia 1964): x = R + e1/R with
			// e1, e2 exponential, accepted when 2 e2 > (e1/R)².
			var u1, u2 uint64
			for {
				u1, s = s.Next()
				u2, s = s.Next()
				a := -math.Log(float64(u1>>11+1)*0x1p-53) / zigR
				b := -math.Log(float64(u2>>11+1) * 0x1p-53)
				if b+b > a*a {
					return sign(zigR+a, neg), s
				}
			}
		}
		// Wedge between layer i and the density.
		var v uint64
		v, s = s.Next()
		y := zigF[i] + float64(float64(v>>11)*0x1p-53*(zigF[i+1]-zigF[i]))
		if y < math.Exp(-0.5*x*x) {
			return sign(x, neg), s
		}
		u, s = s.Next()
	}
}

func sign(x float64, neg bool) float64 {
	if neg {
		return -x
	}
	return x
}
