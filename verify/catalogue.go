package verify

import (
	"github.com/paradoxlab/paradox/sim"
)

// Catalogue returns the built-in claims in the order they are reported.
// The sources name the paper's figures and sections and the sections of
// ../shared/reference/analytics.md (A) and rate-models.md (R).
func Catalogue() []Claim {
	return []Claim{
		{
			ID: "neural.wedge",
			Statement: "The neural-stable region of the setpoint plane is the wedge between the det line " +
				"θI(gE·WEE − 1) = gE·θE'·WIE (above) and the trace line WIE = θI/Eset + τI·Iset/(τE·gI·Eset)·(gE·WEE − 1) (below), " +
				"46.5 % of the box [0, 10] x [0, 20].",
			Source: "SI 2.2; Fig. 2F; A §2, §8 row 1",
			Check:  checkNeuralWedge,
		},
		{
			ID: "paradox.condition",
			Statement: "The paradoxical effect (more drive to I lowers I) occurs iff gE·WEE > 1; the paper's " +
				"\"WEE × Eset − 1 > 0\" is a misprint.",
			Source: "Fig. 2H legend; SI Eq. (paradoxical); A §3, §8 row 2",
			Check:  checkParadoxCondition,
		},
		{
			ID:        "standard.equal-overlap",
			Statement: "Standard rule, equal rates: the both-stable region is a small wedge, about 3.5 % of the box, for WEE > 3.08.",
			Source:    "Fig. 2F; SI Fig. S8 top; A §5.1, §12.2",
			Check:     checkStandardOverlap,
		},
		{
			ID:        "standard.ratio20",
			Statement: "Standard rule: aE ≥ 20·aI makes the whole neural-stable region plasticity stable; just below 20 it does not.",
			Source:    "Fig. 2G; A §5.1 (ii), §8 row 5",
			Check:     checkStandardRatio20,
		},
		{
			ID:        "standard.slowE-limit",
			Statement: "Standard rule: as aE/aI → 0 the plasticity border tends to the paradoxical line gE·WEE = 1.",
			Source:    "Fig. 2H; A §5.1 (iii), §8 row 6",
			Check:     checkSlowELimit,
		},
		{
			ID: "cross.stable",
			Statement: "Cross-homeostatic rule: plasticity stable wherever C > 0, WEI > 0 and WIE > 0, " +
				"for any positive rates and any Iext.",
			Source: "Fig. 4H; SI 1.3, Eq. 8; A §5.3, §8 row 8",
			Check:  checkCrossStable,
		},
		{
			ID:        "twoterm.det",
			Statement: "Two-term rule: det K > 0 wherever C > 0, for any positive cross and homeostatic rates.",
			Source:    "SI 1.4; A §5.4, §8 row 9",
			Check:     checkTwoTermDet,
		},
		{
			ID: "twoterm.trace",
			Statement: "Two-term rule: the trace condition is SI Eq. 10 and fails only below its line; " +
				"where it fails in the neural-stable region is reported for the SI's settings.",
			Source: "SI 1.4, Eq. 10, Fig. S10; A §5.4, §8 row 9",
			Check:  checkTwoTermTrace,
		},
		{
			ID:        "synscale.equal-unstable",
			Statement: "Synaptic scaling with equal rates is plasticity unstable on (almost) the whole neural-stable region.",
			Source:    "SI 1.5, Fig. S11 top; A §5.5, §8 row 10",
			Check:     checkSynscaleEqual,
		},
		{
			ID:        "synscale.slowI-stable",
			Statement: "Synaptic scaling with slow inhibitory plasticity (aI = aE/10) is plasticity stable on (almost) the whole neural-stable region.",
			Source:    "SI 1.5, Fig. S11 middle; A §5.5, §8 row 10",
			Check:     checkSynscaleSlowI,
		},
		{
			ID:        "tonic.standard-border",
			Statement: "Tonic input: the standard rule's plasticity border does not move with Iext.",
			Source:    "Fig. 2I; SI 2.6; A §5.1, §6, §8 row 12",
			Check:     checkStandardBorderIext,
		},
		{
			ID: "tonic.stable-paradoxical",
			Statement: "Tonic input: with Iext < θE every stable Up state is paradoxical (gE·WEE > 1); " +
				"non-paradoxical stable states need Iext > θE.",
			Source: "Fig. 2I; A §3, §6, §8 row 2",
			Check:  checkStableParadoxical,
		},
		{
			ID:        "sim.fig2b",
			Statement: "From Fig. 2B's initial weights the standard rule (α = 1e-4) does not settle at the setpoints within 1000 trials.",
			Source:    "Fig. 2B-C; R §1",
			Check:     checkNoSettle(fig2BStarts),
		},
		{
			ID:        "sim.fig2e",
			Statement: "From Fig. 2E's initial weights (the setpoint plane at (5, 10), rounded) the standard rule (α = 1e-4) does not stay at the setpoints within 1000 trials.",
			Source:    "Fig. 2E; R §1, surprise 14",
			Check:     checkNoSettle([]start{{"Fig. 2E", sim.Fig2E, ""}}),
		},
		{
			ID:        "sim.fig4b",
			Statement: "From Fig. 4B's initial weights the cross rule (α = 5e-4) approaches the setpoints: the errors of E and I shrink from trial 500 to 1000.",
			Source:    "Fig. 4B-C; R §1",
			Check:     checkFig4B,
		},
		{
			ID:        "sim.fig4b-floor",
			Statement: "In the authors' Fig. 4B protocol WII ends on its floor 0.1, which the paper does not mention.",
			Source:    "Fig. 4C; R surprise 7",
			Check:     checkFig4BFloor,
		},
		{
			ID:        "sim.fig2d",
			Statement: "Across random initialisations the standard rule's mean final rates miss the setpoints.",
			Source:    "Fig. 2D; R §4",
			Check:     checkFig2D,
		},
		{
			ID:        "sim.fig4e",
			Statement: "Across random initialisations the cross rule's mean final rates are at the setpoints.",
			Source:    "Fig. 4E; R §4",
			Check:     checkFig4E,
		},
		{
			ID: "multiunit.cross-means",
			Statement: "80E/20I network, cross-homeostatic rule (α = 2e-5): from a start below the rate ceilings the population means reach " +
				"the setpoints within the paper's 250 trials (within 5 % over the last 10 trials) while the units stay scattered " +
				"(SD/mean ≥ 0.2 across units, for E and I).",
			Source: "Fig. 5B-E; R §2",
			Check:  checkUnitCross,
		},
		{
			ID: "multiunit.twoterm-units",
			Statement: "80E/20I network, two-term rule (α = 1e-5): from a start below the rate ceilings every unit reaches both setpoints " +
				"within the paper's 250 trials (within 5 % over the last 10 trials) and every unit's summed incoming weights lie on " +
				"the balance line of Methods Eqs. 4-5 (within 0.15).",
			Source: "Fig. 6B-E; Methods Eqs. 4-5; R §2",
			Check:  checkUnitTwoTerm,
		},
		{
			ID: "multiunit.batch",
			Statement: "80E/20I network, random initialisations N(0.1, 0.04²): not every run reaches the setpoints within the paper's 250 trials " +
				"under either rule, so the paper's \"all 400 converge\" is not supported: every start whose first trial saturates at the " +
				"rate ceilings misses; the fraction of draws at the setpoints by trial 250, and of saturated starts by 1000, is reported.",
			Source: "Figs. 5G-H, 6G-H; R §2, §4",
			Check:  checkUnitBatch,
		},
		{
			ID: "agreement.standard",
			Statement: "Standard rule, equal rates: runs started next to a cell's setpoint weights stay there " +
				"iff the analysis says the cell is stable (away from the borders).",
			Source:    "Fig. 2E-F; A §4, §13",
			Check:     agreementClaim(agreementStandard),
			Agreement: agreementStandard,
		},
		{
			ID: "agreement.twoterm",
			Statement: "Two-term rule with one rate (Methods Eq. 8): runs started next to a cell's setpoint weights " +
				"stay there iff the analysis says the cell is stable (away from the borders).",
			Source:    "Fig. 6; SI Fig. S10 right; A §4, §5.4, §13",
			Check:     agreementClaim(agreementTwoTerm),
			Agreement: agreementTwoTerm,
		},
	}
}
