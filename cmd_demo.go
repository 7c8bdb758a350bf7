package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/httpserve"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/demodir"
)

// demoShutdownWait bounds how long the demo's servers take to stop.
const demoShutdownWait = 5 * time.Second

type demoFlags struct {
	provider string
	rate     float64
	seed     int64
	// rateLimit is the sandbox's requests per minute per key (0: its
	// default, 100; negative: none).
	rateLimit int
	faults    string // --faults (demo only): the sandbox's fault-injecting front
	drift     bool   // --drift: the sandbox serves what its references lack
	// wrapSandbox, when set, wraps the sandbox's HTTP handler: the
	// benchmarks count the requests that reach it. No flag sets it.
	wrapSandbox func(http.Handler) http.Handler
}

func newDemoCmd() *cobra.Command {
	var f demoFlags
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
			return runDemo(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.provider, "provider", vaultspay.Provider, "provider dialect to speak: vaultspay or vydapay")
	fl.Float64Var(&f.rate, "rate", 25, "simulated authorisations per second")
	fl.Int64Var(&f.seed, "seed", 1, "seed for the sandbox's book and simulator")
	fl.IntVar(&f.rateLimit, "rate-limit", 0, rateLimitUsage)
	fl.StringVar(&f.faults, "faults", "", `inject provider faults between the dashboard and the sandbox, e.g. "latency=300ms,429=0.2,5xx=0.1" (see above)`)
	fl.BoolVar(&f.drift, "drift", false, driftHelp)
	return cmd
}

// rateLimitUsage is the help of the demos' --rate-limit.
const rateLimitUsage = "the sandbox's API requests per minute per key (0: 100, Vydapay's test-mode limit; negative: unlimited)"

// demoStack is the sandbox and relay of a demo, serving on loopback.
type demoStack struct {
	sandbox   *sandbox.Server
	relay     *live.Relay
	servers   []*httpserve.FreshConns
	stopFault func() // ends the fault front's holds; nil without --faults
	baseURL   string // the sandbox's base URL for the chosen provider
	streamURL string
	token     string
}

// validate checks the flags demo and serve --demo share.
func (f demoFlags) validate() error {
	if f.provider != vaultspay.Provider && f.provider != vydapay.Provider {
		return fmt.Errorf("--provider %q: want vaultspay or vydapay", f.provider)
	}
	if f.rate < 0 {
		return fmt.Errorf("--rate %v: must be zero or more", f.rate)
	}
	if _, err := faults.Parse(f.faults); err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	return nil
}

func runDemo(ctx context.Context, f demoFlags) error {
	if err := f.validate(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	state, _, err := demodir.Open("")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer state.Close()
	dir := state.Path()

	// A closed terminal (SIGHUP) ends the demo like q does, so that its
	// directory goes with it at once rather than at the next demo's start.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP)
	defer stop()
	err = withDemoStack(ctx, dir, f, func(ctx context.Context, sub *live.Subscription, client api.Client) error {
		audit, err := backend.OpenAuditLog(filepath.Join(dir, "audit.log"))
		if err != nil {
			return err
		}
		defer audit.Close()
		b := backend.New(backend.Config{Client: client, Relay: sub, Logger: slog.New(slog.DiscardHandler), Audit: audit})
		return runDashboard(ctx, b, localActor(backend.RoleSupervisor), nil)
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// withDemoStack starts the demo's sandbox and relay in the background,
// subscribes to the relay's stream, builds a client of the sandbox in the
// chosen dialect, and runs use with them. When use returns, it stops the
// background and shuts the stack down, reporting the first failure.
func withDemoStack(ctx context.Context, dir string, f demoFlags,
	use func(ctx context.Context, sub *live.Subscription, client api.Client) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := startDemoStack(ctx, dir, f)
	if err != nil {
		return err
	}
	background := make(chan error, 2)
	go func() { background <- st.sandbox.Run(ctx) }()
	go func() { background <- st.relay.Run(ctx) }()

	sub := live.Subscribe(ctx, live.SubscribeConfig{URL: st.streamURL, Token: st.token})
	client, err := st.client(f.provider)
	if err == nil {
		err = use(ctx, sub, client)
	}
	cancel()
	for range 2 {
		if berr := <-background; berr != nil && !errors.Is(berr, context.Canceled) && err == nil {
			err = berr
		}
	}
	if serr := st.shutdown(); serr != nil && err == nil {
		err = serr
	}
	return err
}

// startDemoStack opens the relay's store in dir, then serves the relay and
// the sandbox on loopback listeners, the sandbox delivering the chosen
// provider's webhooks to the relay.
func startDemoStack(ctx context.Context, dir string, f demoFlags) (*demoStack, error) {
	rules, err := faults.Parse(f.faults)
	if err != nil {
		return nil, fmt.Errorf("--faults: %w", err)
	}
	var lc net.ListenConfig
	relayLn, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("relay listen: %w", err)
	}
	sandboxLn, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		relayLn.Close()
		return nil, fmt.Errorf("sandbox listen: %w", err)
	}
	closeAll := func() { relayLn.Close(); sandboxLn.Close() }

	relayBase := "http://" + relayLn.Addr().String()
	sbCfg := sandbox.Config{Seed: f.seed, Rate: f.rate, Drift: f.drift, RateLimit: f.rateLimit}
	if f.provider == vydapay.Provider {
		sbCfg.VydapayWebhookURLs = []string{relayBase + "/webhooks/" + vydapay.Provider}
	} else {
		sbCfg.VaultsPayWebhookURLs = []string{relayBase + "/webhooks/" + vaultspay.Provider}
	}
	sb, err := sandbox.New(sbCfg)
	if err != nil {
		closeAll()
		return nil, err
	}
	scheme, err := demoScheme(f.provider, sb.Config())
	if err != nil {
		closeAll()
		return nil, err
	}
	token, err := live.LoadOrCreateToken(filepath.Join(dir, "relay.token"))
	if err != nil {
		closeAll()
		return nil, err
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		closeAll()
		return nil, err
	}
	relay, err := live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Token: token,
		Schemes: map[string]api.WebhookScheme{f.provider: scheme},
	})
	if err != nil {
		closeAll()
		_ = store.Close()
		return nil, err
	}
	st := &demoStack{
		sandbox:   sb,
		relay:     relay,
		baseURL:   "http://" + sandboxLn.Addr().String() + "/" + f.provider + "/v1",
		streamURL: "ws://" + relayLn.Addr().String() + "/v1/stream",
		token:     token,
	}
	sbHandler := sb.Handler()
	if f.wrapSandbox != nil {
		sbHandler = f.wrapSandbox(sbHandler)
	}
	if sbHandler, st.stopFault, err = withFaults(sbHandler, rules, sb.Config(), nil); err != nil {
		closeAll()
		_ = store.Close()
		return nil, err
	}
	st.serve(relayLn, relay.Handler())
	st.serve(sandboxLn, sbHandler)
	return st, nil
}

// client is a client of the sandbox in the provider's dialect.
func (st *demoStack) client(provider string) (api.Client, error) {
	cfg := st.sandbox.Config()
	if provider == vydapay.Provider {
		return vydapay.New(vydapay.Config{BaseURL: st.baseURL, Key: cfg.VydapayKey})
	}
	return vaultspay.New(vaultspay.Config{BaseURL: st.baseURL, Key: cfg.VaultsPayKey})
}

// demoScheme verifies the chosen provider's webhooks with the sandbox's secret.
func demoScheme(provider string, cfg sandbox.Config) (api.WebhookScheme, error) {
	if provider == vydapay.Provider {
		return vydapay.NewVerifier(cfg.VydapayWebhookSecret)
	}
	return vaultspay.NewVerifier(cfg.VaultsPayWebhookSecret)
}

// serve runs h on ln in a goroutine that ends with shutdown.
func (st *demoStack) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)}
	st.servers = append(st.servers, httpserve.TrackFresh(srv))
	go func() { _ = srv.Serve(ln) }() // returns ErrServerClosed once shutdown runs
}

// shutdown stops the HTTP servers, then the relay (closing its store).
func (st *demoStack) shutdown() error {
	ctx, done := context.WithTimeout(context.Background(), demoShutdownWait)
	defer done()
	var errs []error
	if st.stopFault != nil {
		st.stopFault()
	}
	for _, srv := range st.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop server: %w", err))
		}
	}
	if err := st.relay.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
