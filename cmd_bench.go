package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live/loadtest"
	"github.com/carddesk/carddesk/tui/bench"
	"github.com/carddesk/carddesk/tui/config"
)

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure carddesk's parts under load",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newBenchRelayCmd())
	cmd.AddCommand(newBenchSSHCmd())
	cmd.AddCommand(newBenchAgentsCmd())
	cmd.AddCommand(newBenchStartCmd())
	cmd.AddCommand(newBenchBudgetCmd())
	return cmd
}

// benchLogger is the benchmarks' logger: errors only, or warnings too with
// --verbose.
func benchLogger(verbose bool) *slog.Logger {
	level := slog.LevelError
	if verbose {
		level = slog.LevelWarn
	}
	return newLogger(os.Stderr, level)
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
	token := config.SecretFlag{Name: "token", Env: "CARDDESK_RELAY_TOKEN",
		Usage: "the relay's stream token (with --url)", FileUsage: "file holding the relay's stream token (with --url)"}
	secret := config.SecretFlag{Name: "vydapay-secret", Env: "CARDDESK_VYDAPAY_WEBHOOK_SECRETS",
		Usage: "the relay's Vydapay webhook secret (with --url)", FileUsage: "file holding the relay's Vydapay webhook secret (with --url)"}
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		var err error
		if f.token, err = config.SecretOrEnv(cmd.Flags(), &token, os.Getenv); err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		if f.secret, err = config.SecretOrEnv(cmd.Flags(), &secret, os.Getenv); err != nil {
			return fmt.Errorf("bench relay: %w", err)
		}
		f.cfg.URL, f.cfg.Token, f.cfg.VydapaySecret = f.url, f.token, f.secret
		f.cfg.Logger = benchLogger(f.verbose)
		return loadtest.Bench(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f.cfg, f.cpuProfile)
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "relay base URL, e.g. http://127.0.0.1:8781 (default: start one in-process)")
	token.Bind(fl)
	secret.Bind(fl)
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

func newBenchSSHCmd() *cobra.Command {
	var f bench.SSHConfig
	var verbose bool
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
			f.Logger = benchLogger(verbose)
			return bench.SSH(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.Float64Var(&f.Stack.Rate, "rate", 200, "simulated authorisations per second")
	fl.DurationVar(&f.Duration, "duration", 20*time.Second, "how long to count, after settling (whole seconds)")
	fl.DurationVar(&f.Settle, "settle", 2*time.Second, "how long Live runs before counting starts")
	fl.IntVar(&f.Width, "width", 120, "terminal columns")
	fl.IntVar(&f.Height, "height", 40, "terminal rows")
	fl.StringVar(&f.Stack.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.Stack.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&verbose, "verbose", false, "log the server's warnings")
	return cmd
}

func newBenchAgentsCmd() *cobra.Command {
	var f bench.AgentsConfig
	var verbose bool
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
			f.Logger = benchLogger(verbose)
			return bench.Agents(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Agents, "agents", 20, "agents browsing at once, compared with one")
	fl.DurationVar(&f.Duration, "duration", 45*time.Second, "how long each run browses")
	fl.Float64Var(&f.Stack.Rate, "rate", 0, "simulated authorisations per second (0: none, every request is browsing)")
	fl.StringVar(&f.Stack.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.Stack.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&verbose, "verbose", false, "log the server's warnings")
	return cmd
}

func newBenchStartCmd() *cobra.Command {
	var f bench.StartConfig
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Measure the demo's cold start to its first complete frame",
		Long: `Start this executable as ` + "`carddesk demo`" + ` in a --width × --height
pseudo-terminal (TERM=xterm-256color), --runs times one after another, and
time each run from exec to the first byte of output and to the first
complete frame: the first moment the screen's top row shows the status
line (the provider and its TEST or LIVE badge) and its bottom row the
footer's keys ending in "q quit" — and to the Users list drawn with its
rows. Then it presses q and times the exit, and checks that the demo
removed its temporary directory.

It reports the p50 and the maximum of each. The demo seeds the sandbox's
book and opens a SQLite store before it draws, so this is the start a user
of ` + "`carddesk demo`" + ` waits for.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return bench.Start(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.Runs, "runs", 5, "starts to time, one after another")
	fl.IntVar(&f.Width, "width", 120, "terminal columns")
	fl.IntVar(&f.Height, "height", 40, "terminal rows")
	return cmd
}

func newBenchBudgetCmd() *cobra.Command {
	var f bench.BudgetConfig
	var verbose bool
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
			f.Logger = benchLogger(verbose)
			return bench.Budget(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), f)
		},
	}
	fl := cmd.Flags()
	fl.DurationVar(&f.Duration, "duration", 10*time.Minute, "how long the agents work")
	fl.DurationVar(&f.Warmup, "warmup", time.Minute, "how long Live runs before its rows are counted")
	fl.DurationVar(&f.CallEvery, "call-every", 20*time.Second, "how often a customer call starts")
	fl.IntVar(&f.Stack.RateLimit, "rate-limit", 100, "the sandbox's API requests per minute per key")
	fl.Float64Var(&f.Stack.Rate, "rate", 25, "simulated authorisations per second")
	fl.StringVar(&f.Stack.Provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Int64Var(&f.Stack.Seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.BoolVar(&verbose, "verbose", false, "log the server's warnings")
	return cmd
}
