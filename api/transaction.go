package api

import "time"

// TxStatus is a transaction's normalised state.
type TxStatus string

// Transaction states (Vydapay "completed" is Settled).
const (
	TxPending  TxStatus = "pending"
	TxSettled  TxStatus = "settled"
	TxDeclined TxStatus = "declined"
	TxRefunded TxStatus = "refunded"
	TxReversed TxStatus = "reversed"
)

// TxType is what kind of movement a transaction is.
type TxType string

// Transaction types.
const (
	TxPurchase TxType = "purchase"
	TxRefund   TxType = "refund"
	TxATM      TxType = "atm_withdrawal"
	TxTransfer TxType = "transfer"
)

// Merchant is where a card was used.
type Merchant struct {
	ID       string `json:"id,omitempty"`
	Name     string `json:"name"`
	Category string `json:"category"`
	MCC      string `json:"mcc"`
	City     string `json:"city"`
	Country  string `json:"country"`
}

// Transaction is one card authorisation, settlement, refund or withdrawal.
type Transaction struct {
	ID        string   `json:"id"`
	CardID    string   `json:"card_id"`
	UserID    string   `json:"user_id"`
	AccountID string   `json:"account_id,omitempty"`
	Amount    Money    `json:"amount"`
	Status    TxStatus `json:"status"`
	Type      TxType   `json:"type"`
	Merchant  Merchant `json:"merchant"`
	// Decline is set on declined transactions: the normalised reason, and
	// the provider's own code and words for it.
	Decline   *Decline  `json:"decline,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Decline explains why an authorisation was refused. A dialect fills it
// with what the provider said: Reason is the normalised reason of Code
// (DeclineOther for a code carddesk does not know, DeclineNotGiven when
// there is none). ExplainDecline fills Inferred and Basis when carddesk,
// not the provider, names the reason.
type Decline struct {
	Reason DeclineReason `json:"reason"`
	// Code and Message are the provider's own words, kept as sent.
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
	// Inferred says the reason is carddesk's inference from the card, not
	// the provider's word; Basis says from what, in words for an agent.
	Inferred bool   `json:"inferred,omitempty"`
	Basis    string `json:"basis,omitempty"`
}
