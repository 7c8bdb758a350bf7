package sandbox

import (
	"net/http"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
)

func vyLimitIn(l *vydapay.SpendingLimit) *limitIn {
	if l == nil {
		return nil
	}
	return &limitIn{amount: l.Amount, interval: l.Interval}
}

func vyControlsIn(c *vydapay.SpendingControls) *controlsIn {
	if c == nil {
		return nil
	}
	return &controlsIn{
		allowedCategories: c.AllowedCategories, blockedCategories: c.BlockedCategories,
		allowedCountries: c.AllowedCountries, blockedCountries: c.BlockedCountries, allowedMerchants: c.AllowedMerchants,
	}
}

func vyCreateCard(c *call) (int, any, *apiError) {
	var in vydapay.CardCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case in.Type == "":
		return 0, nil, errMissing("type")
	case in.Type != "virtual" && in.Type != "physical":
		return 0, nil, errInvalid(codeParamInvalid, "type", "Invalid type: must be virtual or physical.")
	}
	if e := checkCurrency(in.Currency, "currency", vydapayCurrencies()); e != nil {
		return 0, nil, e
	}
	if in.CardholderID == "" {
		return 0, nil, errMissing("cardholder_id")
	}
	set, e := readSettings(vyLimitIn(in.SpendingLimit), vyControlsIn(in.SpendingControls), in.Metadata)
	if e != nil {
		return 0, nil, e
	}
	u, e := c.user(in.CardholderID, "cardholder_id")
	if e != nil {
		return 0, nil, e
	}
	if in.Type == "physical" && u.addr == nil {
		return 0, nil, errUnprocessable(codeAddressRequired, "cardholder_id",
			"Cardholder %s has no billing_address; a physical card needs one for delivery.", u.id)
	}
	cd := c.iss.issueCard(u, "", in.Currency, api.CardType(in.Type), "mastercard", set)
	out := vyCard(cd)
	c.iss.emit(vydapay.EventCardCreated, out)
	return http.StatusCreated, out, nil
}

func vyListCards(c *call) (int, any, *apiError) {
	q := c.q
	status, e := q.enum("status", "active", "frozen", "cancelled")
	if e != nil {
		return 0, nil, e
	}
	typ, e := q.enum("type", "virtual", "physical")
	if e != nil {
		return 0, nil, e
	}
	after, before, e := q.timeRange()
	if e != nil {
		return 0, nil, e
	}
	holder := q.get("cardholder_id")
	match := func(cd *card) bool {
		return (holder == "" || cd.userID == holder) && (status == "" || vyCardStatus(cd.status) == status) &&
			(typ == "" || string(cd.typ) == typ) &&
			(after.IsZero() || cd.created.After(after)) && (before.IsZero() || cd.created.Before(before))
	}
	return vyList(c, "/v1/cards", c.iss.cards.order, c.iss.cards.get, match, vyCard)
}

func vyGetCard(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vyCard(cd), nil
}

func vyUpdateCard(c *call) (int, any, *apiError) {
	cd, e := updateCard(c, func(in vydapay.CardUpdate) (cardSettings, *apiError) {
		return readSettings(vyLimitIn(in.SpendingLimit), vyControlsIn(in.SpendingControls), in.Metadata)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vyCard(cd), nil
}

func vyCancelCard(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vydapay.CancelRequest
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Reason, "reason", false); e != nil {
		return 0, nil, e
	}
	reason := in.Reason
	if reason == "" {
		reason = "unspecified"
	}
	if e := c.iss.terminate(cd, reason); e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vyCard(cd), nil
}
