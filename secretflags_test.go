package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// writeFile writes content at mode (past the umask) into dir.
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// startCarddesk runs carddesk with args until the test ends and returns
// the first submatch of ready in its output, once it is there.
func startCarddesk(t *testing.T, ready string, args ...string) (match string, out *signalBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &signalBuffer{re: regexp.MustCompile(ready), match: make(chan string, 1)}
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("carddesk %s: %v", strings.Join(args, " "), err)
		}
	})
	select {
	case match = <-out.match:
		return match, out
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("carddesk %s stopped: %v", strings.Join(args, " "), err)
	case <-time.After(30 * time.Second):
		t.Fatalf("carddesk %s printed no %q:\n%s", strings.Join(args, " "), ready, out)
	}
	return "", nil
}

// Each secret a command takes has a file form, read if private enough
// and refused with the chmod that fixes it otherwise; the flag and its
// file together are refused; no refusal shows the secret.
func TestSecretFlagsRefused(t *testing.T) {
	clearCarddeskEnv(t)
	const secret = "whsec_c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1zaG93LXVw"
	dir := t.TempDir()
	open := writeFile(t, dir, "open", secret+"\n", 0o644)
	group := writeFile(t, dir, "group", secret+"\n", 0o640)
	private := writeFile(t, dir, "private", secret+"\n", 0o600)
	empty := writeFile(t, dir, "empty", "\n", 0o600)
	missing := filepath.Join(dir, "missing")
	relay := []string{"relay", "--addr", "127.0.0.1:0", "--state-dir", t.TempDir()}
	withSecret := with(relay, "--vydapay-webhook-secret-file", private)
	sandbox := []string{"sandbox", "--addr", "127.0.0.1:0", "--rate", "0"}
	bench := []string{"bench", "relay", "--url", "http://127.0.0.1:1", "--duration", "1s"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"relay token file others read", with(withSecret, "--token-file", open),
			"--token-file: " + open + " is readable by group or others (mode 0644); run: chmod 600 " + open},
		{"relay token file empty", with(withSecret, "--token-file", empty), "--token-file: " + empty + " is empty"},
		{"relay token file missing", with(withSecret, "--token-file", missing), "--token-file: open " + missing},
		{"relay token twice", with(withSecret, "--token", secret, "--token-file", private),
			"--token and --token-file both given: give the secret once, in the file"},
		{"relay secrets file group reads", with(relay, "--vaultspay-webhook-secret-file", group),
			"--vaultspay-webhook-secret-file: " + group + " is readable by group or others (mode 0640); run: chmod 600 " + group},
		{"relay secrets twice", with(relay, "--vydapay-webhook-secret", secret, "--vydapay-webhook-secret-file", private),
			"--vydapay-webhook-secret and --vydapay-webhook-secret-file both given"},
		{"relay secrets file empty", with(relay, "--vydapay-webhook-secret-file", empty), "--vydapay-webhook-secret-file: " + empty + " is empty"},
		{"sandbox key file others read", with(sandbox, "--vydapay-key-file", open),
			"sandbox: --vydapay-key-file: " + open + " is readable by group or others (mode 0644); run: chmod 600 " + open},
		{"sandbox key twice", with(sandbox, "--vaultspay-key", "vp_test_abc", "--vaultspay-key-file", private),
			"--vaultspay-key and --vaultspay-key-file both given"},
		{"sandbox secret file group reads", with(sandbox, "--vaultspay-webhook-secret-file", group), "chmod 600 " + group},
		{"sandbox secret twice", with(sandbox, "--vydapay-webhook-secret", secret, "--vydapay-webhook-secret-file", private),
			"--vydapay-webhook-secret and --vydapay-webhook-secret-file both given"},
		{"bench token file others read", with(bench, "--token-file", open), "bench relay: --token-file: " + open + " is readable by group or others"},
		{"bench secret twice", with(bench, "--vydapay-secret", secret, "--vydapay-secret-file", private),
			"--vydapay-secret and --vydapay-secret-file both given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			root.SetArgs(tt.args)
			root.SetOut(io.Discard)
			err := root.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[len("whsec_"):]) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

// The relay reads its stream token and its webhook secrets (one a line,
// both sides of a rotation) from files; the sandbox reads its key and the
// secret it signs with from files and does not print them; bench relay
// loads that relay with its token and an older secret from files. Each
// secret is shown to work: the stream opens with the token, the sandbox's
// webhooks reach the stream, the key reads cards, the bench loses nothing.
func TestSecretFilesAreUsed(t *testing.T) {
	clearCarddeskEnv(t)
	dir := t.TempDir()
	token := live.NewToken()
	oldSecret, newSecret := vydapay.NewSecret(), vydapay.NewSecret()
	const key = "sk_test_fromafile0123456789"
	tokenFile := writeFile(t, dir, "token", token+"\n", 0o600)
	relaySecrets := writeFile(t, dir, "relay-secrets", oldSecret+"\n"+newSecret+"\n", 0o600)
	signingSecret := writeFile(t, dir, "signing-secret", newSecret+"\n", 0o400)
	benchSecret := writeFile(t, dir, "bench-secret", oldSecret, 0o600)
	keyFile := writeFile(t, dir, "key", key+"\n", 0o600)

	relayBase, relayOut := startCarddesk(t, `carddesk relay on (http://\S+)`, "relay", "--addr", "127.0.0.1:0",
		"--state-dir", t.TempDir(), "--token-file", tokenFile, "--vydapay-webhook-secret-file", relaySecrets)
	if !strings.Contains(relayOut.String(), "(bearer token in "+tokenFile+")") {
		t.Errorf("the relay's banner does not say where its token came from:\n%s", relayOut)
	}
	sandboxBase, sandboxOut := startCarddesk(t, `(?s)carddesk sandbox on (http://\S+).*Try: `, "sandbox", "--addr", "127.0.0.1:0",
		"--rate", "20", "--vydapay-key-file", keyFile, "--vydapay-webhook-secret-file", signingSecret,
		"--vydapay-webhook-url", relayBase+"/webhooks/vydapay")
	for _, s := range []string{key, newSecret} {
		if strings.Contains(sandboxOut.String(), s) {
			t.Errorf("the sandbox's banner shows a secret it was given:\n%s", sandboxOut)
		}
	}

	for _, tt := range []struct {
		key  string
		want int
	}{{key, http.StatusOK}, {"sk_test_someotherkey0123456", http.StatusUnauthorized}} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, sandboxBase+"/vydapay/v1/cards?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+tt.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("GET cards with key %s…: %s, want %d", tt.key[:12], resp.Status, tt.want)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sub := live.Subscribe(ctx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(relayBase, "http") + "/v1/stream", Token: token})
	select {
	case recs := <-sub.Events():
		if len(recs) == 0 || recs[0].Provider != vydapay.Provider {
			t.Errorf("first batch %+v, want Vydapay events", recs)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no signed webhook reached the stream (state %s, err %v)", sub.State(), sub.Err())
	}

	root := newRootCmd()
	var report bytes.Buffer
	root.SetOut(&report)
	root.SetErr(io.Discard)
	root.SetArgs([]string{"bench", "relay", "--url", relayBase, "--token-file", tokenFile, "--vydapay-secret-file", benchSecret,
		"--duration", "1s", "--rate", "50", "--concurrency", "2", "--subscribers", "1"})
	if err := root.ExecuteContext(t.Context()); err != nil {
		t.Fatalf("bench relay with the token and secret from files: %v\n%s", err, report.String())
	}
}

// Every flag that takes a secret says in --help that other local users
// can read it, and names the file form and the environment variable.
func TestSecretFlagsHelp(t *testing.T) {
	tests := []struct {
		cmd  []string
		flag string
		env  string
	}{
		{[]string{"relay"}, "token", "CARDDESK_RELAY_TOKEN"},
		{[]string{"relay"}, "vaultspay-webhook-secret", "CARDDESK_VAULTSPAY_WEBHOOK_SECRETS"},
		{[]string{"relay"}, "vydapay-webhook-secret", "CARDDESK_VYDAPAY_WEBHOOK_SECRETS"},
		{[]string{"sandbox"}, "vaultspay-key", ""},
		{[]string{"sandbox"}, "vydapay-key", ""},
		{[]string{"sandbox"}, "vaultspay-webhook-secret", ""},
		{[]string{"sandbox"}, "vydapay-webhook-secret", ""},
		{[]string{"bench", "relay"}, "token", "CARDDESK_RELAY_TOKEN"},
		{[]string{"bench", "relay"}, "vydapay-secret", "CARDDESK_VYDAPAY_WEBHOOK_SECRETS"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.cmd, " ")+" --"+tt.flag, func(t *testing.T) {
			root := newRootCmd()
			var help bytes.Buffer
			root.SetOut(&help)
			root.SetArgs(append(append([]string{}, tt.cmd...), "--help"))
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			line := helpLine(help.String(), "--"+tt.flag+" ")
			for _, want := range []string{"Visible to other local users (ps)", "--" + tt.flag + "-file", tt.env} {
				if !strings.Contains(line, want) {
					t.Errorf("--%s's help %q does not say %q", tt.flag, line, want)
				}
			}
			if file := helpLine(help.String(), "--"+tt.flag+"-file "); !strings.Contains(file, "chmod 600") {
				t.Errorf("--%s-file's help %q does not say the file must be private", tt.flag, file)
			}
		})
	}
}

// with is base followed by more, in an array of its own.
func with(base []string, more ...string) []string {
	return append(slices.Clone(base), more...)
}

// helpLine is the line of help that declares flag.
func helpLine(help, flag string) string {
	for line := range strings.Lines(help) {
		if strings.HasPrefix(strings.TrimSpace(line), flag) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
