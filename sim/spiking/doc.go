// Package spiking is a native Go port of the sparse spiking network of
// Fig. 7 of Soldado-Magraner, Seay, Laje & Buonomano (PNAS 2022): 1600
// excitatory and 400 inhibitory adaptive leaky integrate-and-fire cells,
// trained trial by trial by the local two-term cross-homeostatic rule
// from a silent start to self-sustained Up states at the setpoints, and
// the paradoxical-effect test of the trained network. It follows the
// authors' Brian2 code as restated in shared/reference/spiking.md, with
// its surprises: weights are charges, rates come from an Up window keyed
// on I spikes, and "two-term" means a cross plus a classic homeostatic
// term.
//
// # Model
//
// Voltages are relative (rest ≈ 7 mV, threshold 20 mV). Each cell has
//
//	dv/dt = (gL (EL − v) − Iad + sE − sI + sX + Iext)/Cm + σ τm^(−1/2) ξ(t)
//	dIad/dt = −Iad/τad, and a spike adds β/τad
//	τf ds/dt = u − s, τr du/dt = −u for the E (8/23 ms), I (1/1 ms)
//	  and kick (E constants) channels
//
// A spike through a synapse of weight w pA adds w/τr (τr in ms) to u, so
// the kernel s(t) has area w·1 ms. The kick adds KickAmp pA to u of the
// first KickN E cells at KickMS, undivided. After a spike v stays at the
// reset for round(tref/dt) recorded samples.
//
// # Integration
//
// Forward Euler at dt = 0.1 ms in Brian's order (Network.Run): every
// variable is advanced from the old values, cells at threshold spike and
// reset, and their spikes are queued on a ring buffer, one slot per step
// of delay; the events of a step reach u at the end of it, s one step
// later and v the step after. The factors are Brian's (the I channel
// decays by 0.9 per step), so the kernels match the reference and not
// the exact exponentials. Values below 10⁻²⁰ pA are flushed to zero
// every few hundred steps, which keeps the floats normal (see
// Network.flushTiny) and changes nothing measurable.
//
// # Training
//
// Trainer.Step runs one 1.5-s trial from the reset state (the noise
// stream runs on), measures per-cell rates in the Up window (Measure),
// filters them over trials with the persistent 1-Hz floor, and applies
// the rule of Trainer.Update to every synapse, clipped to [WMin, WMax].
// Two presets hold the Fig. 7 run (Fig7) and the public script (Public);
// LoadParams reads any parameter from TOML.
//
// # Randomness and reproducibility
//
// Nothing here uses a global random source. A Trainer derives three
// streams from its seed: the graph and the initial weights (math/rand/v2
// PCG) and the membrane noise (Xoshiro, xoshiro256++ with a 256-layer
// ziggurat). Same seed, same result, bit for bit; a checkpoint stores
// the noise stream's position with the weights and filter state, so a
// resumed run matches an uninterrupted one exactly.
//
// # Performance and memory
//
// State is float32 in structure-of-arrays form, the weights the network
// runs on are a float32 copy of the trainer's float64 weights, and the
// step loop does not allocate once the spike buffer has grown. Trials
// are sequential; use several processes or Paradox's Workers for
// independent runs. A Network is not safe for concurrent use.
//
// # Output
//
// The package never prints. Long runs report through a callback
// func(done, total int). WriteWeights and Trainer.WriteCheckpoint
// document their binary layout in file.go.
package spiking
