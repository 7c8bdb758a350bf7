package config

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/carddesk/carddesk/tui/sshserve"
)

func (s ServeConfig) validate() error {
	if s.Listen == "" {
		return errors.New("serve.listen is empty: want host:port, e.g. 127.0.0.1:2222")
	}
	if s.IdleTimeout.Duration <= 0 {
		return fmt.Errorf("serve.idle_timeout %s: must be more than zero", s.IdleTimeout.Duration)
	}
	if s.MaxSessionsPerAgent < 1 {
		return fmt.Errorf("serve.max_sessions_per_agent %d: want 1 or more", s.MaxSessionsPerAgent)
	}
	if s.ConnectionsPerSecond <= 0 {
		return fmt.Errorf("serve.connections_per_second %g: must be more than zero", s.ConnectionsPerSecond)
	}
	if s.ConnectionBurst < 1 {
		return fmt.Errorf("serve.connection_burst %d: want 1 or more", s.ConnectionBurst)
	}
	if s.HandshakeTimeout.Duration <= 0 {
		return fmt.Errorf("serve.handshake_timeout %s: must be more than zero", s.HandshakeTimeout.Duration)
	}
	if s.MaxUnauthenticated < 1 {
		return fmt.Errorf("serve.max_unauthenticated %d: want 1 or more", s.MaxUnauthenticated)
	}
	if s.MaxUnauthenticatedPerAddress < 1 || s.MaxUnauthenticatedPerAddress > s.MaxUnauthenticated {
		return fmt.Errorf("serve.max_unauthenticated_per_address %d: want 1 to max_unauthenticated (%d)",
			s.MaxUnauthenticatedPerAddress, s.MaxUnauthenticated)
	}
	if s.NoDashboardTimeout.Duration <= 0 {
		return fmt.Errorf("serve.no_dashboard_timeout %s: must be more than zero", s.NoDashboardTimeout.Duration)
	}
	if s.HostKey != "" && !filepath.IsAbs(s.HostKey) {
		return fmt.Errorf("serve.host_key %q: want an absolute path", s.HostKey)
	}
	return nil
}

// agents are the configured [[agents]], their keys parsed.
func (c Config) SSHAgents() ([]sshserve.Agent, error) {
	out := make([]sshserve.Agent, 0, len(c.Agents))
	for i, a := range c.Agents {
		ag, err := sshserve.NewAgent(a.Name, a.Role, a.Keys)
		if err != nil {
			return nil, fmt.Errorf("agents[%d]: %w", i, err)
		}
		out = append(out, ag)
	}
	return out, nil
}

// HostKeyPath is where `carddesk serve` keeps its host key.
func (c Config) HostKeyPath() string {
	if c.Serve.HostKey != "" {
		return c.Serve.HostKey
	}
	return filepath.Join(c.StateDir, "ssh_host_ed25519_key")
}
