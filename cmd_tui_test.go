package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clearCarddeskEnv keeps the developer's environment out of a test.
func clearCarddeskEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"CARDDESK_API_KEY", "CARDDESK_PROVIDER", "CARDDESK_VAULTSPAY_KEY", "CARDDESK_VYDAPAY_KEY", "CARDDESK_RELAY_TOKEN",
		"CARDDESK_MONITOR_API_KEY", "CARDDESK_VAULTSPAY_MONITOR_KEY", "CARDDESK_VYDAPAY_MONITOR_KEY"} {
		t.Setenv(k, "")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
}

func TestLocalTUIConfigErrors(t *testing.T) {
	clearCarddeskEnv(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no VaultsPay key", []string{"--config", write("vp.toml", "provider = \"vaultspay\"\n")},
			"no VaultsPay API key: set vaultspay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`"},
		{"no Vydapay key", []string{"--config", write("vy.toml", "provider = \"vydapay\"\n")},
			"no Vydapay API key: set vydapay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`"},
		{"no config file at all", nil, "no VaultsPay API key"},
		{"a config file that is not there", []string{"--config", filepath.Join(dir, "missing.toml")}, "read config"},
		{"a plain http provider URL", []string{"--config", write("http.toml", "[vaultspay]\napi_key = \"vp_test_abc\"\nbase_url = \"http://api.example.com/v1\"\n")}, "vaultspay client"},
		{"a publishable Vydapay key", []string{"--config", write("pk.toml", "provider = \"vydapay\"\n[vydapay]\napi_key = \"pk_test_abc\"\n")}, "vydapay client"},
		{"an argument", []string{"users"}, `unknown command "users"`},
		// The relay keeps its own --config beside the root's.
		{"relay --config", []string{"relay", "--config", filepath.Join(dir, "missing.toml")}, "read config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			root.SetArgs(tt.args)
			err := root.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
