// Command paradox analyses the stability of plasticity rules in
// excitatory/inhibitory population models: region maps over weight space,
// single-point analysis, simulations, verdicts on claims and reports.
//
// Run `paradox --help` for the manual.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/paradoxlab/paradox/internal/provenance"
	"github.com/urfave/cli/v2"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Stdout, os.Stderr, os.Args)
	stop()
	os.Exit(code)
}

// run is the whole program: it parses args, runs the subcommand and
// returns the exit code (0 ok, 1 failure, 2 usage error).
func run(ctx context.Context, stdout, stderr io.Writer, args []string) int {
	notFound := false
	app := &cli.App{
		Name:      "paradox",
		Version:   provenance.Version + " (commit " + provenance.Commit() + ")",
		Usage:     "stability analysis of plasticity rules in E/I population models",
		UsageText: "paradox [global options] command [command options]",
		Description: "paradox answers one question for a family of plasticity rules: does it drive\n" +
			"a recurrent E/I circuit to a stable, inhibition-stabilized state at its\n" +
			"firing-rate setpoints, and where in weight space does it fail? The model and\n" +
			"its defaults are those of Soldado-Magraner, Seay, Laje & Buonomano, PNAS 2022.\n\n" +
			"Examples:\n" +
			"   paradox map --rule cross --out out/cross\n" +
			"   paradox point --rule standard --wee 5 --wie 10\n" +
			"   paradox rules",
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Commands:        commands(),
		Metadata:        map[string]any{"args": args},
		ExitErrHandler:  func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(stderr, "paradox: unknown command %q; run 'paradox --help'\n", name)
			notFound = true
		},
	}
	markUsageErrors(app.Commands)
	err := app.RunContext(ctx, args)
	if notFound {
		return 2
	}
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "paradox: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// markUsageErrors makes flag-parsing errors of every subcommand usage
// errors (exit code 2).
func markUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		}
		markUsageErrors(c.Subcommands)
	}
}

// commands lists the subcommands in the order --help shows them.
func commands() []*cli.Command {
	return []*cli.Command{
		rulesCommand(),
		pointCommand(),
		mapCommand(),
		simulateCommand(),
		ensembleCommand(),
		stepCommand(),
		multiunitCommand(),
		spikingCommand(),
		verifyCommand(),
		reportCommand(),
		mergeCommand(),
	}
}
