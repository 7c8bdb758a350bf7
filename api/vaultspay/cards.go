package vaultspay

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/carddesk/carddesk/api"
)

// ListCards lists cards, newest first, filtered by user, status, type and
// last four digits.
func (c *Client) ListCards(ctx context.Context, f api.CardFilter) (api.Page[api.Card], error) {
	q, err := pageQuery(f.Page)
	if err != nil {
		return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
	}
	if f.UserID != "" {
		if err := checkID("user", f.UserID); err != nil {
			return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
		}
		q.Set("user_id", f.UserID)
	}
	if f.Status != "" {
		if _, err := cardStatus("filter", string(f.Status)); err != nil {
			return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
		}
		q.Set("status", string(f.Status))
	}
	if f.Type != "" {
		if _, err := cardType("filter", string(f.Type)); err != nil {
			return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
		}
		q.Set("type", string(f.Type))
	}
	if f.LastFour != "" {
		if !isLastFour(f.LastFour) {
			return api.Page[api.Card]{}, fmt.Errorf("list cards: last four %q is not four digits", clip(f.LastFour))
		}
		q.Set("last_four", f.LastFour)
	}
	var l List[Card]
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/cards", Query: q}, &l); err != nil {
		return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
	}
	page, err := toPage(l, mapCard)
	if err != nil {
		return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
	}
	return page, nil
}

// GetCard fetches one card.
func (c *Client) GetCard(ctx context.Context, id string) (api.Card, error) {
	return c.card(ctx, "get card", api.Request{Method: http.MethodGet, Path: "/cards/" + id}, id)
}

// FreezeCard freezes an active card; the state machine refuses any other
// (409 card_error invalid_card_state).
func (c *Client) FreezeCard(ctx context.Context, id string) (api.Card, error) {
	return c.card(ctx, "freeze card", api.Request{Method: http.MethodPost, Path: "/cards/" + id + "/freeze"}, id)
}

// UnfreezeCard unfreezes a frozen card.
func (c *Client) UnfreezeCard(ctx context.Context, id string) (api.Card, error) {
	return c.card(ctx, "unfreeze card", api.Request{Method: http.MethodPost, Path: "/cards/" + id + "/unfreeze"}, id)
}

// ActivateCard activates an inactive (physical) card.
func (c *Client) ActivateCard(ctx context.Context, id string) (api.Card, error) {
	return c.card(ctx, "activate card", api.Request{Method: http.MethodPost, Path: "/cards/" + id + "/activate"}, id)
}

// TerminateCard terminates a card for good, giving one of
// api.TerminationReasons.
func (c *Client) TerminateCard(ctx context.Context, id string, reason api.TerminationReason) (api.Card, error) {
	if !slices.Contains(api.TerminationReasons(), reason) {
		return api.Card{}, fmt.Errorf("terminate card %s: reason %q is not one of lost, stolen, fraud, customer_request, other", id, clip(string(reason)))
	}
	req := api.Request{Method: http.MethodPost, Path: "/cards/" + id + "/terminate", Body: TerminateRequest{Reason: string(reason)}}
	return c.card(ctx, "terminate card", req, id)
}

// card sends a request answered with a card, and maps it.
func (c *Client) card(ctx context.Context, what string, req api.Request, id string) (api.Card, error) {
	if err := checkID("card", id); err != nil {
		return api.Card{}, fmt.Errorf("%s: %w", what, err)
	}
	var w Card
	if _, err := c.t.Do(ctx, req, &w); err != nil {
		return api.Card{}, fmt.Errorf("%s %s: %w", what, id, err)
	}
	card, err := mapCard(w)
	if err != nil {
		return api.Card{}, fmt.Errorf("%s %s: %w", what, id, err)
	}
	return card, nil
}
