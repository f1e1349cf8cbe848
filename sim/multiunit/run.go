package multiunit

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paradoxlab/paradox/internal/fastrand"
	"github.com/paradoxlab/paradox/model"
	"github.com/paradoxlab/paradox/sim"
)

// TrialRecord is what one trial of a multiunit run produced.
type TrialRecord struct {
	// Trial is the 1-based trial number.
	Trial int

	// E and I are the means over the E and I units of the
	// trial-filtered rates in Hz, before the rate floor: the rates that
	// drove this trial's update (the population curves of Figs. 5B,
	// 6B). ESD and ISD are their standard deviations across units
	// (n−1), the spread of the thin lines.
	E, ESD, I, ISD float64

	// EMin, EMax, IMin and IMax are the extremes over units of the
	// same rates.
	EMin, EMax, IMin, IMax float64

	// MeanE and MeanI are the means over units of this trial's own
	// window means in Hz.
	MeanE, MeanI float64

	// Sums are the mean summed incoming weights WEEp, WEIp, WIEp and
	// WIIp after this trial's update (Weights.ClassSums). The authors'
	// trialhistW*p hold them before the update, i.e. our previous
	// trial's values (rate-models.md surprise 11).
	Sums model.Weights
}

// Trace is the rates of some units within one trial.
type Trace struct {
	// Trial is the 1-based trial number.
	Trial int

	// Units are the units traced (E units first).
	Units []int

	// T0 is the time of sample 0 and Dt the time between samples, in
	// ms relative to the pulse onset.
	T0, Dt float64

	// R[k] are the rates of Units[k] in Hz.
	R [][]float64
}

// Time returns the time of sample s in ms.
func (t *Trace) Time(s int) float64 { return t.T0 + float64(s)*t.Dt }

// Result is one multiunit run.
type Result struct {
	// Run is the run index and Seed the seed: the noise comes from
	// stream Run of Seed.
	Run  int
	Seed uint64

	// W0 are the initial weights and W the weights after the last
	// completed trial (after an overflow, as the failed update left
	// them).
	W0, W *Weights

	// Trials holds one record per completed trial, in order.
	Trials []TrialRecord

	// Units holds, with Config.KeepUnits, every unit's trial-filtered
	// rate (before the floor) after each trial: Units[t][u] for trial
	// t+1 and unit u, E units first.
	Units [][]float64

	// UnitExc and UnitInh hold, with Config.KeepUnits, every unit's
	// summed incoming E and I weights after each trial's update
	// (Weights.Sums), indexed like Units.
	UnitExc, UnitInh [][]float64

	// Traces holds the traces of Config.TraceTrials, in trial order.
	Traces []Trace
}

// Run runs the trial protocol of c on a network that starts from the
// weights w0 with the rule, drawing the noise from stream run of seed
// (the run index of a batch; 0 for a single run). progress, if not nil,
// is called after every trial with the number of trials done and
// c.Trials.
//
// Run returns a *sim.ConfigError for a setting out of range, an error
// for weights that do not fit c, a *sim.OverflowError when an update
// leaves a weight at +Inf, and ctx.Err() when ctx is cancelled. In the
// last two cases the result holds the trials completed before.
func Run(ctx context.Context, c Config, rule *Rule, w0 *Weights, seed uint64, run int,
	progress func(done, total int)) (Result, error) {
	p, err := c.plan()
	if err != nil {
		return Result{}, err
	}
	if rule == nil || w0 == nil {
		return Result{}, fmt.Errorf("multiunit: Run needs a rule and initial weights")
	}
	if err := w0.check(c.NE, c.NI); err != nil {
		return Result{}, err
	}
	res := Result{Run: run, Seed: seed, W0: w0.Clone(), W: w0.Clone(),
		Trials: make([]TrialRecord, 0, c.Trials)}
	nw := newNetwork(c.NE, c.NI, fastrand.NewState(seed, uint64(run)))
	st := newLearner(&c, rule, res.W)
	traced := map[int]bool{}
	for _, t := range c.TraceTrials {
		traced[t] = true
	}
	for t := 1; t <= c.Trials; t++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		nw.load(res.W)
		if traced[t] {
			res.Traces = append(res.Traces, tracedTrial(nw, &p, &c, t))
		} else {
			nw.trial(&p, nil)
		}
		rec, err := st.update(nw, p.winN, t)
		if err != nil {
			return res, err
		}
		res.Trials = append(res.Trials, rec)
		if c.KeepUnits {
			res.keepUnits(st)
		}
		if progress != nil {
			progress(t, c.Trials)
		}
	}
	return res, nil
}

// keepUnits appends the unit rates and summed inputs after a trial.
func (r *Result) keepUnits(l *learner) {
	n := r.W.N()
	u := append(append(make([]float64, 0, n), l.avgE...), l.avgI...)
	exc, inh := make([]float64, n), make([]float64, n)
	for i := range n {
		exc[i], inh[i] = r.W.Sums(i)
	}
	r.Units = append(r.Units, u)
	r.UnitExc = append(r.UnitExc, exc)
	r.UnitInh = append(r.UnitInh, inh)
}

// tracedTrial runs a trial keeping the rates of c.TraceUnits.
func tracedTrial(nw *network, p *plan, c *Config, t int) Trace {
	every := c.TraceEvery
	m := (p.n + every - 1) / every
	tr := Trace{Trial: t, Units: append([]int(nil), c.TraceUnits...),
		T0: c.Dt - c.PulseOnsetMs, Dt: float64(every) * c.Dt, R: make([][]float64, len(c.TraceUnits))}
	for k := range tr.R {
		tr.R[k] = make([]float64, 0, m)
	}
	nw.trial(p, func(k int) {
		if k%every != 0 {
			return
		}
		for j, u := range tr.Units {
			tr.R[j] = append(tr.R[j], nw.rate(u))
		}
	})
	return tr
}

// learner is the plasticity state of a run: the filtered rates, the
// floors and the buffers of an update.
type learner struct {
	c    *Config
	rule *Rule
	w    *Weights

	avgE, avgI []float64 // trial-filtered rates, from 0
	fE, fI     []float64 // floored
	floorE     []float64 // least E-input weight onto each unit
	floorI     []float64 // least I-input weight onto each unit
	own, cross []float64 // per postsynaptic unit, for one class
	gz         []float64 // Cross(z_l) per unit of the other population
}

func newLearner(c *Config, rule *Rule, w *Weights) *learner {
	n := c.NE + c.NI
	l := &learner{c: c, rule: rule, w: w,
		avgE: make([]float64, c.NE), avgI: make([]float64, c.NI),
		fE: make([]float64, c.NE), fI: make([]float64, c.NI),
		floorE: make([]float64, n), floorI: make([]float64, n),
		own: make([]float64, n), cross: make([]float64, n), gz: make([]float64, n),
	}
	for i := range n {
		l.floorE[i], l.floorI[i] = w.floors(i, c.WeightFloor)
	}
	return l
}

// update filters the trial's window means, floors them, applies the
// rule to every synapse from the old weights, floors the weights and
// returns the trial's record.
func (l *learner) update(nw *network, winN int, t int) (TrialRecord, error) {
	c := l.c
	var mE, mI float64
	for k, s := range nw.winE {
		m := s / float64(winN)
		mE += m
		l.avgE[k] = l.avgE[k] + (m-l.avgE[k])/c.TrialTau
		l.fE[k] = math.Max(c.RateFloor, l.avgE[k])
	}
	for k, s := range nw.winI {
		m := s / float64(winN)
		mI += m
		l.avgI[k] = l.avgI[k] + (m-l.avgI[k])/c.TrialTau
		l.fI[k] = math.Max(c.RateFloor, l.avgI[k])
	}
	for k := range l.rule.Classes {
		if err := l.applyClass(k, t); err != nil {
			return TrialRecord{}, err
		}
	}
	rec := TrialRecord{Trial: t, MeanE: mE / float64(c.NE), MeanI: mI / float64(c.NI),
		Sums: l.w.ClassSums()}
	rec.E, rec.ESD = meanSD(l.avgE)
	rec.I, rec.ISD = meanSD(l.avgI)
	rec.EMin, rec.EMax = slices.Min(l.avgE), slices.Max(l.avgE)
	rec.IMin, rec.IMax = slices.Min(l.avgI), slices.Max(l.avgI)
	return rec, nil
}

// rates returns the floored rates of population pop (0 E, 1 I) and the
// index of its first unit.
func (l *learner) rates(pop int) ([]float64, int) {
	if pop == 0 {
		return l.fE, 0
	}
	return l.fI, l.c.NE
}

// applyClass updates the weights of class k (see Rule):
// w_ij ← max(floor_i, w_ij + x_j·(Own(y_i) + ⟨Cross(z_l)⟩)), with NaN
// taken to the floor as the authors' code does.
func (l *learner) applyClass(k, t int) error {
	cr := &l.rule.Classes[k]
	if cr.Factor == FactorNone {
		return nil
	}
	w, n := l.w, l.w.N()
	x, x0 := l.rates(pre(k))
	y, y0 := l.rates(post(k))
	z, z0 := l.rates(1 - post(k))
	floors := l.floorE
	if pre(k) == 1 {
		floors = l.floorI
	}

	// Own(y_i) per postsynaptic unit; Cross(z_l) per unit of the other
	// population, averaged over each unit's partners.
	var arg [1]float64
	for i, r := range y {
		arg[0] = r
		l.own[i] = cr.own.Eval(arg[:])
	}
	if cr.hasCross {
		for q, r := range z {
			arg[0] = r
			l.gz[q] = cr.cross.Eval(arg[:])
		}
	}
	for i := range y {
		row := w.W[(y0+i)*n : (y0+i)*n+n]
		g := l.own[i]
		if cr.hasCross {
			var s float64
			m := 0
			for q := range z {
				if w.Connected(y0+i, z0+q) {
					s += l.gz[q]
					m++
				}
			}
			if m > 0 {
				g += s / float64(m)
			}
		}
		floor := floors[y0+i]
		for j, xj := range x {
			if !w.Connected(y0+i, x0+j) {
				continue
			}
			old := row[x0+j]
			f := xj
			if cr.Factor == FactorWeight {
				f = old
			}
			v := old + float64(f*g)
			if math.IsInf(v, 1) {
				e, _ := meanSD(l.fE)
				in, _ := meanSD(l.fI)
				return &sim.OverflowError{Trial: t,
					Weight: fmt.Sprintf("%s[%d,%d]", model.Names[k], i, j), Value: v, E: e, I: in}
			}
			if !(v >= floor) {
				v = floor // also NaN
			}
			row[x0+j] = v
		}
	}
	return nil
}
