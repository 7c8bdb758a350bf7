package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// The example documents every key: it must parse, with nothing unknown.
func TestConfigExampleParses(t *testing.T) {
	cfg, err := Load("../../config.toml.example", noEnv)
	if err != nil {
		t.Fatalf("config.toml.example: %v", err)
	}
	if cfg.Provider != "vaultspay" || cfg.Relay.RetentionAge.Duration != 720*time.Hour || cfg.Client.MaxAttempts != 4 {
		t.Errorf("example parsed to %+v", cfg)
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		toml    string
		env     map[string]string
		check   func(Config) bool
		wantErr string
	}{
		{"empty file gives defaults", "", nil, func(c Config) bool {
			return c.Provider == "vaultspay" && c.Relay.Listen == "127.0.0.1:8781" && c.StateDir != ""
		}, ""},
		{"provider and key", "provider = \"vydapay\"\n[vydapay]\napi_key = \"sk_test_x\"\n", nil, func(c Config) bool {
			return c.Provider == "vydapay" && c.Vydapay.APIKey == "sk_test_x"
		}, ""},
		{"env wins over file", "[vaultspay]\napi_key = \"vp_test_file\"\n", map[string]string{"CARDDESK_API_KEY": "vp_test_env"}, func(c Config) bool {
			return c.VaultsPay.APIKey == "vp_test_env"
		}, ""},
		{"env secrets list", "", map[string]string{"CARDDESK_VYDAPAY_WEBHOOK_SECRETS": " a, ,b "}, func(c Config) bool {
			return strings.Join(c.Vydapay.WebhookSecrets, "|") == "a|b"
		}, ""},
		{"durations", "[relay]\nretention_age = \"48h\"\n", nil, func(c Config) bool {
			return c.Relay.RetentionAge.Duration == 48*time.Hour
		}, ""},
		{"unknown key", "[relay]\nlistn = \"x\"\n", nil, nil, "unknown key relay.listn"},
		{"bad provider", "provider = \"stripe\"\n", nil, nil, `provider "stripe"`},
		{"bad duration", "[relay]\nretention_age = \"soon\"\n", nil, nil, "want a duration"},
		{"negative duration", "[client]\nmax_retry_wait = \"-1s\"\n", nil, nil, "negative"},
		{"wrong type", "[client]\nmax_attempts = \"four\"\n", nil, nil, "max_attempts"},
		{"out of range", "[client]\nmax_attempts = 0\n", nil, nil, "max_attempts 0"},
		{"keys rebound", "[keys]\nfreeze = [\"F\"]\n", nil, func(c Config) bool {
			km, err := c.KeyMap()
			return err == nil && km.Freeze.Keys()[0] == "F"
		}, ""},
		{"unknown key action", "[keys]\nexplode = [\"x\"]\n", nil, nil, "keys.explode"},
		{"key clash", "[keys]\nfreeze = [\"j\"]\n", nil, nil, "bound to both"},
		{"relative state dir", "state_dir = \"state\"\n", nil, nil, "absolute path"},
		{"budget defaults", "", nil, func(c Config) bool {
			b := c.Budget(c.Vydapay)
			return c.Client.BackgroundShare == 0.2 && b.Limit == 0 && b.BackgroundShare == 0.2 && c.Vydapay.MonitorAPIKey == ""
		}, ""},
		{"monitoring keys and limits", "[vaultspay]\nmonitor_api_key = \"vp_test_ro_m\"\nrate_limit = 300\n[client]\nbackground_share = 0.1\n", nil, func(c Config) bool {
			b := c.Budget(c.VaultsPay)
			return c.VaultsPay.MonitorAPIKey == "vp_test_ro_m" && b.Limit == 300 && b.BackgroundShare == 0.1
		}, ""},
		{"monitoring key from the environment", "provider = \"vydapay\"\n", map[string]string{"CARDDESK_MONITOR_API_KEY": "sk_test_m", "CARDDESK_VAULTSPAY_MONITOR_KEY": "vp_test_m"}, func(c Config) bool {
			return c.Vydapay.MonitorAPIKey == "sk_test_m" && c.VaultsPay.MonitorAPIKey == "vp_test_m"
		}, ""},
		{"monitoring key is the agents' key", "[vydapay]\napi_key = \"sk_test_x\"\nmonitor_api_key = \"sk_test_x\"\n", nil, nil, "vydapay.monitor_api_key is the same key as vydapay.api_key"},
		{"background share out of range", "[client]\nbackground_share = 1.5\n", nil, nil, "client.background_share 1.5"},
		{"background share zero", "[client]\nbackground_share = 0\n", nil, nil, "client.background_share 0"},
		{"negative rate limit", "[vaultspay]\nrate_limit = -5\n", nil, nil, "vaultspay.rate_limit -5"},
		{"syntax error", "provider = \n", nil, nil, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(path, envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Errorf("config = %+v", cfg)
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.toml"), noEnv); err == nil {
		t.Error("an explicitly named missing file was accepted")
	}
}

func TestConfigSecretsNeverInErrors(t *testing.T) {
	_, err := parse([]byte("[vaultspay]\napi_key = \"vp_live_supersecret\"\nwat = 1\n"), Default())
	if err == nil || strings.Contains(err.Error(), "supersecret") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	raw, err := os.ReadFile("../../config.toml.example")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw))
	f.Add("provider = \"vydapay\"\n[relay]\nretention_age = \"1h\"\n")
	f.Add("[client]\nmax_attempts = 99999999999999999999\n")
	f.Add("[[agents]]\nname = 1\n")
	f.Add("a = \"\\u0000\"")
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("[[agents]]\nname = \"\\u001b]52;c;eA==\\u0007alice\\u202e\"\nrole = \"agent\"\nkeys = [\"4929 5801 7316 0424\"]\n")
	f.Add("[serve]\nidle_timeout = \"4929580173160424h\"\n")
	f.Add(strings.Repeat("[a.", 3000))
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := parse([]byte(s), Default())
		if err != nil {
			return
		}
		_ = cfg.validate()
	})
}
