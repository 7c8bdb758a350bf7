package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"
)

// Bench is `carddesk bench relay`. With cfg.URL it loads that relay once;
// without, it starts a relay in-process on a temporary SQLite database,
// then one over the no-op store, loads each the same, and reports the
// durable/no-store ratio. The report goes to out, the progress to errOut;
// a run in which some store lost an acknowledged event fails.
// cpuProfile, when set, is where a CPU profile of the whole run (relay
// and load) goes.
func Bench(ctx context.Context, out, errOut io.Writer, cfg Config, cpuProfile string) error {
	switch {
	case cfg.Duration <= 0:
		return fmt.Errorf("bench relay: --duration %v: must be positive", cfg.Duration)
	case cfg.Concurrency <= 0:
		return fmt.Errorf("bench relay: --concurrency %d: must be positive", cfg.Concurrency)
	case cfg.Subscribers <= 0:
		return fmt.Errorf("bench relay: --subscribers %d: must be positive", cfg.Subscribers)
	case cfg.Size <= 0:
		return fmt.Errorf("bench relay: --size %d: must be positive", cfg.Size)
	}
	if cpuProfile != "" {
		stop, err := startCPUProfile(cpuProfile)
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		defer stop()
	}

	var rows []Row
	if cfg.URL != "" {
		fmt.Fprintf(errOut, "bench: loading %s for %v…\n", cfg.URL, cfg.Duration)
		res, err := Run(ctx, cfg)
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		rows = append(rows, Row{Store: "remote", Result: res})
	} else {
		dir, err := os.MkdirTemp("", "carddesk-bench-")
		if err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		defer os.RemoveAll(dir)
		for _, store := range []string{"sqlite", "no-op"} {
			fmt.Fprintf(errOut, "bench: in-process relay over the %s store, %v…\n", store, cfg.Duration)
			row, err := inProcess(ctx, dir, store == "sqlite", cfg)
			if err != nil {
				return fmt.Errorf("bench relay (%s store): %w", store, err)
			}
			row.Store = store
			rows = append(rows, row)
		}
	}
	if err := WriteReport(out, cfg, rows); err != nil {
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

// inProcess runs one load against a fresh in-process relay.
func inProcess(ctx context.Context, dir string, durable bool, cfg Config) (Row, error) {
	t, err := StartRelay(ctx, dir, durable, cfg.Logger)
	if err != nil {
		return Row{}, err
	}
	cfg.URL, cfg.Token, cfg.VydapaySecret = t.URL, t.Token, t.VydapaySecret
	res, err := Run(ctx, cfg)
	row := Row{Result: res, Note: t.Note()}
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return row, errors.Join(err, t.Close(closeCtx))
}
