package vaultspay

import "encoding/json"

// The wire format. The reference fixes the resource index and the global
// conventions; the shapes below are carddesk's decisions where it is silent
// (see the README, "Where the references are silent").

// APIVersion is the VaultsPay-Version this client pins.
const APIVersion = "2026-04-24"

// VersionHeader pins the API version on requests and is echoed on responses.
const VersionHeader = "VaultsPay-Version"

// Key prefixes: a test key and a live key.
const (
	TestKeyPrefix = "vp_test_"
	LiveKeyPrefix = "vp_live_"
)

// List is every list response: cursors are opaque; next_cursor is set when
// items follow the page, prev_cursor when items precede it, and has_more
// says whether more items lie in the direction of travel.
type List[T any] struct {
	Object     string  `json:"object"` // "list"
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
	PrevCursor *string `json:"prev_cursor"`
}

// ErrorBody is every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the error itself.
type ErrorDetail struct {
	Type      string `json:"type"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Param     string `json:"param,omitempty"`
	RequestID string `json:"request_id"`
}

// Error types.
const (
	ErrTypeInvalidRequest = "invalid_request_error"
	ErrTypeAuthentication = "authentication_error"
	ErrTypePermission     = "permission_error"
	ErrTypeIdempotency    = "idempotency_error"
	ErrTypeRateLimit      = "rate_limit_error"
	ErrTypeCard           = "card_error"
	ErrTypeAPI            = "api_error"
)

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"`
}

// KYC is a user's verification state.
type KYC struct {
	Status    string  `json:"status"` // not_started, pending, verified, rejected
	SessionID *string `json:"session_id"`
	UpdatedAt *string `json:"updated_at"`
}

// User is a VaultsPay user.
type User struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"` // "user"
	FirstName   string            `json:"first_name"`
	LastName    string            `json:"last_name"`
	Email       string            `json:"email"`
	Phone       string            `json:"phone,omitempty"`
	DateOfBirth string            `json:"date_of_birth,omitempty"`
	Address     *Address          `json:"address,omitempty"`
	KYC         KYC               `json:"kyc"`
	Metadata    map[string]string `json:"metadata"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
}

// UserCreate is POST /v1/users.
type UserCreate struct {
	FirstName   string            `json:"first_name"`
	LastName    string            `json:"last_name"`
	Email       string            `json:"email"`
	Phone       string            `json:"phone,omitempty"`
	DateOfBirth string            `json:"date_of_birth,omitempty"`
	Address     *Address          `json:"address,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// UserUpdate is PATCH /v1/users/{id}; absent fields are left alone.
type UserUpdate struct {
	FirstName *string           `json:"first_name,omitempty"`
	LastName  *string           `json:"last_name,omitempty"`
	Email     *string           `json:"email,omitempty"`
	Phone     *string           `json:"phone,omitempty"`
	Address   *Address          `json:"address,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// Deleted answers a DELETE.
type Deleted struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// KYCSession is POST/GET /v1/users/{id}/kyc_sessions.
type KYCSession struct {
	ID        string `json:"id"`
	Object    string `json:"object"` // "kyc_session"
	UserID    string `json:"user_id"`
	Status    string `json:"status"` // pending, verified, rejected
	URL       string `json:"url"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// KYCSessionCreate is the body of POST /v1/users/{id}/kyc_sessions.
type KYCSessionCreate struct {
	ReturnURL string `json:"return_url,omitempty"`
}

// DocumentCreate is POST /v1/users/{id}/documents.
type DocumentCreate struct {
	Type       string `json:"type"` // passport, national_id, driving_licence, proof_of_address
	Filename   string `json:"filename"`
	FileBase64 string `json:"file_base64"`
}

// Document answers a document upload.
type Document struct {
	ID        string `json:"id"`
	Object    string `json:"object"` // "document"
	UserID    string `json:"user_id"`
	Type      string `json:"type"`
	Filename  string `json:"filename"`
	Size      int    `json:"size"`
	Status    string `json:"status"` // received
	CreatedAt string `json:"created_at"`
}

// Balance is an account's balance, in minor units.
type Balance struct {
	Object    string `json:"object"` // "balance"
	AccountID string `json:"account_id"`
	Currency  string `json:"currency"`
	Available int64  `json:"available"`
	Pending   int64  `json:"pending"`
}

// Account is a multi-currency account's single-currency ledger.
type Account struct {
	ID        string  `json:"id"`
	Object    string  `json:"object"` // "account"
	UserID    string  `json:"user_id"`
	Currency  string  `json:"currency"`
	Status    string  `json:"status"` // active, closed
	Nickname  string  `json:"nickname,omitempty"`
	Balance   Balance `json:"balance"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
}

// AccountCreate is POST /v1/accounts.
type AccountCreate struct {
	UserID   string `json:"user_id"`
	Currency string `json:"currency"`
	Nickname string `json:"nickname,omitempty"`
}

// IBAN is GET /v1/accounts/{id}/iban.
type IBAN struct {
	Object     string `json:"object"` // "iban"
	AccountID  string `json:"account_id"`
	IBAN       string `json:"iban"`
	BIC        string `json:"bic"`
	HolderName string `json:"account_holder_name"`
}

// SpendingLimit caps spending over an interval.
type SpendingLimit struct {
	Amount   int64  `json:"amount"`
	Interval string `json:"interval"`
}

// SpendingControls restrict where a card may be used.
type SpendingControls struct {
	AllowedCategories []string `json:"allowed_categories,omitempty"`
	BlockedCategories []string `json:"blocked_categories,omitempty"`
	AllowedCountries  []string `json:"allowed_countries,omitempty"`
	BlockedCountries  []string `json:"blocked_countries,omitempty"`
	AllowedMerchants  []string `json:"allowed_merchants,omitempty"`
}

// Card is a VaultsPay card. Status is inactive, active, frozen or
// terminated; physical cards start inactive, virtual cards active.
type Card struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"` // "card"
	UserID            string            `json:"user_id"`
	AccountID         string            `json:"account_id"`
	Type              string            `json:"type"`   // virtual, physical
	Status            string            `json:"status"` // inactive, active, frozen, terminated
	Brand             string            `json:"brand"`  // visa, mastercard
	Currency          string            `json:"currency"`
	LastFour          string            `json:"last_four"`
	ExpMonth          int               `json:"exp_month"`
	ExpYear           int               `json:"exp_year"`
	SpendingLimit     *SpendingLimit    `json:"spending_limit"`
	SpendingControls  SpendingControls  `json:"spending_controls"`
	Metadata          map[string]string `json:"metadata"`
	TerminationReason *string           `json:"termination_reason"`
	CreatedAt         string            `json:"created_at"`
	UpdatedAt         string            `json:"updated_at"`
}

// CardCreate is POST /v1/cards.
type CardCreate struct {
	UserID           string            `json:"user_id"`
	AccountID        string            `json:"account_id"`
	Type             string            `json:"type"`
	Brand            string            `json:"brand,omitempty"`
	SpendingLimit    *SpendingLimit    `json:"spending_limit,omitempty"`
	SpendingControls *SpendingControls `json:"spending_controls,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

// CardUpdate is PATCH /v1/cards/{id}. Metadata merges; an empty value
// removes a key.
type CardUpdate struct {
	SpendingLimit    *SpendingLimit    `json:"spending_limit,omitempty"`
	SpendingControls *SpendingControls `json:"spending_controls,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

// ConvertToPhysical is POST /v1/cards/{id}/convert_to_physical; without a
// shipping address the user's address is used.
type ConvertToPhysical struct {
	ShippingAddress *Address `json:"shipping_address,omitempty"`
}

// PINToken answers POST /v1/cards/{id}/pin/tokens: single use, 5 minutes.
type PINToken struct {
	Object    string `json:"object"` // "pin_token"
	CardID    string `json:"card_id"`
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// PINSet is POST /v1/cards/{id}/pin.
type PINSet struct {
	PINToken string `json:"pin_token"`
	PIN      string `json:"pin"` // 4 digits
}

// PINResult answers a PIN change.
type PINResult struct {
	Object    string `json:"object"` // "card_pin"
	CardID    string `json:"card_id"`
	UpdatedAt string `json:"updated_at"`
}

// RevealRequest is POST /v1/cards/{id}/reveal; the reason is required.
type RevealRequest struct {
	Reason string `json:"reason"`
}

// CardDetails answers a reveal.
type CardDetails struct {
	Object   string `json:"object"` // "card_details"
	CardID   string `json:"card_id"`
	Number   string `json:"number"`
	CVC      string `json:"cvc"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
}

// TerminateRequest is POST /v1/cards/{id}/terminate; the reason is one of
// lost, stolen, fraud, customer_request, other.
type TerminateRequest struct {
	Reason string `json:"reason"`
}

// Merchant is where a card was used.
type Merchant struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	MCC      string `json:"mcc"`
	City     string `json:"city"`
	Country  string `json:"country"`
}

// Decline is why an authorisation was refused.
type Decline struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Transaction is a card or account transaction. Status is pending,
// settled, declined, reversed or refunded; type is purchase, refund,
// atm_withdrawal or transfer.
type Transaction struct {
	ID        string    `json:"id"`
	Object    string    `json:"object"` // "transaction"
	AccountID string    `json:"account_id"`
	CardID    *string   `json:"card_id"`
	UserID    string    `json:"user_id"`
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency"`
	Status    string    `json:"status"`
	Type      string    `json:"type"`
	Merchant  *Merchant `json:"merchant"`
	Decline   *Decline  `json:"decline"`
	CreatedAt string    `json:"created_at"`
	SettledAt *string   `json:"settled_at"`
}

// Decline codes VaultsPay sends.
const (
	DeclineCardFrozen      = "card_frozen"
	DeclineCardTerminated  = "card_terminated"
	DeclineCardExpired     = "card_expired"
	DeclineCardInactive    = "card_inactive"
	DeclineInsufficient    = "insufficient_funds"
	DeclineLimitExceeded   = "limit_exceeded"
	DeclineMCCBlocked      = "mcc_blocked"
	DeclineCountryBlocked  = "country_blocked"
	DeclineMerchantBlocked = "merchant_blocked"
	DeclineInvalidCVC      = "invalid_cvc"
	DeclineInvalidPIN      = "invalid_pin"
	DeclineInvalidExpiry   = "invalid_expiry"
	DeclineFraudSuspected  = "fraud_suspected"
	DeclineSystemError     = "system_error"
)

// WebhookEndpoint is a registered receiver. Secret is present only in the
// answers to create and rotate.
type WebhookEndpoint struct {
	ID            string   `json:"id"`
	Object        string   `json:"object"` // "webhook_endpoint"
	URL           string   `json:"url"`
	Description   string   `json:"description,omitempty"`
	EnabledEvents []string `json:"enabled_events"` // ["*"] for all
	Status        string   `json:"status"`         // enabled, disabled
	Secret        string   `json:"secret,omitempty"`
	CreatedAt     string   `json:"created_at"`
	UpdatedAt     string   `json:"updated_at"`
}

// WebhookEndpointCreate is POST /v1/webhooks/endpoints.
type WebhookEndpointCreate struct {
	URL           string   `json:"url"`
	Description   string   `json:"description,omitempty"`
	EnabledEvents []string `json:"enabled_events,omitempty"`
}

// WebhookEndpointUpdate is PATCH /v1/webhooks/endpoints/{id}.
type WebhookEndpointUpdate struct {
	URL           *string  `json:"url,omitempty"`
	Description   *string  `json:"description,omitempty"`
	EnabledEvents []string `json:"enabled_events,omitempty"`
	Status        *string  `json:"status,omitempty"`
}

// RotateSecret is POST /v1/webhooks/endpoints/{id}/rotate: the previous
// secret keeps signing alongside the new one for the grace period (default
// 24 hours, 0 to drop it at once).
type RotateSecret struct {
	ExpirePreviousInSeconds *int `json:"expire_previous_in_seconds,omitempty"`
}

// TestWebhook is POST /v1/webhooks/endpoints/{id}/test, answered with the
// Delivery it queued for that endpoint.
type TestWebhook struct {
	EventType string `json:"event_type,omitempty"` // default webhook.test
}

// Redeliver is POST /v1/webhooks/events/{event_id}/redeliver; without an
// endpoint every subscribed endpoint gets it again. It is answered with a
// List of the Deliveries it queued (has_more false, no cursors).
type Redeliver struct {
	EndpointID string `json:"endpoint_id,omitempty"`
}

// Delivery is one event's delivery to one endpoint.
type Delivery struct {
	ID             string  `json:"id"`
	Object         string  `json:"object"` // "webhook_delivery"
	EndpointID     string  `json:"endpoint_id"`
	EventID        string  `json:"event_id"`
	EventType      string  `json:"event_type"`
	Status         string  `json:"status"` // pending, succeeded, failed
	Attempts       int     `json:"attempts"`
	LastStatusCode *int    `json:"last_status_code"`
	LastError      *string `json:"last_error"`
	NextAttemptAt  *string `json:"next_attempt_at"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
}

// Ping answers GET /v1/ping.
type Ping struct {
	Object   string `json:"object"` // "ping"
	OK       bool   `json:"ok"`
	Livemode bool   `json:"livemode"`
	Time     string `json:"time"`
}

// Event is a webhook payload, after the Standard Webhooks convention: the
// object the event is about is data itself.
type Event struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Timestamp  string    `json:"timestamp"`
	APIVersion string    `json:"api_version"`
	Data       RawObject `json:"data"`
}

// Event types VaultsPay sends.
const (
	EventUserCreated    = "user.created"
	EventUserUpdated    = "user.updated"
	EventUserDeleted    = "user.deleted"
	EventUserKYCUpdated = "user.kyc.updated"
	EventAccountCreated = "account.created"
	EventAccountClosed  = "account.closed"
	EventCardCreated    = "card.created"
	EventCardActivated  = "card.activated"
	EventCardUpdated    = "card.updated"
	EventCardConverted  = "card.converted_to_physical"
	EventCardFrozen     = "card.frozen"
	EventCardUnfrozen   = "card.unfrozen"
	EventCardTerminated = "card.terminated"
	EventTxAuthorized   = "transaction.authorized"
	EventTxDeclined     = "transaction.declined"
	EventTxSettled      = "transaction.settled"
	EventTxReversed     = "transaction.reversed"
	EventTxRefunded     = "transaction.refunded"
	EventWebhookTest    = "webhook.test"
)

// RawObject is an undecoded JSON object.
type RawObject = json.RawMessage
