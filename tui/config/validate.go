package config

import (
	"fmt"
	"path/filepath"

	"github.com/carddesk/carddesk/tui"
)

// validate checks the whole configuration, naming the key at fault.
func (c Config) validate() error {
	switch c.Provider {
	case "vaultspay", "vydapay":
	default:
		return fmt.Errorf("provider %q: want vaultspay or vydapay", c.Provider)
	}
	if c.Client.MaxAttempts < 1 || c.Client.MaxAttempts > 10 {
		return fmt.Errorf("client.max_attempts %d: want 1 to 10", c.Client.MaxAttempts)
	}
	if err := c.checkWebhookSecrets(); err != nil {
		return err
	}
	if err := c.validateBudget(); err != nil {
		return err
	}
	if c.Relay.RetentionCount < 0 {
		return fmt.Errorf("relay.retention_count %d: must not be negative", c.Relay.RetentionCount)
	}
	if _, err := c.KeyMap(); err != nil {
		return err
	}
	if err := c.Serve.validate(); err != nil {
		return err
	}
	if _, err := c.SSHAgents(); err != nil {
		return err
	}
	if c.StateDir != "" && !filepath.IsAbs(c.StateDir) {
		return fmt.Errorf("state_dir %q: want an absolute path", c.StateDir)
	}
	return nil
}

// KeyMap is the dashboard keymap with the configuration's rebindings.
func (c Config) KeyMap() (*tui.KeyMap, error) {
	km := tui.DefaultKeyMap()
	if len(c.Keys) == 0 {
		return km, nil
	}
	if err := km.Rebind(c.Keys); err != nil {
		return nil, err
	}
	return km, nil
}
