// Package verify checks claims about plasticity rule families by
// computation and returns a verdict per claim. It never prints: the
// command line (paradox verify) formats the results as a table, JSON or
// JUnit XML.
//
// # Claims
//
// A Claim is an identifier, one sentence, the place it comes from (a
// figure of Soldado-Magraner et al., PNAS 2022, or a section of
// ../shared/reference/analytics.md and rate-models.md) and a check. A
// check returns an Outcome: a verdict (Pass, Fail or Error), the measured
// value and the expected one as short text, numbers for machines and a
// few lines of details. Catalogue returns the built-in claims; LoadClaims
// reads a user's claims from TOML (see the package's README section and
// ClaimsHelp).
//
// Analytic claims evaluate the closed-form and eigenvalue paths of package
// jacobian on dense grids of the setpoint plane and on random samples of
// the model constants and the learning rates. Simulation claims run the
// trial protocol, the ensembles and the paradoxical-step experiment of
// package sim, noise-free or with the paper's low noise and fixed seeds.
// The multiunit claims train the 80E/20I network of package
// sim/multiunit with the paper's noise: one run per rule from the first
// random initialisation whose first trial is below the rate ceilings
// (Figs. 5, 6), and a census and batch of initialisations in which
// those that start at the ceilings are counted and trained apart
// (Figs. 5G-H, 6G-H).
// The agreement claims compare both: they start simulations next to the
// setpoints of sampled cells and test whether the analytic verdict
// predicts whether the run stays there (Agreement).
//
// # Profiles
//
// A Profile sets the sizes of the grids, samples and ensembles. Quick
// fits in a minute on two cores and is what CI runs; Full is for reports
// and fits in ten minutes. The verdicts must not depend on the profile;
// only the resolution of the measured numbers does.
//
// # Determinism
//
// Every random draw comes from a PCG seeded from Options.Seed and a
// per-claim constant, and simulations seed run k from (seed, k), so a
// result does not depend on the number of workers.
//
// # Families
//
// Checks take their rule families from the Env, which serves the built-in
// families unless Options.Families replaces one by name. Tests use this to
// show that a claim fails when a sign of its rule is flipped.
package verify
