package main

import (
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
)

// A config file holding a secret is refused, by every command that reads
// it, while group or others may read it — with the file, the keys and the
// fix named, and no secret shown. The same file at 0600, or one holding
// no secret at 0644, is accepted.
func TestConfigWithSecretsMustBePrivate(t *testing.T) {
	clearCarddeskEnv(t)
	dir := t.TempDir()
	const apiKey = "vp_test_keythatmustnotshow0123"
	secret := vydapay.NewSecret()
	token := "tokenthatmustnotshow0123456789"
	// The provider is on loopback and unreachable, and there is no relay URL,
	// so that a command that accepts its config starts without the network.
	provider := "[vaultspay]\nbase_url = \"http://127.0.0.1:1/v1\"\napi_key = \"" + apiKey + "\"\n[relay]\nurl = \"\"\n"
	_, pub := demoPub(t)
	agents := "[[agents]]\nname = \"amira\"\nrole = \"agent\"\nkeys = [\"" + pub + "\"]\n[serve]\nlisten = \"127.0.0.1:0\"\n"
	relaySecrets := "[vydapay]\nwebhook_secrets = [\"" + secret + "\"]\n[relay]\nlisten = \"127.0.0.1:0\"\ntoken = \"" + token + "\"\n"
	// The dashboard refuses a plain http:// provider off loopback, after
	// reading its config: past the check on the file's mode.
	dashboard := "[vaultspay]\nbase_url = \"http://api.example.com/v1\"\napi_key = \"" + apiKey + "\"\n[relay]\nurl = \"\"\n"
	noSecret := "[relay]\nlisten = \"127.0.0.1:0\"\n[vaultspay]\napi_key = \"\"\nwebhook_secrets = []\n"
	secretFile := writeFile(t, dir, "secret", secret+"\n", 0o600)

	tests := []struct {
		name  string
		body  string
		mode  os.FileMode
		args  []string // after --config FILE
		ready string   // what the command prints once it runs
		want  string   // its error, FILE standing for the config's path; "" when it must run
	}{
		{"dashboard, others read", dashboard, 0o644, nil, "",
			"config FILE holds secrets (vaultspay.api_key) but FILE is readable by group or others (mode 0644); run: chmod 600 FILE, or move them to the environment (CARDDESK_VAULTSPAY_KEY)"},
		{"dashboard, private", dashboard, 0o600, nil, "", "vaultspay client: "},
		{"dashboard with a monitoring key, others read", strings.Replace(dashboard, "[relay]", "monitor_api_key = \"vp_test_ro_monitorkeythatmustnotshow\"\n[relay]", 1), 0o644, nil, "",
			"config FILE holds secrets (vaultspay.api_key, vaultspay.monitor_api_key) but FILE is readable by group or others (mode 0644); run: chmod 600 FILE, or move them to the environment (CARDDESK_VAULTSPAY_KEY, CARDDESK_VAULTSPAY_MONITOR_KEY)"},
		{"serve, group reads", provider + agents, 0o640, []string{"serve"}, "listening on",
			"config FILE holds secrets (vaultspay.api_key) but FILE is readable by group or others (mode 0640)"},
		{"serve, private", provider + agents, 0o600, []string{"serve"}, "listening on", ""},
		{"relay, others read", relaySecrets, 0o604, []string{"relay", "--state-dir", t.TempDir()}, "carddesk relay on",
			"relay: config FILE holds secrets (vydapay.webhook_secrets, relay.token) but FILE is readable by group or others (mode 0604); run: chmod 600 FILE, or move them to the environment (CARDDESK_VYDAPAY_WEBHOOK_SECRETS, CARDDESK_RELAY_TOKEN)"},
		{"relay, flags win but the file still holds them", relaySecrets, 0o644,
			[]string{"relay", "--state-dir", t.TempDir(), "--vydapay-webhook-secret-file", secretFile}, "carddesk relay on", "holds secrets (vydapay.webhook_secrets, relay.token)"},
		{"relay, private", relaySecrets, 0o600, []string{"relay", "--state-dir", t.TempDir()}, "carddesk relay on", ""},
		{"relay, no secret in a file others read", noSecret, 0o644,
			[]string{"relay", "--state-dir", t.TempDir(), "--vydapay-webhook-secret-file", secretFile}, "carddesk relay on", ""},
		{"serve, agents in a file group may write", strings.ReplaceAll(provider, apiKey, "") + agents, 0o664, []string{"serve"}, "listening on",
			"config FILE is writable by group or others (mode 0664): whoever can change it can add an agent or redirect the dashboard; run: chmod go-w FILE"},
		{"relay, no secret in a file others may write", noSecret, 0o646,
			[]string{"relay", "--state-dir", t.TempDir(), "--vydapay-webhook-secret-file", secretFile}, "carddesk relay on", "is writable by group or others (mode 0646)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "config.toml", tt.body, tt.mode)
			started, err := runUntilReady(t, tt.ready, append([]string{"--config", path}, tt.args...)...)
			if tt.want == "" {
				if !started {
					t.Fatalf("did not start: %v", err)
				}
				return
			}
			want := strings.ReplaceAll(tt.want, "FILE", path)
			if started || err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("started %v, error %v; want %q", started, err, want)
			}
			for _, s := range []string{apiKey, secret, token} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error shows a secret: %v", err)
				}
			}
		})
	}
}

// runUntilReady runs carddesk with args until it prints a line matching
// ready (then stops it and reports it started) or ends by itself (and
// reports its error). An empty ready is never printed.
func runUntilReady(t *testing.T, ready string, args ...string) (started bool, err error) {
	t.Helper()
	if ready == "" {
		ready = "a line no command prints^"
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &signalBuffer{re: regexp.MustCompile("(" + ready + ")"), match: make(chan string, 1)}
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	select {
	case <-out.match:
		cancel()
		if err := <-done; err != nil {
			t.Errorf("carddesk %s, stopped: %v", strings.Join(args, " "), err)
		}
		return true, nil
	case err := <-done:
		return false, err
	case <-time.After(30 * time.Second):
		t.Fatalf("carddesk %s neither printed %q nor stopped:\n%s", strings.Join(args, " "), ready, out)
	}
	return false, nil
}
