package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/httpserve"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// shutdownWait bounds how long the stack's servers take to stop.
const shutdownWait = 5 * time.Second

// Stack is the sandbox and the relay, serving on loopback.
type Stack struct {
	provider  string
	sandbox   *sandbox.Server
	relay     *live.Relay
	servers   []*httpserve.FreshConns
	stopFault func() // ends the fault front's holds; nil without faults
	baseURL   string // the sandbox's base URL for the chosen provider
	streamURL string
	token     string
}

// Start opens the relay's store in cfg.Dir, then serves the relay and the
// sandbox on loopback listeners, the sandbox delivering the chosen
// provider's webhooks to the relay. The simulator and the relay's
// background work wait for Run; Shutdown stops the servers.
func Start(ctx context.Context, cfg Config) (*Stack, error) {
	rules, err := faults.Parse(cfg.Faults)
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
	sbCfg := sandbox.Config{Seed: cfg.Seed, Rate: cfg.Rate, Drift: cfg.Drift, RateLimit: cfg.RateLimit}
	if cfg.Provider == vydapay.Provider {
		sbCfg.VydapayWebhookURLs = []string{relayBase + "/webhooks/" + vydapay.Provider}
	} else {
		sbCfg.VaultsPayWebhookURLs = []string{relayBase + "/webhooks/" + vaultspay.Provider}
	}
	sb, err := sandbox.New(sbCfg)
	if err != nil {
		closeAll()
		return nil, err
	}
	scheme, err := webhookScheme(cfg.Provider, sb.Config())
	if err != nil {
		closeAll()
		return nil, err
	}
	token, err := live.LoadOrCreateToken(filepath.Join(cfg.Dir, "relay.token"))
	if err != nil {
		closeAll()
		return nil, err
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(ctx, filepath.Join(cfg.Dir, "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		closeAll()
		return nil, err
	}
	relay, err := live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Token: token,
		Schemes: map[string]api.WebhookScheme{cfg.Provider: scheme},
	})
	if err != nil {
		closeAll()
		_ = store.Close()
		return nil, err
	}
	st := &Stack{
		provider:  cfg.Provider,
		sandbox:   sb,
		relay:     relay,
		baseURL:   "http://" + sandboxLn.Addr().String() + "/" + cfg.Provider + "/v1",
		streamURL: "ws://" + relayLn.Addr().String() + "/v1/stream",
		token:     token,
	}
	sbHandler := sb.Handler()
	if cfg.WrapSandbox != nil {
		sbHandler = cfg.WrapSandbox(sbHandler)
	}
	if sbHandler, st.stopFault, err = WithFaults(sbHandler, rules, sb.Config(), nil); err != nil {
		closeAll()
		_ = store.Close()
		return nil, err
	}
	st.serve(relayLn, relay.Handler())
	st.serve(sandboxLn, sbHandler)
	return st, nil
}

// serve runs h on ln in a goroutine that ends with Shutdown.
func (st *Stack) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)}
	st.servers = append(st.servers, httpserve.TrackFresh(srv))
	go func() { _ = srv.Serve(ln) }() // returns ErrServerClosed once Shutdown runs
}

// Shutdown stops the HTTP servers, then the relay (closing its store).
func (st *Stack) Shutdown() error {
	ctx, done := context.WithTimeout(context.Background(), shutdownWait)
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

// Provider is the dialect the stack speaks.
func (st *Stack) Provider() string { return st.provider }

// Sandbox is the sandbox issuer: its Config holds the keys and secrets it
// generated.
func (st *Stack) Sandbox() *sandbox.Server { return st.sandbox }

// BaseURL is the sandbox's API root for the stack's provider.
func (st *Stack) BaseURL() string { return st.baseURL }

// StreamURL is the relay's websocket stream.
func (st *Stack) StreamURL() string { return st.streamURL }

// Token is the relay's stream token.
func (st *Stack) Token() string { return st.token }
