package vaultspay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/carddesk/carddesk/api"
)

// The webhook-endpoint methods serve the relay, which registers itself, and
// an operator checking deliveries. They return the wire objects: there is
// nothing provider-neutral about them.

// ListWebhookEndpoints lists the registered webhook endpoints.
func (c *Client) ListWebhookEndpoints(ctx context.Context, p api.PageParams) (api.Page[WebhookEndpoint], error) {
	q, err := pageQuery(p)
	if err != nil {
		return api.Page[WebhookEndpoint]{}, fmt.Errorf("list webhook endpoints: %w", err)
	}
	var l List[WebhookEndpoint]
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/webhooks/endpoints", Query: q}, &l); err != nil {
		return api.Page[WebhookEndpoint]{}, fmt.Errorf("list webhook endpoints: %w", err)
	}
	return toPage(l, same[WebhookEndpoint])
}

// CreateWebhookEndpoint registers a receiver. The answer holds the signing
// secret, which no later read returns.
func (c *Client) CreateWebhookEndpoint(ctx context.Context, in WebhookEndpointCreate) (WebhookEndpoint, error) {
	if err := checkEndpointURL(in.URL); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("create webhook endpoint: %w", err)
	}
	var ep WebhookEndpoint
	req := api.Request{Method: http.MethodPost, Path: "/webhooks/endpoints", Body: in}
	if _, err := c.t.Do(ctx, req, &ep); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("create webhook endpoint for %s: %w", in.URL, err)
	}
	return ep, nil
}

// GetWebhookEndpoint fetches one endpoint (without its secret).
func (c *Client) GetWebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error) {
	return c.endpoint(ctx, "get webhook endpoint", api.Request{Method: http.MethodGet, Path: "/webhooks/endpoints/" + id}, id)
}

// UpdateWebhookEndpoint changes an endpoint's URL, description, events or
// status (enabled, disabled); nil fields are left alone.
func (c *Client) UpdateWebhookEndpoint(ctx context.Context, id string, in WebhookEndpointUpdate) (WebhookEndpoint, error) {
	if in.URL != nil {
		if err := checkEndpointURL(*in.URL); err != nil {
			return WebhookEndpoint{}, fmt.Errorf("update webhook endpoint %s: %w", id, err)
		}
	}
	if in.Status != nil && *in.Status != "enabled" && *in.Status != "disabled" {
		return WebhookEndpoint{}, fmt.Errorf("update webhook endpoint %s: status %q is not enabled or disabled", id, clip(*in.Status))
	}
	req := api.Request{Method: http.MethodPatch, Path: "/webhooks/endpoints/" + id, Body: in}
	return c.endpoint(ctx, "update webhook endpoint", req, id)
}

// DeleteWebhookEndpoint removes an endpoint; nothing more is delivered to it.
func (c *Client) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	if err := checkID("webhook endpoint", id); err != nil {
		return fmt.Errorf("delete webhook endpoint: %w", err)
	}
	var d Deleted
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodDelete, Path: "/webhooks/endpoints/" + id}, &d); err != nil {
		return fmt.Errorf("delete webhook endpoint %s: %w", id, err)
	}
	if !d.Deleted {
		return fmt.Errorf("delete webhook endpoint %s: VaultsPay answered without deleted: true", id)
	}
	return nil
}

// RotateWebhookSecret issues a new signing secret, returned in the answer;
// the previous one keeps signing alongside it for the grace period asked
// (VaultsPay's default, 24 hours, when nil; 0 drops it at once).
func (c *Client) RotateWebhookSecret(ctx context.Context, id string, in RotateSecret) (WebhookEndpoint, error) {
	if in.ExpirePreviousInSeconds != nil && *in.ExpirePreviousInSeconds < 0 {
		return WebhookEndpoint{}, fmt.Errorf("rotate webhook secret of %s: grace period %ds is negative", id, *in.ExpirePreviousInSeconds)
	}
	req := api.Request{Method: http.MethodPost, Path: "/webhooks/endpoints/" + id + "/rotate", Body: in}
	return c.endpoint(ctx, "rotate webhook secret of", req, id)
}

// TestWebhookEndpoint sends the endpoint a test event (webhook.test when
// eventType is empty) and returns the delivery queued for it.
func (c *Client) TestWebhookEndpoint(ctx context.Context, id, eventType string) (Delivery, error) {
	if err := checkID("webhook endpoint", id); err != nil {
		return Delivery{}, fmt.Errorf("test webhook endpoint: %w", err)
	}
	var d Delivery
	req := api.Request{Method: http.MethodPost, Path: "/webhooks/endpoints/" + id + "/test", Body: TestWebhook{EventType: eventType}}
	if _, err := c.t.Do(ctx, req, &d); err != nil {
		return Delivery{}, fmt.Errorf("test webhook endpoint %s: %w", id, err)
	}
	return d, nil
}

// ListDeliveries lists an endpoint's deliveries, newest first, with their
// attempts and last errors.
func (c *Client) ListDeliveries(ctx context.Context, endpointID string, p api.PageParams) (api.Page[Delivery], error) {
	if err := checkID("webhook endpoint", endpointID); err != nil {
		return api.Page[Delivery]{}, fmt.Errorf("list deliveries: %w", err)
	}
	q, err := pageQuery(p)
	if err != nil {
		return api.Page[Delivery]{}, fmt.Errorf("list deliveries of %s: %w", endpointID, err)
	}
	var l List[Delivery]
	path := "/webhooks/endpoints/" + endpointID + "/deliveries"
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: path, Query: q}, &l); err != nil {
		return api.Page[Delivery]{}, fmt.Errorf("list deliveries of %s: %w", endpointID, err)
	}
	return toPage(l, same[Delivery])
}

// RedeliverEvent delivers an event again, to one endpoint or (endpointID
// empty) to every endpoint subscribed to it, and returns the deliveries
// queued.
func (c *Client) RedeliverEvent(ctx context.Context, eventID, endpointID string) ([]Delivery, error) {
	if err := checkID("event", eventID); err != nil {
		return nil, fmt.Errorf("redeliver event: %w", err)
	}
	if endpointID != "" {
		if err := checkID("webhook endpoint", endpointID); err != nil {
			return nil, fmt.Errorf("redeliver event %s: %w", eventID, err)
		}
	}
	var l List[Delivery]
	req := api.Request{Method: http.MethodPost, Path: "/webhooks/events/" + eventID + "/redeliver", Body: Redeliver{EndpointID: endpointID}}
	if _, err := c.t.Do(ctx, req, &l); err != nil {
		return nil, fmt.Errorf("redeliver event %s: %w", eventID, err)
	}
	return l.Data, nil
}

func (c *Client) endpoint(ctx context.Context, what string, req api.Request, id string) (WebhookEndpoint, error) {
	if err := checkID("webhook endpoint", id); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("%s: %w", what, err)
	}
	var ep WebhookEndpoint
	if _, err := c.t.Do(ctx, req, &ep); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("%s %s: %w", what, id, err)
	}
	return ep, nil
}

// checkEndpointURL wants an absolute http(s) URL; whether VaultsPay will
// deliver to it is VaultsPay's call.
func checkEndpointURL(raw string) error {
	if raw == "" {
		return errors.New("url is empty")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("url %q is not an absolute http(s) URL", clip(raw))
	}
	return nil
}
