package sandbox

import (
	"net/http"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// pinTokenTTL is how long a PIN token lives.
const pinTokenTTL = 5 * time.Minute

func isTerminationReason(r string) bool {
	for _, t := range api.TerminationReasons() {
		if string(t) == r {
			return true
		}
	}
	return false
}

func vpTerminateCard(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.TerminateRequest
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case in.Reason == "":
		return 0, nil, errMissing("reason")
	case !isTerminationReason(in.Reason):
		return 0, nil, errInvalid(codeParamInvalid, "reason", "Invalid reason: must be one of lost, stolen, fraud, customer_request, other.")
	}
	if e := c.iss.terminate(cd, in.Reason); e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vpCard(cd), nil
}

func vpConvertCard(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.ConvertToPhysical
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	ship, e := vpAddressIn(in.ShippingAddress, "shipping_address")
	if e != nil {
		return 0, nil, e
	}
	switch {
	case cd.status == api.CardTerminated:
		return 0, nil, c.iss.cardStateError(cd, "converted to physical", codeCardCancelled)
	case cd.typ == api.CardPhysical:
		return 0, nil, errConflict(typeCard, codeInvalidCardState, "Card %s is already a physical card.", cd.id)
	}
	if ship == nil {
		if u, ok := c.iss.users.get(cd.userID); ok {
			ship = u.addr
		}
	}
	if ship == nil {
		return 0, nil, errUnprocessable(codeAddressRequired, "shipping_address", "The user has no address on file: give a shipping_address.")
	}
	cd.typ, cd.shipping, cd.updated = api.CardPhysical, ship, c.iss.now()
	out := vpCard(cd)
	c.iss.emit(vaultspay.EventCardConverted, out)
	return http.StatusOK, out, nil
}

func vpCreatePINToken(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in struct{}
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case cd.status == api.CardTerminated:
		return 0, nil, c.iss.cardStateError(cd, "given a PIN", codeCardCancelled)
	case cd.typ != api.CardPhysical:
		return 0, nil, errConflict(typeCard, codeInvalidCardState, "Card %s is virtual and has no PIN.", cd.id)
	}
	iss := c.iss
	now := iss.now()
	pt := &pinToken{
		token:  iss.newID("pint_", func(id string) bool { return iss.pinTokens[id] != nil }),
		cardID: cd.id, expires: now.Add(pinTokenTTL),
	}
	// Spent and expired tokens are forgotten as new ones are made.
	for k, old := range iss.pinTokens {
		if old.used || now.After(old.expires) {
			delete(iss.pinTokens, k)
		}
	}
	iss.pinTokens[pt.token] = pt
	return http.StatusCreated, vaultspay.PINToken{Object: "pin_token", CardID: cd.id, Token: pt.token, ExpiresAt: stamp(pt.expires)}, nil
}

func vpSetPIN(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.PINSet
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case in.PINToken == "":
		return 0, nil, errMissing("pin_token")
	case in.PIN == "":
		return 0, nil, errMissing("pin")
	case cd.status == api.CardTerminated:
		return 0, nil, c.iss.cardStateError(cd, "given a PIN", codeCardCancelled)
	case len(in.PIN) != 4 || !allDigits(in.PIN):
		return 0, nil, errUnprocessable(codePINInvalid, "pin", "A PIN is exactly 4 digits.")
	}
	iss := c.iss
	now := iss.now()
	pt := iss.pinTokens[in.PINToken]
	if pt == nil || pt.used || pt.cardID != cd.id || now.After(pt.expires) {
		return 0, nil, errUnprocessable(codePINTokenInvalid, "pin_token",
			"The PIN token is unknown, expired, already used or for another card; request a new one.")
	}
	pt.used = true
	cd.pinSet, cd.updated = true, now
	return http.StatusOK, vaultspay.PINResult{Object: "card_pin", CardID: cd.id, UpdatedAt: stamp(now)}, nil
}

// vpRevealCard answers with the full number and CVC. The response is never
// kept for idempotent replay, and nothing of it is logged.
func vpRevealCard(c *call) (int, any, *apiError) {
	c.noStore = true
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.RevealRequest
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Reason, "reason", true); e != nil {
		return 0, nil, e
	}
	if cd.status == api.CardTerminated {
		return 0, nil, c.iss.cardStateError(cd, "revealed", codeCardCancelled)
	}
	c.s.log.Info("sandbox: card revealed", "card", cd.id, "last_four", cd.lastFour(), "request_id", c.reqID)
	return http.StatusOK, vaultspay.CardDetails{
		Object: "card_details", CardID: cd.id, Number: cd.number, CVC: cd.cvc, ExpMonth: cd.expMonth, ExpYear: cd.expYear,
	}, nil
}
