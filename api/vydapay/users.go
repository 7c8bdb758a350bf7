package vydapay

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// maxQueryLen bounds a free-text search.
const maxQueryLen = 200

// ListUsers lists cardholders. Email is filtered by Vydapay. Vydapay has no
// search, so Query and Phone are matched here: the client scans cardholders
// (with the email filter, if any, applied by Vydapay), 100 at a time from
// f.Page.After, and returns up to f.Page.Limit matches (100 when 0) as one
// page with no next page. It stops after MaxScan cardholders, so a match
// beyond them is not found; narrow the search (by email) if that matters.
func (c *Client) ListUsers(ctx context.Context, f api.UserFilter) (api.Page[api.User], error) {
	page, err := c.listUsers(ctx, f)
	if err != nil {
		return api.Page[api.User]{}, fmt.Errorf("list cardholders: %w", err)
	}
	return page, nil
}

func (c *Client) listUsers(ctx context.Context, f api.UserFilter) (api.Page[api.User], error) {
	q := url.Values{}
	if f.Email != "" {
		q.Set("email", f.Email)
	}
	query := strings.TrimSpace(f.Query)
	if len(query) > maxQueryLen {
		return api.Page[api.User]{}, fmt.Errorf("%w: search longer than %d characters", api.ErrInvalid, maxQueryLen)
	}
	if f.Phone != "" && digits(f.Phone) == "" {
		return api.Page[api.User]{}, fmt.Errorf("%w: phone number has no digits", api.ErrInvalid)
	}
	if query == "" && f.Phone == "" {
		return list(ctx, c, "/cardholders", q, f.Page, cardholderID, userFromWire)
	}
	return scan(ctx, c, "/cardholders", q, f.Page, cardholderID, userFromWire, userMatcher(query, f.Phone))
}

// GetUser fetches one cardholder.
func (c *Client) GetUser(ctx context.Context, id string) (api.User, error) {
	if err := checkID("cardholder", id); err != nil {
		return api.User{}, fmt.Errorf("get cardholder %s: %w", safeID(id), err)
	}
	var w Cardholder
	if err := c.get(ctx, "/cardholders/"+id, nil, &w); err != nil {
		return api.User{}, fmt.Errorf("get cardholder %s: %w", safeID(id), err)
	}
	u, err := userFromWire(w)
	if err != nil {
		return api.User{}, fmt.Errorf("get cardholder %s: %w", safeID(id), err)
	}
	return u, nil
}

// ListAccounts fails with api.ErrUnsupported: Vydapay cardholders hold no
// accounts (the program has one balance; see Balance).
func (c *Client) ListAccounts(_ context.Context, userID string) ([]api.Account, error) {
	return nil, fmt.Errorf("list accounts of %s: Vydapay has no accounts: %w", safeID(userID), api.ErrUnsupported)
}
