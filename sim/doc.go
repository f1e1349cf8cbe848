// Package sim integrates the two-population rate model of
// Soldado-Magraner et al. (PNAS 2022) in time, with plasticity: the
// trial-based development protocol of Figs. 2 and 4, its online variant
// (Fig. S4), ensembles from random initial weights (Figs. 2D, 4D-G) and the
// paradoxical-step experiment on fixed weights (Figs. 1B-C, 3).
//
// # Experiments
//
//	Run        the trial protocol from given weights (Figs. 2B-C, 2E, 4B-C)
//	RunOnline  per-step plasticity from slow rate sensors (Fig. S4)
//	Ensemble   many runs from random weights, in parallel (Figs. 2D, 4D-G)
//	Step       the paradoxical step on fixed weights (Figs. 1B-C, 3)
//
// Each takes a configuration whose Default… constructor gives the
// authors' settings, and returns plain data for package reports to draw.
// Settings out of range give a *ConfigError; a weight that overflows
// gives an *OverflowError with everything computed before it.
//
// # Model
//
// Per time step of dt = 0.1 ms (forward Euler, in the order of the
// authors' MATLAB code; rate-models.md §1):
//
//	ξE ← ξE + (dt/τOU)(0 − ξE) + σ√dt N(0,1)        (then ξI the same)
//	E  ← E + (−E + gE [WEE E − WEI I + pulse + ξE − θE']+) / (τE/dt)
//	I  ← I + (−I + gI [WIE E − WII I + ξI − θI]+) / (τI/dt)
//	E  ← min(E, Emax),  I ← min(I, Imax)
//
// The I update uses the E value just computed (sequential, Gauss-Seidel
// order), as the code does. The loops evaluate the E update as
// E + ([…]+ − E/gE) / (τE/(dt gE)), and the I update alike: for gains
// that are powers of two (the paper's 1 and 4, and 0.5 in the
// non-paradoxical set) every operation then rounds to the same double as
// the code's form, since scaling by 2ᵏ is exact, and a multiply leaves
// the chain of dependent operations that bounds the speed. Other gains
// differ from the code's form in the last bit. θE' = θE − Iext: the tonic input Iext of
// model.Params enters the E input through the threshold, which is exact
// for the paper's Iext = 0. The adaptation variable of the code is left
// out; it is never updated in the two-population scripts.
//
// # Trial protocol
//
// Each trial starts from E = I = 0 and lasts 2 s; a pulse of amplitude 7
// goes into E at 250 ms. The noise state ξ is carried across trials. At
// the end of trial n the window means m_E, m_I over the last 0.5 s are
// filtered across trials, Ē_n = Ē_{n−1} + (m_E − Ē_{n−1})/τtrial from
// Ē_0 = 0, floored, max(1 Hz, Ē), and the four weights take one
// simultaneous step W ← max(Wmin, W + ΔW(Ē, Ī, W)) of the rule. The floored
// rates enter both the presynaptic factors and the errors.
//
// # Code and paper
//
// Defaults follow the authors' code (saraysoldado/Paradoxical2022 at
// ec742f3, read in rate-models.md); where the paper's text says otherwise,
// the paper's value is an option:
//
//	                      code (default)          paper / option
//	pulse length          101 samples (10.1 ms)   10 ms: HalfOpen
//	averaging window      5001 samples            5000: HalfOpen
//	Fig. 2B/4B start WII  1.5 (Fig4BCode)         2 (Fig4BPaper)
//	rate floor            1 Hz                    not stated: RateFloor 0
//	weight floor          0.1                     not stated: WeightFloor
//	trial filter          τ = 2 trials            not stated: TrialTau 1
//
// # Numerics
//
// The loops are written so that Go cannot fuse a product and a sum into an
// FMA (every product is wrapped in an explicit float64 conversion), which
// keeps results bit-identical on every architecture. With σ = 0 a run
// agrees to 1e-12 with a plain transcription of the code (referencePort
// in the tests), and rate-models.md reports that such a transcription
// matches the authors' noise-free runs to at least 10 digits. Rates below
// 2⁻¹⁰⁰⁰ (about 1e-301) are set to 0: an I population that falls silent
// decays into the subnormal range within a trial, and subnormal
// arithmetic made such a trial five times slower on x86. This changes no
// printed digit.
//
// Noise comes from internal/fastrand. A run is a pure function of its
// configuration, rule, initial weights and seed; an ensemble seeds run k
// from (seed, k), so its output does not depend on the number of workers.
//
// # Rules
//
// A Rule gives the four weight increments at rates (E, I) and weights W,
// with its learning rates and setpoints already bound. The command line
// compiles one from package jacobian, so a rule is written once for the
// analysis and the simulation. Ensemble calls a rule from several
// goroutines at once.
package sim
