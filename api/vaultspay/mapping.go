package vaultspay

import (
	"fmt"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
)

// This file and mapping_*.go turn wire objects into api objects. A word
// carddesk does not know (a status, a type, an interval, a KYC state) is
// kept as VaultsPay sent it and shown as is (DESIGN §3); a value carddesk
// cannot read at all (a timestamp that is not RFC 3339, a missing id) is an
// error naming the object and the field, rather than a guess shown to an
// agent as fact.

func fieldErr(object, id, field, format string, args ...any) error {
	return fmt.Errorf("%s %s: %s %s", object, shownID(id), field, fmt.Sprintf(format, args...))
}

// parseTime reads an RFC 3339 timestamp; an empty optional one is zero.
func parseTime(object, id, field, s string, required bool) (time.Time, error) {
	if s == "" {
		if required {
			return time.Time{}, fieldErr(object, id, field, "is missing")
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fieldErr(object, id, field, "%q is not an RFC 3339 time", clip(s))
	}
	return t.UTC(), nil
}

// money pairs a minor-unit amount with its currency code, upper-cased.
func money(amount int64, currency string) api.Money {
	return api.Money{Amount: amount, Currency: strings.ToUpper(currency)}
}

func kycState(s string) api.KYCState {
	switch s {
	case "not_started":
		return api.KYCNotStarted
	case "pending":
		return api.KYCPending
	case "verified":
		return api.KYCVerified
	case "rejected":
		return api.KYCRejected
	case "":
		return api.KYCUnknown
	}
	return api.KYCState(s)
}

func mapAddress(a *Address) *api.Address {
	if a == nil {
		return nil
	}
	return &api.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
}

func mapUser(w User) (api.User, error) {
	if w.ID == "" {
		return api.User{}, fieldErr("user", "(no id)", "id", "is missing")
	}
	created, err := parseTime("user", w.ID, "created_at", w.CreatedAt, true)
	if err != nil {
		return api.User{}, err
	}
	updated, err := parseTime("user", w.ID, "updated_at", w.UpdatedAt, false)
	if err != nil {
		return api.User{}, err
	}
	return api.User{
		ID:        w.ID,
		FirstName: w.FirstName,
		LastName:  w.LastName,
		Email:     w.Email,
		Phone:     w.Phone,
		KYC:       kycState(w.KYC.Status),
		Address:   mapAddress(w.Address),
		Metadata:  w.Metadata,
		CreatedAt: created,
		UpdatedAt: updated,
	}, nil
}

// mapAccount maps an account with its embedded balance; the IBAN is left
// empty (GetIBAN fetches it).
func mapAccount(w Account) (api.Account, error) {
	if w.ID == "" {
		return api.Account{}, fieldErr("account", "(no id)", "id", "is missing")
	}
	status := api.AccountStatus(w.Status)
	created, err := parseTime("account", w.ID, "created_at", w.CreatedAt, true)
	if err != nil {
		return api.Account{}, err
	}
	cur := w.Currency
	if cur == "" {
		cur = w.Balance.Currency
	}
	return api.Account{
		ID:        w.ID,
		UserID:    w.UserID,
		Currency:  strings.ToUpper(cur),
		Status:    status,
		Available: money(w.Balance.Available, cur),
		Pending:   money(w.Balance.Pending, cur),
		CreatedAt: created,
	}, nil
}

func mapBalance(w Balance) api.Balance {
	return api.Balance{Available: money(w.Available, w.Currency), Pending: money(w.Pending, w.Currency)}
}
