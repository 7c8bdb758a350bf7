package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/stack"
)

type benchBudgetFlags struct {
	demo      stack.Config
	duration  time.Duration
	warmup    time.Duration
	callEvery time.Duration
	verbose   bool
}

func newBenchBudgetCmd() *cobra.Command {
	var f benchBudgetFlags
	cmd := &cobra.Command{
		Use:   "budget",
		Short: "Measure how one key's rate limit serves agents while Live and Declines run",
		Long: `Run serve --demo in-process with the sandbox at --rate-limit requests a
minute per key and its simulator at --rate authorisations per second, and
connect three agents over real SSH sessions (120×40 PTYs): one watches
Live, one Declines, and one works a customer call every --call-every —
Users, search the customer by email, open them, open their card, freeze
it, unfreeze it, back to Users — each step waiting until the screen shows
it, for --duration, and at least one call.

It reports the requests of each lane of the key's budget (interactive: what
an agent asked for; background: what the dashboard fetched on its own) and
the 429s each saw, the calls' step latency (p50, p99, max), the share of
Live rows that show their card after --warmup (sampled every second on the
Live agent's screen), and the fewest requests the header showed left in a
window. Interactive reads should meet no 429 and rows should show their
card.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchBudget(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.DurationVar(&f.duration, "duration", 10*time.Minute, "how long the agents work")
	fl.DurationVar(&f.warmup, "warmup", time.Minute, "how long Live runs before its rows are counted")
	fl.DurationVar(&f.callEvery, "call-every", 20*time.Second, "how often a customer call starts")
	fl.IntVar(&f.demo.RateLimit, "rate-limit", 100, "the sandbox's API requests per minute per key")
	fl.Float64Var(&f.demo.Rate, "rate", 25, "simulated authorisations per second")
	fl.StringVar(&f.demo.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.demo.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&f.verbose, "verbose", false, "log the server's warnings")
	return cmd
}

func (f benchBudgetFlags) validate() error {
	if err := f.demo.Validate(); err != nil {
		return err
	}
	switch {
	case f.demo.RateLimit < 1:
		return fmt.Errorf("--rate-limit %d: want at least 1 request a minute (the budget is what is measured)", f.demo.RateLimit)
	case f.duration <= 0:
		return fmt.Errorf("--duration %v: must be positive", f.duration)
	case f.warmup < 0 || f.warmup >= f.duration:
		return fmt.Errorf("--warmup %v: want 0 or more and less than --duration %v", f.warmup, f.duration)
	case f.callEvery <= 0:
		return fmt.Errorf("--call-every %v: must be positive", f.callEvery)
	}
	return nil
}

// benchBudgetRun is what one run measured.
type benchBudgetRun struct {
	elapsed time.Duration
	setup   int64 // sandbox requests before the agents started
	// sent and limited are the budget's requests and 429s by lane.
	sent, limited [2]int64
	sandbox       int64 // requests that reached the sandbox
	sandbox429    int64
	calls         int
	steps         stats.Latency
	rows, shown   int64 // Live rows sampled, and of those showing their card
	samples       int
	leastLeft     int // fewest requests the header showed left; -1: never shown
	limit         int
}

func runBenchBudget(ctx context.Context, out, errOut io.Writer, f benchBudgetFlags) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench budget: %w", err)
	}
	fmt.Fprintf(errOut, "bench: Live, Declines and a customer call every %v over SSH for %v…\n", f.callEvery, f.duration)
	var run benchBudgetRun
	err := withBenchServer(ctx, benchServerConfig{demo: f.demo, agents: 3, verbose: f.verbose, warn: errOut},
		func(ctx context.Context, bs *benchServer) error {
			var err error
			run, err = budgetRun(ctx, bs, f)
			return err
		})
	if err != nil {
		return fmt.Errorf("bench budget: %w", err)
	}
	return writeBenchBudget(out, f, run)
}

// budgetRun connects the agents and runs them for f.duration.
func budgetRun(ctx context.Context, bs *benchServer, f benchBudgetFlags) (benchBudgetRun, error) {
	customers, err := pickCallCustomers(ctx, bs.client, 12)
	if err != nil {
		return benchBudgetRun{}, err
	}
	run := benchBudgetRun{setup: bs.requests.Load(), leastLeft: -1}
	// Counted from here: the agents' first screens and the first lookups
	// of Live's cards are part of the run.
	b0 := bs.client.RateLimit().Budget
	reqs0, limited0 := bs.requests.Load(), bs.limited.Load()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	terms := make([]*benchSSH, 3)
	defer func() {
		for _, t := range terms {
			if t != nil {
				t.close()
			}
		}
	}()
	connected := time.Now()
	declinesShown := func(s *benchScreen) bool { return s.Contains("Decline rate") && s.Contains("Top cards") }
	for i, view := range []struct {
		key, what string
		shown     func(*benchScreen) bool
	}{{"3", "Live", liveShown}, {"4", "Declines", declinesShown}, {"", "", nil}} {
		if terms[i], err = connectAgent(ctx, bs, i); err != nil {
			return run, err
		}
		if view.key == "" {
			continue
		}
		if err := terms[i].press(view.key); err != nil {
			return run, err
		}
		step, stop := context.WithTimeout(ctx, benchStepWait)
		err := terms[i].await(step, "the "+view.what+" view", view.shown)
		stop()
		if err != nil {
			return run, err
		}
	}

	start := time.Now()
	deadline := start.Add(f.duration)
	var wg sync.WaitGroup
	var sampleErr error
	wg.Go(func() { sampleErr = sampleLive(ctx, terms[0], connected.Add(f.warmup), deadline, &run) })
	var latencies []time.Duration
	callErr := func() error {
		for i := 0; ; i++ {
			next := start.Add(time.Duration(i) * f.callEvery)
			if i > 0 && !next.Before(deadline) {
				return benchPause(ctx, time.Until(deadline))
			}
			if err := benchPause(ctx, time.Until(next)); err != nil {
				return err
			}
			steps, err := customerCall(ctx, terms[2], customers[i%len(customers)])
			latencies = append(latencies, steps...)
			if err != nil {
				return fmt.Errorf("customer call %d: %w", i+1, err)
			}
			run.calls++
		}
	}()
	cancel()
	wg.Wait()
	if callErr != nil {
		return run, callErr
	}
	if sampleErr != nil {
		return run, sampleErr
	}
	run.elapsed = time.Since(connected)
	b1 := bs.client.RateLimit().Budget
	for lane := range 2 {
		run.sent[lane] = b1.Sent[lane] - b0.Sent[lane]
		run.limited[lane] = b1.RateLimited[lane] - b0.RateLimited[lane]
	}
	run.limit = b1.Limit
	run.sandbox, run.sandbox429 = bs.requests.Load()-reqs0, bs.limited.Load()-limited0
	run.steps = stats.Summarize(latencies)
	return run, nil
}

func writeBenchBudget(out io.Writer, f benchBudgetFlags, r benchBudgetRun) error {
	fmt.Fprintf(out, "%s sandbox at %d requests/minute per key, simulator at %s authorisations/s, for %v: one agent on Live, one on Declines, one working a customer call every %v, over SSH at %d×%d\n\n",
		f.demo.Provider, f.demo.RateLimit, strconv.FormatFloat(f.demo.Rate, 'f', -1, 64), r.elapsed.Round(time.Second), f.callEvery, benchAgentWidth, benchAgentHeight)
	minutes := r.elapsed.Minutes()
	var rows [][]string
	for lane, name := range []string{"interactive", "background"} {
		rows = append(rows, []string{name, stats.Thousands(float64(r.sent[lane])),
			strconv.FormatFloat(float64(r.sent[lane])/minutes, 'f', 1, 64), strconv.FormatInt(r.limited[lane], 10)})
	}
	if err := writeBenchTable(out, []string{"lane", "requests", "per minute", "answered 429"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nthe sandbox saw %s requests, %d answered 429 (and %d before the agents started)\n",
		stats.Thousands(float64(r.sandbox)), r.sandbox429, r.setup)
	fmt.Fprintf(out, "429s seen by interactive reads: %d\n\n", r.limited[api.LaneInteractive])
	if err := writeBenchTable(out, []string{"customer calls", "calls", "steps", "p50", "p99", "max"}, [][]string{{
		"step latency", strconv.Itoa(r.calls), strconv.Itoa(r.steps.N), benchMs(r.steps.P50), benchMs(r.steps.P99), benchMs(r.steps.Max),
	}}); err != nil {
		return err
	}
	share := 0.0
	if r.rows > 0 {
		share = 100 * float64(r.shown) / float64(r.rows)
	}
	fmt.Fprintf(out, "\nLive rows showing their card after %v: %.1f%% (%s of %s rows in %d samples)\n",
		f.warmup, share, stats.Thousands(float64(r.shown)), stats.Thousands(float64(r.rows)), r.samples)
	if r.leastLeft >= 0 {
		fmt.Fprintf(out, "fewest requests left in a window, as the header showed: %d of %d\n", r.leastLeft, r.limit)
	}
	return nil
}
