package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui"
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

// defaultConfig is the configuration with nothing set.
func defaultConfig() Config {
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

// defaultConfigPath is $XDG_CONFIG_HOME/carddesk/config.toml.
func defaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "carddesk", "config.toml")
}

// defaultStateDir is $XDG_STATE_HOME/carddesk, or ~/.local/state/carddesk.
func defaultStateDir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "carddesk")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "carddesk")
	}
	return filepath.Join(os.TempDir(), "carddesk-state")
}

// loadConfig reads path (the default path when empty, where a missing file
// means defaults), applies environment overrides and checks the result.
func loadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := defaultConfig()
	explicit := path != ""
	if !explicit {
		path = defaultConfigPath()
	}
	if path != "" {
		raw, info, err := readConfigFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case err != nil:
			return Config{}, fmt.Errorf("read config: %w", err)
		default:
			if cfg, err = parseConfig(raw, cfg); err != nil {
				return Config{}, fmt.Errorf("config %s: %w", path, err)
			}
			// The defaults hold no secret: those in cfg are the file's.
			if err := checkPrivate(path, info, cfg); err != nil {
				return Config{}, err
			}
		}
	}
	applyEnv(&cfg, getenv)
	if cfg.StateDir == "" {
		cfg.StateDir = defaultStateDir(getenv)
	}
	if err := cfg.validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// parseConfig decodes TOML over base, refusing keys it does not know so
// that a typo is an error rather than a silently ignored setting.
func parseConfig(raw []byte, base Config) (Config, error) {
	cfg := base
	md, err := toml.Decode(string(raw), &cfg)
	if err != nil {
		return Config{}, describeTOMLError(err)
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		keys := make([]string, len(extra))
		for i, k := range extra {
			keys[i] = k.String()
		}
		return Config{}, fmt.Errorf("unknown key %s", strings.Join(keys, ", "))
	}
	return cfg, nil
}

func describeTOMLError(err error) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		if isSecretKey(perr.LastKey) {
			return fmt.Errorf("line %d %s", perr.Position.Line, hideSecret(perr.LastKey, perr.Message))
		}
		return fmt.Errorf("line %d: %s", perr.Position.Line, perr.Message)
	}
	return err
}

// maxConfigSize caps what loadConfig reads: --config /dev/zero must not
// fill the memory.
const maxConfigSize = 1 << 20

// readConfigFile reads the configuration file at path, with its mode as
// the open file has it (not a file swapped in since).
func readConfigFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(raw) > maxConfigSize {
		return nil, nil, fmt.Errorf("%s is larger than %d bytes", path, maxConfigSize)
	}
	return raw, info, nil
}

// applyEnv lets the environment supply secrets without writing them into
// the file. CARDDESK_API_KEY applies to the selected provider.
func applyEnv(cfg *Config, getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	list := func(dst *[]string, name string) {
		if v := getenv(name); strings.TrimSpace(v) != "" {
			*dst = splitList(v)
		}
	}
	if v := strings.TrimSpace(getenv("CARDDESK_PROVIDER")); v != "" {
		cfg.Provider = v
	}
	switch cfg.Provider {
	case "vaultspay":
		set(&cfg.VaultsPay.APIKey, "CARDDESK_API_KEY")
		set(&cfg.VaultsPay.MonitorAPIKey, "CARDDESK_MONITOR_API_KEY")
	case "vydapay":
		set(&cfg.Vydapay.APIKey, "CARDDESK_API_KEY")
		set(&cfg.Vydapay.MonitorAPIKey, "CARDDESK_MONITOR_API_KEY")
	}
	set(&cfg.VaultsPay.APIKey, "CARDDESK_VAULTSPAY_KEY")
	set(&cfg.Vydapay.APIKey, "CARDDESK_VYDAPAY_KEY")
	set(&cfg.VaultsPay.MonitorAPIKey, "CARDDESK_VAULTSPAY_MONITOR_KEY")
	set(&cfg.Vydapay.MonitorAPIKey, "CARDDESK_VYDAPAY_MONITOR_KEY")
	list(&cfg.VaultsPay.WebhookSecrets, "CARDDESK_VAULTSPAY_WEBHOOK_SECRETS")
	list(&cfg.Vydapay.WebhookSecrets, "CARDDESK_VYDAPAY_WEBHOOK_SECRETS")
	set(&cfg.Relay.Token, "CARDDESK_RELAY_TOKEN")
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c Config) validate() error {
	switch c.Provider {
	case "vaultspay", "vydapay":
	default:
		return fmt.Errorf("provider %q: want vaultspay or vydapay", c.Provider)
	}
	if c.Client.MaxAttempts < 1 || c.Client.MaxAttempts > 10 {
		return fmt.Errorf("client.max_attempts %d: want 1 to 10", c.Client.MaxAttempts)
	}
	if err := c.checkWebhookSecrets(); err != nil {
		return err
	}
	if err := c.validateBudget(); err != nil {
		return err
	}
	if c.Relay.RetentionCount < 0 {
		return fmt.Errorf("relay.retention_count %d: must not be negative", c.Relay.RetentionCount)
	}
	if _, err := c.keyMap(); err != nil {
		return err
	}
	if err := c.Serve.validate(); err != nil {
		return err
	}
	if _, err := c.agents(); err != nil {
		return err
	}
	if c.StateDir != "" && !filepath.IsAbs(c.StateDir) {
		return fmt.Errorf("state_dir %q: want an absolute path", c.StateDir)
	}
	return nil
}

// keyMap is the dashboard keymap with the configuration's rebindings.
func (c Config) keyMap() (*tui.KeyMap, error) {
	km := tui.DefaultKeyMap()
	if len(c.Keys) == 0 {
		return km, nil
	}
	if err := km.Rebind(c.Keys); err != nil {
		return nil, err
	}
	return km, nil
}
