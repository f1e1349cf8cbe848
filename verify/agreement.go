package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/regions"
	"github.com/paradoxlab/paradox/sim"
)

// AgreementConfig is the agreement check: cells of the setpoint plane
// are started in the trial protocol at their setpoint weights plus a
// small perturbation, and whether the run stays is compared with the
// analytic verdict.
//
// # Learning rates and the QSS premise
//
// The analysis assumes the rates sit at their fixed point while the
// weights move (quasi-steady state, analytics.md §4). The trial protocol
// makes that exact up to the neural relaxation inside a trial: the
// weights are frozen during a trial, every trial relaxes the network for
// 1.75 s after the pulse (the neural time constants are 10 and 2 ms) and
// the window mean is the fixed point E*(W). With one trial per update and
// no filter across trials (TrialTau 1), the protocol is the Euler map
// W ← W + f(E*(W), I*(W), W) of the QSS flow, whose eigenvalues are
// 1 + λ for the eigenvalues λ of K at the rates used. The rates are
// therefore scaled in each cell so that the largest |λ| is Kappa: the map
// then reproduces the flow's stability except where
// −Kappa/2 < Re λ/|λ| < 0 (|1 + λ| < 1 fails there), a strip next to the
// border. In continuous-time terms a trial is 2 s, so the plasticity rate
// per ms is α/2000 and α·gE·Eset·Iset·τE/2000 is what analytics.md §13
// requires to be ≪ 1; AgreementResult.MaxQSS reports its largest value.
type AgreementConfig struct {
	// Family, Params and Rates define the rule; Rates give the ratios
	// of the rates and are scaled per cell (see above). Params defaults
	// to model.Default() when its zero value is given.
	Family *jacobian.Family
	Params model.Params
	Rates  jacobian.Rates

	// WEE and WIE bound the sampled area; the zero value means the part
	// of the paper's box [0, 10] x [0, 20] where the setpoint weights are
	// positive, inset by 0.2.
	WEE, WIE [2]float64

	// Cells is the number of cells per axis. The default is 5.
	Cells int

	// Trials is the number of trials per run. The default is 600.
	Trials int

	// Kappa is the largest modulus of the per-trial plasticity
	// eigenvalues. The default is 0.04.
	Kappa float64

	// Perturb is the size of the initial perturbation, as the relative
	// change of the rates it causes in the linear theory: the run starts
	// from WEI × (1 + δ) and WII × (1 − δ), off the plane, with δ such
	// that the larger of |ΔE|/Eset and |ΔI|/Iset is Perturb (δ at most
	// MaxDelta). A fixed δ would not do: the rates' sensitivity to the
	// weights grows as 1/C, and near the det line a 2 % change of the
	// weights moves the rates by 30-50 %, far outside the linear regime
	// the analysis describes. The default is 0.02.
	Perturb float64

	// Near is the distance in weight units (Euclidean in WEE, WIE) from
	// a border below which a cell counts as near it. The default is 0.5.
	Near float64

	// Workers is the number of goroutines; 0 means one per CPU.
	Workers int
}

// fill sets the defaults.
func (c *AgreementConfig) fill() {
	if c.Params == (model.Params{}) {
		c.Params = model.Default()
	}
	p := c.Params
	if c.WEE == [2]float64{} {
		c.WEE = [2]float64{math.Max(0, (p.GE*p.ThetaEEff()+p.Eset)/(p.GE*p.Eset)) + 0.2, 9.8}
	}
	if c.WIE == [2]float64{} {
		c.WIE = [2]float64{math.Max(0, (p.GI*p.ThetaI+p.Iset)/(p.GI*p.Eset)) + 0.2, 19.8}
	}
	if c.Cells == 0 {
		c.Cells = 5
	}
	if c.Trials == 0 {
		c.Trials = 600
	}
	if c.Kappa == 0 {
		c.Kappa = 0.04
	}
	if c.Perturb == 0 {
		c.Perturb = 0.02
	}
	if c.Near == 0 {
		c.Near = 0.5
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
}

// AgreementCell is one sampled cell.
type AgreementCell struct {
	WEE, WIE float64

	// Class is the analytic class; Predicted is Class == Stable.
	Class     regions.Class
	Predicted bool

	// CosTheta is Re λ/|λ| of the plasticity eigenvalue of largest real
	// part; Scale the factor applied to the rates, so that the largest
	// per-trial |λ| is Kappa.
	CosTheta, Scale float64

	// NeuralMaxRe is the largest real part of the neural eigenvalues at
	// the setpoints, in 1/ms: −1/NeuralMaxRe is the time the Up state
	// takes to settle, long near the det line. C is the cell's C, whose
	// inverse scales the rates' sensitivity to the weights.
	NeuralMaxRe, C float64

	// FinalStable is whether the Up state at the final weights is
	// neural-stable (jacobian.NeuralStability).
	FinalStable bool

	// StepRadius is the spectral radius of one integration step of the
	// linearised neural dynamics at the setpoint weights, in the
	// protocol's order (E first, then I from the new E): below 1 the
	// simulated Up state is stable whatever the continuous one does.
	StepRadius float64

	// Delta is the relative change of WEI and WII at the start, and
	// Step the size of that perturbation in weight units.
	Delta, Step float64

	// Stays is the simulation's verdict: the largest relative error of E
	// and I over the last tenth of the trials, and sample by sample in the
	// last trial's window, is below that over the first tenth of the
	// trials, and the weights never moved more than MaxDrift times
	// the initial perturbation away from the cell's setpoint weights.
	Stays bool

	// EarlyErr and LateErr are those errors (LateErr includes Ripple);
	// Ripple is the largest relative distance of the rates from the
	// setpoints within the averaging window of the last trial, sample by
	// sample; Drift is the largest
	// distance of the weights from the setpoint weights over the run, in
	// units of the initial perturbation.
	EarlyErr, LateErr, Ripple, Drift float64

	// Ignited is whether trial 1 reached an Up state (window E > 1 Hz).
	Ignited bool

	// Distance is the distance to the nearest border (neural det,
	// neural trace or plasticity) in weight units.
	Distance float64

	// Err is a simulation error (an overflow counts as leaving).
	Err error
}

// MaxDelta is the largest relative change of WEI and WII that
// AgreementConfig.Perturb may ask for.
const MaxDelta = 0.05

// MaxDrift is the largest excursion of the weights, in units of the
// initial perturbation, that a run may make and still count as staying.
// A stable cell relaxes onto the plane of fixed points within O(1) units
// (the projection of the perturbation along the plane).
const MaxDrift = 10

// Agrees reports whether the simulation agrees with the analytic verdict.
func (c *AgreementCell) Agrees() bool { return c.Stays == c.Predicted }

// Tally counts agreements.
type Tally struct {
	Agree, Total int
}

// Fraction returns Agree/Total (NaN without cells).
func (t Tally) Fraction() float64 { return frac(t.Agree, t.Total) }

// AgreementResult is the outcome of Agreement.
type AgreementResult struct {
	Config AgreementConfig
	Cells  []AgreementCell

	// Confusion[i][j] counts cells with analytic verdict i and simulated
	// verdict j; index 0 is stable/stays, 1 unstable/leaves.
	Confusion [2][2]int

	// Far and Near tally the cells farther than Config.Near from every
	// border and the others.
	Far, Near Tally

	// Excluded counts cells left out: singular (C = 0) or with a
	// non-positive setpoint weight.
	Excluded int

	// MaxAlpha is the largest learning rate used (per trial), and MaxQSS
	// the largest α·gE·Eset·Iset·τE/TrialMs (see AgreementConfig).
	MaxAlpha, MaxQSS float64
}

// Agreement runs the agreement check over cfg.Cells x cfg.Cells cells.
func Agreement(ctx context.Context, cfg AgreementConfig) (AgreementResult, error) {
	cfg.fill()
	if cfg.Family == nil {
		return AgreementResult{Config: cfg}, errors.New("verify: agreement: no family")
	}
	job, err := newAgreementJob(cfg)
	if err != nil {
		return AgreementResult{Config: cfg}, err
	}
	cells, err := runCells(ctx, []*AgreementJob{&job}, 0, len(job.Cells), cfg.Workers)
	if err != nil {
		return AgreementResult{Config: cfg}, err
	}
	return job.result(cells), nil
}

// AgreementJob is the agreement check of one claim, resolved but not
// run: its configuration with the defaults filled in, and its cells.
type AgreementJob struct {
	Claim  Claim
	Config AgreementConfig

	// What names the rule and its rates in the outcome's details.
	What string

	// Cells are the (WEE, WIE) of the cells to simulate, row by row:
	// WIE ascending, and WEE ascending within a row, over the
	// Config.Cells x Config.Cells box, without the Excluded cells
	// (singular, or with a non-positive setpoint weight).
	Cells    [][2]float64
	Excluded int

	borders [][2]float64
}

// newAgreementJob lists the cells of cfg (defaults filled in) and the
// borders they are measured against.
func newAgreementJob(cfg AgreementConfig) (AgreementJob, error) {
	job := AgreementJob{Config: cfg}
	k, err := planeKernel(cfg.Family, cfg.Params, cfg.Rates)
	if err != nil {
		return job, err
	}
	job.borders = borderPoints(cfg, k)
	b := box{WEE: cfg.WEE, WIE: cfg.WIE, N: cfg.Cells}
	for j := 0; j < b.N; j++ {
		for i := 0; i < b.N; i++ {
			x, y := b.at(i, j)
			s := k.At(x, y)
			if s.Singular || !positive(s.W) {
				job.Excluded++
				continue
			}
			job.Cells = append(job.Cells, [2]float64{x, y})
		}
	}
	return job, nil
}

// AgreementJobs resolves the agreement check of each claim under opt,
// without running it. Every claim must be an agreement claim (the
// built-in agreement.*); it fails otherwise.
func AgreementJobs(claims []Claim, opt Options) ([]AgreementJob, error) {
	env := NewEnv(opt)
	jobs := make([]AgreementJob, 0, len(claims))
	for _, c := range claims {
		if c.Agreement == nil {
			return nil, fmt.Errorf("verify: claim %s is not an agreement claim", c.ID)
		}
		cfg, what, err := c.Agreement(env)
		if err != nil {
			return nil, fmt.Errorf("verify: claim %s: %w", c.ID, err)
		}
		cfg.fill()
		job, err := newAgreementJob(cfg)
		if err != nil {
			return nil, fmt.Errorf("verify: claim %s: %w", c.ID, err)
		}
		job.Claim, job.What = c, what
		jobs = append(jobs, job)
	}
	return jobs, nil
}

// AgreementCells simulates the cells [lo, hi) of the list that joins
// the jobs' Cells in order, with the given number of goroutines (0
// means one per CPU), and returns them in that order with their
// Distance. A cell's outcome depends on neither lo, hi nor workers.
func AgreementCells(ctx context.Context, jobs []AgreementJob, lo, hi, workers int) ([]AgreementCell, error) {
	ps := make([]*AgreementJob, len(jobs))
	for k := range jobs {
		ps[k] = &jobs[k]
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return runCells(ctx, ps, lo, hi, workers)
}

// runCells simulates the cells [lo, hi) of the jobs' joined cell list
// with workers goroutines.
func runCells(ctx context.Context, jobs []*AgreementJob, lo, hi, workers int) ([]AgreementCell, error) {
	type task struct {
		job  *AgreementJob
		x, y float64
	}
	var todo []task
	k := 0
	for _, j := range jobs {
		for _, c := range j.Cells {
			if k >= lo && k < hi {
				todo = append(todo, task{j, c[0], c[1]})
			}
			k++
		}
	}
	if lo < 0 || hi > k || lo > hi {
		return nil, fmt.Errorf("verify: agreement cells %d-%d of %d", lo, hi-1, k)
	}

	cells := make([]AgreementCell, len(todo))
	errs := make([]error, len(todo))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := todo[i]
				cells[i], errs[i] = AgreementAt(ctx, t.job.Config, t.x, t.y)
				cells[i].Distance = nearest(t.job.borders, t.x, t.y)
			}
		}()
	}
	for i := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return cells, nil
}

// AgreementResults returns the results Run gives for the jobs' claims,
// from the cells of every job, in the order of AgreementCells over the
// whole list. Seconds is 0: the cells carry no timing.
func AgreementResults(jobs []AgreementJob, cells []AgreementCell) ([]Result, error) {
	n := 0
	for _, j := range jobs {
		n += len(j.Cells)
	}
	if len(cells) != n {
		return nil, fmt.Errorf("verify: %d agreement cells, the claims have %d", len(cells), n)
	}
	out := make([]Result, 0, len(jobs))
	for _, j := range jobs {
		o := agreementOutcome(j.result(cells[:len(j.Cells)]), j.What)
		cells = cells[len(j.Cells):]
		for k, v := range o.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				delete(o.Values, k) // as Run does: JSON has no NaN or Inf
			}
		}
		c := j.Claim
		out = append(out, Result{
			ID: c.ID, Statement: c.Statement, Source: c.Source,
			Verdict: o.Verdict, Measured: o.Measured, Expected: o.Expected,
			Details: o.Details, Values: o.Values,
		})
	}
	return out, nil
}

// result tallies the job's simulated cells.
func (j *AgreementJob) result(cells []AgreementCell) AgreementResult {
	cfg := j.Config
	res := AgreementResult{Config: cfg, Cells: cells, Excluded: j.Excluded}
	p := cfg.Params
	for _, c := range cells {
		i, k := 1, 1
		if c.Predicted {
			i = 0
		}
		if c.Stays {
			k = 0
		}
		res.Confusion[i][k]++
		t := &res.Near
		if c.Distance > cfg.Near {
			t = &res.Far
		}
		t.Total++
		if c.Agrees() {
			t.Agree++
		}
		alpha := c.Scale * maxAbsRate(cfg.Rates)
		res.MaxAlpha = math.Max(res.MaxAlpha, alpha)
		res.MaxQSS = math.Max(res.MaxQSS, alpha*p.GE*p.Eset*p.Iset*p.TauE/sim.DefaultConfig().TrialMs)
	}
	return res
}

// planeKernel compiles fam and prepares its plane kernel.
func planeKernel(fam *jacobian.Family, p model.Params, r jacobian.Rates) (*jacobian.PlaneKernel, error) {
	rule, err := fam.Compile(p, r)
	if err != nil {
		return nil, err
	}
	return jacobian.NewPlaneKernel(rule)
}

func maxAbsRate(r jacobian.Rates) float64 {
	m := 0.0
	for k := 0; k < 4; k++ {
		m = math.Max(m, math.Max(math.Abs(r.A[k]), math.Abs(r.H[k])))
	}
	return m
}

// AgreementAt simulates one cell (cfg's defaults are filled in). Its
// Distance is left 0; Agreement fills it.
func AgreementAt(ctx context.Context, cfg AgreementConfig, x, y float64) (AgreementCell, error) {
	cfg.fill()
	p := cfg.Params
	cell := AgreementCell{WEE: x, WIE: y}
	k, err := planeKernel(cfg.Family, p, cfg.Rates)
	if err != nil {
		return cell, err
	}
	s := k.At(x, y)
	cell.Class = regions.Classify(&s)
	cell.Predicted = cell.Class == regions.Stable
	if s.Singular || s.PlasticityScale == 0 {
		return cell, fmt.Errorf("verify: agreement at (%g, %g): no plasticity eigenvalues (C = %g)", x, y, s.C)
	}
	cell.CosTheta = s.PlasticityMaxRe / s.PlasticityScale
	cell.NeuralMaxRe, cell.C = s.NeuralMaxRe, s.C
	cell.StepRadius = stepRadius(p, s.W, sim.DefaultNeural().Dt)
	cell.Scale = cfg.Kappa / s.PlasticityScale

	// The rule at the scaled rates.
	var r jacobian.Rates
	for i := 0; i < 4; i++ {
		r.A[i] = cfg.Rates.A[i] * cell.Scale
		r.H[i] = cfg.Rates.H[i] * cell.Scale
	}
	rule, err := cfg.Family.Compile(p, r)
	if err != nil {
		return cell, err
	}

	// The authors' protocol without noise, without the filter across
	// trials and without the weight floor (every weight here is > 0 and
	// a floor would cut the dynamics the analysis describes).
	c := sim.DefaultConfig()
	c.Params = p
	c.Sigma = 0
	c.Trials = cfg.Trials
	c.TrialTau = 1
	c.WeightFloor = 0
	c.TraceTrials = []int{cfg.Trials}
	c.TraceEvery = 10
	delta, err := perturbation(p, s.W, cfg.Perturb)
	if err != nil {
		return cell, err
	}
	cell.Delta = delta
	w0 := s.W
	w0.WEI *= 1 + delta
	w0.WII *= 1 - delta
	run, err := sim.Run(ctx, c, rule, w0, 1, nil)
	var oe *sim.OverflowError
	if err != nil && !errors.As(err, &oe) {
		return cell, err
	}
	cell.Err = err
	classifyRun(&cell, p, s.W, w0, run.Trials, cfg.Trials)
	if len(run.Traces) > 0 {
		cell.Ripple = ripple(p, &run.Traces[0], c.WindowMs)
		cell.LateErr = math.Max(cell.LateErr, cell.Ripple)
		cell.Stays = cell.Stays && cell.LateErr < cell.EarlyErr
	}
	return cell, nil
}

// stepRadius returns the spectral radius of the sequential Euler step
// of the linearised neural subsystem (both populations active):
//
//	E' = (1 + dt a/τE) E − dt gE WEI/τE I
//	I' = dt gI WIE/τI E' + (1 − dt b/τI) I
//
// with a = gE WEE − 1, b = gI WII + 1 (rate-models.md §1: the authors'
// code updates I from the new E).
func stepRadius(p model.Params, w model.Weights, dt float64) float64 {
	a, b := p.GE*w.WEE-1, p.GI*w.WII+1
	m00, m01 := 1+dt*a/p.TauE, -dt*p.GE*w.WEI/p.TauE
	k := dt * p.GI * w.WIE / p.TauI
	m10, m11 := k*m00, k*m01+1-dt*b/p.TauI
	tr, det := m00+m11, m00*m11-m01*m10
	disc := tr*tr/4 - det
	if disc < 0 {
		return math.Sqrt(det)
	}
	r := math.Sqrt(disc)
	return math.Max(math.Abs(tr/2+r), math.Abs(tr/2-r))
}

// perturbation returns δ such that WEI × (1 + δ), WII × (1 − δ) moves the
// linearised rates by size relative to the setpoints (at most MaxDelta):
// (ΔE, ΔI) = G Δw with G = d(E*, I*)/dW from jacobian.Sensitivity.
func perturbation(p model.Params, w model.Weights, size float64) (float64, error) {
	G, err := jacobian.Sensitivity(p, w, p.Eset, p.Iset)
	if err != nil {
		return 0, err
	}
	dE := G[0][1]*w.WEI - G[0][3]*w.WII
	dI := G[1][1]*w.WEI - G[1][3]*w.WII
	r := math.Max(math.Abs(dE)/p.Eset, math.Abs(dI)/p.Iset)
	if r == 0 {
		return MaxDelta, nil
	}
	return math.Min(MaxDelta, size/r), nil
}

// ripple returns the largest relative distance of E and I from their
// setpoints over the samples of the last windowMs of a traced trial: a
// run whose window mean sits at the setpoints while the rates oscillate
// (an unstable Up state caught in a limit cycle) is not at its fixed
// point.
func ripple(p model.Params, tr *sim.Trace, windowMs float64) float64 {
	n := len(tr.E)
	from := n - int(windowMs/tr.Dt)
	m := 0.0
	for k := max(0, from); k < n; k++ {
		eE, eI := relErrors(p, tr.E[k], tr.I[k])
		m = math.Max(m, math.Max(eE, eI))
	}
	return m
}

// classifyRun fills the simulated verdict of cell from the records.
func classifyRun(cell *AgreementCell, p model.Params, wStar, w0 model.Weights, trials []sim.TrialRecord, n int) {
	if len(trials) == 0 {
		return
	}
	cell.Ignited = trials[0].MeanE > 1
	win := max(1, n/10)
	errAt := func(r sim.TrialRecord) float64 {
		eE, eI := relErrors(p, r.MeanE, r.MeanI)
		return math.Max(eE, eI)
	}
	for _, r := range trials[:min(win, len(trials))] {
		cell.EarlyErr = math.Max(cell.EarlyErr, errAt(r))
	}
	if len(trials) < n {
		// Overflowed: it left.
		cell.LateErr = math.Inf(1)
	} else {
		for _, r := range trials[n-win:] {
			cell.LateErr = math.Max(cell.LateErr, errAt(r))
		}
	}
	d0 := dist(w0, wStar)
	cell.Step = d0
	cell.FinalStable = jacobian.NeuralStability(p, trials[len(trials)-1].W).Stable
	for _, r := range trials {
		cell.Drift = math.Max(cell.Drift, dist(r.W, wStar)/d0)
	}
	cell.Stays = cell.LateErr < cell.EarlyErr && cell.Drift <= MaxDrift
}

func dist(a, b model.Weights) float64 {
	x, y := a.Array(), b.Array()
	s := 0.0
	for k := range x {
		s += (x[k] - y[k]) * (x[k] - y[k])
	}
	return math.Sqrt(s)
}

// borderPoints locates the borders that separate analytic classes over
// the sampled area (extended by Near on every side): the neural det and
// trace lines and the plasticity border.
func borderPoints(cfg AgreementConfig, k *jacobian.PlaneKernel) [][2]float64 {
	g := regions.Grid{
		WEE: regions.Axis{Min: cfg.WEE[0] - cfg.Near, Max: cfg.WEE[1] + cfg.Near, N: 2},
		WIE: regions.Axis{Min: cfg.WIE[0] - cfg.Near, Max: cfg.WIE[1] + cfg.Near, N: 2},
	}
	var pts [][2]float64
	for _, b := range regions.Borders(g, cfg.Params, k, 201) {
		switch b.Name {
		case "det", "trace", "plasticity":
			pts = append(pts, b.Points...)
		}
	}
	return pts
}

// nearest returns the distance from (x, y) to the closest point of pts
// (+Inf without points).
func nearest(pts [][2]float64, x, y float64) float64 {
	d := math.Inf(1)
	for _, q := range pts {
		d = math.Min(d, math.Hypot(q[0]-x, q[1]-y))
	}
	return d
}

// agreementSettings returns the Claim.Agreement function of the built-in
// agreement claim for one family.
func agreementSettings(family string, rates jacobian.Rates, ratesText string) func(env *Env) (AgreementConfig, string, error) {
	return func(env *Env) (AgreementConfig, string, error) {
		fam, err := env.Family(family)
		if err != nil {
			return AgreementConfig{}, "", err
		}
		cfg := AgreementConfig{
			Family: fam, Rates: rates,
			Cells: env.Profile.AgreementCells, Trials: env.Profile.AgreementTrials,
			Workers: env.Workers,
		}
		return cfg, family + ", " + ratesText, nil
	}
}

var (
	agreementStandard = agreementSettings("standard", jacobian.UniformRates(0.02), "all rates equal")
	agreementTwoTerm  = agreementSettings("twoterm", twoTermRates(0.02, 0.02), "α = β (cross and homeostatic terms alike)")
)

// agreementClaim is the check of an agreement claim with the given
// settings.
func agreementClaim(settings func(env *Env) (AgreementConfig, string, error)) func(ctx context.Context, env *Env) Outcome {
	return func(ctx context.Context, env *Env) Outcome {
		cfg, what, err := settings(env)
		if err != nil {
			return errorf("%v", err)
		}
		res, err := Agreement(ctx, cfg)
		if err != nil {
			return errorf("%v", err)
		}
		return agreementOutcome(res, what)
	}
}

// agreementOutcome turns an agreement result into a verdict: the claim
// holds when every cell away from the borders agrees.
func agreementOutcome(res AgreementResult, what string) Outcome {
	c := res.Config
	cm := res.Confusion
	o := Outcome{
		Verdict: verdictOf(res.Far.Total > 0 && res.Far.Agree == res.Far.Total),
		Measured: fmt.Sprintf("far from borders %d/%d agree, near %d/%d; confusion [stable: %d stay, %d leave; unstable: %d stay, %d leave]",
			res.Far.Agree, res.Far.Total, res.Near.Agree, res.Near.Total, cm[0][0], cm[0][1], cm[1][0], cm[1][1]),
		Expected: fmt.Sprintf("all cells farther than %g from a border agree", c.Near),
		Values: map[string]float64{
			"far_agree": float64(res.Far.Agree), "far_total": float64(res.Far.Total),
			"near_agree": float64(res.Near.Agree), "near_total": float64(res.Near.Total),
			"stable_stay": float64(cm[0][0]), "stable_leave": float64(cm[0][1]),
			"unstable_stay": float64(cm[1][0]), "unstable_leave": float64(cm[1][1]),
			"max_alpha": res.MaxAlpha, "max_qss": res.MaxQSS,
		},
	}
	o.Details = []string{
		fmt.Sprintf("%s; %d x %d cells over WEE ∈ [%.3g, %.3g], WIE ∈ [%.3g, %.3g] (setpoint weights positive), %d left out",
			what, c.Cells, c.Cells, c.WEE[0], c.WEE[1], c.WIE[0], c.WIE[1], res.Excluded),
		fmt.Sprintf("start: setpoint weights with WEI x (1 + δ), WII x (1 − δ), δ ≤ %g chosen so that the linearised rates start %s off the setpoints (δ from %.2g to %.2g); authors' trial protocol noise-free, TrialTau 1, no weight floor, %d trials",
			MaxDelta, pct(c.Perturb), res.minDelta(), res.maxDelta(), c.Trials),
		fmt.Sprintf("rates scaled per cell so that the largest per-trial plasticity eigenvalue has modulus %g (largest α = %.3g per trial; α·gE·Eset·Iset·τE per 2-s trial = %.2g ≪ 1)", c.Kappa, res.MaxAlpha, res.MaxQSS),
		fmt.Sprintf("stays = error of E, I over the last tenth of the trials (window means, and every sample of the last window) below that over the first tenth, and the weights never farther than %d x the initial perturbation from the setpoint weights", MaxDrift),
		fmt.Sprintf("borders: neural det, neural trace and plasticity, located by bisection; near = within %g (Euclidean in WEE, WIE)", c.Near),
	}
	for _, cell := range res.Cells {
		if cell.Agrees() {
			continue
		}
		why := disagreementReasons(&cell, c)
		o.Details = append(o.Details, fmt.Sprintf("disagreement at (%.3g, %.3g): analytic %v, simulation %s (errors %.3g → %.3g, drift %.3g x the perturbation = %.2g in weight units), distance to a border %.3g%s",
			cell.WEE, cell.WIE, cell.Class, staysText(cell.Stays), cell.EarlyErr, cell.LateErr, cell.Drift, cell.Drift*cell.Step, cell.Distance, why))
	}
	return o
}

// disagreementReasons lists what, in the cell's numbers, explains a
// disagreement.
func disagreementReasons(cell *AgreementCell, c AgreementConfig) string {
	var why []string
	if !cell.Ignited {
		why = append(why, "trial 1 did not ignite an Up state")
	}
	if cell.Predicted && cell.CosTheta > -c.Kappa/2 {
		why = append(why, fmt.Sprintf("Re λ/|λ| = %.3g lies in the strip (−κ/2, 0) where the per-trial map is unstable", cell.CosTheta))
	}
	if tau := -1 / cell.NeuralMaxRe; cell.NeuralMaxRe < 0 && tau > 150 {
		why = append(why, fmt.Sprintf("the Up state settles in %.0f ms (C = %.3g, near the det line), a tenth of the 1.5 s before the window or more, so a window mean is not yet the fixed point (the QSS premise fails)", tau, cell.C))
	}
	if rate := cell.NeuralMaxRe; rate > 0 && 1/rate > 200 {
		why = append(why, fmt.Sprintf("the Up state's instability grows with time constant %.0f ms, and every 2-s trial restarts from rest, so it barely shows", 1/rate))
	}
	if cell.Predicted && cell.LateErr < cell.EarlyErr && cell.Drift > MaxDrift {
		why = append(why, fmt.Sprintf("the rates returned but the weights drifted %.3g x the perturbation (limit %d)", cell.Drift, MaxDrift))
	}
	if cell.EarlyErr > 5*c.Perturb {
		why = append(why, fmt.Sprintf("the first trials already end %s off the setpoints, outside the linear regime", pct(cell.EarlyErr)))
	}
	if cell.Class == regions.NeuralUnstable && cell.StepRadius < 1 {
		why = append(why, fmt.Sprintf("the protocol's sequential Euler step (I uses the new E, dt = 0.1 ms) is stable here (spectral radius %.6g): for complex eigenvalues it moves the trace border by dt·a·b/(τE τI)", cell.StepRadius))
	}
	if !cell.Predicted && cell.Stays && (cell.Drift*cell.Step > cell.Distance || cell.Class == regions.NeuralUnstable && cell.FinalStable) {
		why = append(why, "the weights moved across the nearby border (in the four weights) and settled where the Up state is stable")
	}
	if len(why) == 0 {
		return ""
	}
	return "; " + strings.Join(why, "; ")
}

func (r *AgreementResult) minDelta() float64 {
	m := math.Inf(1)
	for _, c := range r.Cells {
		m = math.Min(m, c.Delta)
	}
	return m
}

func (r *AgreementResult) maxDelta() float64 {
	m := 0.0
	for _, c := range r.Cells {
		m = math.Max(m, c.Delta)
	}
	return m
}

func staysText(stays bool) string {
	if stays {
		return "stays"
	}
	return "leaves"
}
