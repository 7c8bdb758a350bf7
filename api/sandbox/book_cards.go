package sandbox

import (
	"fmt"
	"math"
	"time"

	"github.com/carddesk/carddesk/api"
)

// eligible lists the users who may hold cards.
func (b *bookBuilder) eligible() []*user {
	var out []*user
	for _, u := range b.users {
		if u.kyc == "verified" && (!b.iss.vaultspay() || len(b.byUsr[u.id]) > 0) {
			out = append(out, u)
		}
	}
	return out
}

func (b *bookBuilder) cardsFor() {
	r := b.r
	holders := b.eligible()
	for _, u := range holders {
		n := weighted(r, []int{1, 2, 3, 4}, []int{30, 35, 25, 10})
		for range n {
			b.cards = append(b.cards, b.newCard(u))
		}
	}
	for len(b.cards) < bookMinCards {
		b.cards = append(b.cards, b.newCard(pick(r, holders)))
	}
}

func (b *bookBuilder) newCard(u *user) *card {
	r, vp := b.r, b.iss.vaultspay()
	c := &card{id: b.iss.newID("card_", b.iss.cardTaken), userID: u.id, metadata: map[string]string{}}
	b.iss.cards.byID[c.id] = c
	c.typ = weighted(r, []api.CardType{api.CardVirtual, api.CardPhysical}, []int{65, 35})
	if !vp && u.addr == nil {
		c.typ = api.CardVirtual
	}
	if vp {
		acc := pick(r, b.byUsr[u.id])
		c.accountID, c.currency = acc.id, acc.currency
		c.brand = weighted(r, []string{"visa", "mastercard"}, []int{60, 40})
	} else {
		c.currency = homeCurrency(b.homes[u.id], false)
		if r.IntN(100) < 15 {
			c.currency = pick(r, vydapayCurrencies())
		}
		c.brand = "mastercard"
	}
	c.number = b.iss.newCardNumber(c.brand)
	c.cvc = fmt.Sprintf("%03d", r.IntN(1000))
	c.created = b.between(u.created, b.now.Add(-5*24*time.Hour))
	// Most cards run three years from issue; a few have already run out.
	expired := r.IntN(100) < 4
	expiry := c.created.AddDate(3, 0, 0)
	if expired {
		expiry = b.now.AddDate(0, -1-r.IntN(5), 0)
		c.created = expiry.AddDate(-3, 0, 0)
	}
	c.expMonth, c.expYear = int(expiry.Month()), expiry.Year()
	switch {
	case !vp:
		c.status = weighted(r, []api.CardStatus{api.CardActive, api.CardFrozen, api.CardTerminated}, []int{85, 8, 7})
	case c.typ == api.CardVirtual:
		c.status = weighted(r, []api.CardStatus{api.CardActive, api.CardFrozen, api.CardTerminated}, []int{84, 8, 8})
	default:
		c.status = weighted(r, []api.CardStatus{api.CardInactive, api.CardActive, api.CardFrozen, api.CardTerminated}, []int{18, 68, 7, 7})
	}
	// updated is when the card last changed state.
	c.updated = b.between(c.created, b.now)
	if c.status == api.CardTerminated {
		c.termReason = weighted(r, []string{"lost", "stolen", "fraud", "customer_request", "other"}, []int{30, 15, 15, 35, 5})
	}
	if c.typ == api.CardPhysical && c.status != api.CardInactive {
		c.pinSet = true
	}
	if r.IntN(100) < 55 {
		c.limit = b.newLimit(c.currency)
	}
	if r.IntN(100) < 25 {
		c.controls = b.newControls(b.homes[u.id])
	}
	if r.IntN(100) < 40 {
		c.metadata["department"] = pick(r, []string{"engineering", "sales", "marketing", "finance", "operations", "support"})
		c.metadata["cost_center"] = fmt.Sprintf("CC-%04d", 1000+r.IntN(9000))
	}
	if r.IntN(100) < 15 {
		c.metadata["nickname"] = pick(r, []string{"Travel", "Subscriptions", "Groceries", "Team lunches", "Ads"})
	}
	return c
}

func (b *bookBuilder) newLimit(cur string) *limit {
	r := b.r
	intervals := []api.Interval{api.PerTransaction, api.Daily, api.Weekly, api.Monthly, api.Yearly, api.AllTime}
	i := weighted(r, intervals, []int{12, 18, 15, 35, 10, 10})
	lo, hi := 250.0, 2000.0
	switch i {
	case api.Daily:
		lo, hi = 200, 1500
	case api.Weekly:
		lo, hi = 500, 3000
	case api.Monthly:
		lo, hi = 1000, 8000
	case api.Yearly:
		lo, hi = 10000, 60000
	case api.AllTime:
		lo, hi = 5000, 50000
	}
	usd := lo + r.Float64()*(hi-lo)
	exp, _ := api.Exponent(cur)
	step := 50 * pow10(exp) // round to 50 major units
	amount := int64(math.Round(float64(fromUSD(usd, cur))/step) * step)
	return &limit{amount: max(amount, int64(step)), interval: i}
}

func (b *bookBuilder) newControls(home string) controls {
	r := b.r
	switch r.IntN(6) {
	case 0, 1:
		return controls{blockedCategories: []string{"gambling", "adult_entertainment"}}
	case 2:
		return controls{allowedCategories: []string{"airlines", "hotels", "car_rental", "restaurants", "fuel"}}
	case 3:
		return controls{blockedCountries: []string{"RU", "BY"}}
	case 4:
		allowed := []string{home}
		for _, c := range []string{"GB", "IE", "FR", "DE", "AE", "US"} {
			if c != home && r.IntN(3) == 0 {
				allowed = append(allowed, c)
			}
		}
		return controls{allowedCountries: allowed, blockedCategories: []string{"gambling"}}
	default:
		return controls{
			allowedCategories: []string{"software_services", "advertising", "office_supplies"},
			allowedMerchants:  []string{"mid_github", "mid_aws", "mid_figma", "mid_googleads", "mid_metaads", "mid_staples"},
		}
	}
}
