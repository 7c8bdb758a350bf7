package vydapay

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api"
)

// ListTransactions lists transactions, across the program or scoped to a
// card (CardID) or a cardholder (UserID), with every filter Vydapay
// documents. Vydapay has no accounts, so AccountID is unsupported, and no
// reversals or transfers, so those status and type filters are refused.
func (c *Client) ListTransactions(ctx context.Context, f api.TxFilter) (api.Page[api.Transaction], error) {
	q, err := txQuery(f)
	if err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions: %w", err)
	}
	page, err := list(ctx, c, "/transactions", q, f.Page, transactionID, txFromWire)
	if err != nil {
		return api.Page[api.Transaction]{}, fmt.Errorf("list transactions: %w", err)
	}
	return page, nil
}

// txQuery turns a filter into Vydapay's query parameters.
func txQuery(f api.TxFilter) (url.Values, error) {
	q := url.Values{}
	if f.AccountID != "" {
		return nil, fmt.Errorf("by account: Vydapay has no accounts: %w", api.ErrUnsupported)
	}
	if f.CardID != "" {
		if err := checkID("card", f.CardID); err != nil {
			return nil, err
		}
		q.Set("card_id", f.CardID)
	}
	if f.UserID != "" {
		if err := checkID("cardholder", f.UserID); err != nil {
			return nil, err
		}
		q.Set("cardholder_id", f.UserID)
	}
	if f.Status != "" {
		s, err := txStatusToWire(f.Status)
		if err != nil {
			return nil, err
		}
		q.Set("status", s)
	}
	if f.Type != "" {
		t, err := txTypeToWire(f.Type)
		if err != nil {
			return nil, err
		}
		q.Set("type", t)
	}
	if f.MinAmount != nil {
		if *f.MinAmount < 0 {
			return nil, fmt.Errorf("%w: minimum amount %d is negative", api.ErrInvalid, *f.MinAmount)
		}
		q.Set("min_amount", strconv.FormatInt(*f.MinAmount, 10))
	}
	if f.MaxAmount != nil {
		if *f.MaxAmount < 0 {
			return nil, fmt.Errorf("%w: maximum amount %d is negative", api.ErrInvalid, *f.MaxAmount)
		}
		q.Set("max_amount", strconv.FormatInt(*f.MaxAmount, 10))
	}
	if f.MinAmount != nil && f.MaxAmount != nil && *f.MinAmount > *f.MaxAmount {
		return nil, fmt.Errorf("%w: minimum amount %d is above maximum %d", api.ErrInvalid, *f.MinAmount, *f.MaxAmount)
	}
	if !f.CreatedAfter.IsZero() {
		q.Set("created_after", f.CreatedAfter.UTC().Format(time.RFC3339Nano))
	}
	if !f.CreatedBefore.IsZero() {
		q.Set("created_before", f.CreatedBefore.UTC().Format(time.RFC3339Nano))
	}
	if !f.CreatedAfter.IsZero() && !f.CreatedBefore.IsZero() && f.CreatedBefore.Before(f.CreatedAfter) {
		return nil, fmt.Errorf("%w: created before %s is earlier than created after %s", api.ErrInvalid,
			f.CreatedBefore.UTC().Format(time.RFC3339), f.CreatedAfter.UTC().Format(time.RFC3339))
	}
	return q, nil
}

// GetTransaction fetches one transaction.
func (c *Client) GetTransaction(ctx context.Context, id string) (api.Transaction, error) {
	if err := checkID("transaction", id); err != nil {
		return api.Transaction{}, fmt.Errorf("get transaction %s: %w", safeID(id), err)
	}
	var w Transaction
	if err := c.get(ctx, "/transactions/"+id, nil, &w); err != nil {
		return api.Transaction{}, fmt.Errorf("get transaction %s: %w", safeID(id), err)
	}
	t, err := txFromWire(w)
	if err != nil {
		return api.Transaction{}, fmt.Errorf("get transaction %s: %w", safeID(id), err)
	}
	return t, nil
}

// Balance is the program's balance, available and pending
// (GET /account/balance).
func (c *Client) Balance(ctx context.Context) (api.Balance, error) {
	var w Balance
	if err := c.get(ctx, "/account/balance", nil, &w); err != nil {
		return api.Balance{}, fmt.Errorf("get balance: %w", err)
	}
	b, err := balanceFromWire(w)
	if err != nil {
		return api.Balance{}, fmt.Errorf("get balance: %w", err)
	}
	return b, nil
}
