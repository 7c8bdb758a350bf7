package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/httpserve"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
	"github.com/carddesk/carddesk/tui/config"
)

// relayShutdownWait bounds the drain of in-flight webhooks at shutdown.
const relayShutdownWait = 10 * time.Second

// relayFlags are `carddesk relay`'s flags; unset ones fall back to the
// configuration file and its environment overrides.
type relayFlags struct {
	addr             string
	opsAddr          string
	allowRemote      bool
	stateDir         string
	db               string
	token            config.SecretFlag
	vaultspaySecrets config.SecretFlag
	vydapaySecrets   config.SecretFlag
	origins          []string
	retentionAge     time.Duration
	retentionCount   int64
}

// relaySettings is what the relay runs with, flags and configuration merged.
type relaySettings struct {
	addr             string
	opsAddr          string // "" → no operations listener
	allowRemote      bool
	db               string
	token            string // "" → read or create tokenFile
	tokenFrom        string // where token came from, for the banner
	tokenFile        string
	vaultspaySecrets []string
	vydapaySecrets   []string
	origins          []string
	retention        live.Retention
}

func newRelayCmd() *cobra.Command {
	var f relayFlags
	cmd := &cobra.Command{
		Use:   "relay",
		Short: "Receive signed webhooks, store them, and stream them to dashboards",
		Long: `Serve the live relay on loopback: providers POST signed webhooks to
/webhooks/vaultspay and /webhooks/vydapay; each is verified on its exact bytes,
stored durably in SQLite with a sequence number, and only then acknowledged.
Dashboards subscribe to GET /v1/stream?after=<seq> (websocket, bearer token) and
miss nothing across reconnects. GET /healthz and GET /metrics (Prometheus)
serve operations in full on --ops-addr (loopback, no token); on --addr,
/healthz tells only "ok" or "degraded" to whoever has no bearer token, and
/metrics needs it.

Unset flags fall back to the [relay] section of the configuration file and to
the environment (CARDDESK_VAULTSPAY_WEBHOOK_SECRETS, CARDDESK_VYDAPAY_WEBHOOK_SECRETS,
comma-separated; CARDDESK_RELAY_TOKEN). A secret given as a flag is visible to
every local user (ps): give it in a file readable by you only (--token-file,
--vaultspay-webhook-secret-file, --vydapay-webhook-secret-file) or in the
environment instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(configFlag(cmd), os.Getenv)
			if err != nil {
				return fmt.Errorf("relay: %w", err)
			}
			s, err := resolveRelay(cmd.Flags(), f, cfg)
			if err != nil {
				return fmt.Errorf("relay: %w", err)
			}
			return runRelay(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), s)
		},
	}
	bindRelayFlags(cmd.Flags(), &f)
	return cmd
}

// bindRelayFlags declares `carddesk relay`'s flags on fl.
func bindRelayFlags(fl *pflag.FlagSet, f *relayFlags) {
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8781", "address to listen on (loopback unless --allow-remote)")
	fl.StringVar(&f.opsAddr, "ops-addr", "127.0.0.1:8782", `address serving /healthz and /metrics in full without a token ("off": none)`)
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow listening on a non-loopback address")
	fl.StringVar(&f.stateDir, "state-dir", "", "state directory (default $XDG_STATE_HOME/carddesk or ~/.local/state/carddesk)")
	fl.StringVar(&f.db, "db", "", "relay database (default <state-dir>/relay.db)")
	f.token = config.SecretFlag{Name: "token", Env: "CARDDESK_RELAY_TOKEN",
		Usage:     "stream bearer token (default: <state-dir>/relay.token, generated on first start)",
		FileUsage: "file holding the stream bearer token"}
	f.vaultspaySecrets = config.SecretFlag{Name: "vaultspay-webhook-secret", Env: "CARDDESK_VAULTSPAY_WEBHOOK_SECRETS", List: true,
		Usage:     "whsec_ secret verifying VaultsPay webhooks (repeat during a rotation)",
		FileUsage: "file holding the whsec_ secrets verifying VaultsPay webhooks, one a line (old and new during a rotation)"}
	f.vydapaySecrets = config.SecretFlag{Name: "vydapay-webhook-secret", Env: "CARDDESK_VYDAPAY_WEBHOOK_SECRETS", List: true,
		Usage:     "secret verifying Vydapay webhooks (repeat during a rotation)",
		FileUsage: "file holding the secrets verifying Vydapay webhooks, one a line (old and new during a rotation)"}
	f.token.Bind(fl)
	f.vaultspaySecrets.Bind(fl)
	f.vydapaySecrets.Bind(fl)
	fl.StringArrayVar(&f.origins, "allowed-origin", nil, "browser origin allowed on the stream, scheme://host[:port] (repeatable)")
	fl.DurationVar(&f.retentionAge, "retention-age", 720*time.Hour, "delete events older than this, and refuse (422) events created before it (0 keeps them and refuses none)")
	fl.Int64Var(&f.retentionCount, "retention-count", 5_000_000, "keep at most this many events (0 for no limit)")
}

// resolveRelay merges the flags the operator set over the configuration.
func resolveRelay(fs *pflag.FlagSet, f relayFlags, cfg config.Config) (relaySettings, error) {
	set := fs.Changed
	s := relaySettings{
		addr: cfg.Relay.Listen, allowRemote: f.allowRemote, token: cfg.Relay.Token,
		vaultspaySecrets: cfg.VaultsPay.WebhookSecrets, vydapaySecrets: cfg.Vydapay.WebhookSecrets,
		origins:   cfg.Relay.AllowedOrigins,
		retention: live.Retention{MaxAge: cfg.Relay.RetentionAge.Duration, MaxCount: cfg.Relay.RetentionCount},
	}
	if set("addr") || s.addr == "" {
		s.addr = f.addr
	}
	s.opsAddr = cfg.Relay.OpsListen
	if set("ops-addr") || s.opsAddr == "" {
		s.opsAddr = f.opsAddr
	}
	if s.opsAddr == "off" {
		s.opsAddr = ""
	}
	stateDir := cfg.StateDir
	if set("state-dir") {
		stateDir = f.stateDir
	}
	if stateDir == "" {
		return s, errors.New("no state directory: pass --state-dir")
	}
	stateDir, err := filepath.Abs(stateDir)
	if err != nil {
		return s, fmt.Errorf("state directory: %w", err)
	}
	s.db = cfg.Relay.Database
	if set("db") {
		s.db = f.db
	}
	if s.db == "" {
		s.db = filepath.Join(stateDir, "relay.db")
	}
	s.tokenFile = filepath.Join(stateDir, "relay.token")
	s.tokenFrom = "from the configuration"
	token, ok, err := f.token.Value(fs)
	if err != nil {
		return s, err
	}
	if ok {
		s.token, s.tokenFrom = token, "from --token"
		if fs.Changed(f.token.FileFlag()) {
			s.tokenFrom = "in " + f.token.File()
		}
	}
	for _, sf := range []struct {
		flag *config.SecretFlag
		dst  *[]string
	}{{&f.vaultspaySecrets, &s.vaultspaySecrets}, {&f.vydapaySecrets, &s.vydapaySecrets}} {
		secrets, ok, err := sf.flag.Values(fs)
		if err != nil {
			return s, err
		}
		if ok {
			*sf.dst = secrets
		}
	}
	if set("allowed-origin") {
		s.origins = f.origins
	}
	if set("retention-age") {
		s.retention.MaxAge = f.retentionAge
	}
	if set("retention-count") {
		s.retention.MaxCount = f.retentionCount
	}
	switch {
	case len(s.vaultspaySecrets) == 0 && len(s.vydapaySecrets) == 0:
		return s, errors.New("no webhook secret: pass --vaultspay-webhook-secret-file or --vydapay-webhook-secret-file (or set CARDDESK_VAULTSPAY_WEBHOOK_SECRETS / CARDDESK_VYDAPAY_WEBHOOK_SECRETS)")
	case s.retention.MaxAge < 0 || s.retention.MaxCount < 0:
		return s, errors.New("retention must not be negative")
	case s.token != "" && len(s.token) < 16:
		return s, errors.New("stream token too short: use at least 16 characters, or let the relay generate one")
	}
	return s, nil
}

// relaySchemes builds a verifier for each provider that has secrets.
func relaySchemes(s relaySettings) (map[string]api.WebhookScheme, error) {
	schemes := map[string]api.WebhookScheme{}
	if len(s.vaultspaySecrets) > 0 {
		v, err := vaultspay.NewVerifier(s.vaultspaySecrets...)
		if err != nil {
			return nil, err
		}
		schemes[vaultspay.Provider] = v
	}
	if len(s.vydapaySecrets) > 0 {
		v, err := vydapay.NewVerifier(s.vydapaySecrets...)
		if err != nil {
			return nil, err
		}
		schemes[vydapay.Provider] = v
	}
	return schemes, nil
}

func runRelay(ctx context.Context, out, logOut io.Writer, s relaySettings) error {
	if err := httpserve.CheckListenAddr(s.addr, s.allowRemote); err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	if s.opsAddr != "" {
		if err := httpserve.CheckListenAddr(s.opsAddr, s.allowRemote); err != nil {
			return fmt.Errorf("relay: operations listener: %w", err)
		}
	}
	schemes, err := relaySchemes(s)
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	log := newLogger(logOut, slog.LevelInfo)
	token, tokenNote := s.token, s.tokenFrom
	if token == "" {
		if token, err = live.LoadOrCreateToken(s.tokenFile); err != nil {
			return fmt.Errorf("relay: %w", err)
		}
		tokenNote = "in " + s.tokenFile
	}
	if err := os.MkdirAll(filepath.Dir(s.db), 0o700); err != nil {
		return fmt.Errorf("relay: database directory: %w", err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(ctx, s.db, sqlitestore.Options{OnCommit: hub.Publish, Logger: log})
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	relay, err := live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Schemes: schemes, Token: token, AllowedOrigins: s.origins,
		Logger: log, Retention: s.retention,
	})
	if err != nil {
		_ = store.Close()
		return fmt.Errorf("relay: %w", err)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.addr)
	if err != nil {
		_ = relay.Shutdown(ctx)
		return fmt.Errorf("relay: listen: %w", err)
	}
	run, opsAddr := relay.Run, ""
	if s.opsAddr != "" {
		opsLn, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.opsAddr)
		if err != nil {
			_ = ln.Close()
			_ = relay.Shutdown(ctx)
			return fmt.Errorf("relay: operations listener: %w", err)
		}
		run, opsAddr = serveOps(opsLn, relay.OpsHandler(), log, relay.Run), opsLn.Addr().String()
	}
	printRelayBanner(out, ln.Addr().String(), opsAddr, s, schemes, tokenNote)

	srv := &http.Server{
		Handler:           relay.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	stopping := func() { log.Info("relay shutting down: draining webhook deliveries") }
	return httpserve.Run(ctx, "relay", srv, ln, run, relayShutdownWait, stopping, relay.Shutdown)
}

func printRelayBanner(out io.Writer, addr, opsAddr string, s relaySettings, schemes map[string]api.WebhookScheme, tokenNote string) {
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
	fmt.Fprintf(&b, "Database   %s\n", s.db)
	if opsAddr != "" {
		fmt.Fprintf(&b, "Health     http://%s/healthz\nMetrics    http://%s/metrics (operations listener, no token)\n", opsAddr, opsAddr)
	}
	fmt.Fprintf(&b, "Probe      %s/healthz (status only without the bearer token; /metrics needs it)\n", base)
	_, _ = io.WriteString(out, b.String())
}
