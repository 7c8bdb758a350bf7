package main

import (
	"github.com/spf13/pflag"

	"github.com/carddesk/carddesk/api/sandbox"
)

// sandboxSecret is a key or webhook secret the sandbox takes on its
// command line, and the field of its Config it sets.
type sandboxSecret struct {
	flag secretFlag
	dst  *string
}

// sandboxSecrets are the sandbox's key and webhook secret flags, setting
// cfg's fields.
func sandboxSecrets(cfg *sandbox.Config) []*sandboxSecret {
	return []*sandboxSecret{
		{secretFlag{name: "vaultspay-key", usage: "VaultsPay API key to accept (default: generated vp_test_ key)",
			fileUsage: "file holding the VaultsPay API key to accept"}, &cfg.VaultsPayKey},
		{secretFlag{name: "vydapay-key", usage: "Vydapay secret key to accept (default: generated sk_test_ key)",
			fileUsage: "file holding the Vydapay secret key to accept"}, &cfg.VydapayKey},
		{secretFlag{name: "vaultspay-webhook-secret", usage: "whsec_ secret signing VaultsPay webhooks (default: generated)",
			fileUsage: "file holding the whsec_ secret signing VaultsPay webhooks"}, &cfg.VaultsPayWebhookSecret},
		{secretFlag{name: "vydapay-webhook-secret", usage: "secret signing Vydapay webhooks (default: generated)",
			fileUsage: "file holding the secret signing Vydapay webhooks"}, &cfg.VydapayWebhookSecret},
	}
}

// applySecrets sets each secret given on the command line, by flag or
// file, and returns their values.
func applySecrets(fl *pflag.FlagSet, secrets []*sandboxSecret) (map[string]bool, error) {
	given := map[string]bool{}
	for _, s := range secrets {
		v, ok, err := s.flag.value(fl)
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
