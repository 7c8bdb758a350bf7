package vaultspay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api"
)

// ListTransactions lists a card's or an account's transactions, newest
// first. VaultsPay has no listing across all cards and none by user: a
// filter scoped by user, or not scoped at all, fails with an error wrapping
// api.ErrUnsupported (Capabilities says so ahead of time).
func (c *Client) ListTransactions(ctx context.Context, f api.TxFilter) (api.Page[api.Transaction], error) {
	path, scope, err := txPath(f)
	if err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions: %w", err)
	}
	q, err := txQuery(f)
	if err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions: %w", err)
	}
	var l List[Transaction]
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: path, Query: q}, &l); err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions of %s: %w", scope, err)
	}
	page, err := toPage(l, mapTransaction)
	if err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions of %s: %w", scope, err)
	}
	return page, nil
}

// txPath picks the one listing that a filter's scope names, and names it.
func txPath(f api.TxFilter) (path, scope string, err error) {
	scopes := 0
	for _, s := range []string{f.CardID, f.UserID, f.AccountID} {
		if s != "" {
			scopes++
		}
	}
	switch {
	case scopes > 1:
		return "", "", errors.New("set at most one of card, user and account")
	case f.UserID != "":
		return "", "", fmt.Errorf("by user: %w (VaultsPay lists transactions per card and per account)", api.ErrUnsupported)
	case f.CardID != "":
		if err := checkID("card", f.CardID); err != nil {
			return "", "", err
		}
		return "/cards/" + f.CardID + "/transactions", "card " + f.CardID, nil
	case f.AccountID != "":
		if err := checkID("account", f.AccountID); err != nil {
			return "", "", err
		}
		return "/accounts/" + f.AccountID + "/transactions", "account " + f.AccountID, nil
	}
	return "", "", fmt.Errorf("across all cards: %w (VaultsPay lists transactions per card and per account)", api.ErrUnsupported)
}

func txQuery(f api.TxFilter) (url.Values, error) {
	q, err := pageQuery(f.Page)
	if err != nil {
		return nil, err
	}
	if f.Status != "" {
		if _, err := txStatus("filter", string(f.Status)); err != nil {
			return nil, err
		}
		q.Set("status", string(f.Status))
	}
	if f.Type != "" {
		if _, err := txType("filter", string(f.Type)); err != nil {
			return nil, err
		}
		q.Set("type", string(f.Type))
	}
	if f.MinAmount != nil {
		q.Set("min_amount", strconv.FormatInt(*f.MinAmount, 10))
	}
	if f.MaxAmount != nil {
		q.Set("max_amount", strconv.FormatInt(*f.MaxAmount, 10))
	}
	if f.MinAmount != nil && f.MaxAmount != nil && *f.MinAmount > *f.MaxAmount {
		return nil, fmt.Errorf("min amount %d is above max amount %d", *f.MinAmount, *f.MaxAmount)
	}
	if !f.CreatedAfter.IsZero() {
		q.Set("created_after", f.CreatedAfter.UTC().Format(time.RFC3339))
	}
	if !f.CreatedBefore.IsZero() {
		q.Set("created_before", f.CreatedBefore.UTC().Format(time.RFC3339))
	}
	if !f.CreatedAfter.IsZero() && !f.CreatedBefore.IsZero() && f.CreatedAfter.After(f.CreatedBefore) {
		return nil, errors.New("created after is later than created before")
	}
	return q, nil
}
