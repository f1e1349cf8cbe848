package multiunit

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/model"
)

// Weights are the weights of a multiunit network: the block matrix
//
//	[WEE WEI]
//	[WIE WII]
//
// of N = NE + NI rows and columns, row-major in W. Row i holds the
// weights onto unit i (postsynaptic) and column j those from unit j
// (presynaptic); E units come first. Entries are magnitudes, as in the
// two-population model: the I columns enter the input with a minus
// sign. The normal initialisation leaves a few entries negative until
// the first update floors them, as the authors' code does.
type Weights struct {
	NE, NI int

	// W is the N×N matrix, W[i*N+j] the weight onto i from j.
	W []float64

	// Conn marks the connections, in the layout of W. nil means all
	// to all without self-connections (the paper's network). Entries
	// of W off the connections are 0 and stay 0.
	Conn []bool
}

// N returns the number of units.
func (w *Weights) N() int { return w.NE + w.NI }

// At returns the weight onto unit i from unit j.
func (w *Weights) At(i, j int) float64 { return w.W[i*w.N()+j] }

// Connected reports whether unit j projects to unit i.
func (w *Weights) Connected(i, j int) bool {
	if w.Conn == nil {
		return i != j
	}
	return w.Conn[i*w.N()+j]
}

// Clone returns a deep copy of w.
func (w *Weights) Clone() *Weights {
	return &Weights{NE: w.NE, NI: w.NI, W: slices.Clone(w.W), Conn: slices.Clone(w.Conn)}
}

// Sums returns the summed incoming weights of unit i from the E units
// (WEEp or WIEp in the authors' code) and from the I units (WEIp or
// WIIp): one dot of the E/I balance scatter of Figs. 5D-E, 6D-E.
func (w *Weights) Sums(i int) (exc, inh float64) {
	n := w.N()
	row := w.W[i*n : i*n+n]
	for _, v := range row[:w.NE] {
		exc += v
	}
	for _, v := range row[w.NE:] {
		inh += v
	}
	return exc, inh
}

// ClassSums returns the mean over postsynaptic units of the summed
// incoming weights of each class: WEEp, WEIp (over E units), WIEp and
// WIIp (over I units). With identical rows they are the weights of the
// two-population model the network reduces to.
func (w *Weights) ClassSums() model.Weights {
	var s model.Weights
	for i := range w.N() {
		e, in := w.Sums(i)
		if i < w.NE {
			s.WEE += e
			s.WEI += in
		} else {
			s.WIE += e
			s.WII += in
		}
	}
	ne, ni := float64(w.NE), float64(w.NI)
	return model.Weights{WEE: s.WEE / ne, WEI: s.WEI / ne, WIE: s.WIE / ni, WII: s.WII / ni}
}

// inputs returns how many E and I units project to unit i.
func (w *Weights) inputs(i int) (ne, ni int) {
	for j := range w.N() {
		if !w.Connected(i, j) {
			continue
		}
		if j < w.NE {
			ne++
		} else {
			ni++
		}
	}
	return ne, ni
}

// Identical returns all-to-all weights whose rows are identical within
// each block, with summed inputs WEE, WEI, WIE and WII: every E→E entry
// is WEE/(NE−1) (no self-connection), every I→E entry WEI/NI, every
// E→I entry WIE/NE and every I→I entry WII/(NI−1). With every unit of a
// population alike, such a network is the two-population model with
// weights sums.
func Identical(ne, ni int, sums model.Weights) *Weights {
	w := &Weights{NE: ne, NI: ni, W: make([]float64, (ne+ni)*(ne+ni))}
	per := [4]float64{
		sums.WEE / float64(ne-1), sums.WEI / float64(ni),
		sums.WIE / float64(ne), sums.WII / float64(ni-1),
	}
	n := ne + ni
	for i := range n {
		for j := range n {
			if i != j {
				w.W[i*n+j] = per[class(i, j, ne)]
			}
		}
	}
	return w
}

// class returns the index (WEE 0, WEI 1, WIE 2, WII 3) of the weight
// onto i from j.
func class(i, j, ne int) int {
	k := 0
	if i >= ne {
		k = 2
	}
	if j >= ne {
		k++
	}
	return k
}

// check returns an error if w does not fit a network of ne and ni units
// or holds a weight that is not finite.
func (w *Weights) check(ne, ni int) error {
	n := ne + ni
	switch {
	case w.NE != ne || w.NI != ni:
		return fmt.Errorf("multiunit: weights for %d E and %d I units, want %d and %d", w.NE, w.NI, ne, ni)
	case len(w.W) != n*n:
		return fmt.Errorf("multiunit: weight matrix has %d entries, want %d×%d", len(w.W), n, n)
	case w.Conn != nil && len(w.Conn) != n*n:
		return fmt.Errorf("multiunit: connection mask has %d entries, want %d×%d", len(w.Conn), n, n)
	}
	for k, v := range w.W {
		if !finite(v) {
			return fmt.Errorf("multiunit: weight onto %d from %d is %v, want a finite number", k/n, k%n, v)
		}
	}
	return nil
}

// WriteCSV writes W as N lines of N comma-separated numbers in full
// precision (strconv 'g', -1), rows postsynaptic, E first: the format
// ReadCSV reads, so that a file round-trips bit for bit.
func (w *Weights) WriteCSV(dst io.Writer) error {
	bw := bufio.NewWriter(dst)
	n := w.N()
	buf := make([]byte, 0, 32)
	for i := range n {
		for j := range n {
			if j > 0 {
				bw.WriteByte(',')
			}
			buf = strconv.AppendFloat(buf[:0], w.W[i*n+j], 'g', -1, 64)
			bw.Write(buf)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ReadCSV reads the initial weights of a network with ne E units from
// the block matrix [WEE WEI; WIE WII] as comma-separated rows, one row
// per postsynaptic unit, E first; columns are presynaptic. Blank lines
// and lines starting with '#' are skipped. The matrix must be square
// with more than ne rows; NI is the rest. The network is all to all:
// zero entries are weights of zero, which the first update raises to
// the floor. Self-connections are dropped: each nonzero diagonal entry
// is set to 0 and reported in warnings. An entry that is not a finite
// number is an error that names its line and column.
func ReadCSV(r io.Reader, ne int) (w *Weights, warnings []error, err error) {
	var rows [][]float64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<26)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		fields := strings.Split(s, ",")
		row := make([]float64, len(fields))
		for k, f := range fields {
			v, perr := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if perr != nil || !finite(v) {
				return nil, nil, fmt.Errorf("multiunit: line %d, column %d: %q is not a finite number", line, k+1, f)
			}
			row[k] = v
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, nil, fmt.Errorf("multiunit: line %d has %d columns, want %d", line, len(row), len(rows[0]))
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("multiunit: %w", err)
	}
	n := len(rows)
	if n == 0 || len(rows[0]) != n || n-ne < 2 || ne < 2 {
		cols := 0
		if n > 0 {
			cols = len(rows[0])
		}
		return nil, nil, fmt.Errorf("multiunit: weight matrix is %d×%d, want square with %d E units and at least 2 I units", n, cols, ne)
	}
	w = &Weights{NE: ne, NI: n - ne, W: make([]float64, 0, n*n)}
	for i, row := range rows {
		if row[i] != 0 {
			warnings = append(warnings, fmt.Errorf("multiunit: self-connection of unit %d (%v) set to 0", i, row[i]))
			row[i] = 0
		}
		w.W = append(w.W, row...)
	}
	return w, warnings, nil
}

// floors returns the least weight of each class onto unit i:
// floor/(number of inputs of that class), the authors' 0.1/79, 0.1/20,
// 0.1/80 and 0.1/19 with 80 E and 20 I units all to all (rate-models.md
// §2). A class without inputs gets +Inf, which no entry uses.
func (w *Weights) floors(i int, floor float64) (fe, fi float64) {
	ne, ni := w.inputs(i)
	return floor / float64(ne), floor / float64(ni)
}

// meanSD returns the mean and the sample standard deviation (n−1, as
// MATLAB's std) of x.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	var ss float64
	for _, v := range x {
		ss += float64((v - mean) * (v - mean))
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
