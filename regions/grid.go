package regions

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Axis is N equally spaced values from Min to Max inclusive.
type Axis struct {
	Min, Max float64
	N        int
}

// At returns the i-th value, Min + (Max − Min) i/(N − 1).
func (a Axis) At(i int) float64 {
	if i == a.N-1 {
		return a.Max
	}
	return a.Min + (a.Max-a.Min)*float64(i)/float64(a.N-1)
}

// Step returns the spacing between neighbouring values.
func (a Axis) Step() float64 { return (a.Max - a.Min) / float64(a.N-1) }

// Validate reports a non-finite, empty or inverted range, or fewer than 2
// points.
func (a Axis) Validate() error {
	switch {
	case !finite(a.Min) || !finite(a.Max):
		return fmt.Errorf("range %g:%g is not finite", a.Min, a.Max)
	case a.Max <= a.Min:
		return fmt.Errorf("range %g:%g is empty or inverted (want MIN < MAX)", a.Min, a.Max)
	case a.N < 2:
		return fmt.Errorf("%d points: want at least 2", a.N)
	}
	return nil
}

func (a Axis) String() string { return fmt.Sprintf("%g:%g:%d", a.Min, a.Max, a.N) }

// ParseAxis parses "MIN:MAX:N" (or "MIN:MAX", keeping def's N) and
// validates it.
func ParseAxis(s string, def Axis) (Axis, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return def, fmt.Errorf("%q: want MIN:MAX:N", s)
	}
	a := def
	var err error
	if a.Min, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil {
		return def, fmt.Errorf("%q: MIN is not a number", s)
	}
	if a.Max, err = strconv.ParseFloat(strings.TrimSpace(parts[1]), 64); err != nil {
		return def, fmt.Errorf("%q: MAX is not a number", s)
	}
	if len(parts) == 3 {
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil {
			return def, fmt.Errorf("%q: N is not an integer", s)
		}
		a.N = n
	}
	if err := a.Validate(); err != nil {
		return def, fmt.Errorf("%q: %w", s, err)
	}
	return a, nil
}

// Grid is the WEE x WIE grid; rows are WIE values, columns WEE values.
type Grid struct {
	WEE, WIE Axis
}

// DefaultGrid is the paper's SI grid: WEE in [0, 10] and WIE in [0, 20],
// 201 x 201 points (analytics.md §7).
func DefaultGrid() Grid {
	return Grid{WEE: Axis{0, 10, 201}, WIE: Axis{0, 20, 201}}
}

// Cells returns the number of cells.
func (g Grid) Cells() int { return g.WEE.N * g.WIE.N }

// Validate validates both axes.
func (g Grid) Validate() error {
	if err := g.WEE.Validate(); err != nil {
		return fmt.Errorf("WEE axis: %w", err)
	}
	if err := g.WIE.Validate(); err != nil {
		return fmt.Errorf("WIE axis: %w", err)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
