package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/tui/stack"
)

// BudgetConfig is what `carddesk bench budget` measures: agents on Live and
// Declines and a customer call every CallEvery, for Duration, Live's rows
// counted after Warmup.
type BudgetConfig struct {
	Stack     stack.Config // the in-process stack; Dir and hooks are the bench's own
	Duration  time.Duration
	Warmup    time.Duration
	CallEvery time.Duration
	Logger    *slog.Logger // the server's warnings; nil discards
}

func (f BudgetConfig) validate() error {
	if err := f.Stack.Validate(); err != nil {
		return err
	}
	switch {
	case f.Stack.RateLimit < 1:
		return fmt.Errorf("--rate-limit %d: want at least 1 request a minute (the budget is what is measured)", f.Stack.RateLimit)
	case f.Duration <= 0:
		return fmt.Errorf("--duration %v: must be positive", f.Duration)
	case f.Warmup < 0 || f.Warmup >= f.Duration:
		return fmt.Errorf("--warmup %v: want 0 or more and less than --duration %v", f.Warmup, f.Duration)
	case f.CallEvery <= 0:
		return fmt.Errorf("--call-every %v: must be positive", f.CallEvery)
	}
	return nil
}

// budgetResult is what one run measured.
type budgetResult struct {
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

// Budget runs `carddesk bench budget`: agents on Live and Declines and a
// scripted customer call against the sandbox at its rate limit; it reports
// the budget's lanes, the calls' latency and Live's rows to out, the
// progress to errOut.
func Budget(ctx context.Context, out, errOut io.Writer, f BudgetConfig) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench budget: %w", err)
	}
	fmt.Fprintf(errOut, "bench: Live, Declines and a customer call every %v over SSH for %v…\n", f.CallEvery, f.Duration)
	var run budgetResult
	err := withServer(ctx, serverConfig{stack: f.Stack, agents: 3, logger: f.Logger, warn: errOut},
		func(ctx context.Context, bs *server) error {
			var err error
			run, err = budgetRun(ctx, bs, f)
			return err
		})
	if err != nil {
		return fmt.Errorf("bench budget: %w", err)
	}
	return writeBudget(out, f, run)
}

// budgetRun connects the agents and runs them for f.Duration.
func budgetRun(ctx context.Context, bs *server, f BudgetConfig) (budgetResult, error) {
	customers, err := pickCallCustomers(ctx, bs.client, 12)
	if err != nil {
		return budgetResult{}, err
	}
	run := budgetResult{setup: bs.requests.Load(), leastLeft: -1}
	// Counted from here: the agents' first screens and the first lookups
	// of Live's cards are part of the run.
	b0 := bs.client.RateLimit().Budget
	reqs0, limited0 := bs.requests.Load(), bs.limited.Load()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	terms := make([]*sshSession, 3)
	defer func() {
		for _, t := range terms {
			if t != nil {
				t.close()
			}
		}
	}()
	connected := time.Now()
	declinesShown := func(s *Screen) bool { return s.Contains("Decline rate") && s.Contains("Top cards") }
	for i, view := range []struct {
		key, what string
		shown     func(*Screen) bool
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
		step, stop := context.WithTimeout(ctx, stepWait)
		err := terms[i].Await(step, "the "+view.what+" view", view.shown)
		stop()
		if err != nil {
			return run, err
		}
	}

	start := time.Now()
	deadline := start.Add(f.Duration)
	var wg sync.WaitGroup
	var sampleErr error
	wg.Go(func() { sampleErr = sampleLive(ctx, terms[0], connected.Add(f.Warmup), deadline, &run) })
	var latencies []time.Duration
	callErr := func() error {
		for i := 0; ; i++ {
			next := start.Add(time.Duration(i) * f.CallEvery)
			if i > 0 && !next.Before(deadline) {
				return pause(ctx, time.Until(deadline))
			}
			if err := pause(ctx, time.Until(next)); err != nil {
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

func writeBudget(out io.Writer, f BudgetConfig, r budgetResult) error {
	fmt.Fprintf(out, "%s sandbox at %d requests/minute per key, simulator at %s authorisations/s, for %v: one agent on Live, one on Declines, one working a customer call every %v, over SSH at %d×%d\n\n",
		f.Stack.Provider, f.Stack.RateLimit, strconv.FormatFloat(f.Stack.Rate, 'f', -1, 64), r.elapsed.Round(time.Second), f.CallEvery, agentWidth, agentHeight)
	minutes := r.elapsed.Minutes()
	var rows [][]string
	for lane, name := range []string{"interactive", "background"} {
		rows = append(rows, []string{name, stats.Thousands(float64(r.sent[lane])),
			strconv.FormatFloat(float64(r.sent[lane])/minutes, 'f', 1, 64), strconv.FormatInt(r.limited[lane], 10)})
	}
	if err := writeTable(out, []string{"lane", "requests", "per minute", "answered 429"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nthe sandbox saw %s requests, %d answered 429 (and %d before the agents started)\n",
		stats.Thousands(float64(r.sandbox)), r.sandbox429, r.setup)
	fmt.Fprintf(out, "429s seen by interactive reads: %d\n\n", r.limited[api.LaneInteractive])
	if err := writeTable(out, []string{"customer calls", "calls", "steps", "p50", "p99", "max"}, [][]string{{
		"step latency", strconv.Itoa(r.calls), strconv.Itoa(r.steps.N), millis(r.steps.P50), millis(r.steps.P99), millis(r.steps.Max),
	}}); err != nil {
		return err
	}
	share := 0.0
	if r.rows > 0 {
		share = 100 * float64(r.shown) / float64(r.rows)
	}
	fmt.Fprintf(out, "\nLive rows showing their card after %v: %.1f%% (%s of %s rows in %d samples)\n",
		f.Warmup, share, stats.Thousands(float64(r.shown)), stats.Thousands(float64(r.rows)), r.samples)
	if r.leastLeft >= 0 {
		fmt.Fprintf(out, "fewest requests left in a window, as the header showed: %d of %d\n", r.leastLeft, r.limit)
	}
	return nil
}
