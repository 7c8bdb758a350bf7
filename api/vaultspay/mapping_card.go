package vaultspay

import (
	"strconv"

	"github.com/carddesk/carddesk/api"
)

// cardStatus and cardType check a filter's words. Reading is tolerant:
// mapCard keeps any word VaultsPay sends, known or not (DESIGN §3).
func cardStatus(id, s string) (api.CardStatus, error) {
	switch s {
	case "inactive":
		return api.CardInactive, nil
	case "active":
		return api.CardActive, nil
	case "frozen":
		return api.CardFrozen, nil
	case "terminated":
		return api.CardTerminated, nil
	}
	return "", fieldErr("card", id, "status", "%q is not inactive, active, frozen or terminated", clip(s))
}

func cardType(id, s string) (api.CardType, error) {
	switch s {
	case "virtual":
		return api.CardVirtual, nil
	case "physical":
		return api.CardPhysical, nil
	}
	return "", fieldErr("card", id, "type", "%q is not virtual or physical", clip(s))
}

func mapControls(w SpendingControls) api.SpendingControls {
	return api.SpendingControls{
		AllowedCategories: w.AllowedCategories,
		BlockedCategories: w.BlockedCategories,
		AllowedCountries:  w.AllowedCountries,
		BlockedCountries:  w.BlockedCountries,
		AllowedMerchants:  w.AllowedMerchants,
	}
}

func mapCard(w Card) (api.Card, error) {
	if w.ID == "" {
		return api.Card{}, fieldErr("card", "(no id)", "id", "is missing")
	}
	status, typ := api.CardStatus(w.Status), api.CardType(w.Type)
	if !isLastFour(w.LastFour) {
		return api.Card{}, fieldErr("card", w.ID, "last_four", "is not four digits")
	}
	if w.ExpMonth < 1 || w.ExpMonth > 12 {
		return api.Card{}, fieldErr("card", w.ID, "exp_month", "%s is not a month", clip(strconv.Itoa(w.ExpMonth)))
	}
	created, err := parseTime("card", w.ID, "created_at", w.CreatedAt, true)
	if err != nil {
		return api.Card{}, err
	}
	updated, err := parseTime("card", w.ID, "updated_at", w.UpdatedAt, false)
	if err != nil {
		return api.Card{}, err
	}
	c := api.Card{
		ID:        w.ID,
		UserID:    w.UserID,
		AccountID: w.AccountID,
		Type:      typ,
		Status:    status,
		Currency:  money(0, w.Currency).Currency,
		Brand:     w.Brand,
		LastFour:  w.LastFour,
		ExpMonth:  w.ExpMonth,
		ExpYear:   w.ExpYear,
		Controls:  mapControls(w.SpendingControls),
		Metadata:  w.Metadata,
		CreatedAt: created,
		UpdatedAt: updated,
	}
	if w.SpendingLimit != nil {
		c.Limit = &api.SpendingLimit{Amount: money(w.SpendingLimit.Amount, w.Currency), Interval: api.Interval(w.SpendingLimit.Interval)}
	}
	return c, nil
}

func isLastFour(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
