package vaultspay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/carddesk/carddesk/api"
)

// ListAccounts returns every account of a user, each with its balance,
// fetching all pages. IBANs are left empty: GetIBAN fetches one on demand.
func (c *Client) ListAccounts(ctx context.Context, userID string) ([]api.Account, error) {
	if err := checkID("user", userID); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	fetch := func(ctx context.Context, p api.PageParams) (api.Page[api.Account], error) {
		q, err := pageQuery(p)
		if err != nil {
			return api.Page[api.Account]{}, err
		}
		q.Set("user_id", userID)
		var l List[Account]
		if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/accounts", Query: q}, &l); err != nil {
			return api.Page[api.Account]{}, err
		}
		return toPage(l, mapAccount)
	}
	accounts, err := api.Collect(api.All(ctx, api.PageParams{Limit: api.MaxPageSize}, fetch), 0)
	if err != nil {
		return nil, fmt.Errorf("list accounts of user %s: %w", userID, err)
	}
	return accounts, nil
}

// GetAccount fetches one account with its balance.
func (c *Client) GetAccount(ctx context.Context, id string) (api.Account, error) {
	if err := checkID("account", id); err != nil {
		return api.Account{}, fmt.Errorf("get account: %w", err)
	}
	var w Account
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/accounts/" + id}, &w); err != nil {
		return api.Account{}, fmt.Errorf("get account %s: %w", id, err)
	}
	a, err := mapAccount(w)
	if err != nil {
		return api.Account{}, fmt.Errorf("get account %s: %w", id, err)
	}
	return a, nil
}

// GetBalance fetches an account's current balance.
func (c *Client) GetBalance(ctx context.Context, accountID string) (api.Balance, error) {
	if err := checkID("account", accountID); err != nil {
		return api.Balance{}, fmt.Errorf("get balance: %w", err)
	}
	var w Balance
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/accounts/" + accountID + "/balance"}, &w); err != nil {
		return api.Balance{}, fmt.Errorf("get balance of account %s: %w", accountID, err)
	}
	if w.Currency == "" {
		return api.Balance{}, fmt.Errorf("get balance of account %s: currency is missing", accountID)
	}
	return mapBalance(w), nil
}

// GetIBAN fetches an account's IBAN, BIC and holder name.
func (c *Client) GetIBAN(ctx context.Context, accountID string) (IBAN, error) {
	if err := checkID("account", accountID); err != nil {
		return IBAN{}, fmt.Errorf("get iban: %w", err)
	}
	var w IBAN
	if _, err := c.t.Do(ctx, api.Request{Method: http.MethodGet, Path: "/accounts/" + accountID + "/iban"}, &w); err != nil {
		return IBAN{}, fmt.Errorf("get iban of account %s: %w", accountID, err)
	}
	return w, nil
}

func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}
