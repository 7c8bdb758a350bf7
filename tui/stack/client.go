package stack

import (
	"context"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
)

// Client is a client of the sandbox in the stack's dialect, with the key
// the sandbox generated.
func (st *Stack) Client() (api.Client, error) {
	cfg := st.sandbox.Config()
	if st.provider == vydapay.Provider {
		return vydapay.New(vydapay.Config{BaseURL: st.baseURL, Key: cfg.VydapayKey})
	}
	return vaultspay.New(vaultspay.Config{BaseURL: st.baseURL, Key: cfg.VaultsPayKey})
}

// Subscribe subscribes to the relay's stream until ctx is done.
func (st *Stack) Subscribe(ctx context.Context) *live.Subscription {
	return live.Subscribe(ctx, live.SubscribeConfig{URL: st.streamURL, Token: st.token})
}

// webhookScheme verifies the provider's webhooks with the sandbox's secret.
func webhookScheme(provider string, cfg sandbox.Config) (api.WebhookScheme, error) {
	if provider == vydapay.Provider {
		return vydapay.NewVerifier(cfg.VydapayWebhookSecret)
	}
	return vaultspay.NewVerifier(cfg.VaultsPayWebhookSecret)
}
