package main

import (
	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/tui/config"
)

// sandboxSecret is a key or webhook secret the sandbox takes on its
// command line, and the field of its Config it sets.
type sandboxSecret struct {
	flag config.SecretFlag
	dst  *string
}

// sandboxSecrets are the sandbox's key and webhook secret flags, setting
// cfg's fields.
func sandboxSecrets(cfg *sandbox.Config) []*sandboxSecret {
	return []*sandboxSecret{
		{config.SecretFlag{Name: "vaultspay-key", Usage: "VaultsPay API key to accept (default: generated vp_test_ key)",
			FileUsage: "file holding the VaultsPay API key to accept"}, &cfg.VaultsPayKey},
		{config.SecretFlag{Name: "vydapay-key", Usage: "Vydapay secret key to accept (default: generated sk_test_ key)",
			FileUsage: "file holding the Vydapay secret key to accept"}, &cfg.VydapayKey},
		{config.SecretFlag{Name: "vaultspay-webhook-secret", Usage: "whsec_ secret signing VaultsPay webhooks (default: generated)",
			FileUsage: "file holding the whsec_ secret signing VaultsPay webhooks"}, &cfg.VaultsPayWebhookSecret},
		{config.SecretFlag{Name: "vydapay-webhook-secret", Usage: "secret signing Vydapay webhooks (default: generated)",
			FileUsage: "file holding the secret signing Vydapay webhooks"}, &cfg.VydapayWebhookSecret},
	}
}

// applySecrets sets each secret given on the command line, by flag or
// file, and returns their values.
func applySecrets(fl *pflag.FlagSet, secrets []*sandboxSecret) (map[string]bool, error) {
	given := map[string]bool{}
	for _, s := range secrets {
		v, ok, err := s.flag.Value(fl)
		if err != nil {
			return nil, err
		}
		if ok {
			*s.dst = v
			given[v] = true
		}
	}
	return given, nil
}
