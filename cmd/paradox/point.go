package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/linalg"
	"github.com/paradoxlab/paradox/model"
	"github.com/urfave/cli/v2"
)

func pointCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "wee", Usage: "free weight WEE on the setpoint plane (with --wie)"},
		&cli.StringFlag{Name: "wie", Usage: "free weight WIE on the setpoint plane (with --wee)"},
		&cli.StringFlag{Name: "weights", Usage: "all four weights `WEE,WEI,WIE,WII` instead of --wee/--wie"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON object instead of text"},
	}
	flags = append(flags, ruleFlags("standard")...)
	flags = append(flags, modelFlags()...)
	return &cli.Command{
		Name:      "point",
		Usage:     "analyse one point: neural fixed point and stability, paradoxical flag, QSS plasticity Jacobian",
		UsageText: "paradox point [--rule R] (--wee X --wie Y | --weights WEE,WEI,WIE,WII) [--rates ...] [--json]",
		Description: "Given the free weights (WEE, WIE) of the setpoint plane (Methods Eqs. 4-5 give\n" +
			"WEI and WII) or all four weights, point reports the Up-state fixed point of the\n" +
			"neural subsystem, C, the neural Jacobian with its trace/det verdict, the\n" +
			"paradoxical flag gE*WEE > 1 with dI*/d(input to I), and the 4x4 QSS plasticity\n" +
			"Jacobian J = D + M G by implicit differentiation with the rule's symbolic\n" +
			"derivatives: its eigenvalues, the two structural zeros (null space = tangent\n" +
			"of the setpoint plane), the reduced 2x2 K and the plasticity verdict.\n\n" +
			"Example (Fig. 2E: neural stable, plasticity unstable):\n" +
			"   paradox point --rule standard --wee 5 --wie 10",
		Flags:  flags,
		Action: pointAction,
	}
}

// pointReport is the JSON form of `paradox point`.
type pointReport struct {
	Rule        string       `json:"rule"`
	Rates       string       `json:"rates"`
	WEE         float64      `json:"WEE"`
	WEI         float64      `json:"WEI"`
	WIE         float64      `json:"WIE"`
	WII         float64      `json:"WII"`
	E           *float64     `json:"E"`
	I           *float64     `json:"I"`
	C           float64      `json:"C"`
	Paradoxical bool         `json:"paradoxical"`
	DIdInputI   *float64     `json:"dI_dinput_I"`
	FixedPoints [][2]float64 `json:"fixed_points"`
	Neural      neuralJSON   `json:"neural"`
	Plasticity  *plasticJSON `json:"plasticity"`
	Warnings    []string     `json:"warnings,omitempty"`
	Params      model.Params `json:"params"`
}

type neuralJSON struct {
	Stable      bool          `json:"stable"`
	Verdict     string        `json:"verdict"`
	Trace       float64       `json:"trace"`
	Det         float64       `json:"det"`
	Eigenvalues [][2]float64  `json:"eigenvalues"`
	Jacobian    [2][2]float64 `json:"jacobian"`
}

type plasticJSON struct {
	Stable       bool          `json:"stable"`
	Verdict      string        `json:"verdict"`
	Trace        float64       `json:"trace"`
	Det          float64       `json:"det"`
	Eigenvalues  [][2]float64  `json:"eigenvalues"`
	Zero         [][2]float64  `json:"zero_eigenvalues"`
	NullResidual float64       `json:"null_residual"`
	J            [4][4]float64 `json:"J"`
	K            [2][2]float64 `json:"K"`
}

// verdict is "stable", "unstable" or "marginal": marginal when the
// largest real part is within jacobian.MarginalTol of zero relative to
// the largest modulus, as in the map (where grid points can fall exactly
// on a border and the sign of the real part is rounding noise).
func verdict(stable bool, eig []complex128) string {
	if math.Abs(real(eig[0])) <= jacobian.MarginalTol*linalg.MaxAbs(eig) {
		return "marginal"
	}
	if stable {
		return "stable"
	}
	return "unstable"
}

func pairs(v []complex128) [][2]float64 {
	out := make([][2]float64, len(v))
	for i, z := range v {
		out[i] = [2]float64{real(z), imag(z)}
	}
	return out
}

func pointAction(c *cli.Context) error {
	p, err := resolveParams(c)
	if err != nil {
		return err
	}
	w, err := pointWeights(c, p)
	if err != nil {
		return err
	}
	rule, err := resolveRule(c, p)
	if err != nil {
		return err
	}
	rep, err := analysePoint(rule, w)
	if err != nil {
		return err
	}
	out := c.App.Writer
	if c.Bool("json") {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writePointText(out, rep)
}

// pointWeights reads --wee/--wie or --weights.
func pointWeights(c *cli.Context, p model.Params) (model.Weights, error) {
	hasPlane := c.IsSet("wee") || c.IsSet("wie")
	switch {
	case c.IsSet("weights") && hasPlane:
		return model.Weights{}, usageErrorf("give either --weights or --wee/--wie, not both")
	case c.IsSet("weights"):
		vs, err := parseFloats("weights", c.String("weights"))
		if err != nil {
			return model.Weights{}, err
		}
		if len(vs) != 4 {
			return model.Weights{}, usageErrorf("--weights: want four values WEE,WEI,WIE,WII, got %d", len(vs))
		}
		return model.FromArray([4]float64(vs)), nil
	case c.IsSet("wee") && c.IsSet("wie"):
		wee, err := parseFloat("wee", c.String("wee"))
		if err != nil {
			return model.Weights{}, err
		}
		wie, err := parseFloat("wie", c.String("wie"))
		if err != nil {
			return model.Weights{}, err
		}
		return p.OnPlane(wee, wie), nil
	}
	return model.Weights{}, usageErrorf("give --wee and --wie (a point of the setpoint plane) or --weights")
}

// analysePoint computes everything `paradox point` reports.
func analysePoint(rule *jacobian.Rule, w model.Weights) (*pointReport, error) {
	p := rule.Params
	n := jacobian.NeuralStability(p, w)
	rep := &pointReport{
		Rule: rule.Family.Name, Rates: ratesString(rule.Family, rule.Rates),
		WEE: w.WEE, WEI: w.WEI, WIE: w.WIE, WII: w.WII,
		C: n.C, Paradoxical: jacobian.Paradoxical(p, w.WEE), Params: p,
		Neural: neuralJSON{
			Stable: n.Stable, Trace: n.Trace, Det: n.Det,
			Eigenvalues: pairs(n.Eigenvalues[:]), Jacobian: n.Jn,
		},
	}
	if w.WEI < 0 || w.WII < 0 || w.WEE < 0 || w.WIE < 0 {
		rep.Warnings = append(rep.Warnings, "a weight is negative: the point is outside the biological range")
	}
	var up *jacobian.FixedPoint
	for _, fp := range jacobian.FixedPoints(p, w) {
		rep.FixedPoints = append(rep.FixedPoints, [2]float64{fp.E, fp.I})
		if fp.ActiveE && fp.ActiveI && up == nil {
			fp := fp
			up = &fp
		}
	}
	rep.Neural.Verdict = verdict(n.Stable, n.Eigenvalues[:])
	rep.Neural.Stable = rep.Neural.Verdict == "stable"
	if up == nil {
		rep.Neural.Stable, rep.Neural.Verdict = false, "none"
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no Up state (both populations active): C = %g; the plasticity Jacobian needs one", n.C))
		return rep, nil
	}
	rep.E, rep.I = &up.E, &up.I
	d := jacobian.DIdInputI(p, w)
	rep.DIdInputI = &d

	pl, err := jacobian.PlasticityAt(rule, w, up.E, up.I)
	if err != nil {
		return nil, err
	}
	rep.Plasticity = &plasticJSON{
		Stable: pl.Stable, Trace: pl.Trace, Det: pl.Det,
		Eigenvalues: pairs(pl.Eigenvalues[:]), Zero: pairs(pl.Zero[:]),
		NullResidual: pl.NullResidual, J: pl.J, K: pl.K,
	}
	rep.Plasticity.Verdict = verdict(pl.Stable, pl.Eigenvalues[:])
	rep.Plasticity.Stable = rep.Plasticity.Verdict == "stable"
	delta := rule.Delta(up.E, up.I, w).Array()
	if math.Abs(up.E-p.Eset) > 1e-9*p.Eset || math.Abs(up.I-p.Iset) > 1e-9*p.Iset {
		rep.Plasticity.Stable, rep.Plasticity.Verdict = false, "none"
		rep.Warnings = append(rep.Warnings, fmt.Sprintf(
			"the Up state (%.6g, %.6g) is not at the setpoints (%g, %g): dW/dt = %.3g, so this is no fixed point of the plasticity; J describes the local flow only and no plasticity verdict is given",
			up.E, up.I, p.Eset, p.Iset, delta))
	}
	return rep, nil
}

func writePointText(w io.Writer, r *pointReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "rule        %s (%s)\n", r.Rule, r.Rates)
	fmt.Fprintf(&b, "weights     WEE=%.6g WEI=%.6g WIE=%.6g WII=%.6g\n", r.WEE, r.WEI, r.WIE, r.WII)
	fmt.Fprintf(&b, "C           %.6g  (gE gI WEI WIE - (gE WEE - 1)(gI WII + 1))\n", r.C)
	if r.E != nil {
		fmt.Fprintf(&b, "fixed point E*=%.6g Hz  I*=%.6g Hz  (both populations active)\n", *r.E, *r.I)
	}
	for _, fp := range r.FixedPoints {
		if r.E == nil || fp != [2]float64{*r.E, *r.I} {
			fmt.Fprintf(&b, "also fixed  E=%.6g I=%.6g\n", fp[0], fp[1])
		}
	}
	fmt.Fprintf(&b, "\nneural      %s: trace %.6g /ms, det %.6g /ms², eigenvalues %s\n",
		r.Neural.Verdict, r.Neural.Trace, r.Neural.Det, fmtEig(r.Neural.Eigenvalues))
	fmt.Fprintf(&b, "paradoxical %v (gE*WEE = %.6g)", r.Paradoxical, r.Params.GE*r.WEE)
	if r.DIdInputI != nil {
		fmt.Fprintf(&b, "; dI*/d(input to I) = %.6g", *r.DIdInputI)
	}
	b.WriteString("\n")
	if pl := r.Plasticity; pl != nil {
		fmt.Fprintf(&b, "\nplasticity  %s: tr K %.6g, det K %.6g\n", strings.Replace(pl.Verdict, "none", "no verdict", 1), pl.Trace, pl.Det)
		fmt.Fprintf(&b, "  nonzero eigenvalues  %s\n", fmtEig(pl.Eigenvalues))
		fmt.Fprintf(&b, "  structural zeros     %s  (null-space residual %.2g)\n", fmtEig(pl.Zero), pl.NullResidual)
		b.WriteString("  J (rows dWEE dWEI dWIE dWII; columns WEE WEI WIE WII)\n")
		for _, row := range pl.J {
			fmt.Fprintf(&b, "    % .6e % .6e % .6e % .6e\n", row[0], row[1], row[2], row[3])
		}
		fmt.Fprintf(&b, "  K  [% .6e % .6e]\n     [% .6e % .6e]\n", pl.K[0][0], pl.K[0][1], pl.K[1][0], pl.K[1][1])
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&b, "\nnote: %s\n", wn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtEig(v [][2]float64) string {
	parts := make([]string, len(v))
	for i, z := range v {
		if z[1] == 0 {
			parts[i] = fmt.Sprintf("%.6g", z[0])
		} else {
			parts[i] = fmt.Sprintf("%.6g%+.6gi", z[0], z[1])
		}
	}
	return strings.Join(parts, ", ")
}
