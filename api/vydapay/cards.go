package vydapay

import (
	"context"
	"fmt"
	"net/url"

	"github.com/carddesk/carddesk/api"
)

// ListCards lists cards, filtered by Vydapay on cardholder, status and type.
// Vydapay has no inactive cards, so that status is refused. It has no
// last-four filter either: with LastFour set the client scans the filtered
// listing (see MaxScan) and returns up to f.Page.Limit matches (100 when 0)
// as one page with no next page.
func (c *Client) ListCards(ctx context.Context, f api.CardFilter) (api.Page[api.Card], error) {
	page, err := c.listCards(ctx, f)
	if err != nil {
		return api.Page[api.Card]{}, fmt.Errorf("list cards: %w", err)
	}
	return page, nil
}

func (c *Client) listCards(ctx context.Context, f api.CardFilter) (api.Page[api.Card], error) {
	q := url.Values{}
	if f.UserID != "" {
		if err := checkID("cardholder", f.UserID); err != nil {
			return api.Page[api.Card]{}, err
		}
		q.Set("cardholder_id", f.UserID)
	}
	if f.Status != "" {
		s, err := cardStatusToWire(f.Status)
		if err != nil {
			return api.Page[api.Card]{}, err
		}
		q.Set("status", s)
	}
	if f.Type != "" {
		t, err := cardTypeToWire(f.Type)
		if err != nil {
			return api.Page[api.Card]{}, err
		}
		q.Set("type", t)
	}
	if f.LastFour == "" {
		return list(ctx, c, "/cards", q, f.Page, cardID, cardFromWire)
	}
	if !isLastFour(f.LastFour) {
		return api.Page[api.Card]{}, fmt.Errorf("%w: last four must be 4 digits", api.ErrInvalid)
	}
	match := func(w Card) bool { return w.LastFour == f.LastFour }
	return scan(ctx, c, "/cards", q, f.Page, cardID, cardFromWire, match)
}

// GetCard fetches one card.
func (c *Client) GetCard(ctx context.Context, id string) (api.Card, error) {
	return c.cardCall(ctx, "get card", id, "", nil)
}

// FreezeCard freezes an active card; Vydapay answers 409 when it is not.
func (c *Client) FreezeCard(ctx context.Context, id string) (api.Card, error) {
	return c.cardCall(ctx, "freeze card", id, "/freeze", nil)
}

// UnfreezeCard unfreezes a frozen card; Vydapay answers 409 when it is not.
func (c *Client) UnfreezeCard(ctx context.Context, id string) (api.Card, error) {
	return c.cardCall(ctx, "unfreeze card", id, "/unfreeze", nil)
}

// TerminateCard cancels a card for good (POST /cards/{id}/cancel with the
// reason). The reason must be one of api.TerminationReasons.
func (c *Client) TerminateCard(ctx context.Context, id string, reason api.TerminationReason) (api.Card, error) {
	if !knownReason(reason) {
		return api.Card{}, fmt.Errorf("terminate card %s: %w: unknown termination reason %q", safeID(id), api.ErrInvalid, reason)
	}
	return c.cardCall(ctx, "terminate card", id, "/cancel", CancelRequest{Reason: string(reason)})
}

// ActivateCard fails with api.ErrUnsupported: Vydapay cards are active
// from creation.
func (c *Client) ActivateCard(_ context.Context, id string) (api.Card, error) {
	return api.Card{}, fmt.Errorf("activate card %s: Vydapay has no card activation: %w", safeID(id), api.ErrUnsupported)
}

// RevealCard fails with api.ErrUnsupported: Vydapay documents no way to
// read a card's number or CVC.
func (c *Client) RevealCard(_ context.Context, id string, _ string) (*api.CardSecrets, error) {
	return nil, fmt.Errorf("reveal card %s: Vydapay has no card reveal: %w", safeID(id), api.ErrUnsupported)
}

// cardCall GETs the card (action "") or POSTs to one of its actions, and
// maps the card in the answer.
func (c *Client) cardCall(ctx context.Context, what, id, action string, body any) (api.Card, error) {
	if err := checkID("card", id); err != nil {
		return api.Card{}, fmt.Errorf("%s %s: %w", what, safeID(id), err)
	}
	var w Card
	var err error
	if action == "" {
		err = c.get(ctx, "/cards/"+id, nil, &w)
	} else {
		err = c.post(ctx, "/cards/"+id+action, body, &w)
	}
	if err != nil {
		return api.Card{}, fmt.Errorf("%s %s: %w", what, safeID(id), err)
	}
	card, err := cardFromWire(w)
	if err != nil {
		return api.Card{}, fmt.Errorf("%s %s: %w", what, safeID(id), err)
	}
	return card, nil
}

func knownReason(r api.TerminationReason) bool {
	for _, k := range api.TerminationReasons() {
		if r == k {
			return true
		}
	}
	return false
}
