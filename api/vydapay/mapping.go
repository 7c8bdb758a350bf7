package vydapay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
)

// parseTime reads an RFC 3339 timestamp. An empty optional field is the
// zero time; anything else that does not parse names the field.
func parseTime(field, s string, required bool) (time.Time, error) {
	if s == "" {
		if required {
			return time.Time{}, fmt.Errorf("field %s: missing timestamp", field)
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("field %s: %q is not an RFC 3339 timestamp", field, clip(s))
	}
	return t.UTC(), nil
}

// currencyCode upper-cases an ISO 4217 code and refuses what is not three
// letters.
func currencyCode(field, s string) (string, error) {
	code := strings.ToUpper(s)
	if len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return "", fmt.Errorf("field %s: %q is not an ISO 4217 currency code", field, clip(s))
	}
	return code, nil
}

func money(field string, amount int64, currency string) (api.Money, error) {
	code, err := currencyCode(field, currency)
	if err != nil {
		return api.Money{}, err
	}
	return api.Money{Amount: amount, Currency: code}, nil
}

// userFromWire maps a cardholder. Vydapay has no KYC, so the state is
// api.KYCUnknown.
func userFromWire(w Cardholder) (api.User, error) {
	if w.ID == "" {
		return api.User{}, fmt.Errorf("cardholder: field id: missing")
	}
	u := api.User{
		ID:        w.ID,
		FirstName: w.Name.FirstName,
		LastName:  w.Name.LastName,
		Email:     w.Email,
		Phone:     w.Phone,
		KYC:       api.KYCUnknown,
		Metadata:  w.Metadata,
	}
	if a := w.BillingAddress; a != nil {
		u.Address = &api.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
	}
	var err error
	if u.CreatedAt, err = parseTime("created_at", w.CreatedAt, true); err != nil {
		return api.User{}, fmt.Errorf("cardholder %s: %w", shownID(w.ID), err)
	}
	if u.UpdatedAt, err = parseTime("updated_at", w.UpdatedAt, false); err != nil {
		return api.User{}, fmt.Errorf("cardholder %s: %w", shownID(w.ID), err)
	}
	return u, nil
}

// cardFromWire maps a card; the spending limit is in the card's currency.
func cardFromWire(w Card) (api.Card, error) {
	if w.ID == "" {
		return api.Card{}, fmt.Errorf("card: field id: missing")
	}
	c, err := cardFields(w)
	if err != nil {
		return api.Card{}, fmt.Errorf("card %s: %w", shownID(w.ID), err)
	}
	return c, nil
}

func cardFields(w Card) (api.Card, error) {
	c := api.Card{
		ID:       w.ID,
		UserID:   w.CardholderID,
		Brand:    w.Brand,
		LastFour: w.LastFour,
		ExpMonth: w.ExpMonth,
		ExpYear:  w.ExpYear,
		Controls: api.SpendingControls(w.SpendingControls),
		Metadata: w.Metadata,
	}
	c.Status = cardStatusFromWire(w.Status)
	c.Type = cardTypeFromWire(w.Type)
	var err error
	if c.Currency, err = currencyCode("currency", w.Currency); err != nil {
		return api.Card{}, err
	}
	if !isLastFour(w.LastFour) {
		return api.Card{}, fmt.Errorf("field last_four: want 4 digits")
	}
	if w.ExpMonth < 1 || w.ExpMonth > 12 {
		return api.Card{}, fmt.Errorf("field exp_month: %s is not a month", clip(strconv.Itoa(w.ExpMonth)))
	}
	if l := w.SpendingLimit; l != nil {
		c.Limit = &api.SpendingLimit{Amount: api.Money{Amount: l.Amount, Currency: c.Currency}, Interval: intervalFromWire(l.Interval)}
	}
	if c.CreatedAt, err = parseTime("created_at", w.CreatedAt, true); err != nil {
		return api.Card{}, err
	}
	if c.UpdatedAt, err = parseTime("updated_at", w.UpdatedAt, false); err != nil {
		return api.Card{}, err
	}
	return c, nil
}

// txFromWire maps a transaction. A declined one carries a Decline whose
// reason is api.DeclineNotGiven: the reference gives a declined
// transaction no reason, code or message at all, so carddesk reads none
// and infers what it can above the dialect (api.ExplainDecline).
func txFromWire(w Transaction) (api.Transaction, error) {
	if w.ID == "" {
		return api.Transaction{}, fmt.Errorf("transaction: field id: missing")
	}
	t, err := txFields(w)
	if err != nil {
		return api.Transaction{}, fmt.Errorf("transaction %s: %w", shownID(w.ID), err)
	}
	return t, nil
}

func txFields(w Transaction) (api.Transaction, error) {
	t := api.Transaction{
		ID:     w.ID,
		CardID: w.CardID,
		UserID: w.CardholderID,
		Merchant: api.Merchant{
			ID:       w.Merchant.ID,
			Name:     w.Merchant.Name,
			Category: w.Merchant.Category,
			MCC:      w.Merchant.CategoryCode,
			City:     w.Merchant.City,
			Country:  w.Merchant.Country,
		},
	}
	var err error
	if t.Amount, err = money("currency", w.Amount, w.Currency); err != nil {
		return api.Transaction{}, err
	}
	t.Status = txStatusFromWire(w.Status)
	t.Type = txTypeFromWire(w.Type)
	if t.Status == api.TxDeclined {
		t.Decline = &api.Decline{Reason: api.DeclineNotGiven}
	}
	if t.CreatedAt, err = parseTime("created_at", w.CreatedAt, true); err != nil {
		return api.Transaction{}, err
	}
	return t, nil
}

func balanceFromWire(w Balance) (api.Balance, error) {
	avail, err := money("available.currency", w.Available.Amount, w.Available.Currency)
	if err != nil {
		return api.Balance{}, fmt.Errorf("balance: %w", err)
	}
	pending, err := money("pending.currency", w.Pending.Amount, w.Pending.Currency)
	if err != nil {
		return api.Balance{}, fmt.Errorf("balance: %w", err)
	}
	return api.Balance{Available: avail, Pending: pending}, nil
}

func isLastFour(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
