package api

import (
	"context"
	"iter"
	"time"
)

// Mode says whether a client moves real money.
type Mode string

// Modes, as the provider says (VaultsPay's ping) or, where it says
// nothing, as its documented key prefixes tell (Vydapay).
const (
	// ModeUnknown: the provider has not said yet (its ping has not
	// answered). A dashboard must not take it for either.
	ModeUnknown Mode = "unknown"
	ModeTest    Mode = "test"
	ModeLive    Mode = "live"
)

// Capabilities says what a provider can do, so that callers never check
// which provider they talk to.
type Capabilities struct {
	Reveal              bool // full number, CVC and expiry on demand
	Activate            bool // inactive cards can be activated
	Accounts            bool // users hold accounts with balances and IBANs
	KYC                 bool // users carry a KYC state
	GlobalTransactions  bool // transactions can be listed across all cards
	UserTransactions    bool // transactions can be filtered by user
	AccountTransactions bool // transactions can be listed per account
	LastFourFilter      bool // the provider filters cards by last four itself
	UserSearch          bool // the provider searches users by free text
	WebhookEndpoints    bool // webhook endpoints can be managed through the API
}

// UserFilter narrows a user listing. Query matches any of email, name,
// phone and id; the other fields match exactly.
type UserFilter struct {
	Query string
	Email string
	Phone string
	Page  PageParams
}

// CardFilter narrows a card listing.
type CardFilter struct {
	UserID   string
	Status   CardStatus
	Type     CardType
	LastFour string
	Page     PageParams
}

// TxFilter narrows a transaction listing. At most one of CardID, UserID and
// AccountID scopes it; with none, the listing is global where the provider
// has one (Capabilities.GlobalTransactions).
type TxFilter struct {
	CardID        string
	UserID        string
	AccountID     string
	Status        TxStatus
	Type          TxType
	MinAmount     *int64
	MaxAmount     *int64
	CreatedAfter  time.Time
	CreatedBefore time.Time
	Page          PageParams
}

// Client is everything the dashboard asks of a card-issuing provider.
// Implementations are safe for concurrent use.
type Client interface {
	// Provider is the provider's name ("vaultspay", "vydapay").
	Provider() string
	// Mode says whether the key moves real money, as the provider said
	// it last; ModeUnknown until it has.
	Mode() Mode
	Capabilities() Capabilities
	// RateLimit is the provider's rate-limit state as last reported.
	RateLimit() RateLimit
	// Ping checks the provider answers and the key is good, and reports
	// the round trip.
	Ping(ctx context.Context) (time.Duration, error)

	ListUsers(ctx context.Context, f UserFilter) (Page[User], error)
	GetUser(ctx context.Context, id string) (User, error)
	ListAccounts(ctx context.Context, userID string) ([]Account, error)

	ListCards(ctx context.Context, f CardFilter) (Page[Card], error)
	GetCard(ctx context.Context, id string) (Card, error)
	FreezeCard(ctx context.Context, id string) (Card, error)
	UnfreezeCard(ctx context.Context, id string) (Card, error)
	ActivateCard(ctx context.Context, id string) (Card, error)
	TerminateCard(ctx context.Context, id string, reason TerminationReason) (Card, error)
	// RevealCard returns the full number, CVC and expiry. The caller owns
	// the secrets and must Wipe them.
	RevealCard(ctx context.Context, id string, reason string) (*CardSecrets, error)

	ListTransactions(ctx context.Context, f TxFilter) (Page[Transaction], error)
}

// Users iterates over every user a filter matches.
func Users(ctx context.Context, c Client, f UserFilter) iter.Seq2[User, error] {
	return All(ctx, f.Page, func(ctx context.Context, p PageParams) (Page[User], error) {
		f.Page = p
		return c.ListUsers(ctx, f)
	})
}

// Cards iterates over every card a filter matches.
func Cards(ctx context.Context, c Client, f CardFilter) iter.Seq2[Card, error] {
	return All(ctx, f.Page, func(ctx context.Context, p PageParams) (Page[Card], error) {
		f.Page = p
		return c.ListCards(ctx, f)
	})
}

// Transactions iterates over every transaction a filter matches.
func Transactions(ctx context.Context, c Client, f TxFilter) iter.Seq2[Transaction, error] {
	return All(ctx, f.Page, func(ctx context.Context, p PageParams) (Page[Transaction], error) {
		f.Page = p
		return c.ListTransactions(ctx, f)
	})
}
