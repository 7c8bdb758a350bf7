package sandbox

import (
	"fmt"
	"net/http"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// cardSettings validates the limit, controls and metadata of a create or
// update, in either provider's wire shape.
type cardSettings struct {
	limit    *limit
	controls *controls
	metadata map[string]string
}

func readSettings(lim *limitIn, ctl *controlsIn, meta map[string]string) (cardSettings, *apiError) {
	var out cardSettings
	if lim != nil {
		l, e := checkLimit(lim.amount, lim.interval)
		if e != nil {
			return out, e
		}
		out.limit = l
	}
	if ctl != nil {
		cs, e := checkControls(ctl.allowedCategories, ctl.blockedCategories, ctl.allowedCountries, ctl.blockedCountries, ctl.allowedMerchants)
		if e != nil {
			return out, e
		}
		out.controls = &cs
	}
	if e := checkMetadata(meta, "metadata"); e != nil {
		return out, e
	}
	out.metadata = meta
	return out, nil
}

// limitIn and controlsIn carry either provider's limit and controls.
type limitIn struct {
	amount   int64
	interval string
}

type controlsIn = controls

func vpLimitIn(l *vaultspay.SpendingLimit) *limitIn {
	if l == nil {
		return nil
	}
	return &limitIn{amount: l.Amount, interval: l.Interval}
}

func vpControlsIn(c *vaultspay.SpendingControls) *controlsIn {
	if c == nil {
		return nil
	}
	return &controlsIn{
		allowedCategories: c.AllowedCategories, blockedCategories: c.BlockedCategories,
		allowedCountries: c.AllowedCountries, blockedCountries: c.BlockedCountries, allowedMerchants: c.AllowedMerchants,
	}
}

// issueCard creates a card for u in the issuer's book.
func (iss *issuer) issueCard(u *user, accountID, currency string, typ api.CardType, brand string, set cardSettings) *card {
	now := iss.now()
	exp := now.AddDate(3, 0, 0)
	c := &card{
		id: iss.newID("card_", iss.cardTaken), userID: u.id, accountID: accountID, typ: typ, status: api.CardActive,
		brand: brand, currency: currency, cvc: fmt.Sprintf("%03d", iss.rng.IntN(1000)),
		expMonth: int(exp.Month()), expYear: exp.Year(), limit: set.limit, metadata: metadataOf(set.metadata),
		created: now, updated: now,
	}
	c.number = iss.newCardNumber(brand)
	if set.controls != nil {
		c.controls = *set.controls
	}
	if typ == api.CardPhysical && iss.vaultspay() {
		c.status = api.CardInactive
		c.shipping = u.addr
	}
	iss.cards.add(c)
	return c
}

func vpCreateCard(c *call) (int, any, *apiError) {
	var in vaultspay.CardCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	switch {
	case in.UserID == "":
		return 0, nil, errMissing("user_id")
	case in.AccountID == "":
		return 0, nil, errMissing("account_id")
	case in.Type == "":
		return 0, nil, errMissing("type")
	case in.Type != "virtual" && in.Type != "physical":
		return 0, nil, errInvalid(codeParamInvalid, "type", "Invalid type: must be virtual or physical.")
	}
	brand := in.Brand
	if brand == "" {
		brand = "visa"
	}
	if brand != "visa" && brand != "mastercard" {
		return 0, nil, errInvalid(codeParamInvalid, "brand", "Invalid brand: must be visa or mastercard.")
	}
	set, e := readSettings(vpLimitIn(in.SpendingLimit), vpControlsIn(in.SpendingControls), in.Metadata)
	if e != nil {
		return 0, nil, e
	}
	u, e := c.user(in.UserID, "user_id")
	if e != nil {
		return 0, nil, e
	}
	a, e := c.account(in.AccountID, "account_id")
	if e != nil {
		return 0, nil, e
	}
	switch {
	case a.userID != u.id:
		return 0, nil, errUnprocessable(codeAccountMismatch, "account_id", "Account %s does not belong to user %s.", a.id, u.id)
	case a.status != "active":
		return 0, nil, errUnprocessable(codeAccountClosed, "account_id", "Account %s is closed; cards can be issued only on an active account.", a.id)
	case u.kyc != "verified":
		return 0, nil, errUnprocessable(codeKYCRequired, "user_id", "User %s is not KYC-verified (KYC status %s).", u.id, u.kyc)
	case in.Type == "physical" && u.addr == nil:
		return 0, nil, errUnprocessable(codeAddressRequired, "type", "User %s has no address to ship a physical card to.", u.id)
	}
	cd := c.iss.issueCard(u, a.id, a.currency, api.CardType(in.Type), brand, set)
	out := vpCard(cd)
	c.iss.emit(vaultspay.EventCardCreated, out)
	return http.StatusCreated, out, nil
}

func vpListCards(c *call) (int, any, *apiError) {
	q := c.q
	status, e := q.enum("status", "inactive", "active", "frozen", "terminated")
	if e != nil {
		return 0, nil, e
	}
	typ, e := q.enum("type", "virtual", "physical")
	if e != nil {
		return 0, nil, e
	}
	last4 := q.get("last_four")
	if last4 != "" && (len(last4) != 4 || !allDigits(last4)) {
		return 0, nil, errInvalid(codeParamInvalid, "last_four", "Invalid last_four: want exactly four digits.")
	}
	userID, accountID := q.get("user_id"), q.get("account_id")
	match := func(cd *card) bool {
		return (userID == "" || cd.userID == userID) && (accountID == "" || cd.accountID == accountID) &&
			(status == "" || string(cd.status) == status) && (typ == "" || string(cd.typ) == typ) &&
			(last4 == "" || cd.lastFour() == last4)
	}
	return vpList(c, c.iss.cards.order, c.iss.cards.get, match, vpCard)
}

func vpGetCard(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vpCard(cd), nil
}

// applySettings applies an update: limit and controls are replaced,
// metadata merges (an empty value removes a key).
func applySettings(cd *card, set cardSettings) *apiError {
	meta, e := mergeMetadata(cd.metadata, set.metadata, "metadata")
	if e != nil {
		return e
	}
	if set.limit != nil {
		cd.limit = set.limit
	}
	if set.controls != nil {
		cd.controls = *set.controls
	}
	cd.metadata = meta
	return nil
}

// updateCard applies a PATCH of the card named by the path: in is the
// provider's update body and settings reads its limit, controls and metadata.
func updateCard[In any](c *call, settings func(In) (cardSettings, *apiError)) (*card, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return nil, e
	}
	var in In
	if e := decodeBody(c.body, &in); e != nil {
		return nil, e
	}
	set, e := settings(in)
	if e != nil {
		return nil, e
	}
	if cd.status == api.CardTerminated {
		return nil, c.iss.cardStateError(cd, "updated", codeCardCancelled)
	}
	if e := applySettings(cd, set); e != nil {
		return nil, e
	}
	cd.updated = c.iss.now()
	return cd, nil
}

// cardStateChange answers a transition that takes no parameters (activate,
// freeze, unfreeze) in the provider's card shape.
func cardStateChange[Out any](op func(*issuer, *card) *apiError, render func(*card) Out) handlerFunc {
	return func(c *call) (int, any, *apiError) {
		cd, e := c.card(c.param("id"), "id")
		if e != nil {
			return 0, nil, e
		}
		var in struct{}
		if e := decodeBody(c.body, &in); e != nil {
			return 0, nil, e
		}
		if e := op(c.iss, cd); e != nil {
			return 0, nil, e
		}
		return http.StatusOK, render(cd), nil
	}
}

func vpUpdateCard(c *call) (int, any, *apiError) {
	cd, e := updateCard(c, func(in vaultspay.CardUpdate) (cardSettings, *apiError) {
		return readSettings(vpLimitIn(in.SpendingLimit), vpControlsIn(in.SpendingControls), in.Metadata)
	})
	if e != nil {
		return 0, nil, e
	}
	out := vpCard(cd)
	c.iss.emit(vaultspay.EventCardUpdated, out)
	return http.StatusOK, out, nil
}

func vpCardTransactions(c *call) (int, any, *apiError) {
	cd, e := c.card(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return vpTxList(c, c.iss.cardTx[cd.id])
}
