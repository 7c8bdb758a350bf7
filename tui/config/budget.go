package config

import (
	"fmt"
	"math"
	"time"

	"github.com/carddesk/carddesk/api"
)

// validateBudget checks the rate-limit budget's settings.
func (c Config) validateBudget() error {
	if s := c.Client.BackgroundShare; math.IsNaN(s) || s <= 0 || s > 1 {
		return fmt.Errorf("client.background_share %v: want more than 0 and at most 1 (0.2 is a fifth of the limit)", s)
	}
	for _, p := range []struct {
		name string
		cfg  ProviderConfig
	}{{"vaultspay", c.VaultsPay}, {"vydapay", c.Vydapay}} {
		if p.cfg.RateLimit < 0 {
			return fmt.Errorf("%s.rate_limit %d: want the requests a minute the provider allows, or 0 for %d", p.name, p.cfg.RateLimit, api.DefaultLimit)
		}
		if p.cfg.MonitorAPIKey != "" && p.cfg.MonitorAPIKey == p.cfg.APIKey {
			return fmt.Errorf("%s.monitor_api_key is the same key as %s.api_key: a monitoring key shares no limit only when it is a key of its own", p.name, p.name)
		}
	}
	return nil
}

// budget is the rate-limit budget of a client of provider p.
func (c Config) Budget(p ProviderConfig) api.BudgetConfig {
	return api.BudgetConfig{Limit: p.RateLimit, Window: time.Minute, BackgroundShare: c.Client.BackgroundShare}
}
