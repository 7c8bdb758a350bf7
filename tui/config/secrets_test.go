package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A config file that a secret keeps from parsing says where, and which
// key, without quoting the secret; other keys' values are still quoted.
func TestConfigParseErrorsHideSecrets(t *testing.T) {
	tests := []struct {
		name, toml, secret, want string
	}{
		{"unquoted token", "[relay]\ntoken = abcdefSUPERSECRET\n", "SUPERSECRET", `line 2 (relay.token, not shown: a secret): expected value but found "…" instead`},
		{"bad escape in a key", "[vydapay]\napi_key = \"sk_live_SUPER\\uZZZZSECRET\"\n", "SUPER", "line 2 (vydapay.api_key, not shown: a secret)"},
		{"bare word in a list", "[vaultspay]\nwebhook_secrets = [\"a\", whsecSUPERSECRET]\n", "SUPERSECRET", "line 2 (vaultspay.webhook_secrets, not shown: a secret)"},
		{"unquoted monitoring key", "[vydapay]\nmonitor_api_key = sk_live_SUPERSECRET\n", "SUPERSECRET", "line 2 (vydapay.monitor_api_key, not shown: a secret)"},
		{"not a secret", "[relay]\nretention_age = \"soon\"\n", "", `line 2: want a duration such as 30s, 15m or 720h, got "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.toml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}
