package verify

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"strings"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
)

// lineTol is the relative margin under which a point counts as lying on a
// closed-form line and is left out of a comparison: grid points can fall
// exactly on a border, where rounding decides the side (analytics.md §13
// recommends 1e-9, the same as jacobian.MarginalTol).
const lineTol = 1e-9

// Random-stream constants, one per claim, so that claims draw
// independent numbers from the same seed.
const (
	streamWedge = iota + 1
	streamTonic
	streamCross
	streamTwoTerm
	streamAgreement
)

// wedgeMargins returns the det and trace margins of the neural subsystem
// at the setpoint-plane point (WEE, WIE) (analytics.md §2), positive
// inside the neural-stable wedge, and their scales:
//
//	det:   θI (gE WEE − 1) − gE θE' WIE > 0
//	trace: WIE − θI/Eset − τI Iset/(τE gI Eset) (gE WEE − 1) > 0
func wedgeMargins(p model.Params, x, y float64) (det, detScale, tr, trScale float64) {
	a := p.GE*x - 1
	thE := p.ThetaEEff()
	det = p.ThetaI*a - p.GE*thE*y
	detScale = math.Abs(p.ThetaI*a) + math.Abs(p.GE*thE*y)
	k := p.TauI * p.Iset / (p.TauE * p.GI * p.Eset)
	tr = y - p.ThetaI/p.Eset - k*a
	trScale = math.Abs(y) + math.Abs(p.ThetaI/p.Eset) + math.Abs(k*a)
	return det, detScale, tr, trScale
}

// neuralByEigen returns whether the Up state at w is stable by the
// eigenvalues of the neural Jacobian (not by Routh-Hurwitz), and whether
// the largest real part is marginal.
func neuralByEigen(p model.Params, w model.Weights) (stable, marginal bool) {
	n := jacobian.NeuralStability(p, w)
	re := math.Max(real(n.Eigenvalues[0]), real(n.Eigenvalues[1]))
	scale := math.Max(cmplx.Abs(n.Eigenvalues[0]), cmplx.Abs(n.Eigenvalues[1]))
	return re < 0, math.Abs(re) <= jacobian.MarginalTol*scale
}

// wedgeTip is where the det and trace lines meet (analytics.md §2: at
// (1.9865, 5.138) for the defaults).
func wedgeTip(p model.Params) (x, y float64) {
	k := p.TauI * p.Iset / (p.TauE * p.GI * p.Eset)
	thE := p.ThetaEEff()
	a := p.GE * thE * p.ThetaI / p.Eset / (p.ThetaI - p.GE*thE*k)
	return (a + 1) / p.GE, p.ThetaI/p.Eset + k*a
}

func checkNeuralWedge(ctx context.Context, env *Env) Outcome {
	p := model.Default()
	b := paperBox(env.Profile.Grid)
	var total, stable, mismatch, onLine int
	minX := math.Inf(1)
	var bad []string
	compare := func(p model.Params, x, y float64) bool {
		dm, ds, tm, ts := wedgeMargins(p, x, y)
		got, marginal := neuralByEigen(p, p.OnPlane(x, y))
		if marginal || math.Abs(dm) <= lineTol*ds || math.Abs(tm) <= lineTol*ts {
			onLine++
			return got
		}
		if want := dm > 0 && tm > 0; got != want {
			mismatch++
			if len(bad) < 3 {
				bad = append(bad, fmt.Sprintf("(%g, %g) at %+v: eigenvalues say stable=%v, lines say %v", x, y, p, got, want))
			}
		}
		return got
	}
	err := b.each(ctx, func(x, y float64) {
		total++
		if compare(p, x, y) {
			stable++
			minX = math.Min(minX, x)
		}
	})
	if err != nil {
		return errorf("%v", err)
	}
	gridMismatch := mismatch

	// Random model constants and points, the same comparison.
	rnd := newRand(env.Seed, streamWedge)
	nRandom := env.Profile.Samples * env.Profile.SamplePoints
	for i := 0; i < nRandom; i++ {
		q := randomParams(rnd)
		compare(q, 20*rnd.Float64(), 40*rnd.Float64())
	}

	area := frac(stable, total)
	tipX, tipY := wedgeTip(p)
	step := 10.0 / float64(b.N-1)
	ok := mismatch == 0 && math.Abs(area-0.465) <= 0.005 && minX >= tipX && minX-tipX <= step+1e-12
	o := Outcome{
		Verdict: verdictOf(ok),
		Measured: fmt.Sprintf("%d mismatches in %d grid cells + %d random points; area %s of the box; tip at WEE %.4g",
			mismatch, total, nRandom, pct(area), tipX),
		Expected: "0 mismatches; area 46.5 % (±0.5); tip (1.9865, 5.138)",
		Details: []string{
			"stability by the eigenvalues of the neural Jacobian, compared with the closed-form det and trace lines",
			fmt.Sprintf("grid %s: %d neural-stable, %d mismatches; leftmost stable column WEE = %.4g (tip by the lines (%.5g, %.5g))",
				b, stable, gridMismatch, minX, tipX, tipY),
			fmt.Sprintf("random: %d points, model constants drawn as in jacobian's tests (Iext ∈ [−5, 15]), WEE ∈ [0, 20], WIE ∈ [0, 40]", nRandom),
			fmt.Sprintf("%d points within %g of a line or marginal, left out", onLine, lineTol),
		},
		Values: map[string]float64{"mismatches": float64(mismatch), "area_fraction": area, "tip_WEE": tipX, "tip_WIE": tipY},
	}
	o.Details = append(o.Details, bad...)
	return o
}

func checkStableParadoxical(ctx context.Context, env *Env) Outcome {
	var stable, violations int
	var bad []string
	// Grids: the standard rule's kernel gives the neural verdict; the
	// rule plays no part in it.
	for _, iext := range []float64{-4, 0, 2.4, 4.7} {
		p := model.Default()
		p.Iext = iext
		k, err := env.kernel("standard", p, jacobian.UniformRates(0.02))
		if err != nil {
			return errorf("%v", err)
		}
		err = paperBox(env.Profile.Grid).each(ctx, func(x, y float64) {
			s := k.At(x, y)
			if y <= 0 || !s.NeuralStable() {
				return
			}
			stable++
			if !s.Paradoxical {
				violations++
				if len(bad) < 3 {
					bad = append(bad, fmt.Sprintf("Iext=%g: (%g, %g) stable and not paradoxical", iext, x, y))
				}
			}
		})
		if err != nil {
			return errorf("%v", err)
		}
	}
	gridStable := stable

	// Random constants with Iext < θE and random positive weights, off
	// the setpoint plane: every stable Up state must have gE WEE > 1.
	rnd := newRand(env.Seed, streamTonic)
	n := env.Profile.Samples * env.Profile.SamplePoints * 4
	for i := 0; i < n; i++ {
		p := randomParams(rnd)
		p.Iext = p.ThetaE - (0.01 + 10*rnd.Float64())
		w := model.Weights{WEE: 10 * rnd.Float64(), WEI: 10 * rnd.Float64(), WIE: 10 * rnd.Float64(), WII: 10 * rnd.Float64()}
		fps := jacobian.FixedPoints(p, w)
		if len(fps) == 0 || !fps[0].ActiveE || !fps[0].ActiveI {
			continue
		}
		if ok, _ := neuralByEigen(p, w); !ok {
			continue
		}
		stable++
		if !jacobian.Paradoxical(p, w.WEE) {
			violations++
			if len(bad) < 3 {
				bad = append(bad, fmt.Sprintf("%v at %+v: stable Up state, not paradoxical", w, p))
			}
		}
	}

	// Control: with Iext = 8 > θE non-paradoxical stable states exist
	// (analytics.md §6), so the count above can be non-zero.
	var control []string
	controlTotal := 0
	for _, ge := range []float64{1, 0.5} {
		p := model.Default()
		p.GE, p.Iext = ge, 8
		k, err := env.kernel("standard", p, jacobian.UniformRates(0.02))
		if err != nil {
			return errorf("%v", err)
		}
		c := 0
		paperBox(env.Profile.Grid).each(ctx, func(x, y float64) {
			if s := k.At(x, y); s.NeuralStable() && !s.Paradoxical && positive(s.W) {
				c++
			}
		})
		controlTotal += c
		control = append(control, fmt.Sprintf("gE=%g: %d", ge, c))
	}
	ok := violations == 0 && controlTotal > 0
	o := Outcome{
		Verdict:  verdictOf(ok),
		Measured: fmt.Sprintf("%d of %d stable states non-paradoxical; control Iext = 8: %s cells", violations, stable, strings.Join(control, ", ")),
		Expected: "0 with Iext < θE; > 0 with Iext = 8 > θE",
		Details: []string{
			fmt.Sprintf("grids %s on the setpoint plane at Iext = −4, 0, 2.4, 4.7 (θE = 4.8): %d neural-stable cells with WIE > 0", paperBox(env.Profile.Grid), gridStable),
			fmt.Sprintf("random: %d draws of model constants with Iext ∈ [θE − 10, θE − 0.01] and weights in [0, 10]⁴ off the plane; %d have a stable Up state", n, stable-gridStable),
			"proof (analytics.md §3): C > 0 and I* > 0 need a θI > gE θE' WIE > 0, so a = gE WEE − 1 > 0",
		},
		Values: map[string]float64{"violations": float64(violations), "stable_states": float64(stable), "control_nonparadoxical": float64(controlTotal)},
	}
	o.Details = append(o.Details, bad...)
	return o
}

func checkStandardOverlap(ctx context.Context, env *Env) Outcome {
	p := model.Default()
	k, err := env.kernel("standard", p, jacobian.UniformRates(0.02))
	if err != nil {
		return errorf("%v", err)
	}
	b := paperBox(env.Profile.Grid)
	var total, stable, outside int
	minX := math.Inf(1)
	err = b.each(ctx, func(x, y float64) {
		total++
		s := k.At(x, y)
		if regions.Classify(&s) != regions.Stable {
			return
		}
		stable++
		minX = math.Min(minX, x)
		// The wedge of analytics.md §5.1: above 2.8 WEE + 2.2.
		if y < 2.8*x+2.2-1e-9 {
			outside++
		}
	})
	if err != nil {
		return errorf("%v", err)
	}
	f := frac(stable, total)
	const tip = 7.4 / 2.40833 // where 2.8 WEE + 2.2 meets the det line 5.2083 (WEE − 1)
	ok := math.Abs(f-0.035) <= 0.003 && minX >= tip && outside == 0
	return Outcome{
		Verdict:  verdictOf(ok),
		Measured: fmt.Sprintf("%s of the box; stable from WEE = %.3g", pct(f), minX),
		Expected: "3.5 % (±0.3), a wedge for WEE > 3.08",
		Details: []string{
			fmt.Sprintf("grid %s, all rates 0.02: %d of %d cells both-stable, %d below the border 2.8 WEE + 2.2", b, stable, total, outside),
			"the SI calls this \"little overlap\"; the Homeostatic notebook's \"unstable for any choice of weights\" is contradicted (analytics.md §12.2)",
		},
		Values: map[string]float64{"area_fraction": f, "min_WEE": minX},
	}
}

func checkStandardRatio20(ctx context.Context, env *Env) Outcome {
	p := model.Default()
	b := paperBox(env.Profile.Dense)
	const aI = 0.02
	var details []string
	values := map[string]float64{}
	ok := true
	var meas []string
	for _, ratio := range []float64{20, 100, 1000, 19.9, 19} {
		k, err := env.kernel("standard", p, eiRates(ratio*aI, aI))
		if err != nil {
			return errorf("%v", err)
		}
		t, err := countCells(ctx, b, k)
		if err != nil {
			return errorf("%v", err)
		}
		unstable := t.Neural - t.Stable
		values[fmt.Sprintf("unstable_ratio_%g", ratio)] = float64(unstable)
		line := fmt.Sprintf("aE/aI = %g: %d of %d neural-stable cells plasticity-unstable", ratio, unstable, t.Neural)
		if ratio >= 20 {
			ok = ok && unstable == 0
			meas = append(meas, fmt.Sprintf("%g: %d", ratio, unstable))
			details = append(details, line)
			continue
		}
		// Below 20: the sliver between the trace line and the
		// plasticity border at WEE = 9, and a point inside it.
		gap, probe, err := ratioSliver(k, 9)
		if err != nil {
			return errorf("aE/aI = %g: %v", ratio, err)
		}
		values[fmt.Sprintf("sliver_ratio_%g", ratio)] = gap
		ok = ok && gap > 0 && probe
		meas = append(meas, fmt.Sprintf("%g: %d (sliver %.2g)", ratio, unstable, gap))
		details = append(details, fmt.Sprintf("%s; at WEE = 9 the sliver between the trace line and the plasticity border is %.3g wide in WIE, its midpoint neural-stable and plasticity-unstable: %v",
			line, gap, probe))
	}
	details = append(details, fmt.Sprintf("grid %s; aEE = aEI = ratio·0.02, aIE = aII = 0.02", b),
		"analytics.md §5.1 (ii): gE SE/(gI SI) ≥ τE/τI makes the plasticity condition weaker than the neural trace condition")
	return Outcome{
		Verdict:  verdictOf(ok),
		Measured: "unstable cells at aE/aI " + strings.Join(meas, ", "),
		Expected: "0 at aE/aI ≥ 20; > 0 (a sliver) just below 20",
		Details:  details,
		Values:   values,
	}
}

// ratioSliver returns the width in WIE, at the given WEE, of the strip
// between the neural trace line and the plasticity border, and whether
// its midpoint is neural-stable and plasticity-unstable. Both borders are
// located by bisection on the largest real parts over WIE ∈ (5, 20].
func ratioSliver(k *jacobian.PlaneKernel, x float64) (gap float64, probe bool, err error) {
	yt, ok := bisect(func(y float64) float64 { s := k.At(x, y); return s.NeuralMaxRe }, 5.001, 20, 1e-12)
	if !ok {
		return 0, false, fmt.Errorf("no trace line at WEE = %g", x)
	}
	yp, ok := bisect(func(y float64) float64 { s := k.At(x, y); return s.PlasticityMaxRe }, 5.001, 20, 1e-12)
	if !ok {
		return 0, false, fmt.Errorf("no plasticity border at WEE = %g", x)
	}
	gap = yp - yt
	if gap > 0 {
		s := k.At(x, yt+gap/2)
		probe = s.NeuralStable() && !s.PlasticityStable()
	}
	return gap, probe, nil
}

// paradoxicalSets are the parameter sets of the paper's region plots: the
// paradoxical (self-sustained) set and the non-paradoxical one of the
// -with Iext notebooks, gE = 0.5 and Iext = 8 (analytics.md §1).
func paradoxicalSets() []struct {
	name string
	p    model.Params
} {
	np := model.Default()
	np.GE, np.Iext = 0.5, 8
	return []struct {
		name string
		p    model.Params
	}{{"gE=1, Iext=0", model.Default()}, {"gE=0.5, Iext=8", np}}
}

// traceBorderWEE returns the WEE at which C·tr K = 0 at the given WIE:
// the plasticity (A) border of the notebooks, continuous across C = 0.
// For the standard rule C·tr K = a gI SI − b gE SE is affine in WEE, so
// the root is unique.
func traceBorderWEE(k *jacobian.PlaneKernel, y float64) (float64, bool) {
	f := func(x float64) float64 { s := k.At(x, y); return s.C * s.PlasticityTrace }
	return bisect(f, -1e4, 1e4, 1e-12)
}

func checkSlowELimit(ctx context.Context, env *Env) Outcome {
	ratios := []float64{1e-1, 1e-2, 1e-3, 1e-4}
	ok := true
	var details, meas []string
	values := map[string]float64{}
	for _, set := range paradoxicalSets() {
		for _, y := range []float64{10, 18} {
			prev := math.Inf(1)
			var ds []string
			for _, r := range ratios {
				if err := ctx.Err(); err != nil {
					return errorf("%v", err)
				}
				k, err := env.kernel("standard", set.p, eiRates(r*0.02, 0.02))
				if err != nil {
					return errorf("%v", err)
				}
				x, found := traceBorderWEE(k, y)
				if !found {
					ok = false
					ds = append(ds, "none")
					continue
				}
				d := math.Abs(x - 1/set.p.GE)
				ok = ok && d < prev
				prev = d
				ds = append(ds, fmt.Sprintf("%.2g", d))
			}
			ok = ok && prev <= 1e-3
			values[fmt.Sprintf("distance_%s_WIE%g", strings.ReplaceAll(set.name, ", ", "_"), y)] = prev
			details = append(details, fmt.Sprintf("%s, WIE = %g: |WEE_border − 1/gE| = %s for aE/aI = %v", set.name, y, strings.Join(ds, ", "), ratios))
			if y == 10 {
				meas = append(meas, fmt.Sprintf("%s: %s", set.name, strings.Join(ds, " → ")))
			}
		}
	}
	details = append(details, "border: the zero of C·tr K along WEE (the notebooks' A border); aIE = aII = 0.02")
	return Outcome{
		Verdict:  verdictOf(ok),
		Measured: "distance to gE·WEE = 1 at WIE = 10: " + strings.Join(meas, "; "),
		Expected: "→ 0 as aE/aI → 0 (≤ 1e-3 at 1e-4)",
		Details:  details,
		Values:   values,
	}
}

// family sweeps of the "any parameters" claims.
var (
	sweepRates = []struct {
		name string
		r    jacobian.Rates
	}{
		{"all 0.02", jacobian.UniformRates(0.02)},
		{"aE = 100 aI", eiRates(2, 0.02)},
		{"aE = aI/100", eiRates(0.0002, 0.02)},
		{"mixed", jacobian.Rates{A: [4]float64{0.02, 1e-4, 3e-3, 0.05}, H: [4]float64{1e-3, 0.04, 2e-4, 0.01}}},
	}
	sweepIext = []float64{-3, 0, 8}
)

// sweepParams returns the default constants with Iext and gE varied.
func sweepParams() []model.Params {
	var ps []model.Params
	for _, iext := range sweepIext {
		for _, ge := range []float64{1, 0.5} {
			p := model.Default()
			p.Iext, p.GE = iext, ge
			ps = append(ps, p)
		}
	}
	return ps
}

// wideBox is twice the paper's box in each direction.
func wideBox(n int) box {
	return box{WEE: [2]float64{0, 20}, WIE: [2]float64{0, 40}, N: n}
}

// anyParams checks a property of the plasticity verdict over sweeps of
// model constants and rates on the wide grid (plane kernel) and over
// random draws (full 4x4 Jacobian and gonum's eigenvalues). applies says
// where the property is claimed; holds tests it on the kernel's
// stability or the slow path's.
type anyParams struct {
	family  string
	stream  uint64
	applies func(s *jacobian.Stability) bool
	holds   func(s *jacobian.Stability) bool
}

type anyCount struct {
	gridCells, gridBad, randCells, randBad int
	bad                                    []string
}

func (a anyParams) run(ctx context.Context, env *Env) (anyCount, error) {
	var c anyCount
	note := func(what string) {
		if len(c.bad) < 3 {
			c.bad = append(c.bad, what)
		}
	}
	b := wideBox(env.Profile.Grid)
	for _, p := range sweepParams() {
		for _, sr := range sweepRates {
			k, err := env.kernel(a.family, p, sr.r)
			if err != nil {
				return c, err
			}
			err = b.each(ctx, func(x, y float64) {
				s := k.At(x, y)
				if s.Singular || !a.applies(&s) {
					return
				}
				c.gridCells++
				if !a.holds(&s) {
					c.gridBad++
					note(fmt.Sprintf("(%g, %g), gE=%g Iext=%g, rates %s: tr K %.3g, det K %.3g", x, y, p.GE, p.Iext, sr.name, s.PlasticityTrace, s.PlasticityDet))
				}
			})
			if err != nil {
				return c, err
			}
		}
	}
	rnd := newRand(env.Seed, a.stream)
	for i := 0; i < env.Profile.Samples; i++ {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		p, r := randomParams(rnd), randomRates(rnd)
		rule, err := env.compile(a.family, p, r)
		if err != nil {
			return c, err
		}
		for j := 0; j < env.Profile.SamplePoints; j++ {
			x, y := 20*rnd.Float64(), 40*rnd.Float64()
			s, err := jacobian.Eigen(rule, x, y)
			if err != nil {
				return c, err
			}
			if s.Singular || !a.applies(&s) {
				continue
			}
			c.randCells++
			if !a.holds(&s) {
				c.randBad++
				note(fmt.Sprintf("random (%g, %g) at %+v, rates %v: tr K %.3g, det K %.3g", x, y, p, r, s.PlasticityTrace, s.PlasticityDet))
			}
		}
	}
	return c, nil
}

func (c anyCount) details(what string, env *Env) []string {
	d := []string{
		fmt.Sprintf("grid %s for every combination of Iext ∈ %v, gE ∈ {1, 0.5} and rates {all 0.02; aE = 100 aI; aE = aI/100; mixed}: %d cells where %s, %d violations",
			wideBox(env.Profile.Grid), sweepIext, c.gridCells, what, c.gridBad),
		fmt.Sprintf("random: %d draws of model constants (jacobian's test ranges, Iext ∈ [−5, 15]) and of all eight rates (log-uniform in [1e-4, 0.1]) at %d points each, by the full 4x4 Jacobian and gonum's eigenvalues: %d points where %s, %d violations",
			env.Profile.Samples, env.Profile.SamplePoints, c.randCells, what, c.randBad),
	}
	return append(d, c.bad...)
}

func checkCrossStable(ctx context.Context, env *Env) Outcome {
	a := anyParams{
		family: "cross", stream: streamCross,
		applies: func(s *jacobian.Stability) bool { return s.C > 0 && s.W.WEI > 0 && s.W.WIE > 0 },
		holds:   func(s *jacobian.Stability) bool { return s.PlasticityStable() },
	}
	c, err := a.run(ctx, env)
	if err != nil {
		return errorf("%v", err)
	}
	bad := c.gridBad + c.randBad
	return Outcome{
		Verdict:  verdictOf(bad == 0 && c.gridCells > 0 && c.randCells > 0),
		Measured: fmt.Sprintf("%d unstable of %d grid cells and %d random points", bad, c.gridCells, c.randCells),
		Expected: "0 (tr K = −gE gI (WEI SI + WIE SE)/C < 0, det K > 0)",
		Details:  c.details("C > 0, WEI > 0 and WIE > 0", env),
		Values:   map[string]float64{"violations": float64(bad), "grid_cells": float64(c.gridCells), "random_points": float64(c.randCells)},
	}
}

func checkTwoTermDet(ctx context.Context, env *Env) Outcome {
	a := anyParams{
		family: "twoterm", stream: streamTwoTerm,
		applies: func(s *jacobian.Stability) bool { return s.C > 0 },
		holds:   func(s *jacobian.Stability) bool { return s.PlasticityDet > 0 },
	}
	c, err := a.run(ctx, env)
	if err != nil {
		return errorf("%v", err)
	}
	bad := c.gridBad + c.randBad
	return Outcome{
		Verdict:  verdictOf(bad == 0 && c.gridCells > 0 && c.randCells > 0),
		Measured: fmt.Sprintf("det K ≤ 0 at %d of %d grid cells and %d random points", bad, c.gridCells, c.randCells),
		Expected: "0 (det K = gE gI [SE(h) SI(h) + SE(c) SI(c)]/C)",
		Details:  c.details("C > 0", env),
		Values:   map[string]float64{"violations": float64(bad), "grid_cells": float64(c.gridCells), "random_points": float64(c.randCells)},
	}
}

// siEq10 returns the margin of SI Eq. 10, the two-term trace condition
// with one α on the cross terms and one β on the homeostatic terms,
// positive where it holds, and the line WIE = s WEE + c below which it
// fails:
//
//	(Is α + Es β) gE WIE > (Is β − Es α) gE WEE + (θE' gE + Es) α + (θI gE − Is) β
func siEq10(p model.Params, alpha, beta, x, y float64) (m, scale, s, c float64) {
	es, is, ge := p.Eset, p.Iset, p.GE
	lhs := (is*alpha + es*beta) * ge * y
	t1 := (is*beta - es*alpha) * ge * x
	t2 := (p.ThetaEEff()*ge + es) * alpha
	t3 := (p.ThetaI*ge - is) * beta
	den := (is*alpha + es*beta) * ge
	return lhs - t1 - t2 - t3, math.Abs(lhs) + math.Abs(t1) + math.Abs(t2) + math.Abs(t3),
		(is*beta - es*alpha) * ge / den, (t2 + t3) / den
}

func checkTwoTermTrace(ctx context.Context, env *Env) Outcome {
	p := model.Default()
	b := paperBox(env.Profile.Grid)
	var mismatch, onLine int
	var meas, details []string
	values := map[string]float64{}
	for _, ab := range [][2]float64{{0.02, 0.02}, {0.02, 0.005}, {0.002, 0.02}, {0.0002, 0.02}} {
		k, err := env.kernel("twoterm", p, twoTermRates(ab[0], ab[1]))
		if err != nil {
			return errorf("%v", err)
		}
		var neural, fails int
		var sl, ic float64
		err = b.each(ctx, func(x, y float64) {
			s := k.At(x, y)
			if s.Singular {
				return
			}
			m, scale, slope, icpt := siEq10(p, ab[0], ab[1], x, y)
			sl, ic = slope, icpt
			if math.Abs(m) <= lineTol*scale || s.PlasticityMarginal() {
				onLine++
			} else if (s.C*s.PlasticityTrace < 0) != (m > 0) {
				mismatch++
			}
			if s.NeuralStable() && positive(s.W) {
				neural++
				if s.PlasticityTrace >= 0 {
					fails++
				}
			}
		})
		if err != nil {
			return errorf("%v", err)
		}
		f := frac(fails, neural)
		values[fmt.Sprintf("trace_fails_%g_%g", ab[0], ab[1])] = f
		meas = append(meas, fmt.Sprintf("%g/%g: %s", ab[0], ab[1], pct(f)))
		details = append(details, fmt.Sprintf("α = %g, β = %g: fails below WIE = %.4g WEE %+.4g, on %d of %d neural-stable cells with positive weights",
			ab[0], ab[1], sl, ic, fails, neural))
	}
	details = append(details,
		fmt.Sprintf("grid %s; α on the cross terms (aXX), β on the homeostatic terms (hXX); %d mismatches between tr K and SI Eq. 10, %d cells on a line left out", b, mismatch, onLine))
	values["mismatches"] = float64(mismatch)
	return Outcome{
		Verdict:  verdictOf(mismatch == 0),
		Measured: fmt.Sprintf("Eq. 10 vs tr K: %d mismatches; trace fails on (α/β) %s of the neural-stable region", mismatch, strings.Join(meas, ", ")),
		Expected: "0 mismatches (SI Eq. 10 exact); failures reported",
		Details:  details,
		Values:   values,
	}
}

// synscaleFraction returns the fraction of the neural-stable region with
// positive weights that is plasticity stable for synaptic scaling at r.
func synscaleFraction(ctx context.Context, env *Env, r jacobian.Rates) (float64, tally, error) {
	k, err := env.kernel("synscale", model.Default(), r)
	if err != nil {
		return 0, tally{}, err
	}
	t, err := countCells(ctx, paperBox(env.Profile.Grid), k)
	return frac(t.StablePos, t.NeuralPos), t, err
}

// synscaleDetails reports the S11 settings besides the claimed one.
func synscaleDetails(ctx context.Context, env *Env) ([]string, error) {
	d := []string{"\"stable\" means plasticity stable on ≥ 90 % and \"unstable\" on ≤ 10 % of the neural-stable cells with positive weights of the box"}
	for _, s := range []struct {
		name string
		r    jacobian.Rates
	}{
		{"equal rates 0.02 (S11 top)", jacobian.UniformRates(0.02)},
		{"aI = aE/10 (S11 middle)", eiRates(0.02, 0.002)},
		{"aI = aE/100", eiRates(0.02, 0.0002)},
		{"aE = aI/10 (S11 bottom)", eiRates(0.002, 0.02)},
	} {
		f, t, err := synscaleFraction(ctx, env, s.r)
		if err != nil {
			return nil, err
		}
		d = append(d, fmt.Sprintf("%s: %s (%d of %d cells)", s.name, pct(f), t.StablePos, t.NeuralPos))
	}
	return d, nil
}

func checkSynscaleEqual(ctx context.Context, env *Env) Outcome {
	f, _, err := synscaleFraction(ctx, env, jacobian.UniformRates(0.02))
	if err != nil {
		return errorf("%v", err)
	}
	d, err := synscaleDetails(ctx, env)
	if err != nil {
		return errorf("%v", err)
	}
	return Outcome{
		Verdict:  verdictOf(f <= 0.10),
		Measured: fmt.Sprintf("plasticity stable on %s of the neural-stable region", pct(f)),
		Expected: "≤ 10 %",
		Details:  d,
		Values:   map[string]float64{"stable_fraction": f},
	}
}

func checkSynscaleSlowI(ctx context.Context, env *Env) Outcome {
	f, _, err := synscaleFraction(ctx, env, eiRates(0.02, 0.002))
	if err != nil {
		return errorf("%v", err)
	}
	d, err := synscaleDetails(ctx, env)
	if err != nil {
		return errorf("%v", err)
	}
	return Outcome{
		Verdict:  verdictOf(f >= 0.90),
		Measured: fmt.Sprintf("plasticity stable on %s of the neural-stable region", pct(f)),
		Expected: "≥ 90 %",
		Details:  d,
		Values:   map[string]float64{"stable_fraction": f},
	}
}

func checkStandardBorderIext(ctx context.Context, env *Env) Outcome {
	iexts := []float64{-4, 0, 4, 8, 12}
	var maxShift float64
	n := 0
	var details []string
	for _, ge := range []float64{1, 0.5} {
		for _, rs := range []struct {
			name string
			r    jacobian.Rates
		}{{"all 0.02", jacobian.UniformRates(0.02)}, {"aE = aI/100", eiRates(0.0002, 0.02)}, {"aE = 100 aI", eiRates(2, 0.02)}} {
			for _, y := range []float64{8, 12, 16} {
				if err := ctx.Err(); err != nil {
					return errorf("%v", err)
				}
				var xs []float64
				for _, iext := range iexts {
					p := model.Default()
					p.GE, p.Iext = ge, iext
					k, err := env.kernel("standard", p, rs.r)
					if err != nil {
						return errorf("%v", err)
					}
					x, ok := traceBorderWEE(k, y)
					if !ok {
						return Outcome{Verdict: Fail, Measured: "no border", Expected: "a border independent of Iext",
							Details: []string{fmt.Sprintf("gE=%g, %s, WIE=%g, Iext=%g: C·tr K does not change sign for WEE ∈ [−1e4, 1e4]", ge, rs.name, y, iext)}}
					}
					xs = append(xs, x)
				}
				for _, x := range xs[1:] {
					maxShift = math.Max(maxShift, math.Abs(x-xs[0]))
				}
				n++
				if y == 12 {
					details = append(details, fmt.Sprintf("gE=%g, %s: border at WIE = 12 lies at WEE = %.6g for every Iext", ge, rs.name, xs[0]))
				}
			}
		}
	}
	details = append(details, fmt.Sprintf("Iext ∈ %v; border = zero of C·tr K along WEE, bisected to 1e-12, at WIE = 8, 12, 16 (%d borders)", iexts, n))
	return Outcome{
		Verdict:  verdictOf(maxShift <= 1e-9),
		Measured: fmt.Sprintf("largest shift of the border with Iext: %.2g in WEE", maxShift),
		Expected: "0 (≤ 1e-9)",
		Details:  details,
		Values:   map[string]float64{"max_shift": maxShift},
	}
}
