package verify

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// Learning rates of the authors' Fig2 and Fig4 scripts, per trial
// (rate-models.md §1).
const (
	alphaFig2 = 1e-4 // standard rule, Figs. 2B-E
	alphaFig4 = 5e-4 // cross rule, Figs. 4B-E
)

// settleTol is the relative error of E and I within which a run counts as
// at its setpoints.
const settleTol = 0.05

// relErrors returns |E/Eset − 1| and |I/Iset − 1|.
func relErrors(p model.Params, E, I float64) (eE, eI float64) {
	return math.Abs(E/p.Eset - 1), math.Abs(I/p.Iset - 1)
}

// lastWindowMaxErr returns the largest of both relative errors over the
// last n records.
func lastWindowMaxErr(p model.Params, trials []sim.TrialRecord, n int) float64 {
	m := 0.0
	for _, r := range trials[max(0, len(trials)-n):] {
		eE, eI := relErrors(p, r.E, r.I)
		m = math.Max(m, math.Max(eE, eI))
	}
	return m
}

// runMemo caches the development runs that several claims share.
type runMemo struct {
	mu   sync.Mutex
	runs map[string]*memoRun
}

type memoRun struct {
	once sync.Once
	res  sim.Result
	err  error
}

// develop runs the authors' trial protocol noise-free (σ = 0, so that the
// run is the same on every machine; rate-models.md: the noise-free port
// reproduces the authors' noise-free runs to ≥ 10 digits) for trials
// trials from w0 with the named family at uniform rate alpha. Runs are
// cached in env by their settings.
func (e *Env) develop(ctx context.Context, family string, alpha float64, w0 model.Weights, trials int) (sim.Result, error) {
	key := fmt.Sprintf("%s/%g/%v/%d", family, alpha, w0.Array(), trials)
	e.memo.mu.Lock()
	if e.memo.runs == nil {
		e.memo.runs = map[string]*memoRun{}
	}
	m, ok := e.memo.runs[key]
	if !ok {
		m = &memoRun{}
		e.memo.runs[key] = m
	}
	e.memo.mu.Unlock()
	m.once.Do(func() {
		rule, err := e.compile(family, model.Default(), jacobian.UniformRates(alpha))
		if err != nil {
			m.err = err
			return
		}
		c := sim.DefaultConfig()
		c.Sigma = 0
		c.Trials = trials
		m.res, m.err = sim.Run(ctx, c, rule, w0, e.Seed, nil)
	})
	return m.res, m.err
}

// start is a named initial condition of a development run.
type start struct {
	name  string
	w     model.Weights
	short string // prefix of the measured value, "" for a single start
}

var (
	fig2BStarts = []start{
		{"Fig. 2B legend (WII = 2)", sim.Fig4BPaper, "WII0=2: "},
		{"authors' script (WII = 1.5)", sim.Fig4BCode, "WII0=1.5: "},
	}
	fig4BStarts = []start{
		{"authors' script (WII = 1.5)", sim.Fig4BCode, "WII0=1.5: "},
		{"Fig. 4B legend (WII = 2)", sim.Fig4BPaper, "WII0=2: "},
	}
)

// developAll runs every start in parallel.
func (e *Env) developAll(ctx context.Context, family string, alpha float64, starts []start, trials int) ([]sim.Result, error) {
	res := make([]sim.Result, len(starts))
	errs := make([]error, len(starts))
	var wg sync.WaitGroup
	for i, s := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = e.develop(ctx, family, alpha, s.w, trials)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// roundHz rounds a rate to 1e-3 Hz, so that a silent population prints
// as 0.
func roundHz(x float64) float64 { return math.Round(x*1000) / 1000 }

// upTrials returns the first and last trial whose window mean E is above
// 1 Hz (self-sustained activity), 0 if none.
func upTrials(trials []sim.TrialRecord) (first, last int) {
	for _, r := range trials {
		if r.MeanE > 1 {
			if first == 0 {
				first = r.Trial
			}
			last = r.Trial
		}
	}
	return first, last
}

// checkNoSettle is the claim that the standard rule does not settle at
// the setpoints within 1000 trials from the given starts: the largest
// relative error of E or I over the last 100 trials exceeds settleTol.
func checkNoSettle(starts []start) func(ctx context.Context, env *Env) Outcome {
	return func(ctx context.Context, env *Env) Outcome {
		const trials = 1000
		res, err := env.developAll(ctx, "standard", alphaFig2, starts, trials)
		if err != nil {
			return errorf("%v", err)
		}
		p := model.Default()
		ok := true
		var meas, details []string
		values := map[string]float64{}
		for i, r := range res {
			late := lastWindowMaxErr(p, r.Trials, 100)
			ok = ok && late > settleTol
			t500, t1000 := r.Trials[499], r.Trials[trials-1]
			e500, i500 := relErrors(p, t500.E, t500.I)
			e1k, i1k := relErrors(p, t1000.E, t1000.I)
			first, last := upTrials(r.Trials)
			meas = append(meas, fmt.Sprintf("%sE %.3g, I %.3g Hz", starts[i].short, roundHz(t1000.E), roundHz(t1000.I)))
			details = append(details, fmt.Sprintf("%s %v: relative errors of E, I at trial 500: %s, %s; at 1000: %s, %s; largest over trials 901-1000: %s; self-sustained (window E > 1 Hz) in trials %d-%d; W(1000) = %.4g",
				starts[i].name, starts[i].w.Array(), pct(e500), pct(i500), pct(e1k), pct(i1k), pct(late), first, last, t1000.W.Array()))
			values[fmt.Sprintf("late_error_%d", i)] = late
		}
		details = append(details, fmt.Sprintf("standard rule, α = %g per trial (Fig2_homeo_demo.m), authors' protocol noise-free, %d trials; \"settled\" = both errors ≤ %s over the last 100 trials", alphaFig2, trials, pct(settleTol)))
		return Outcome{
			Verdict:  verdictOf(ok),
			Measured: "trial 1000: " + strings.Join(meas, "; "),
			Expected: fmt.Sprintf("not settled (error > %s over trials 901-1000)", pct(settleTol)),
			Details:  details,
			Values:   values,
		}
	}
}

func checkFig4B(ctx context.Context, env *Env) Outcome {
	const trials = 1000
	res, err := env.developAll(ctx, "cross", alphaFig4, fig4BStarts, trials)
	if err != nil {
		return errorf("%v", err)
	}
	p := model.Default()
	ok := true
	var meas, details []string
	values := map[string]float64{}
	for i, r := range res {
		t500, t1000 := r.Trials[499], r.Trials[trials-1]
		e500, i500 := relErrors(p, t500.E, t500.I)
		e1k, i1k := relErrors(p, t1000.E, t1000.I)
		approach := math.Max(e1k, i1k) < math.Max(e500, i500) && math.Max(e1k, i1k) <= settleTol
		ok = ok && approach
		floor := floorReport(r, sim.DefaultConfig().WeightFloor)
		if i == 0 {
			meas = append(meas, fmt.Sprintf("E %s → %s, I %s → %s (trials 500 → 1000); %s", pct(e500), pct(e1k), pct(i500), pct(i1k), floor))
			values["E_error_500"], values["E_error_1000"] = e500, e1k
			values["I_error_500"], values["I_error_1000"] = i500, i1k
		}
		details = append(details, fmt.Sprintf("%s %v: E %.4g → %.4g Hz, I %.4g → %.4g Hz; relative errors E %s → %s, I %s → %s; %s; W(1000) = %.4g",
			fig4BStarts[i].name, fig4BStarts[i].w.Array(), t500.E, t1000.E, t500.I, t1000.I, pct(e500), pct(e1k), pct(i500), pct(i1k), floor, t1000.W.Array()))
	}
	details = append(details, fmt.Sprintf("cross rule, α = %g per trial (Fig4_crosshomeo_demo.m), authors' protocol noise-free, %d trials; \"approaches\" = the larger error shrinks from trial 500 to 1000 and is ≤ %s at 1000", alphaFig4, trials, pct(settleTol)))
	return Outcome{
		Verdict:  verdictOf(ok),
		Measured: strings.Join(meas, "; "),
		Expected: fmt.Sprintf("errors shrink, ≤ %s at trial 1000", pct(settleTol)),
		Details:  details,
		Values:   values,
	}
}

// floorReport says which weights sit on the floor at the end of r and
// from which trial on they stayed there.
func floorReport(r sim.Result, floor float64) string {
	var on []string
	last := r.Final().W.Array()
	for k, v := range last {
		if v != floor {
			continue
		}
		from := len(r.Trials)
		for from > 1 && r.Trials[from-2].W.Array()[k] == floor {
			from--
		}
		on = append(on, fmt.Sprintf("%s on its floor %g from trial %d", model.Names[k], floor, from))
	}
	if len(on) == 0 {
		return "no weight on its floor"
	}
	return strings.Join(on, ", ")
}

func checkFig4BFloor(ctx context.Context, env *Env) Outcome {
	const trials = 1000
	res, err := env.developAll(ctx, "cross", alphaFig4, fig4BStarts, trials)
	if err != nil {
		return errorf("%v", err)
	}
	floor := sim.DefaultConfig().WeightFloor
	var details []string
	for i, r := range res {
		details = append(details, fmt.Sprintf("%s: %s", fig4BStarts[i].name, floorReport(r, floor)))
	}
	details = append(details, "the weight floor 0.1 is in the authors' scripts (WEE_MIN = ... = 0.1), not in the paper; the pure rule's fixed point is not reached with WII free (rate-models.md surprise 7)")
	onFloor := res[0].Final().W.WII == floor
	return Outcome{
		Verdict:  verdictOf(onFloor),
		Measured: floorReport(res[0], floor),
		Expected: "WII on its floor at trial 1000",
		Details:  details,
		Values:   map[string]float64{"WII_1000": res[0].Final().W.WII},
	}
}

// ensemble runs the Figs. 2D/4E ensemble for a family at rate alpha:
// the package sim's initialisation around the setpoint plane (Fig. 4D's
// caption; the paper's own is in SI methods we do not have), the
// paper's low noise (σ = 10) with the run's seed.
func (e *Env) ensemble(ctx context.Context, family string, alpha float64) (sim.EnsembleResult, sim.EnsembleConfig, error) {
	c := sim.DefaultEnsembleConfig()
	c.Runs, c.Trials, c.Workers = e.Profile.EnsembleRuns, e.Profile.EnsembleTrials, e.Workers
	rule, err := e.compile(family, model.Default(), jacobian.UniformRates(alpha))
	if err != nil {
		return sim.EnsembleResult{}, c, err
	}
	r, err := sim.Ensemble(ctx, c, rule, e.Seed, nil)
	return r, c, err
}

// ensembleSummary returns the relative errors of the mean final rates
// and the fraction of runs ending within settleTol of both setpoints.
func ensembleSummary(r sim.EnsembleResult) (E, I sim.Stats, eE, eI, within float64, failed int) {
	p := model.Default()
	E, I = r.FinalRates()
	eE, eI = relErrors(p, E.Mean, I.Mean)
	n := 0
	for _, s := range r.Runs {
		if s.Err != nil {
			failed++
			continue
		}
		a, b := relErrors(p, s.Final.E, s.Final.I)
		if a <= settleTol && b <= settleTol {
			n++
		}
	}
	return E, I, eE, eI, frac(n, len(r.Runs)), failed
}

func ensembleDetails(c sim.EnsembleConfig, family string, alpha float64, within float64, failed int) []string {
	return []string{
		fmt.Sprintf("%s rule, α = %g; %d runs x %d trials, σ = %g, seed from --seed; initial weights: sim's InitPlane (WEE ∈ %v, WIE ∈ %v on the plane, each weight x (1 ± %g))",
			family, alpha, c.Runs, c.Trials, c.Sigma, c.Init.WEE, c.Init.WIE, c.Init.Jitter),
		fmt.Sprintf("%s of runs end within %s of both setpoints; %d runs overflowed", pct(within), pct(settleTol), failed),
	}
}

func checkFig2D(ctx context.Context, env *Env) Outcome {
	r, c, err := env.ensemble(ctx, "standard", alphaFig2)
	if err != nil {
		return errorf("%v", err)
	}
	E, I, eE, eI, within, failed := ensembleSummary(r)
	return Outcome{
		Verdict: verdictOf(math.Max(eE, eI) > 0.20),
		Measured: fmt.Sprintf("mean final E %.3g ± %.2g Hz (error %s), I %.3g ± %.2g Hz (error %s), n = %d",
			E.Mean, E.SEM, pct(eE), I.Mean, I.SEM, pct(eI), E.N),
		Expected: "mean E or I misses its setpoint by > 20 %",
		Details:  ensembleDetails(c, "standard", alphaFig2, within, failed),
		Values:   map[string]float64{"E_mean": E.Mean, "I_mean": I.Mean, "E_error": eE, "I_error": eI, "within_fraction": within},
	}
}

func checkFig4E(ctx context.Context, env *Env) Outcome {
	r, c, err := env.ensemble(ctx, "cross", alphaFig4)
	if err != nil {
		return errorf("%v", err)
	}
	E, I, eE, eI, within, failed := ensembleSummary(r)
	return Outcome{
		Verdict: verdictOf(eE <= 0.02 && eI <= 0.02 && within >= 0.9),
		Measured: fmt.Sprintf("mean final E %.4g ± %.2g Hz (error %s), I %.4g ± %.2g Hz (error %s); %s of runs within 5 %%",
			E.Mean, E.SEM, pct(eE), I.Mean, I.SEM, pct(eI), pct(within)),
		Expected: "mean E and I within 2 %; ≥ 90 % of runs within 5 %",
		Details:  ensembleDetails(c, "cross", alphaFig4, within, failed),
		Values:   map[string]float64{"E_mean": E.Mean, "I_mean": I.Mean, "E_error": eE, "I_error": eI, "within_fraction": within},
	}
}

// stepProbe is one paradoxical-step experiment at the setpoint-plane
// point (WEE, WIE) with constants p.
type stepProbe struct {
	WEE        float64
	dI, linear float64 // simulated and linear-theory change of I
}

// stepDI runs the step experiment noise-free at p.OnPlane(x, y) with a
// step of stepI into I and returns the change of the mean I rate.
func stepDI(p model.Params, x, y, stepI float64) (float64, error) {
	c := sim.DefaultStepConfig()
	c.Params = p
	c.W = p.OnPlane(x, y)
	c.StepI = stepI
	r, err := sim.Step(c, 1)
	if err != nil {
		return 0, err
	}
	return r.IDuring - r.IBefore, nil
}

func checkParadoxCondition(ctx context.Context, env *Env) Outcome {
	const (
		wie   = 12.0
		stepI = 2.0
	)
	ok := true
	var meas, details []string
	values := map[string]float64{}
	for _, ge := range []float64{1, 0.5} {
		p := model.Default()
		p.GE, p.Iext = ge, 8
		k, err := env.kernel("standard", p, jacobian.UniformRates(0.02))
		if err != nil {
			return errorf("%v", err)
		}
		// Probes every 0.1 in WEE where the plane's weights are positive
		// and the Up state stable, up to 3/gE.
		var probes []stepProbe
		for x := 0.1; x <= 3/ge+1e-9; x += 0.1 {
			if err := ctx.Err(); err != nil {
				return errorf("%v", err)
			}
			s := k.At(x, wie)
			if !positive(s.W) || !s.NeuralStable() {
				continue
			}
			d, err := stepDI(p, x, wie, stepI)
			if err != nil {
				return errorf("%v", err)
			}
			probes = append(probes, stepProbe{WEE: x, dI: d, linear: jacobian.DIdInputI(p, s.W) * stepI})
		}
		if len(probes) < 2 {
			return errorf("gE=%g: fewer than two stable probes", ge)
		}

		// Sign changes of dI, bisected with the simulation.
		var cross []float64
		for i := 1; i < len(probes); i++ {
			a, b := probes[i-1], probes[i]
			if (a.dI < 0) == (b.dI < 0) {
				continue
			}
			x, found := bisect(func(x float64) float64 {
				d, _ := stepDI(p, x, wie, stepI)
				return d
			}, a.WEE, b.WEE, 1e-4)
			if found {
				cross = append(cross, x)
			}
		}
		// Probes between the misprint's line WEE = 1/Eset and the true one.
		var between, rose int
		maxDev := 0.0
		for _, pr := range probes {
			if pr.WEE > 1/p.Eset && pr.WEE < 1/ge-0.05 {
				between++
				if pr.dI > 0 {
					rose++
				}
			}
			if math.Abs(ge*pr.WEE-1) >= 0.1 {
				maxDev = math.Max(maxDev, math.Abs(pr.dI-pr.linear)/math.Abs(pr.linear))
			}
		}
		good := len(cross) == 1 && math.Abs(cross[0]-1/ge) <= 0.01 && rose == between
		ok = ok && good
		cs := "none"
		if len(cross) > 0 {
			var parts []string
			for _, x := range cross {
				parts = append(parts, fmt.Sprintf("%.4f", x))
			}
			cs = strings.Join(parts, ", ")
			values[fmt.Sprintf("crossing_gE_%g", ge)] = cross[0]
		}
		meas = append(meas, fmt.Sprintf("gE=%g: dI changes sign at WEE = %s", ge, cs))
		details = append(details, fmt.Sprintf("gE = %g, Iext = 8: %d probes WEE ∈ [%.2g, %.2g] at WIE = %g; sign changes of dI at WEE = %s (gE·WEE = 1 predicts %g, WEE·Eset = 1 predicts %g); I rose at %d of %d probes with %g < WEE < %g, where the misprint predicts a fall; simulated dI within %.2g (relative) of the linear theory −gI a/C·step (|gE WEE − 1| ≥ 0.1)",
			ge, len(probes), probes[0].WEE, probes[len(probes)-1].WEE, wie, cs, 1/ge, 1/p.Eset, rose, between, 1/p.Eset, 1/ge, maxDev))
	}
	details = append(details,
		fmt.Sprintf("step experiment of Figs. 1B-C (sim.Step, noise-free): +%g into I for 1 s at the setpoint-plane weights; Iext = 8 > θE so that non-paradoxical stable states exist (analytics.md §6)", stepI),
		"the paper's Fig. 2H legend writes the condition as WEE × Eset − 1 > 0; the data follow gE·WEE − 1 > 0 (analytics.md §3)")
	return Outcome{
		Verdict:  verdictOf(ok),
		Measured: strings.Join(meas, "; "),
		Expected: "sign change at gE·WEE = 1 (WEE = 1 and 2), not at WEE·Eset = 1 (0.2)",
		Details:  details,
		Values:   values,
	}
}
