package main

import (
	"encoding/base64"
	"strings"
	"testing"
)

// A VaultsPay webhook secret that is not whsec_ is refused at start — by
// the relay, the sandbox and any command reading it from the config or the
// environment — saying what is wrong and never showing it. The relay took
// it before, and refused every webhook then as a signature mismatch.
func TestVaultsPaySecretWithoutWhsecRefusedAtStart(t *testing.T) {
	clearCarddeskEnv(t)
	bare := base64.StdEncoding.EncodeToString([]byte("thirty-two bytes of secret key!!"))
	dir := t.TempDir()
	secretFile := writeFile(t, dir, "vp-secret", bare+"\n", 0o600)
	config := writeFile(t, dir, "config.toml", "[vaultspay]\nwebhook_secrets = [\""+bare+"\"]\n[relay]\nlisten = \"127.0.0.1:0\"\nops_listen = \"off\"\n", 0o600)
	const want = "VaultsPay webhook secret does not start with whsec_"
	tests := []struct {
		name  string
		env   string // CARDDESK_VAULTSPAY_WEBHOOK_SECRETS
		ready string
		args  []string
	}{
		{"relay, secret file", "", "carddesk relay on",
			[]string{"relay", "--state-dir", t.TempDir(), "--addr", "127.0.0.1:0", "--ops-addr", "off", "--vaultspay-webhook-secret-file", secretFile}},
		{"relay, config file", "", "carddesk relay on", []string{"--config", config, "relay", "--state-dir", t.TempDir()}},
		{"relay, environment", bare, "carddesk relay on",
			[]string{"relay", "--state-dir", t.TempDir(), "--addr", "127.0.0.1:0", "--ops-addr", "off"}},
		{"sandbox, secret file", "", "carddesk sandbox on",
			[]string{"sandbox", "--addr", "127.0.0.1:0", "--vaultspay-webhook-secret-file", secretFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CARDDESK_VAULTSPAY_WEBHOOK_SECRETS", tt.env)
			started, err := runUntilReady(t, tt.ready, tt.args...)
			if started || err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("started %v, error %v; want %q", started, err, want)
			}
			if strings.Contains(err.Error(), bare) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}
