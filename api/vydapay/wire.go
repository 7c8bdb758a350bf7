package vydapay

import "encoding/json"

// The wire format, as the Vydapay reference gives it. Where the reference
// implies an endpoint without spelling it out (GET /v1/cards/:id, unfreeze,
// cancel, listing cardholders) the shape below is carddesk's decision,
// listed in the README. A declined transaction carries no reason in the
// reference, so none is read here: carddesk infers one above the dialect.

// Key prefixes.
const (
	TestKeyPrefix        = "sk_test_"
	LiveKeyPrefix        = "sk_live_"
	PublishableKeyPrefix = "pk_"
)

// SignatureHeader carries the lowercase hex HMAC-SHA256 of the raw body.
const SignatureHeader = "x-vydapay-signature"

// List is every list response.
type List[T any] struct {
	Object  string `json:"object"` // "list"
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

// ErrorBody is every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the documented error object.
type ErrorDetail struct {
	Type    string `json:"type"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	DocURL  string `json:"doc_url,omitempty"`
}

// Error types, as documented.
const (
	ErrTypeAPI            = "api_error"
	ErrTypeAuthentication = "authentication_error"
	ErrTypeInvalidRequest = "invalid_request_error"
	ErrTypeRateLimit      = "rate_limit_error"
	ErrTypeCard           = "card_error"
)

// DocURLBase prefixes an error code to give its doc_url.
const DocURLBase = "https://docs.vydapay.com/errors/"

// Name is a cardholder's name.
type Name struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// Address is a billing address.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"`
}

// Cardholder is an individual who can be assigned cards.
type Cardholder struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"` // "cardholder"
	Email          string            `json:"email"`
	Name           Name              `json:"name"`
	Phone          string            `json:"phone,omitempty"`
	BillingAddress *Address          `json:"billing_address,omitempty"`
	Status         string            `json:"status"` // active
	Metadata       map[string]string `json:"metadata"`
	CreatedAt      string            `json:"created_at"`
	UpdatedAt      string            `json:"updated_at"`
}

// CardholderCreate is POST /v1/cardholders.
type CardholderCreate struct {
	Email          string            `json:"email"`
	Name           Name              `json:"name"`
	Phone          string            `json:"phone,omitempty"`
	BillingAddress *Address          `json:"billing_address,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
}

// SpendingLimit caps spending over an interval: daily, weekly, monthly,
// yearly, per_transaction or all_time.
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

// Card is the documented card object. Status is active, frozen or cancelled.
type Card struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"` // "card"
	Type             string            `json:"type"`
	Status           string            `json:"status"`
	Currency         string            `json:"currency"`
	CardholderID     string            `json:"cardholder_id"`
	LastFour         string            `json:"last_four"`
	ExpMonth         int               `json:"exp_month"`
	ExpYear          int               `json:"exp_year"`
	Brand            string            `json:"brand"`
	SpendingLimit    *SpendingLimit    `json:"spending_limit,omitempty"`
	SpendingControls SpendingControls  `json:"spending_controls"`
	Metadata         map[string]string `json:"metadata"`
	CreatedAt        string            `json:"created_at"`
	UpdatedAt        string            `json:"updated_at"`
}

// CardCreate is POST /v1/cards.
type CardCreate struct {
	Type             string            `json:"type"`
	Currency         string            `json:"currency"`
	CardholderID     string            `json:"cardholder_id"`
	SpendingLimit    *SpendingLimit    `json:"spending_limit,omitempty"`
	SpendingControls *SpendingControls `json:"spending_controls,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

// CardUpdate is PATCH /v1/cards/:id. Metadata merges key by key.
type CardUpdate struct {
	SpendingLimit    *SpendingLimit    `json:"spending_limit,omitempty"`
	SpendingControls *SpendingControls `json:"spending_controls,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
}

// CancelRequest is POST /v1/cards/:id/cancel; the reason is optional.
type CancelRequest struct {
	Reason string `json:"reason,omitempty"`
}

// Merchant is where a card was used.
type Merchant struct {
	ID           string `json:"id,omitempty"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	CategoryCode string `json:"category_code"`
	City         string `json:"city"`
	Country      string `json:"country"`
}

// ReceiptRef is a transaction's receipt, when one is attached.
type ReceiptRef struct {
	ID     string `json:"id"`
	Status string `json:"status"` // processing, matched
}

// Transaction is the documented transaction object. Status is pending,
// completed, declined or refunded; type purchase, refund or atm_withdrawal.
type Transaction struct {
	ID           string      `json:"id"`
	Object       string      `json:"object"` // "transaction"
	Amount       int64       `json:"amount"`
	Currency     string      `json:"currency"`
	Status       string      `json:"status"`
	Type         string      `json:"type"`
	CardID       string      `json:"card_id"`
	CardholderID string      `json:"cardholder_id"`
	Merchant     Merchant    `json:"merchant"`
	Receipt      *ReceiptRef `json:"receipt"`
	CreatedAt    string      `json:"created_at"`
}

// ReceiptCreate is POST /v1/transactions/:id/receipt as JSON (the
// reference also allows a multipart "file" upload).
type ReceiptCreate struct {
	FileBase64 string `json:"file_base64"`
	Filename   string `json:"filename,omitempty"`
}

// Receipt answers a receipt upload.
type Receipt struct {
	ID            string `json:"id"`
	Object        string `json:"object"` // "receipt"
	TransactionID string `json:"transaction_id"`
	Status        string `json:"status"` // processing, matched
	Filename      string `json:"filename,omitempty"`
	Size          int    `json:"size"`
	CreatedAt     string `json:"created_at"`
}

// Amount is an amount with its currency.
type Amount struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Balance is GET /v1/account/balance.
type Balance struct {
	Object    string `json:"object"` // "balance"
	Available Amount `json:"available"`
	Pending   Amount `json:"pending"`
}

// Event is the documented webhook payload.
type Event struct {
	ID        string    `json:"id"`
	Object    string    `json:"object"` // "event"
	Type      string    `json:"type"`
	CreatedAt string    `json:"created_at"`
	Data      EventData `json:"data"`
}

// EventData wraps the object the event is about.
type EventData struct {
	Object json.RawMessage `json:"object"`
}

// Event types, as documented.
const (
	EventTxCreated      = "transaction.created"
	EventTxCompleted    = "transaction.completed"
	EventTxDeclined     = "transaction.declined"
	EventTxRefunded     = "transaction.refunded"
	EventCardCreated    = "card.created"
	EventCardFrozen     = "card.frozen"
	EventCardUnfrozen   = "card.unfrozen"
	EventCardCancelled  = "card.cancelled"
	EventReceiptMatched = "receipt.matched"
	EventLimitReached   = "spending_limit.reached"
)
