package regions

import (
	"context"
	"testing"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

var sinkSummary Summary

func benchMap(b *testing.B, k Classifier, n int) { benchMapWorkers(b, k, n, 0) }

func benchMapWorkers(b *testing.B, k Classifier, n, workers int) {
	g := Grid{WEE: Axis{0, 10, n}, WIE: Axis{0, 20, n}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Run(context.Background(), g, k, Options{Workers: workers}, func([]Cell) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		sinkSummary = s
	}
	b.ReportMetric(float64(b.N)*float64(g.Cells())/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkMapGrid1000 is the fast path over a 1000 x 1000 grid on all
// cores.
func BenchmarkMapGrid1000(b *testing.B) {
	rule := compile(b, "standard", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	benchMap(b, k, 1000)
}

// BenchmarkMapGrid1000Serial is the fast path on one goroutine, for a
// per-core comparison with BenchmarkMatEigen4x4.
func BenchmarkMapGrid1000Serial(b *testing.B) {
	rule := compile(b, "standard", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	benchMapWorkers(b, k, 1000, 1)
}

// BenchmarkMapGrid1000Synscale is the fast path for a family whose
// derivatives depend on the weights (compiled programs per cell).
func BenchmarkMapGrid1000Synscale(b *testing.B) {
	rule := compile(b, "synscale", model.Default(), jacobian.UniformRates(0.02))
	k, _ := jacobian.NewPlaneKernel(rule)
	benchMap(b, k, 1000)
}

// BenchmarkMapEigen100 is the eigenvalue path (gonum mat.Eigen per cell)
// on a 100 x 100 grid, for the cells/s ratio against the fast path.
func BenchmarkMapEigen100(b *testing.B) {
	rule := compile(b, "standard", model.Default(), jacobian.UniformRates(0.02))
	benchMap(b, EigenClassifier{Rule: rule}, 100)
}

var sinkEig []complex128

// BenchmarkMatEigen4x4 is gonum's mat.Eigen on one 4x4 plasticity
// Jacobian per iteration: the per-cell cost the fast path is compared
// with (report cells/s of both from one run).
func BenchmarkMatEigen4x4(b *testing.B) {
	rule := compile(b, "standard", model.Default(), jacobian.UniformRates(0.02))
	p := rule.Params
	pl, err := jacobian.PlasticityAt(rule, p.OnPlane(5, 10), p.Eset, p.Iset)
	if err != nil {
		b.Fatal(err)
	}
	a := make([]float64, 0, 16)
	for k := 0; k < 4; k++ {
		a = append(a, pl.J[k][:]...)
	}
	d := mat.NewDense(4, 4, nil)
	var e mat.Eigen
	sinkEig = make([]complex128, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.SetRawMatrix(blas64.General{Rows: 4, Cols: 4, Stride: 4, Data: append([]float64(nil), a...)})
		if !e.Factorize(d, mat.EigenNone) {
			b.Fatal("no convergence")
		}
		sinkEig = e.Values(sinkEig)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}
