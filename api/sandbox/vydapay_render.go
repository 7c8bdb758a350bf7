package sandbox

import (
	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Rendering the book into Vydapay's wire shapes. Called under the lock.

func vyCardholder(u *user) vydapay.Cardholder {
	out := vydapay.Cardholder{
		ID: u.id, Object: "cardholder", Email: u.email, Name: vydapay.Name{FirstName: u.first, LastName: u.last},
		Phone: u.phone, Status: "active", Metadata: metadataOf(u.metadata),
		CreatedAt: stamp(u.created), UpdatedAt: stamp(u.updated),
	}
	if a := u.addr; a != nil {
		out.BillingAddress = &vydapay.Address{Line1: a.line1, Line2: a.line2, City: a.city, PostalCode: a.postal, Country: a.country}
	}
	return out
}

// vyCardStatus: Vydapay calls a terminated card cancelled.
func vyCardStatus(s api.CardStatus) string {
	if s == api.CardTerminated {
		return "cancelled"
	}
	return string(s)
}

func vyCard(c *card) vydapay.Card {
	out := vydapay.Card{
		ID: c.id, Object: "card", Type: string(c.typ), Status: vyCardStatus(c.status), Currency: c.currency,
		CardholderID: c.userID, LastFour: c.lastFour(), ExpMonth: c.expMonth, ExpYear: c.expYear, Brand: c.brand,
		SpendingControls: vydapay.SpendingControls{
			AllowedCategories: c.controls.allowedCategories, BlockedCategories: c.controls.blockedCategories,
			AllowedCountries: c.controls.allowedCountries, BlockedCountries: c.controls.blockedCountries,
			AllowedMerchants: c.controls.allowedMerchants,
		},
		Metadata: metadataOf(c.metadata), CreatedAt: stamp(c.created), UpdatedAt: stamp(c.updated),
	}
	if c.limit != nil {
		out.SpendingLimit = &vydapay.SpendingLimit{Amount: c.limit.amount, Interval: string(c.limit.interval)}
	}
	return out
}

// vyTxStatus: Vydapay calls a settled transaction completed.
func vyTxStatus(s api.TxStatus) string {
	if s == api.TxSettled {
		return "completed"
	}
	return string(s)
}

// vyTx renders a transaction as the reference shows one: a declined one
// carries no reason, as Vydapay documents none.
func vyTx(t *tx) vydapay.Transaction {
	out := vydapay.Transaction{
		ID: t.id, Object: "transaction", Amount: t.amount, Currency: t.currency, Status: vyTxStatus(t.status),
		Type: string(t.typ), CardID: t.cardID, CardholderID: t.userID, CreatedAt: stamp(t.created),
	}
	if m := t.merchant; m != nil {
		out.Merchant = vydapay.Merchant{ID: m.ID, Name: m.Name, Category: m.Category, CategoryCode: m.MCC, City: m.City, Country: m.Country}
	}
	if t.receipt != nil {
		out.Receipt = &vydapay.ReceiptRef{ID: t.receipt.id, Status: t.receipt.status}
	}
	return out
}

func vyReceipt(r *receipt) vydapay.Receipt {
	return vydapay.Receipt{
		ID: r.id, Object: "receipt", TransactionID: r.txID, Status: r.status, Filename: r.filename,
		Size: r.size, CreatedAt: stamp(r.created),
	}
}

func vyBalance(available, pending int64) vydapay.Balance {
	return vydapay.Balance{
		Object:    "balance",
		Available: vydapay.Amount{Amount: available, Currency: programCurrency},
		Pending:   vydapay.Amount{Amount: pending, Currency: programCurrency},
	}
}
