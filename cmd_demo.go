package main

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/console"
	"github.com/carddesk/carddesk/tui/demodir"
	"github.com/carddesk/carddesk/tui/stack"
)

func newDemoCmd() *cobra.Command {
	var cfg stack.Config
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the dashboard against an in-process sandbox issuer and relay",
		Long: `Run everything in one process with nothing to configure: the sandbox
issuer and its traffic simulator on loopback, the relay receiving the
sandbox's signed webhooks into a SQLite store, and the dashboard subscribed
to the relay's stream. State lives in a directory of its own under the
system's temporary directory, removed on exit; if the demo is killed before
it can remove it, the next demo (or serve --demo) removes it at start.

` + faultsHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), cfg)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Float64Var(&cfg.Rate, "rate", 25, "simulated authorisations per second")
	fl.Int64Var(&cfg.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.IntVar(&cfg.RateLimit, "rate-limit", 0, rateLimitUsage)
	fl.StringVar(&cfg.Faults, "faults", "", `inject provider faults between the dashboard and the sandbox, e.g. "latency=300ms,429=0.2,5xx=0.1" (see above)`)
	fl.BoolVar(&cfg.Drift, "drift", false, driftHelp)
	return cmd
}

// rateLimitUsage is the help of the demos' --rate-limit.
const rateLimitUsage = "the sandbox's API requests per minute per key (0: 100, Vydapay's test-mode limit; negative: unlimited)"

func runDemo(ctx context.Context, cfg stack.Config) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	state, _, err := demodir.Open("")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer state.Close()
	cfg.Dir = state.Path()

	// A closed terminal (SIGHUP) ends the demo like q does, so that its
	// directory goes with it at once rather than at the next demo's start.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stop()
	err = stack.With(ctx, cfg, func(ctx context.Context, r *stack.Running) error {
		return console.Run(ctx, r.Backend, console.Actor(backend.RoleSupervisor), nil)
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
