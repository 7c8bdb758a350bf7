package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/stats"
	"github.com/carddesk/carddesk/tui/stack"
)

// The agents' terminal size.
const agentWidth, agentHeight = 120, 40

// AgentsConfig is what `carddesk bench agents` measures: one agent, then
// Agents at once, browsing for Duration.
type AgentsConfig struct {
	Stack    stack.Config // the in-process stack; Dir and hooks are the bench's own
	Agents   int
	Duration time.Duration
	Logger   *slog.Logger // the server's warnings; nil discards
}

func (f AgentsConfig) validate() error {
	if err := f.Stack.Validate(); err != nil {
		return err
	}
	switch {
	case f.Agents < 2 || f.Agents > 200:
		return fmt.Errorf("--agents %d: want 2 to 200 (the run is compared with one agent)", f.Agents)
	case f.Duration <= 0:
		return fmt.Errorf("--duration %v: must be positive", f.Duration)
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

// agentsRun is one run's count.
type agentsRun struct {
	agents   int
	scripts  int64 // scripts completed, over all agents
	requests int64 // HTTP requests that reached the sandbox
	limited  int64 // of those, answered 429
}

// Agents runs `carddesk bench agents`: one agent, then f.Agents against a
// fresh server, browsing the same script; it reports the sandbox requests
// of each run to out, the progress to errOut.
func Agents(ctx context.Context, out, errOut io.Writer, f AgentsConfig) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("bench agents: %w", err)
	}
	var runs []agentsRun
	for _, n := range []int{1, f.Agents} {
		fmt.Fprintf(errOut, "bench: %s browsing over SSH for %v…\n", agentsText(n), f.Duration)
		var run agentsRun
		err := withServer(ctx, serverConfig{stack: f.Stack, agents: n, logger: f.Logger, warn: errOut},
			func(ctx context.Context, bs *server) error {
				var err error
				run, err = browse(ctx, bs, n, f.Duration)
				return err
			})
		if err != nil {
			return fmt.Errorf("bench agents (%s): %w", agentsText(n), err)
		}
		runs = append(runs, run)
	}
	return writeAgents(out, f, runs)
}

// browse connects n agents, then has them run the script at once for d,
// every agent at least once, and counts what reached the sandbox from the
// first connection on.
func browse(ctx context.Context, bs *server, n int, d time.Duration) (agentsRun, error) {
	u, err := pickUser(ctx, bs.client)
	if err != nil {
		return agentsRun{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	reqs0, limited0 := bs.requests.Load(), bs.limited.Load()
	terms := make([]*sshSession, n)
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
		return agentsRun{}, err
	}
	deadline := time.Now().Add(d)
	var scripts atomic.Int64
	script := browseScript(u)
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
	run := agentsRun{
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
func connectAgent(ctx context.Context, bs *server, i int) (*sshSession, error) {
	t, err := dial(ctx, bs, i, agentWidth, agentHeight)
	if err != nil {
		return nil, err
	}
	step, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	if err := t.Await(step, "the Users list", usersLoaded); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// pickUser is the customer every agent looks up: the holder of the
// newest card, who has at least that card to show.
func pickUser(ctx context.Context, c api.Client) (api.User, error) {
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

// scriptStep is one step of the script: keys, then what the screen must
// show before the next step.
type scriptStep struct {
	keys  string
	what  string
	shown func(*Screen) bool
}

// browseScript is the agents' browsing script for customer u. It starts and
// ends on the unfiltered Users list or the Cards list, so it repeats.
func browseScript(u api.User) []scriptStep {
	name, email := u.Name(), u.Email
	// The table may cut a long name or email short; its columns keep at
	// least this much of each.
	row := []string{runePrefix(name, 12), runePrefix(email, 18)}
	filtered := func(s *Screen) bool {
		return s.Contains("filter "+email) && s.hasRow(row...) && !s.loading() && !s.Contains("Since")
	}
	cardsList := func(s *Screen) bool {
		return s.hasRow("Card", "Holder", "Status", "Expiry") && s.Contains("••••") && !s.loading()
	}
	return []scriptStep{
		{"1", "the Users list", func(s *Screen) bool {
			return usersLoaded(s) && s.Contains("/ to filter")
		}},
		{"/" + email + "\r", "the search for " + email, filtered},
		{"\r", "the customer " + name, func(s *Screen) bool {
			return s.Contains(u.ID) && s.Contains("Since") && s.hasRow("Card", "Status", "Expiry") && !s.loading()
		}},
		{"\x1b", "the search results again", filtered},
		{"\x1b", "the unfiltered Users list", func(s *Screen) bool {
			return usersLoaded(s) && s.Contains("/ to filter")
		}},
		{"2", "the Cards list", cardsList},
		{"\r", "the card's detail", func(s *Screen) bool {
			return s.Contains("Transactions") && s.Contains("Controls") && !s.loading()
		}},
		{"\x1b", "the Cards list again", func(s *Screen) bool { return cardsList(s) && !s.Contains("Transactions") }},
	}
}

// runePrefix is s's first n runes.
func runePrefix(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// runScript runs the script once, each step waiting for its screen.
func runScript(ctx context.Context, t *sshSession, script []scriptStep) error {
	for _, st := range script {
		if err := t.press(st.keys); err != nil {
			return err
		}
		step, cancel := context.WithTimeout(ctx, stepWait)
		err := t.Await(step, st.what, st.shown)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeAgents(out io.Writer, f AgentsConfig, runs []agentsRun) error {
	fmt.Fprintf(out, "%d agents vs 1 over SSH at %d×%d, each browsing for %v (Users, search, open, back, Cards, open, back); %s simulator at %s authorisations/s\n\n",
		f.Agents, agentWidth, agentHeight, f.Duration, f.Stack.Provider, strconv.FormatFloat(f.Stack.Rate, 'f', -1, 64))
	var rows [][]string
	for _, r := range runs {
		rows = append(rows, []string{
			strconv.Itoa(r.agents), stats.Thousands(float64(r.scripts)), stats.Thousands(float64(r.requests)),
			strconv.FormatFloat(float64(r.requests)/float64(r.agents), 'f', 2, 64), strconv.FormatInt(r.limited, 10),
		})
	}
	if err := writeTable(out, []string{"agents", "scripts run", "sandbox requests", "per agent", "answered 429"}, rows); err != nil {
		return err
	}
	one, many := runs[0], runs[len(runs)-1]
	if one.requests > 0 {
		fmt.Fprintf(out, "\n%d agents / 1 agent: %.2f× the requests for %d× the agents\n",
			many.agents, float64(many.requests)/float64(one.requests), many.agents)
	}
	return nil
}
