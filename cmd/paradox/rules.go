package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/paradoxlab/paradox/jacobian"
	"github.com/paradoxlab/paradox/jacobian/expr"
	"github.com/paradoxlab/paradox/model"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the rule families with their expressions and symbolic derivatives",
		UsageText: "paradox rules [--rule NAME | --rule-file FILE] [--latex]",
		Description: "Without --rule or --rule-file every built-in family is listed. Each family is\n" +
			"four expressions, dWEE/dt, dWEI/dt, dWIE/dt, dWII/dt, over the rates E and I,\n" +
			"the weights WEE WEI WIE WII, the model constants (Eset Iset gE gI thetaE thetaI\n" +
			"tauE tauI Iext), the learning rates aEE aEI aIE aII and hEE hEI hIE hII, and\n" +
			"the family's own [constants]. A rule file looks like\n\n" +
			"   name = \"myrule\"\n" +
			"   doc  = \"cross-homeostatic with a leak on WEE\"\n" +
			"   dWEE = \"aEE*E*(Iset - I) - leak*(E - Eset)\"\n" +
			"   dWEI = \"-aEI*I*(Iset - I)\"\n" +
			"   dWIE = \"-aIE*E*(Eset - E)\"\n" +
			"   dWII = \"aII*I*(Eset - E)\"\n" +
			"   [constants]\n" +
			"   leak = 0.001\n\n" +
			"Expressions use + - * / ^, parentheses, numbers and exp log sqrt abs min max.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "rule", Usage: "show only this built-in family"},
			&cli.StringFlag{Name: "rule-file", Usage: "show the family in TOML `FILE`"},
			&cli.BoolFlag{Name: "latex", Usage: "print LaTeX instead of plain text"},
		},
		Action: func(c *cli.Context) error {
			var fams []*jacobian.Family
			switch {
			case c.IsSet("rule") || c.IsSet("rule-file"):
				f, err := resolveFamily(c)
				if err != nil {
					return err
				}
				fams = []*jacobian.Family{f}
			default:
				fams = jacobian.Builtins()
			}
			show := expr.String
			if c.Bool("latex") {
				show = expr.LaTeX
			}
			for i, f := range fams {
				if i > 0 {
					fmt.Fprintln(c.App.Writer)
				}
				writeFamily(c.App.Writer, f, show)
			}
			return nil
		},
	}
}

func writeFamily(w io.Writer, f *jacobian.Family, show func(expr.Expr) string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", f.Name)
	if f.Doc != "" {
		fmt.Fprintf(&b, "  %s\n", wrap(f.Doc, 76, "  "))
	}
	for k, v := range f.Consts {
		fmt.Fprintf(&b, "  constant %s = %g\n", k, v)
	}
	d := f.Derivatives()
	for k, e := range f.Exprs {
		fmt.Fprintf(&b, "  d%s/dt = %s\n", model.Names[k], show(e))
		fmt.Fprintf(&b, "      ∂/∂E = %s\n", show(d.DE[k]))
		fmt.Fprintf(&b, "      ∂/∂I = %s\n", show(d.DI[k]))
		for j, n := range model.Names {
			if c, ok := expr.Const(d.DW[k][j]); ok && c == 0 {
				continue
			}
			fmt.Fprintf(&b, "      ∂/∂%s = %s\n", n, show(d.DW[k][j]))
		}
	}
	io.WriteString(w, b.String())
}

// wrap breaks s into lines of at most width runes, joined by a newline
// and indent.
func wrap(s string, width int, indent string) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	lines = append(lines, line)
	return strings.Join(lines, "\n"+indent)
}
