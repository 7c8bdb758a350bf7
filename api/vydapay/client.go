package vydapay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/carddesk/carddesk/api"
)

// DefaultBaseURL is Vydapay's production API root.
const DefaultBaseURL = "https://api.vydapay.com/v1"

// Config configures a Client. Key is required; the rest have defaults.
type Config struct {
	// BaseURL defaults to DefaultBaseURL. Plain http is refused except on
	// loopback (the sandbox), so that a key never crosses a network in clear.
	BaseURL    string
	Key        string
	HTTPClient *http.Client

	// Transport tuning; zero values take the api.Transport defaults.
	api.Tuning
}

// Client talks to Vydapay. It is safe for concurrent use.
type Client struct {
	t    *api.Transport
	mode api.Mode
}

var _ api.Client = (*Client)(nil)

// New checks the key and base URL and returns a Client. It sends nothing.
func New(cfg Config) (*Client, error) {
	mode, err := KeyMode(cfg.Key)
	if err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if err := api.CheckBaseURL("Vydapay", cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("vydapay: %w", err)
	}
	t, err := api.NewTransport(api.TransportConfig{
		Provider:    Provider,
		BaseURL:     cfg.BaseURL,
		Key:         cfg.Key,
		DecodeError: DecodeError,
		HTTPClient:  cfg.HTTPClient,
		Tuning:      cfg.Tuning,
	})
	if err != nil {
		return nil, err
	}
	return &Client{t: t, mode: mode}, nil
}

// Provider is "vydapay".
func (c *Client) Provider() string { return Provider }

// Mode is the key's mode: sk_test_ keys are test, sk_live_ keys live.
func (c *Client) Mode() api.Mode { return c.mode }

// Capabilities: Vydapay lists transactions globally and per cardholder; it
// has no reveal, activation, accounts, KYC, last-four filter, user search
// or webhook-endpoint API.
func (c *Client) Capabilities() api.Capabilities {
	return api.Capabilities{
		GlobalTransactions: true,
		UserTransactions:   true,
	}
}

// RateLimit is the rate-limit state Vydapay last reported.
func (c *Client) RateLimit() api.RateLimit { return c.t.RateLimit() }

// Ping fetches the account balance: Vydapay has no ping endpoint, and the
// balance is the cheapest authenticated call it documents. It reports the
// round trip of the last attempt.
func (c *Client) Ping(ctx context.Context) (time.Duration, error) {
	var out Balance
	resp, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/account/balance"}, &out)
	if err != nil {
		return 0, fmt.Errorf("ping vydapay: %w", err)
	}
	return resp.Elapsed, nil
}

// get and post send one call; the caller wraps the error with what it did.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	_, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: path, Query: q}, out)
	return err
}

func (c *Client) post(ctx context.Context, path string, body, out any) error {
	_, err := c.t.Do(ctx, api.Request{Method: http.MethodPost, Path: path, Body: body}, out)
	return err
}
