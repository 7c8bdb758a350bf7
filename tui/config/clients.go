package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// Clients builds the selected provider's client from the configuration,
// and the client of its monitoring key when one is set (nil otherwise), or
// says plainly what is missing.
func (cfg Config) Clients() (client, monitor api.Client, err error) {
	tuning := api.Tuning{
		AttemptTimeout: cfg.Client.AttemptTimeout.Duration,
		MaxAttempts:    cfg.Client.MaxAttempts,
		MaxRetryWait:   cfg.Client.MaxRetryWait.Duration,
	}
	switch cfg.Provider {
	case vydapay.Provider:
		if cfg.Vydapay.APIKey == "" {
			return nil, nil, errors.New("no Vydapay API key: set vydapay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`")
		}
		tuning.Budget = cfg.Budget(cfg.Vydapay)
		newClient := func(key string) (api.Client, error) {
			return vydapay.New(vydapay.Config{BaseURL: cfg.Vydapay.BaseURL, Key: key, Tuning: tuning})
		}
		return providerClients("vydapay", cfg.Vydapay, newClient)
	default:
		if cfg.VaultsPay.APIKey == "" {
			return nil, nil, errors.New("no VaultsPay API key: set vaultspay.api_key in the config or CARDDESK_API_KEY; or try `carddesk demo`")
		}
		tuning.Budget = cfg.Budget(cfg.VaultsPay)
		newClient := func(key string) (api.Client, error) {
			return vaultspay.New(vaultspay.Config{BaseURL: cfg.VaultsPay.BaseURL, Key: key, Tuning: tuning})
		}
		return providerClients("vaultspay", cfg.VaultsPay, newClient)
	}
}

// providerClients builds the client of p's key and, when p has one, of
// its monitoring key; each has a rate-limit budget of its own.
func providerClients[C api.Client](name string, p ProviderConfig, newClient func(key string) (C, error)) (api.Client, api.Client, error) {
	c, err := newClient(p.APIKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s client: %w", name, err)
	}
	if p.MonitorAPIKey == "" {
		return c, nil, nil
	}
	m, err := newClient(p.MonitorAPIKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s monitoring key: %w", name, err)
	}
	return c, m, nil
}

// RelayToken is the stream token from the configuration (or
// CARDDESK_RELAY_TOKEN), else the one a local `carddesk relay` generated in
// the state directory. Without one the dashboard runs with no live feed.
//
// The file is read as the relay reads it: one a group or others can read
// is refused with the chmod that fixes it, rather than used.
func (cfg Config) RelayToken() (string, error) {
	if cfg.Relay.Token != "" {
		return cfg.Relay.Token, nil
	}
	if cfg.StateDir == "" {
		return "", nil
	}
	tok, err := live.ReadToken(filepath.Join(cfg.StateDir, "relay.token"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return tok, err
}
