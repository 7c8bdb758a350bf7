package config

import (
	"fmt"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// checkWebhookSecrets refuses a VaultsPay webhook secret that is not
// whsec_ and base64 at start, whichever command reads the config: the
// relay would otherwise refuse every VaultsPay webhook as a signature
// mismatch, and say so only in its metrics.
func (c Config) checkWebhookSecrets() error {
	if len(c.VaultsPay.WebhookSecrets) == 0 {
		return nil
	}
	if _, err := vaultspay.NewVerifier(c.VaultsPay.WebhookSecrets...); err != nil {
		return fmt.Errorf("vaultspay.webhook_secrets: %w", err)
	}
	return nil
}
