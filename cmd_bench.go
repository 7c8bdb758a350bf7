package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/live/loadtest"
)

func newBenchCmd() *cobra.Command {
	bench := &cobra.Command{
		Use:   "bench",
		Short: "Measure carddesk's parts under load",
		Args:  cobra.NoArgs,
	}
	bench.AddCommand(newBenchRelayCmd())
	bench.AddCommand(newBenchSSHCmd())
	bench.AddCommand(newBenchAgentsCmd())
	bench.AddCommand(newBenchStartCmd())
	bench.AddCommand(newBenchBudgetCmd())
	return bench
}

type benchRelayFlags struct {
	url        string
	token      string // from --token, --token-file or CARDDESK_RELAY_TOKEN
	secret     string // from --vydapay-secret, its file or CARDDESK_VYDAPAY_WEBHOOK_SECRETS
	cfg        loadtest.Config
	verbose    bool
	cpuProfile string
}

func newBenchRelayCmd() *cobra.Command {
	var f benchRelayFlags
	cmd := &cobra.Command{
		Use:   "relay",
		Short: "Load the relay with signed webhooks while subscribers stream them",
		Long: `POST signed Vydapay transaction webhooks of realistic size to a relay at --rate
(0: as fast as possible) for --duration from --concurrency connections while
--subscribers stream them, then report accepted events/s, POST latency,
POST→subscriber latency (p50/p99/max) and events lost (acknowledged but never
delivered to every subscriber), which must be 0.

Without --url it starts a relay in-process on a temporary SQLite database, then
runs the same load against a relay with a no-op store, and prints the
durable/no-store ratio. With --url it loads that relay: give its stream token
(--token-file, or CARDDESK_RELAY_TOKEN) and a Vydapay webhook secret it accepts
(--vydapay-secret-file, or the first of CARDDESK_VYDAPAY_WEBHOOK_SECRETS). The
flag forms, --token and --vydapay-secret, are visible to every local user (ps).`,
		Args: cobra.NoArgs,
	}
	token := secretFlag{name: "token", env: "CARDDESK_RELAY_TOKEN",
		usage: "the relay's stream token (with --url)", fileUsage: "file holding the relay's stream token (with --url)"}
	secret := secretFlag{name: "vydapay-secret", env: "CARDDESK_VYDAPAY_WEBHOOK_SECRETS",
		usage: "the relay's Vydapay webhook secret (with --url)", fileUsage: "file holding the relay's Vydapay webhook secret (with --url)"}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		var err error
		if f.token, err = secretOrEnv(cmd.Flags(), &token, os.Getenv); err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		if f.secret, err = secretOrEnv(cmd.Flags(), &secret, os.Getenv); err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		return runBenchRelay(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "relay base URL, e.g. http://127.0.0.1:8781 (default: start one in-process)")
	token.bind(fl)
	secret.bind(fl)
	fl.Float64Var(&f.cfg.Rate, "rate", 0, "events per second over all connections (0: as fast as possible)")
	fl.DurationVar(&f.cfg.Duration, "duration", loadtest.DefaultDuration, "how long to POST, per store")
	fl.IntVar(&f.cfg.Concurrency, "concurrency", loadtest.DefaultConcurrency, "POSTing connections")
	fl.IntVar(&f.cfg.Subscribers, "subscribers", loadtest.DefaultSubscribers, "stream subscribers")
	fl.IntVar(&f.cfg.Size, "size", loadtest.DefaultSize, "approximate event body size in bytes")
	fl.Float64Var(&f.cfg.HealthRate, "healthz-rate", 0, "GETs of /healthz per second, without a token, during the POSTs (0: none)")
	fl.BoolVar(&f.verbose, "verbose", false, "log the relay's and the subscribers' warnings")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (relay and load) to this file")
	return cmd
}

func runBenchRelay(ctx context.Context, out, errOut io.Writer, f benchRelayFlags) error {
	switch {
	case f.cfg.Duration <= 0:
		return fmt.Errorf("bench relay: --duration %v: must be positive", f.cfg.Duration)
	case f.cfg.Concurrency <= 0:
		return fmt.Errorf("bench relay: --concurrency %d: must be positive", f.cfg.Concurrency)
	case f.cfg.Subscribers <= 0:
		return fmt.Errorf("bench relay: --subscribers %d: must be positive", f.cfg.Subscribers)
	case f.cfg.Size <= 0:
		return fmt.Errorf("bench relay: --size %d: must be positive", f.cfg.Size)
	}
	level := slog.LevelError
	if f.verbose {
		level = slog.LevelWarn
	}
	f.cfg.Logger = newLogger(os.Stderr, level)
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		defer stop()
	}

	var rows []loadtest.Row
	if f.url != "" {
		cfg := f.cfg
		cfg.URL, cfg.Token, cfg.VydapaySecret = f.url, f.token, f.secret
		fmt.Fprintf(errOut, "bench: loading %s for %v…\n", f.url, cfg.Duration)
		res, err := loadtest.Run(ctx, cfg)
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		rows = append(rows, loadtest.Row{Store: "remote", Result: res})
	} else {
		dir, err := os.MkdirTemp("", "carddesk-bench-")
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		defer os.RemoveAll(dir)
		for _, store := range []string{"sqlite", "no-op"} {
			fmt.Fprintf(errOut, "bench: in-process relay over the %s store, %v…\n", store, f.cfg.Duration)
			row, err := benchInProcess(ctx, dir, store == "sqlite", f.cfg)
			if err != nil {
				return fmt.Errorf("bench relay (%s store): %w", store, err)
			}
			row.Store = store
			rows = append(rows, row)
		}
	}
	if err := loadtest.WriteReport(out, f.cfg, rows); err != nil {
		return err
	}
	for _, r := range rows {
		if r.Result.Lost > 0 {
			return fmt.Errorf("bench relay: %s store lost %d acknowledged events", r.Store, r.Result.Lost)
		}
	}
	return nil
}

// startCPUProfile profiles the process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		out.Close()
	}, nil
}

// benchInProcess runs one load against a fresh in-process relay.
func benchInProcess(ctx context.Context, dir string, durable bool, cfg loadtest.Config) (loadtest.Row, error) {
	t, err := loadtest.StartRelay(ctx, dir, durable, cfg.Logger)
	if err != nil {
		return loadtest.Row{}, err
	}
	cfg.URL, cfg.Token, cfg.VydapaySecret = t.URL, t.Token, t.VydapaySecret
	res, err := loadtest.Run(ctx, cfg)
	row := loadtest.Row{Result: res, Note: t.Note()}
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return row, errors.Join(err, t.Close(closeCtx))
}
