package api

import "time"

// KYCState is where a user stands in identity verification.
type KYCState string

// KYC states, normalised across providers.
const (
	KYCNotStarted KYCState = "not_started"
	KYCPending    KYCState = "pending"
	KYCVerified   KYCState = "verified"
	KYCRejected   KYCState = "rejected"
	KYCUnknown    KYCState = "unknown"
)

// User is a cardholder: a VaultsPay user or a Vydapay cardholder.
type User struct {
	ID        string            `json:"id"`
	FirstName string            `json:"first_name"`
	LastName  string            `json:"last_name"`
	Email     string            `json:"email"`
	Phone     string            `json:"phone,omitempty"`
	KYC       KYCState          `json:"kyc"`
	Address   *Address          `json:"address,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Name is the user's full name as an agent would read it out.
func (u User) Name() string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"`
}

// AccountStatus is an account's lifecycle state.
type AccountStatus string

// Account states.
const (
	AccountActive AccountStatus = "active"
	AccountClosed AccountStatus = "closed"
)

// Account holds a user's money in one currency.
type Account struct {
	ID        string        `json:"id"`
	UserID    string        `json:"user_id"`
	Currency  string        `json:"currency"`
	Status    AccountStatus `json:"status"`
	Available Money         `json:"available"`
	Pending   Money         `json:"pending"`
	IBAN      string        `json:"iban,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
}

// Balance is money available and pending, for an account or a whole program.
type Balance struct {
	Available Money `json:"available"`
	Pending   Money `json:"pending"`
}
