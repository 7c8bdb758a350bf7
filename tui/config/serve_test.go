package config

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/carddesk/carddesk/tui/sshserve"
)

func TestServeConfigDefaults(t *testing.T) {
	cfg, err := Load("../../config.toml.example", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Serve
	if s.Listen != "127.0.0.1:2222" || s.IdleTimeout.Duration != 15*time.Minute || s.MaxSessionsPerAgent != 3 ||
		s.ConnectionsPerSecond != sshserve.DefaultConnRate || s.ConnectionBurst != sshserve.DefaultConnBurst {
		t.Errorf("serve defaults %+v", s)
	}
	if got := cfg.HostKeyPath(); got != filepath.Join(cfg.StateDir, "ssh_host_ed25519_key") {
		t.Errorf("host key path %q", got)
	}
}
