package sshserve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/tui/backend"
)

func authorizedLine(t *testing.T) (string, gossh.PublicKey) {
	t.Helper()
	pub := newSigner(t).PublicKey()
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub))) + " amira@laptop", pub
}

func TestNewAgent(t *testing.T) {
	line, pub := authorizedLine(t)
	tests := []struct {
		name, agent, role string
		keys              []string
		wantErr           string
	}{
		{"ok", "amira", "Agent", []string{line}, ""},
		{"options allowed", "amira", "viewer", []string{`no-pty,from="10.0.0.1" ` + line}, ""},
		{"no name", " ", "agent", []string{line}, "no name"},
		{"bad role", "amira", "admin", []string{line}, "want viewer, agent or supervisor"},
		{"no keys", "amira", "agent", nil, "no keys"},
		{"empty key", "amira", "agent", []string{""}, "key 1: empty key"},
		{"garbage", "amira", "agent", []string{"ssh-ed25519 not-base64!"}, "key 1: want one authorized_keys line"},
		{"two keys on a line", "amira", "agent", []string{line + "\n" + line}, "more than one key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAgent(tc.agent, tc.role, tc.keys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewAgent: %v", err)
			}
			if got, ok := (roster{a}).lookup(pub); !ok || got.Name != "amira" {
				t.Errorf("the agent's key does not find it")
			}
		})
	}
}

func TestRosterCheck(t *testing.T) {
	k1, k2 := newSigner(t).PublicKey(), newSigner(t).PublicKey()
	tests := []struct {
		name    string
		r       roster
		wantErr string
	}{
		{"ok", roster{{"a", backend.RoleAgent, []gossh.PublicKey{k1}}, {"b", backend.RoleViewer, []gossh.PublicKey{k2}}}, ""},
		{"empty", nil, "no agents"},
		{"duplicate name", roster{{"a", backend.RoleAgent, []gossh.PublicKey{k1}}, {"a", backend.RoleViewer, []gossh.PublicKey{k2}}}, "listed twice"},
		{"shared key", roster{{"a", backend.RoleAgent, []gossh.PublicKey{k1}}, {"b", backend.RoleSupervisor, []gossh.PublicKey{k1}}}, "share a key"},
		{"no key", roster{{"a", backend.RoleAgent, nil}}, "no keys"},
		{"bad role", roster{{"a", backend.Role("root"), []gossh.PublicKey{k1}}}, "want viewer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.check()
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("check() = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func FuzzParseKey(f *testing.F) {
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1O9m6V5uv5yZpX6tZbZ5G0dW+V8wzWc1Qm6mZ3V5Zx a@b")
	f.Add(`command="x" ssh-rsa AAAA`)
	f.Add("")
	f.Add("# comment\n")
	f.Add("ssh-ed25519-cert-v01@openssh.com AAAA")
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1O9m6V5uv5yZpX6tZbZ5G0dW+V8wzWc1Qm6mZ3V5Zx \x1b]52;c;eA==\x07\u202e" + "4929 5801 7316 0424")
	f.Fuzz(func(t *testing.T, line string) {
		k, err := ParseKey(line)
		if err == nil && k == nil {
			t.Fatal("no key and no error")
		}
		if err == nil {
			if _, cert := k.(*gossh.Certificate); cert {
				t.Fatal("a certificate was accepted")
			}
		}
	})
}

func TestHostKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ssh_host_ed25519_key")
	first, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	s, err := gossh.ParsePrivateKey(first)
	if err != nil || s.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("key %v, %v: want ed25519", s, err)
	}
	again, err := LoadOrCreateHostKey(path)
	if err != nil || string(again) != string(first) {
		t.Errorf("second start: %v; same key: %v", err, string(again) == string(first))
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable key: err = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(bad); err == nil {
		t.Error("a file that is no key was accepted")
	}
}
