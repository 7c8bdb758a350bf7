package config

import "strings"

// applyEnv lets the environment supply secrets without writing them into
// the file. CARDDESK_API_KEY applies to the selected provider.
func applyEnv(cfg *Config, getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	list := func(dst *[]string, name string) {
		if v := getenv(name); strings.TrimSpace(v) != "" {
			*dst = splitList(v)
		}
	}
	if v := strings.TrimSpace(getenv("CARDDESK_PROVIDER")); v != "" {
		cfg.Provider = v
	}
	switch cfg.Provider {
	case "vaultspay":
		set(&cfg.VaultsPay.APIKey, "CARDDESK_API_KEY")
		set(&cfg.VaultsPay.MonitorAPIKey, "CARDDESK_MONITOR_API_KEY")
	case "vydapay":
		set(&cfg.Vydapay.APIKey, "CARDDESK_API_KEY")
		set(&cfg.Vydapay.MonitorAPIKey, "CARDDESK_MONITOR_API_KEY")
	}
	set(&cfg.VaultsPay.APIKey, "CARDDESK_VAULTSPAY_KEY")
	set(&cfg.Vydapay.APIKey, "CARDDESK_VYDAPAY_KEY")
	set(&cfg.VaultsPay.MonitorAPIKey, "CARDDESK_VAULTSPAY_MONITOR_KEY")
	set(&cfg.Vydapay.MonitorAPIKey, "CARDDESK_VYDAPAY_MONITOR_KEY")
	list(&cfg.VaultsPay.WebhookSecrets, "CARDDESK_VAULTSPAY_WEBHOOK_SECRETS")
	list(&cfg.Vydapay.WebhookSecrets, "CARDDESK_VYDAPAY_WEBHOOK_SECRETS")
	set(&cfg.Relay.Token, "CARDDESK_RELAY_TOKEN")
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
