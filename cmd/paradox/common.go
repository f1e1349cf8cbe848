package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paradoxlab/paradox/internal/atomicfile"
	"github.com/paradoxlab/paradox/internal/progress"
	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/paradoxlab/paradox/model"
	"github.com/urfave/cli/v2"
)

// usageError marks an error in how the command was called: exit code 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// usageErrorf returns a usage error (exit code 2).
func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Flags shared by every subcommand that touches the model.

// modelFlags are --config and one flag per model constant.
func modelFlags() []cli.Flag {
	d := model.Default()
	fs := []cli.Flag{
		&cli.StringFlag{Name: "config", Usage: "TOML `FILE` of model constants (keys as the flags below); flags override it"},
	}
	help := map[string]string{
		"taue": "E time constant τE in ms", "taui": "I time constant τI in ms",
		"thetae": "E threshold θE", "thetai": "I threshold θI",
		"ge": "E gain gE", "gi": "I gain gI",
		"eset": "E setpoint Eset in Hz", "iset": "I setpoint Iset in Hz",
		"iext": "tonic input to E, Iext",
	}
	for _, k := range model.ParamKeys() {
		v, _ := d.Get(k)
		fs = append(fs, &cli.StringFlag{
			Name: k, Category: "model constants",
			Usage: fmt.Sprintf("%s (default %g)", help[k], v),
		})
	}
	return fs
}

// resolveParams returns the paper's defaults, overridden by --config and
// then by the constant flags, validated. Bad values are usage errors.
func resolveParams(c *cli.Context) (model.Params, error) {
	p := model.Default()
	if f := c.String("config"); f != "" {
		var err error
		if p, err = model.LoadParams(f, p); err != nil {
			return p, usageError{err}
		}
	}
	for _, k := range model.ParamKeys() {
		if !c.IsSet(k) {
			continue
		}
		v, err := parseFloat(k, c.String(k))
		if err != nil {
			return p, err
		}
		p.Set(k, v)
	}
	if err := p.Validate(); err != nil {
		return p, usageErrorf("--%w", err)
	}
	return p, nil
}

// parseFloat parses a finite number for the flag named name.
func parseFloat(name, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, usageErrorf("--%s %q: want a finite number", name, s)
	}
	return v, nil
}

// parseFloats parses a comma-separated list of finite numbers.
func parseFloats(name, s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	out := make([]float64, len(parts))
	for i, p := range parts {
		v, err := parseFloat(name, p)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// parseFour parses one value (used for all four) or four values.
func parseFour(name, s string) ([4]float64, error) {
	var r [4]float64
	vs, err := parseFloats(name, s)
	if err != nil {
		return r, err
	}
	switch len(vs) {
	case 1:
		r = [4]float64{vs[0], vs[0], vs[0], vs[0]}
	case 4:
		copy(r[:], vs)
	default:
		return r, usageErrorf("--%s %q: want one value or four (EE,EI,IE,II)", name, s)
	}
	return r, nil
}

// Outputs.

// quietFlag turns progress off.
var quietFlag = &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on stderr"}

// newBar returns a progress bar on stderr, drawn only on a terminal and
// without --quiet.
func newBar(c *cli.Context, label string, total int) *progress.Bar {
	w := c.App.ErrWriter
	return progress.New(w, label, total, !c.Bool("quiet") && progress.IsTerminal(w))
}

// newProvenance starts the provenance record of this run.
func newProvenance(c *cli.Context) provenance.Info {
	args, _ := c.App.Metadata["args"].([]string)
	return provenance.New(args)
}

// writeAtomic writes path through write, to a temporary name renamed on
// success, so that no half-written file is ever left behind.
func writeAtomic(path string, write func(w io.Writer) error) error {
	if err := atomicfile.WriteFile(path, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// warnf prints a warning on stderr.
func warnf(c *cli.Context, format string, args ...any) {
	fmt.Fprintf(c.App.ErrWriter, "paradox: warning: "+format+"\n", args...)
}

// infof prints a note on stderr (paths written and the like).
func infof(c *cli.Context, format string, args ...any) {
	fmt.Fprintf(c.App.ErrWriter, "paradox: "+format+"\n", args...)
}
