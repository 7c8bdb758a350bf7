package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRelayToken(t *testing.T) {
	state := t.TempDir()
	if err := os.WriteFile(filepath.Join(state, "relay.token"), []byte("from-the-state-dir\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		token    string
		stateDir string
		want     string
	}{
		{"the configured token wins", "configured", state, "configured"},
		{"the relay's generated token", "", state, "from-the-state-dir"},
		{"none: no live feed", "", t.TempDir(), ""},
		{"no state directory", "", "", ""},
	}
	for _, tt := range tests {
		cfg := Default()
		cfg.Relay.Token, cfg.StateDir = tt.token, tt.stateDir
		got, err := cfg.RelayToken()
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestRelayTokenRefusesLooseFile(t *testing.T) {
	state := t.TempDir()
	path := filepath.Join(state, "relay.token")
	if err := os.WriteFile(path, []byte("readable-by-all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Default()
	cfg.StateDir = state
	tok, err := cfg.RelayToken()
	if err == nil || tok != "" {
		t.Fatalf("RelayToken = %q, %v; want a refusal", tok, err)
	}
	for _, want := range []string{"readable by group or others", "chmod 600 " + path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "readable-by-all") {
		t.Errorf("error %q prints the token", err)
	}
}
