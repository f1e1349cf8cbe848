package regions

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/paradoxlab/paradox/jacobian"
)

// Options control Run.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.NumCPU().
	Workers int

	// Rows restricts the run to rows [Rows[0], Rows[1]) (a shard); the
	// zero value means every row.
	Rows [2]int

	// Progress, if not nil, is called with the number of rows done and the
	// total, from the goroutine that called Run.
	Progress func(done, total int)
}

// Summary counts the cells of a run by class and flag.
type Summary struct {
	Total       int             `json:"total"`
	Counts      [NumClasses]int `json:"-"`
	Paradoxical int             `json:"paradoxical"`

	// NeuralMarginal and PlasticityMarginal count marginal cells.
	NeuralMarginal     int `json:"neural_marginal"`
	PlasticityMarginal int `json:"plasticity_marginal"`

	// NegativeWEI and NegativeWII count cells whose plane weights are < 0.
	NegativeWEI int `json:"negative_WEI"`
	NegativeWII int `json:"negative_WII"`
}

// Fraction returns the fraction of cells of class c.
func (s *Summary) Fraction(c Class) float64 {
	if s.Total == 0 {
		return 0
	}
	return float64(s.Counts[c]) / float64(s.Total)
}

func (s *Summary) merge(o *Summary) {
	s.Total += o.Total
	for k := range s.Counts {
		s.Counts[k] += o.Counts[k]
	}
	s.Paradoxical += o.Paradoxical
	s.NeuralMarginal += o.NeuralMarginal
	s.PlasticityMarginal += o.PlasticityMarginal
	s.NegativeWEI += o.NegativeWEI
	s.NegativeWII += o.NegativeWII
}

// AddRecord counts a cell decoded from a map's .npy file, with its
// plane weights WEI and WII (recomputed from its coordinates), exactly as
// Run counts the cell itself.
func (s *Summary) AddRecord(r NPYRecord, WEI, WII float64) {
	s.Total++
	s.Counts[r.Class]++
	if r.Flags&FlagParadoxical != 0 {
		s.Paradoxical++
	}
	if r.Flags&FlagNeuralMarginal != 0 {
		s.NeuralMarginal++
	}
	if r.Class != NeuralUnstable && r.Flags&FlagPlasticityMarginal != 0 {
		s.PlasticityMarginal++
	}
	if WEI < 0 {
		s.NegativeWEI++
	}
	if WII < 0 {
		s.NegativeWII++
	}
}

func (s *Summary) add(c *Cell) {
	s.Total++
	s.Counts[c.Class]++
	if c.Paradoxical {
		s.Paradoxical++
	}
	if c.NeuralMarginal() {
		s.NeuralMarginal++
	}
	if c.Class != NeuralUnstable && c.PlasticityMarginal() {
		s.PlasticityMarginal++
	}
	if c.W.WEI < 0 {
		s.NegativeWEI++
	}
	if c.W.WII < 0 {
		s.NegativeWII++
	}
}

// Run classifies every cell of g (or the rows of opt.Rows) with k and
// calls emit once per row, in increasing row order, from the calling
// goroutine. The slice passed to emit is reused once emit returns. Run
// stops at the first error of emit or when ctx is done.
func Run(ctx context.Context, g Grid, k Classifier, opt Options, emit func(row []Cell) error) (Summary, error) {
	var sum Summary
	if err := g.Validate(); err != nil {
		return sum, err
	}
	lo, hi := opt.Rows[0], opt.Rows[1]
	if lo == 0 && hi == 0 {
		hi = g.WIE.N
	}
	if lo < 0 || lo >= hi || hi > g.WIE.N {
		return sum, fmt.Errorf("regions: rows %d-%d are not within the grid's %d rows", lo, hi-1, g.WIE.N)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}

	// Workers take row indices from jobs and send finished rows; the
	// pool bounds the rows in flight to 2 per worker.
	type done struct {
		row   int
		cells []Cell
		sum   Summary
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	results := make(chan done, workers)
	pool := make(chan []Cell, 2*workers)
	for i := 0; i < 2*workers; i++ {
		pool <- make([]Cell, g.WEE.N)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// Take a buffer before a row: the worker holding the
				// next row to emit then always has one, so rows parked
				// in pending cannot starve it.
				var buf []Cell
				select {
				case buf = <-pool:
				case <-ctx.Done():
					return
				}
				r, ok := <-jobs
				if !ok {
					return
				}
				res := done{row: r, cells: buf}
				computeRow(buf, g, k, r, &res.sum)
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for r := lo; r < hi; r++ {
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	// Emit in row order, holding rows that finish early.
	pending := map[int]done{}
	next := lo
	for res := range results {
		pending[res.row] = res
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			sum.merge(&d.sum)
			cells := d.cells
			if err := emit(cells); err != nil {
				cancel()
				return sum, err
			}
			pool <- cells
			next++
			if opt.Progress != nil {
				opt.Progress(next-lo, hi-lo)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	return sum, nil
}

// bufClassifier is a Classifier that writes into the caller's cell with
// caller scratch space, so that a row is classified without allocating
// or copying (*jacobian.PlaneKernel is one).
type bufClassifier interface {
	AtTo(dst *jacobian.Stability, WEE, WIE float64, x *[4]float64)
}

// computeRow fills cells with row r of the grid and counts them in sum.
func computeRow(cells []Cell, g Grid, k Classifier, r int, sum *Summary) {
	WIE := g.WIE.At(r)
	bk, fast := k.(bufClassifier)
	x := new([4]float64)
	for c := range cells {
		cell := &cells[c]
		cell.Row, cell.Col = r, c
		if fast {
			bk.AtTo(&cell.Stability, g.WEE.At(c), WIE, x)
		} else {
			cell.Stability = k.At(g.WEE.At(c), WIE)
		}
		cell.Class = Classify(&cell.Stability)
		sum.add(cell)
	}
}
