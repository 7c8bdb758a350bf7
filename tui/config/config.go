package config

import (
	"fmt"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/sshserve"
)

// Config is carddesk's configuration file; config.toml.example documents
// every key. Secrets may come from the environment instead, which wins.
type Config struct {
	Provider  string         `toml:"provider"`
	StateDir  string         `toml:"state_dir"`
	VaultsPay ProviderConfig `toml:"vaultspay"`
	Vydapay   ProviderConfig `toml:"vydapay"`
	Client    ClientConfig   `toml:"client"`
	Relay     RelayConfig    `toml:"relay"`
	// Keys rebinds dashboard actions: action name → keys, e.g.
	// freeze = ["F"]. Names are those of tui.KeyMap, lowercased.
	Keys map[string][]string `toml:"keys"`
	// Serve configures `carddesk serve`; Agents are who may connect.
	Serve  ServeConfig   `toml:"serve"`
	Agents []AgentConfig `toml:"agents"`
}

// ServeConfig configures `carddesk serve`, the dashboard over SSH.
type ServeConfig struct {
	Listen              string   `toml:"listen"`
	IdleTimeout         duration `toml:"idle_timeout"`
	MaxSessionsPerAgent int      `toml:"max_sessions_per_agent"`
	// ConnectionsPerSecond and ConnectionBurst limit new connections per
	// remote address (a token bucket).
	ConnectionsPerSecond float64 `toml:"connections_per_second"`
	ConnectionBurst      int     `toml:"connection_burst"`
	// HandshakeTimeout, MaxUnauthenticated and MaxUnauthenticatedPerAddress
	// bound the connections that have not authenticated yet.
	HandshakeTimeout             duration `toml:"handshake_timeout"`
	MaxUnauthenticated           int      `toml:"max_unauthenticated"`
	MaxUnauthenticatedPerAddress int      `toml:"max_unauthenticated_per_address"`
	// NoDashboardTimeout closes an authenticated connection that runs no
	// dashboard for this long.
	NoDashboardTimeout duration `toml:"no_dashboard_timeout"`
	// HostKey is the server's ed25519 key; empty means
	// <state_dir>/ssh_host_ed25519_key, created on first start.
	HostKey string `toml:"host_key"`
}

// AgentConfig is one agent allowed to connect: a name, a role (viewer,
// agent, supervisor) and authorized_keys-format public keys.
type AgentConfig struct {
	Name string   `toml:"name"`
	Role string   `toml:"role"`
	Keys []string `toml:"keys"`
}

// ProviderConfig is one provider's connection and webhook secrets.
type ProviderConfig struct {
	BaseURL        string   `toml:"base_url"`
	APIKey         string   `toml:"api_key"`
	WebhookSecrets []string `toml:"webhook_secrets"`
	// MonitorAPIKey, when set, is a separate key that the dashboard's own
	// fetching (the background lane) uses, with a rate limit of its own.
	MonitorAPIKey string `toml:"monitor_api_key"`
	// RateLimit is the requests per minute the provider allows a key when
	// its answers do not say (no X-RateLimit-* headers); 0 → 100.
	RateLimit int `toml:"rate_limit"`
}

// ClientConfig tunes the API client.
type ClientConfig struct {
	AttemptTimeout duration `toml:"attempt_timeout"`
	MaxAttempts    int      `toml:"max_attempts"`
	MaxRetryWait   duration `toml:"max_retry_wait"`
	// BackgroundShare is the most of a key's rate-limit window that the
	// dashboard's own fetching may spend.
	BackgroundShare float64 `toml:"background_share"`
}

// RelayConfig configures `carddesk relay` and how dashboards reach it.
type RelayConfig struct {
	Listen         string   `toml:"listen"`
	OpsListen      string   `toml:"ops_listen"` // /healthz and /metrics without a token; "off" for none
	URL            string   `toml:"url"`        // the stream URL dashboards subscribe to
	Token          string   `toml:"token"`
	AllowedOrigins []string `toml:"allowed_origins"`
	Database       string   `toml:"database"`
	RetentionAge   duration `toml:"retention_age"`
	RetentionCount int64    `toml:"retention_count"`
}

// duration reads "90s", "15m", "720h" from TOML strings.
type duration struct{ time.Duration }

func (d *duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration such as 30s, 15m or 720h, got %q", b)
	}
	if v < 0 {
		return fmt.Errorf("duration %q is negative", b)
	}
	d.Duration = v
	return nil
}

func (d duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Default is the configuration with nothing set.
func Default() Config {
	return Config{
		Provider:  "vaultspay",
		VaultsPay: ProviderConfig{BaseURL: "https://api.vaultspay.ae/v1"},
		Vydapay:   ProviderConfig{BaseURL: "https://api.vydapay.com/v1"},
		Client: ClientConfig{
			AttemptTimeout:  duration{10 * time.Second},
			MaxAttempts:     4,
			MaxRetryWait:    duration{20 * time.Second},
			BackgroundShare: api.DefaultBackgroundShare,
		},
		Relay: RelayConfig{
			Listen:         "127.0.0.1:8781",
			OpsListen:      "127.0.0.1:8782",
			URL:            "ws://127.0.0.1:8781/v1/stream",
			RetentionAge:   duration{30 * 24 * time.Hour},
			RetentionCount: 5_000_000,
		},
		Serve: ServeConfig{
			Listen:                       "127.0.0.1:2222",
			IdleTimeout:                  duration{15 * time.Minute},
			MaxSessionsPerAgent:          3,
			ConnectionsPerSecond:         sshserve.DefaultConnRate,
			ConnectionBurst:              sshserve.DefaultConnBurst,
			HandshakeTimeout:             duration{sshserve.DefaultHandshakeTimeout},
			MaxUnauthenticated:           sshserve.DefaultMaxUnauthenticated,
			MaxUnauthenticatedPerAddress: sshserve.DefaultMaxUnauthenticatedPerAddr,
			NoDashboardTimeout:           duration{sshserve.DefaultNoDashboardTimeout},
		},
	}
}
