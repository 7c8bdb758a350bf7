package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/tui/stack"
)

// The agents' terminal size.
const benchAgentWidth, benchAgentHeight = 120, 40

type benchAgentsFlags struct {
	demo     stack.Config
	agents   int
	duration time.Duration
	verbose  bool
}

func newBenchAgentsCmd() *cobra.Command {
	var f benchAgentsFlags
	cmd := &cobra.Command{
		Use:   "agents",
		Short: "Count the provider requests of many agents browsing against one",
		Long: `Run serve --demo in-process (the sandbox issuer, the relay, one shared
backend and the SSH server) and have one agent, then --agents at once
against a fresh server, browse the same script over real SSH sessions
(120×40 PTYs): once all are connected, each runs the script — Users,
search a customer by email, open them, back, Cards, open the first card,
back, each step waiting until the screen shows it — again and again until
--duration has passed, and at least once.

It reports the HTTP requests that reached the sandbox in each run, in all
and per agent, the scripts completed, requests refused with 429, and the
ratio of the many agents' requests to the one's. All sessions share one
cache and one set of in-flight reads, so many agents should cost the
provider little more than one. The default --duration outlasts the
backend's 30 s cache lifetime once, so each run refreshes what it read
once, and ends clear of the next refresh.

By default the simulator is off, so every request counted comes from
browsing. With --rate (serve --demo runs 25), every session's Live and
Declines screens, shown or not, also look up the cards of incoming events;
those lookups are shared too, but they depend on the traffic and the
machine's speed more than on the agents.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBenchAgents(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.agents, "agents", 20, "agents browsing at once, compared with one")
	fl.DurationVar(&f.duration, "duration", 45*time.Second, "how long each run browses")
	fl.Float64Var(&f.demo.Rate, "rate", 0, "simulated authorisations per second (0: none, every request is browsing)")
	fl.StringVar(&f.demo.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.demo.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&f.verbose, "verbose", false, "log the server's warnings")
	return cmd
}

func (f benchAgentsFlags) validate() error {
	if err := f.demo.Validate(); err != nil {
		return err
	}
	switch {
	case f.agents < 2 || f.agents > 200:
		return fmt.Errorf("--agents %d: want 2 to 200 (the run is compared with one agent)", f.agents)
	case f.duration <= 0:
		return fmt.Errorf("--duration %v: must be positive", f.duration)
	}
	return nil
}

// agentsText is "1 agent" or "20 agents".
func agentsText(n int) string {
	if n == 1 {
		return "1 agent"
	}
	return strconv.Itoa(n) + " agents"
}

// benchAgentsRun is one run's count.
type benchAgentsRun struct {
	agents   int
	scripts  int64 // scripts completed, over all agents
	requests int64 // HTTP requests that reached the sandbox
	limited  int64 // of those, answered 429
}

func runBenchAgents(ctx context.Context, out, errOut io.Writer, f benchAgentsFlags) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench agents: %w", err)
	}
	var runs []benchAgentsRun
	for _, n := range []int{1, f.agents} {
		fmt.Fprintf(errOut, "bench: %s browsing over SSH for %v…\n", agentsText(n), f.duration)
		var run benchAgentsRun
		err := withBenchServer(ctx, benchServerConfig{demo: f.demo, agents: n, verbose: f.verbose, warn: errOut},
			func(ctx context.Context, bs *benchServer) error {
				var err error
				run, err = browse(ctx, bs, n, f.duration)
				return err
			})
		if err != nil {
			return fmt.Errorf("bench agents (%s): %w", agentsText(n), err)
		}
		runs = append(runs, run)
	}
	return writeBenchAgents(out, f, runs)
}

// browse connects n agents, then has them run the script at once for d,
// every agent at least once, and counts what reached the sandbox from the
// first connection on.
func browse(ctx context.Context, bs *benchServer, n int, d time.Duration) (benchAgentsRun, error) {
	u, err := pickBenchUser(ctx, bs.client)
	if err != nil {
		return benchAgentsRun{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reqs0, limited0 := bs.requests.Load(), bs.limited.Load()
	terms := make([]*benchSSH, n)
	defer func() {
		var wg sync.WaitGroup
		for _, t := range terms {
			if t != nil {
				wg.Go(t.close)
			}
		}
		wg.Wait()
	}()
	err = eachAgent(ctx, n, func(i int) error {
		var err error
		terms[i], err = connectAgent(ctx, bs, i)
		return err
	})
	if err != nil {
		return benchAgentsRun{}, err
	}
	deadline := time.Now().Add(d)
	var scripts atomic.Int64
	script := benchScript(u)
	err = eachAgent(ctx, n, func(i int) error {
		for {
			if err := runScript(ctx, terms[i], script); err != nil {
				return err
			}
			scripts.Add(1)
			if !time.Now().Before(deadline) {
				return nil
			}
		}
	})
	run := benchAgentsRun{
		agents: n, scripts: scripts.Load(),
		requests: bs.requests.Load() - reqs0, limited: bs.limited.Load() - limited0,
	}
	return run, err
}

// eachAgent runs fn for agents 0…n-1 at once. The first failure cancels
// the others and is returned.
func eachAgent(ctx context.Context, n int, fn func(i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if errs[i] = fn(i); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("agent %d: %w", i+1, err)
		}
	}
	return ctx.Err()
}

// connectAgent opens agent i's dashboard and waits for its Users list.
func connectAgent(ctx context.Context, bs *benchServer, i int) (*benchSSH, error) {
	t, err := dialBench(ctx, bs, i, benchAgentWidth, benchAgentHeight)
	if err != nil {
		return nil, err
	}
	step, cancel := context.WithTimeout(ctx, benchStepWait)
	defer cancel()
	if err := t.await(step, "the Users list", usersLoaded); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// pickBenchUser is the customer every agent looks up: the holder of the
// newest card, who has at least that card to show.
func pickBenchUser(ctx context.Context, c api.Client) (api.User, error) {
	cards, err := c.ListCards(ctx, api.CardFilter{Page: api.PageParams{Limit: 1}})
	if err != nil {
		return api.User{}, fmt.Errorf("pick a customer: %w", err)
	}
	if len(cards.Items) == 0 || cards.Items[0].UserID == "" {
		return api.User{}, errors.New("pick a customer: the sandbox has no card with a holder")
	}
	u, err := c.GetUser(ctx, cards.Items[0].UserID)
	if err != nil {
		return api.User{}, fmt.Errorf("pick a customer: %w", err)
	}
	if u.Email == "" {
		return api.User{}, fmt.Errorf("pick a customer: user %s has no email to search by", u.ID)
	}
	return u, nil
}

// benchStep is one step of the script: keys, then what the screen must
// show before the next step.
type benchStep struct {
	keys  string
	what  string
	shown func(*benchScreen) bool
}

// benchScript is the agents' browsing script for customer u. It starts and
// ends on the unfiltered Users list or the Cards list, so it repeats.
func benchScript(u api.User) []benchStep {
	name, email := u.Name(), u.Email
	// The table may cut a long name or email short; its columns keep at
	// least this much of each.
	row := []string{runePrefix(name, 12), runePrefix(email, 18)}
	filtered := func(s *benchScreen) bool {
		return s.Contains("filter "+email) && s.hasRow(row...) && !s.loading() && !s.Contains("Since")
	}
	cardsList := func(s *benchScreen) bool {
		return s.hasRow("Card", "Holder", "Status", "Expiry") && s.Contains("••••") && !s.loading()
	}
	return []benchStep{
		{"1", "the Users list", func(s *benchScreen) bool {
			return usersLoaded(s) && s.Contains("/ to filter")
		}},
		{"/" + email + "\r", "the search for " + email, filtered},
		{"\r", "the customer " + name, func(s *benchScreen) bool {
			return s.Contains(u.ID) && s.Contains("Since") && s.hasRow("Card", "Status", "Expiry") && !s.loading()
		}},
		{"\x1b", "the search results again", filtered},
		{"\x1b", "the unfiltered Users list", func(s *benchScreen) bool {
			return usersLoaded(s) && s.Contains("/ to filter")
		}},
		{"2", "the Cards list", cardsList},
		{"\r", "the card's detail", func(s *benchScreen) bool {
			return s.Contains("Transactions") && s.Contains("Controls") && !s.loading()
		}},
		{"\x1b", "the Cards list again", func(s *benchScreen) bool { return cardsList(s) && !s.Contains("Transactions") }},
	}
}

// runePrefix is s's first n runes.
func runePrefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// runScript runs the script once, each step waiting for its screen.
func runScript(ctx context.Context, t *benchSSH, script []benchStep) error {
	for _, st := range script {
		if err := t.press(st.keys); err != nil {
			return err
		}
		step, cancel := context.WithTimeout(ctx, benchStepWait)
		err := t.await(step, st.what, st.shown)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeBenchAgents(out io.Writer, f benchAgentsFlags, runs []benchAgentsRun) error {
	fmt.Fprintf(out, "%d agents vs 1 over SSH at %d×%d, each browsing for %v (Users, search, open, back, Cards, open, back); %s simulator at %s authorisations/s\n\n",
		f.agents, benchAgentWidth, benchAgentHeight, f.duration, f.demo.Provider, strconv.FormatFloat(f.demo.Rate, 'f', -1, 64))
	var rows [][]string
	for _, r := range runs {
		rows = append(rows, []string{
			strconv.Itoa(r.agents), stats.Thousands(float64(r.scripts)), stats.Thousands(float64(r.requests)),
			strconv.FormatFloat(float64(r.requests)/float64(r.agents), 'f', 2, 64), strconv.FormatInt(r.limited, 10),
		})
	}
	if err := writeBenchTable(out, []string{"agents", "scripts run", "sandbox requests", "per agent", "answered 429"}, rows); err != nil {
		return err
	}
	one, many := runs[0], runs[len(runs)-1]
	if one.requests > 0 {
		fmt.Fprintf(out, "\n%d agents / 1 agent: %.2f× the requests for %d× the agents\n",
			many.agents, float64(many.requests)/float64(one.requests), many.agents)
	}
	return nil
}
