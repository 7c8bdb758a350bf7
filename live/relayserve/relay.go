package relayserve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/httpserve"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// shutdownWait bounds the drain of in-flight webhooks at shutdown.
const shutdownWait = 10 * time.Second

// Settings are what the relay runs with: the command merges its flags over
// the configuration into them.
type Settings struct {
	Addr             string
	OpsAddr          string // "" → no operations listener
	AllowRemote      bool
	DB               string
	Token            string // "" → read or create TokenFile
	TokenFrom        string // where token came from, for the banner
	TokenFile        string
	VaultsPaySecrets []string
	VydapaySecrets   []string
	Origins          []string
	Retention        live.Retention
}

// verifiers builds a verifier for each provider that has secrets.
func verifiers(s Settings) (map[string]api.WebhookScheme, error) {
	schemes := map[string]api.WebhookScheme{}
	if len(s.VaultsPaySecrets) > 0 {
		v, err := vaultspay.NewVerifier(s.VaultsPaySecrets...)
		if err != nil {
			return nil, err
		}
		schemes[vaultspay.Provider] = v
	}
	if len(s.VydapaySecrets) > 0 {
		v, err := vydapay.NewVerifier(s.VydapaySecrets...)
		if err != nil {
			return nil, err
		}
		schemes[vydapay.Provider] = v
	}
	return schemes, nil
}

// Run serves the relay on s.Addr (and its operations listener on
// s.OpsAddr) until ctx is done, over a SQLite store at s.DB, then drains
// the webhook deliveries in flight and closes the store. It prints where
// providers and dashboards reach it to out, and logs to log.
func Run(ctx context.Context, out io.Writer, log *slog.Logger, s Settings) error {
	if err := httpserve.CheckListenAddr(s.Addr, s.AllowRemote); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	if s.OpsAddr != "" {
		if err := httpserve.CheckListenAddr(s.OpsAddr, s.AllowRemote); err != nil {
			return fmt.Errorf("relay: operations listener: %w", err)
		}
	}
	schemes, err := verifiers(s)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	token, tokenNote := s.Token, s.TokenFrom
	if token == "" {
		if token, err = live.LoadOrCreateToken(s.TokenFile); err != nil {
			return fmt.Errorf("relay: %w", err)
		}
		tokenNote = "in " + s.TokenFile
	}
	if err := os.MkdirAll(filepath.Dir(s.DB), 0o700); err != nil {
		return fmt.Errorf("relay: database directory: %w", err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(ctx, s.DB, sqlitestore.Options{OnCommit: hub.Publish, Logger: log})
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	relay, err := live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Schemes: schemes, Token: token, AllowedOrigins: s.Origins,
		Logger: log, Retention: s.Retention,
	})
	if err != nil {
		_ = store.Close()
		return fmt.Errorf("relay: %w", err)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.Addr)
	if err != nil {
		_ = relay.Shutdown(ctx)
		return fmt.Errorf("relay: listen: %w", err)
	}
	run, opsAddr := relay.Run, ""
	if s.OpsAddr != "" {
		opsLn, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.OpsAddr)
		if err != nil {
			_ = ln.Close()
			_ = relay.Shutdown(ctx)
			return fmt.Errorf("relay: operations listener: %w", err)
		}
		run, opsAddr = serveOps(opsLn, relay.OpsHandler(), log, relay.Run), opsLn.Addr().String()
	}
	printBanner(out, ln.Addr().String(), opsAddr, s, schemes, tokenNote)

	srv := &http.Server{
		Handler:           relay.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	stopping := func() { log.Info("relay shutting down: draining webhook deliveries") }
	return httpserve.Run(ctx, "relay", srv, ln, run, shutdownWait, stopping, relay.Shutdown)
}

func printBanner(out io.Writer, addr, opsAddr string, s Settings, schemes map[string]api.WebhookScheme, tokenNote string) {
	// One write, so that whoever reads the output sees the banner whole.
	var b strings.Builder
	base := "http://" + addr
	fmt.Fprintf(&b, "carddesk relay on %s\n\n", base)
	fmt.Fprintln(&b, "Webhook URLs to configure at the providers")
	for _, p := range []string{vaultspay.Provider, vydapay.Provider} {
		if _, ok := schemes[p]; ok {
			fmt.Fprintf(&b, "  %-10s %s/webhooks/%s\n", p, base, p)
		}
	}
	fmt.Fprintf(&b, "\nStream     ws://%s/v1/stream (bearer token %s)\n", addr, tokenNote)
	fmt.Fprintf(&b, "Database   %s\n", s.DB)
	if opsAddr != "" {
		fmt.Fprintf(&b, "Health     http://%s/healthz\nMetrics    http://%s/metrics (operations listener, no token)\n", opsAddr, opsAddr)
	}
	fmt.Fprintf(&b, "Probe      %s/healthz (status only without the bearer token; /metrics needs it)\n", base)
	_, _ = io.WriteString(out, b.String())
}
