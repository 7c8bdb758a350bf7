package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/stack"
)

type benchSSHFlags struct {
	demo          stack.Config
	duration      time.Duration
	settle        time.Duration
	width, height int
	verbose       bool
}

func newBenchSSHCmd() *cobra.Command {
	var f benchSSHFlags
	cmd := &cobra.Command{
		Use:   "ssh",
		Short: "Measure what one SSH session showing Live costs in bytes per second",
		Long: `Run serve --demo in-process (the sandbox issuer, its simulator at --rate
authorisations per second, the relay, the shared backend and the SSH
server), connect one real SSH client with a --width × --height PTY
(TERM=xterm-256color), switch to the Live view, let it settle for --settle,
then count for --duration what the client receives.

It reports, per second: bytes received (mean, p50, p99, max), frames drawn
and events the relay delivered to the dashboard. Every approved
authorisation settles (or reverses) 2–8 s later, so events run at nearly
twice --rate. Frames are counted by their synchronized-output brackets
(ESC[?2026h): the client answers Bubble Tea's mode-2026 query as current
terminals do, so each frame arrives bracketed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchSSH(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.Float64Var(&f.demo.Rate, "rate", 200, "simulated authorisations per second")
	fl.DurationVar(&f.duration, "duration", 20*time.Second, "how long to count, after settling (whole seconds)")
	fl.DurationVar(&f.settle, "settle", 2*time.Second, "how long Live runs before counting starts")
	fl.IntVar(&f.width, "width", 120, "terminal columns")
	fl.IntVar(&f.height, "height", 40, "terminal rows")
	fl.StringVar(&f.demo.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.demo.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&f.verbose, "verbose", false, "log the server's warnings")
	return cmd
}

// validateBenchSize checks a terminal size against the dashboard's
// smallest layout.
func validateBenchSize(w, h int) error {
	switch {
	case w < 80 || w > 1000:
		return fmt.Errorf("--width %d: want 80 to 1000 columns (the dashboard's layout holds from 80×24)", w)
	case h < 24 || h > 500:
		return fmt.Errorf("--height %d: want 24 to 500 rows (the dashboard's layout holds from 80×24)", h)
	}
	return nil
}

func (f benchSSHFlags) validate() error {
	if err := f.demo.Validate(); err != nil {
		return err
	}
	switch {
	case f.duration < time.Second:
		return fmt.Errorf("--duration %v: must be at least 1s (it is counted per second)", f.duration)
	case f.settle < 0:
		return fmt.Errorf("--settle %v: must not be negative", f.settle)
	}
	return validateBenchSize(f.width, f.height)
}

// benchSecond is what one second of the count saw.
type benchSecond struct {
	bytes, frames, events float64
}

// benchSSHResult is what `bench ssh` measured.
type benchSSHResult struct {
	elapsed               time.Duration
	bytes, frames, events int64
	seconds               []benchSecond
}

func runBenchSSH(ctx context.Context, out, errOut io.Writer, f benchSSHFlags) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench ssh: %w", err)
	}
	fmt.Fprintf(errOut, "bench: serve --demo in-process, one SSH session on Live, %v after %v settling…\n", f.duration, f.settle)
	var res benchSSHResult
	err := withBenchServer(ctx, benchServerConfig{demo: f.demo, agents: 1, verbose: f.verbose, warn: errOut},
		func(ctx context.Context, bs *benchServer) error {
			var err error
			res, err = measureLive(ctx, bs, f)
			return err
		})
	if err != nil {
		return fmt.Errorf("bench ssh: %w", err)
	}
	return writeBenchSSH(out, f, res)
}

// measureLive opens the session, brings up Live, and counts.
func measureLive(ctx context.Context, bs *benchServer, f benchSSHFlags) (benchSSHResult, error) {
	t, err := dialBench(ctx, bs, 0, f.width, f.height)
	if err != nil {
		return benchSSHResult{}, err
	}
	defer t.close()
	step, cancel := context.WithTimeout(ctx, benchStepWait)
	defer cancel()
	if err := t.await(step, "the Users view", usersListShown); err != nil {
		return benchSSHResult{}, err
	}
	if err := t.press("3"); err != nil {
		return benchSSHResult{}, err
	}
	if err := t.await(step, "the Live view", liveShown); err != nil {
		return benchSSHResult{}, err
	}
	if err := benchPause(ctx, f.settle); err != nil {
		return benchSSHResult{}, err
	}

	snap := func() (time.Time, benchSecond) {
		b, fr := t.counts()
		return time.Now(), benchSecond{bytes: float64(b), frames: float64(fr), events: float64(bs.events.Load())}
	}
	start, first := snap()
	prevAt, prev := start, first
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var res benchSSHResult
	for range int(f.duration / time.Second) {
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-t.ended:
			return res, fmt.Errorf("the session ended while counting: %v", t.endErr())
		case <-tick.C:
		}
		at, now := snap()
		secs := at.Sub(prevAt).Seconds()
		res.seconds = append(res.seconds, benchSecond{
			bytes:  (now.bytes - prev.bytes) / secs,
			frames: (now.frames - prev.frames) / secs,
			events: (now.events - prev.events) / secs,
		})
		prevAt, prev = at, now
	}
	res.elapsed = prevAt.Sub(start)
	res.bytes = int64(prev.bytes - first.bytes)
	res.frames = int64(prev.frames - first.frames)
	res.events = int64(prev.events - first.events)
	return res, nil
}

func writeBenchSSH(out io.Writer, f benchSSHFlags, r benchSSHResult) error {
	fmt.Fprintf(out, "one SSH session on Live at %d×%d (%s), %s simulator at %s authorisations/s, %v counted after %v\n\n",
		f.width, f.height, benchTermType, f.demo.Provider, strconv.FormatFloat(f.demo.Rate, 'f', -1, 64),
		r.elapsed.Round(time.Millisecond), f.settle)
	secs := r.elapsed.Seconds()
	row := func(name string, total int64, pick func(benchSecond) float64) []string {
		per := make([]float64, len(r.seconds))
		for i, s := range r.seconds {
			per[i] = pick(s)
		}
		sp := stats.Summarize(per)
		return []string{name, stats.Thousands(float64(total)), stats.Thousands(float64(total) / secs),
			stats.Thousands(sp.P50), stats.Thousands(sp.P99), stats.Thousands(sp.Max)}
	}
	rows := [][]string{
		row("bytes", r.bytes, func(s benchSecond) float64 { return s.bytes }),
		row("frames", r.frames, func(s benchSecond) float64 { return s.frames }),
		row("events delivered", r.events, func(s benchSecond) float64 { return s.events }),
	}
	if err := writeBenchTable(out, []string{"per second", "total", "mean/s", "p50/s", "p99/s", "max/s"}, rows); err != nil {
		return err
	}
	if r.frames > 0 {
		fmt.Fprintf(out, "\n%s bytes per frame, %s bytes per event delivered\n",
			stats.Thousands(float64(r.bytes)/float64(r.frames)), perEvent(r.bytes, r.events))
	} else {
		fmt.Fprintln(out, "\nno frame was bracketed with synchronized output: frames not counted")
	}
	return nil
}

func perEvent(bytes, events int64) string {
	if events == 0 {
		return "—"
	}
	return stats.Thousands(float64(bytes) / float64(events))
}
