package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/relayserve"
	"github.com/carddesk/carddesk/tui/config"
)

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
			return relayserve.Run(cmd.Context(), cmd.OutOrStdout(), newLogger(cmd.ErrOrStderr(), slog.LevelInfo), s)
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
func resolveRelay(fs *pflag.FlagSet, f relayFlags, cfg config.Config) (relayserve.Settings, error) {
	set := fs.Changed
	s := relayserve.Settings{
		Addr: cfg.Relay.Listen, AllowRemote: f.allowRemote, Token: cfg.Relay.Token,
		VaultsPaySecrets: cfg.VaultsPay.WebhookSecrets, VydapaySecrets: cfg.Vydapay.WebhookSecrets,
		Origins:   cfg.Relay.AllowedOrigins,
		Retention: live.Retention{MaxAge: cfg.Relay.RetentionAge.Duration, MaxCount: cfg.Relay.RetentionCount},
	}
	if set("addr") || s.Addr == "" {
		s.Addr = f.addr
	}
	s.OpsAddr = cfg.Relay.OpsListen
	if set("ops-addr") || s.OpsAddr == "" {
		s.OpsAddr = f.opsAddr
	}
	if s.OpsAddr == "off" {
		s.OpsAddr = ""
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
	s.DB = cfg.Relay.Database
	if set("db") {
		s.DB = f.db
	}
	if s.DB == "" {
		s.DB = filepath.Join(stateDir, "relay.db")
	}
	s.TokenFile = filepath.Join(stateDir, "relay.token")
	s.TokenFrom = "from the configuration"
	token, ok, err := f.token.Value(fs)
	if err != nil {
		return s, err
	}
	if ok {
		s.Token, s.TokenFrom = token, "from --token"
		if fs.Changed(f.token.FileFlag()) {
			s.TokenFrom = "in " + f.token.File()
		}
	}
	for _, sf := range []struct {
		flag *config.SecretFlag
		dst  *[]string
	}{{&f.vaultspaySecrets, &s.VaultsPaySecrets}, {&f.vydapaySecrets, &s.VydapaySecrets}} {
		secrets, ok, err := sf.flag.Values(fs)
		if err != nil {
			return s, err
		}
		if ok {
			*sf.dst = secrets
		}
	}
	if set("allowed-origin") {
		s.Origins = f.origins
	}
	if set("retention-age") {
		s.Retention.MaxAge = f.retentionAge
	}
	if set("retention-count") {
		s.Retention.MaxCount = f.retentionCount
	}
	switch {
	case len(s.VaultsPaySecrets) == 0 && len(s.VydapaySecrets) == 0:
		return s, errors.New("no webhook secret: pass --vaultspay-webhook-secret-file or --vydapay-webhook-secret-file (or set CARDDESK_VAULTSPAY_WEBHOOK_SECRETS / CARDDESK_VYDAPAY_WEBHOOK_SECRETS)")
	case s.Retention.MaxAge < 0 || s.Retention.MaxCount < 0:
		return s, errors.New("retention must not be negative")
	case s.Token != "" && len(s.Token) < 16:
		return s, errors.New("stream token too short: use at least 16 characters, or let the relay generate one")
	}
	return s, nil
}
