package sandbox

import (
	"time"

	"github.com/carddesk/carddesk/api"
)

// The issuer's own model, shared by both providers and rendered into each
// provider's wire shapes by the render files. Times are UTC, whole seconds.

type address struct {
	line1, line2, city, postal, country string
}

type user struct {
	id          string
	first, last string
	email       string
	phone       string
	dob         string
	addr        *address
	kyc         string // VaultsPay: not_started, pending, verified, rejected
	kycSession  string // latest session id, "" when none
	kycUpdated  time.Time
	metadata    map[string]string
	created     time.Time
	updated     time.Time
	deleted     bool
}

func (u *user) key() sortKey { return sortKey{u.created, u.id} }

type account struct {
	id        string
	userID    string
	currency  string
	status    string // active, closed
	nickname  string
	available int64
	pending   int64
	iban      string
	created   time.Time
	updated   time.Time
}

func (a *account) key() sortKey { return sortKey{a.created, a.id} }

type limit struct {
	amount   int64
	interval api.Interval
}

type controls struct {
	allowedCategories []string
	blockedCategories []string
	allowedCountries  []string
	blockedCountries  []string
	allowedMerchants  []string
}

type card struct {
	id         string
	userID     string
	accountID  string // VaultsPay only
	typ        api.CardType
	status     api.CardStatus
	brand      string
	currency   string
	number     string // kept only here, for reveal; never logged
	cvc        string
	expMonth   int
	expYear    int
	limit      *limit
	controls   controls
	metadata   map[string]string
	termReason string
	pinSet     bool
	shipping   *address
	created    time.Time
	updated    time.Time
}

func (c *card) key() sortKey { return sortKey{c.created, c.id} }

func (c *card) lastFour() string { return c.number[len(c.number)-4:] }

// expired says whether the card's expiry month has ended by at.
func (c *card) expired(at time.Time) bool {
	end := time.Date(c.expYear, time.Month(c.expMonth)+1, 1, 0, 0, 0, 0, time.UTC)
	return !at.Before(end)
}

// Merchant is a place a card can be used. Category is one of the Vydapay
// category list; MCC is the ISO 18245 merchant category code.
type Merchant struct {
	ID       string
	Name     string
	Category string
	MCC      string
	City     string
	Country  string
}

type receipt struct {
	id       string
	txID     string
	status   string // processing, matched
	filename string
	size     int
	created  time.Time
}

type tx struct {
	id        string
	accountID string
	cardID    string // "" for a transfer
	userID    string
	amount    int64
	currency  string
	status    api.TxStatus
	typ       api.TxType
	merchant  *Merchant
	// decline holds the provider's own code and words; reason is the
	// normalised reason.
	declineCode string
	declineMsg  string
	reason      api.DeclineReason
	created     time.Time
	settled     time.Time // zero until settled
	receipt     *receipt
}

func (t *tx) key() sortKey { return sortKey{t.created, t.id} }

// approved says whether the transaction counts against limits: authorised
// and not given back.
func (t *tx) approved() bool {
	return (t.status == api.TxPending || t.status == api.TxSettled) && t.typ != api.TxRefund && t.typ != api.TxTransfer
}

type kycSession struct {
	id        string
	userID    string
	status    string // pending, verified, rejected
	returnURL string
	created   time.Time
	updated   time.Time
}

type document struct {
	id       string
	userID   string
	typ      string
	filename string
	size     int
	created  time.Time
}

type pinToken struct {
	token   string
	cardID  string
	expires time.Time
	used    bool
}
