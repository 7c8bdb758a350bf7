package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/demodir"
)

func TestServeConfigErrors(t *testing.T) {
	clearCarddeskEnv(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, pub := demoPub(t)
	agent := "[[agents]]\nname = \"amira\"\nrole = \"agent\"\nkeys = [\"" + pub + "\"]\n"
	tests := []struct {
		name string
		body string
		want string
	}{
		{"no agents", "[vaultspay]\napi_key = \"vp_test_abc\"\n", "no agents configured: add an [[agents]] block"},
		{"bad role", strings.Replace(agent, `"agent"`, `"admin"`, 1), `agents[0]: agent amira: role "admin"`},
		{"bad key", strings.Replace(agent, pub, "ssh-ed25519 nope", 1), "agents[0]: agent amira: key 1"},
		{"zero cap", agent + "[serve]\nmax_sessions_per_agent = 0\n", "serve.max_sessions_per_agent 0"},
		{"zero idle", agent + "[serve]\nidle_timeout = \"0s\"\n", "serve.idle_timeout"},
		{"relative host key", agent + "[serve]\nhost_key = \"key\"\n", "serve.host_key"},
		{"zero connection rate", agent + "[serve]\nconnections_per_second = 0\n", "serve.connections_per_second 0: must be more than zero"},
		{"zero burst", agent + "[serve]\nconnection_burst = 0\n", "serve.connection_burst 0: want 1 or more"},
		{"no API key", agent, "no VaultsPay API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			root.SetArgs([]string{"serve", "--config", write(strings.ReplaceAll(tt.name, " ", "_")+".toml", tt.body)})
			err := root.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// demoPub is a fresh key's authorized_keys line.
func demoPub(t *testing.T) (string, string) {
	t.Helper()
	path, pub, err := demodir.WriteAgentKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("demo key %v mode %v", err, fi.Mode())
	}
	return path, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
}
