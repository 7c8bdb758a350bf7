package api

import (
	"errors"
	"fmt"
	"time"
)

// CardStatus is a card's normalised lifecycle state.
type CardStatus string

// Card states. Frozen is reversible; terminated (Vydapay "cancelled") is final.
const (
	CardInactive   CardStatus = "inactive"
	CardActive     CardStatus = "active"
	CardFrozen     CardStatus = "frozen"
	CardTerminated CardStatus = "terminated"
)

// CardType says whether a card exists as plastic.
type CardType string

// Card types.
const (
	CardVirtual  CardType = "virtual"
	CardPhysical CardType = "physical"
)

// Interval is the window a spending limit applies over.
type Interval string

// Spending-limit intervals, as both providers name them.
const (
	PerTransaction Interval = "per_transaction"
	Daily          Interval = "daily"
	Weekly         Interval = "weekly"
	Monthly        Interval = "monthly"
	Yearly         Interval = "yearly"
	AllTime        Interval = "all_time"
)

// SpendingLimit caps what a card may spend over an interval.
type SpendingLimit struct {
	Amount   Money    `json:"amount"`
	Interval Interval `json:"interval"`
}

// SpendingControls restrict where a card may be used.
type SpendingControls struct {
	AllowedCategories []string `json:"allowed_categories,omitempty"`
	BlockedCategories []string `json:"blocked_categories,omitempty"`
	AllowedCountries  []string `json:"allowed_countries,omitempty"`
	BlockedCountries  []string `json:"blocked_countries,omitempty"`
	AllowedMerchants  []string `json:"allowed_merchants,omitempty"`
}

// Empty reports whether no control is set.
func (c SpendingControls) Empty() bool {
	return len(c.AllowedCategories)+len(c.BlockedCategories)+len(c.AllowedCountries)+
		len(c.BlockedCountries)+len(c.AllowedMerchants) == 0
}

// Card is a payment card. It never holds the full number or CVC: those come
// only from Client.RevealCard, as CardSecrets.
type Card struct {
	ID        string            `json:"id"`
	UserID    string            `json:"user_id"`
	AccountID string            `json:"account_id,omitempty"`
	Type      CardType          `json:"type"`
	Status    CardStatus        `json:"status"`
	Currency  string            `json:"currency"`
	Brand     string            `json:"brand"`
	LastFour  string            `json:"last_four"`
	ExpMonth  int               `json:"exp_month"`
	ExpYear   int               `json:"exp_year"`
	Limit     *SpendingLimit    `json:"spending_limit,omitempty"`
	Controls  SpendingControls  `json:"spending_controls"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Expiry renders the expiry as MM/YY.
func (c Card) Expiry() string {
	return fmt.Sprintf("%02d/%02d", c.ExpMonth, c.ExpYear%100)
}

// Masked renders the card number as an agent may see it: "•••• 4821".
func (c Card) Masked() string {
	return "•••• " + c.LastFour
}

// CardSecrets are the values a reveal returns. They must never be logged,
// stored, cached, streamed or copied; callers wipe them with Wipe once shown.
type CardSecrets struct {
	Number   []byte
	CVC      []byte
	ExpMonth int
	ExpYear  int
}

// Wipe overwrites the secret bytes in place and forgets the expiry.
func (s *CardSecrets) Wipe() {
	clear(s.Number)
	clear(s.CVC)
	s.Number, s.CVC = nil, nil
	s.ExpMonth, s.ExpYear = 0, 0
}

// String never prints the secrets, so a stray %v cannot leak them.
func (s CardSecrets) String() string { return "api.CardSecrets{redacted}" }

// GoString never prints the secrets either.
func (s CardSecrets) GoString() string { return s.String() }

// TerminationReason says why a card was terminated.
type TerminationReason string

// Termination reasons offered to agents.
const (
	TerminateLost     TerminationReason = "lost"
	TerminateStolen   TerminationReason = "stolen"
	TerminateFraud    TerminationReason = "fraud"
	TerminateCustomer TerminationReason = "customer_request"
	TerminateOther    TerminationReason = "other"
)

// TerminationReasons lists the reasons in the order an agent is offered them.
func TerminationReasons() []TerminationReason {
	return []TerminationReason{TerminateLost, TerminateStolen, TerminateFraud, TerminateCustomer, TerminateOther}
}

// Secret is a JSON string decoded into bytes the caller can wipe, for card
// numbers and CVCs. It never prints its contents.
type Secret []byte

// UnmarshalJSON copies the string's bytes; the values are plain digits, so
// no unescaping is needed, and anything else is refused.
func (s *Secret) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return errors.New("secret: want a JSON string")
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c < '0' || c > '9' {
			return errors.New("secret: want digits only")
		}
	}
	*s = append((*s)[:0], inner...)
	return nil
}

// String never prints the secret.
func (s Secret) String() string { return "redacted" }
