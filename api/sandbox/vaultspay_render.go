package sandbox

import (
	"maps"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// Rendering the book into VaultsPay's wire shapes. Called under the lock.

func vpAddress(a *address) *vaultspay.Address {
	if a == nil {
		return nil
	}
	return &vaultspay.Address{Line1: a.line1, Line2: a.line2, City: a.city, PostalCode: a.postal, Country: a.country}
}

func metadataOf(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	maps.Copy(out, m)
	return out
}

func vpUser(u *user) vaultspay.User {
	kyc := vaultspay.KYC{Status: u.kyc, UpdatedAt: stampPtr(u.kycUpdated)}
	if u.kycSession != "" {
		id := u.kycSession
		kyc.SessionID = &id
	}
	return vaultspay.User{
		ID: u.id, Object: "user", FirstName: u.first, LastName: u.last, Email: u.email, Phone: u.phone,
		DateOfBirth: u.dob, Address: vpAddress(u.addr), KYC: kyc, Metadata: metadataOf(u.metadata),
		CreatedAt: stamp(u.created), UpdatedAt: stamp(u.updated),
	}
}

func vpBalance(a *account) vaultspay.Balance {
	return vaultspay.Balance{Object: "balance", AccountID: a.id, Currency: a.currency, Available: a.available, Pending: a.pending}
}

func vpAccount(a *account) vaultspay.Account {
	return vaultspay.Account{
		ID: a.id, Object: "account", UserID: a.userID, Currency: a.currency, Status: a.status, Nickname: a.nickname,
		Balance: vpBalance(a), CreatedAt: stamp(a.created), UpdatedAt: stamp(a.updated),
	}
}

func vpControls(c controls) vaultspay.SpendingControls {
	return vaultspay.SpendingControls{
		AllowedCategories: c.allowedCategories, BlockedCategories: c.blockedCategories,
		AllowedCountries: c.allowedCountries, BlockedCountries: c.blockedCountries,
		AllowedMerchants: c.allowedMerchants,
	}
}

func vpCard(c *card) vaultspay.Card {
	out := vaultspay.Card{
		ID: c.id, Object: "card", UserID: c.userID, AccountID: c.accountID, Type: string(c.typ),
		Status: string(c.status), Brand: c.brand, Currency: c.currency, LastFour: c.lastFour(),
		ExpMonth: c.expMonth, ExpYear: c.expYear, SpendingControls: vpControls(c.controls),
		Metadata: metadataOf(c.metadata), CreatedAt: stamp(c.created), UpdatedAt: stamp(c.updated),
	}
	if c.limit != nil {
		out.SpendingLimit = &vaultspay.SpendingLimit{Amount: c.limit.amount, Interval: string(c.limit.interval)}
	}
	if c.termReason != "" {
		r := c.termReason
		out.TerminationReason = &r
	}
	return out
}

func vpMerchant(m *Merchant) *vaultspay.Merchant {
	if m == nil {
		return nil
	}
	return &vaultspay.Merchant{ID: m.ID, Name: m.Name, Category: m.Category, MCC: m.MCC, City: m.City, Country: m.Country}
}

func vpTx(t *tx) vaultspay.Transaction {
	out := vaultspay.Transaction{
		ID: t.id, Object: "transaction", AccountID: t.accountID, UserID: t.userID, Amount: t.amount,
		Currency: t.currency, Status: string(t.status), Type: string(t.typ), Merchant: vpMerchant(t.merchant),
		CreatedAt: stamp(t.created), SettledAt: stampPtr(t.settled),
	}
	if t.cardID != "" {
		id := t.cardID
		out.CardID = &id
	}
	if t.status == api.TxDeclined {
		out.Decline = &vaultspay.Decline{Code: t.declineCode, Message: t.declineMsg}
	}
	return out
}

func vpSession(k *kycSession) vaultspay.KYCSession {
	return vaultspay.KYCSession{
		ID: k.id, Object: "kyc_session", UserID: k.userID, Status: k.status,
		URL: "https://verify.vaultspay.ae/sessions/" + k.id, CreatedAt: stamp(k.created), UpdatedAt: stamp(k.updated),
	}
}

func vpDocument(d *document) vaultspay.Document {
	return vaultspay.Document{
		ID: d.id, Object: "document", UserID: d.userID, Type: d.typ, Filename: d.filename, Size: d.size,
		Status: "received", CreatedAt: stamp(d.created),
	}
}
