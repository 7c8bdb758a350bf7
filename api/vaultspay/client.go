package vaultspay

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/carddesk/carddesk/api"
)

// DefaultBaseURL is VaultsPay's production API root.
const DefaultBaseURL = "https://api.vaultspay.ae/v1"

// Config configures a Client. Only Key is required; the tuning fields
// default to the api.Transport defaults.
type Config struct {
	BaseURL    string // DefaultBaseURL when empty
	Key        string
	HTTPClient *http.Client

	api.Tuning
}

// Client talks to VaultsPay. It is safe for concurrent use.
type Client struct {
	t *api.Transport
	// mode is what the last ping's livemode said; nil until one did.
	mode atomic.Pointer[api.Mode]
}

var _ api.Client = (*Client)(nil)

// New checks cfg and returns a Client. VaultsPay is HTTPS only: a plain
// http:// base URL is refused unless it points at a loopback address, which
// is where the sandbox runs.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if err := api.CheckBaseURL("VaultsPay", cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("vaultspay: %w", err)
	}
	t, err := api.NewTransport(api.TransportConfig{
		Provider:    Provider,
		BaseURL:     cfg.BaseURL,
		Key:         cfg.Key,
		DecodeError: DecodeError,
		Header:      http.Header{VersionHeader: {APIVersion}},
		HTTPClient:  cfg.HTTPClient,
		Tuning:      cfg.Tuning,
	})
	if err != nil {
		return nil, err
	}
	return &Client{t: t}, nil
}

// Provider is "vaultspay".
func (c *Client) Provider() string { return Provider }

// Mode is what VaultsPay's ping said of the key (its livemode), and
// api.ModeUnknown until a ping has answered with it. The key's look says
// nothing: VaultsPay documents no key prefix.
func (c *Client) Mode() api.Mode {
	if m := c.mode.Load(); m != nil {
		return *m
	}
	return api.ModeUnknown
}

// Capabilities of VaultsPay: everything but transaction listings across
// all cards or by user (it lists them per card and per account).
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{
		Reveal:              true,
		Activate:            true,
		Accounts:            true,
		KYC:                 true,
		GlobalTransactions:  false,
		UserTransactions:    false,
		AccountTransactions: true,
		LastFourFilter:      true,
		UserSearch:          true,
		WebhookEndpoints:    true,
	}
}

// RateLimit is the rate-limit state VaultsPay last reported.
func (c *Client) RateLimit() api.RateLimit { return c.t.RateLimit() }

// Ping calls GET /ping and reports the round trip of the answering
// attempt; its livemode sets Mode.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	// livemode is read apart from the wire type so that an answer without
	// it leaves the mode unknown rather than taken for test.
	var p struct {
		OK       bool  `json:"ok"`
		Livemode *bool `json:"livemode"`
	}
	resp, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/ping"}, &p)
	if err != nil {
		return 0, fmt.Errorf("ping vaultspay: %w", err)
	}
	if p.Livemode != nil {
		m := api.ModeTest
		if *p.Livemode {
			m = api.ModeLive
		}
		c.mode.Store(&m)
	}
	if !p.OK {
		return resp.Elapsed, fmt.Errorf("ping vaultspay: answered without ok: true")
	}
	return resp.Elapsed, nil
}
