package sandbox

import (
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func checkCurrency(cur, param string, supported []string) *apiError {
	if cur == "" {
		return errMissing(param)
	}
	if !contains(supported, cur) {
		return errInvalid(codeParamInvalid, param, "Invalid %s %q: supported currencies are %s.", param, clip(cur, 10), strings.Join(supported, ", "))
	}
	return nil
}

func vpCreateAccount(c *call) (int, any, *apiError) {
	var in vaultspay.AccountCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if in.UserID == "" {
		return 0, nil, errMissing("user_id")
	}
	if e := checkCurrency(in.Currency, "currency", vaultspayCurrencies()); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Nickname, "nickname", false); e != nil {
		return 0, nil, e
	}
	u, e := c.user(in.UserID, "user_id")
	if e != nil {
		return 0, nil, e
	}
	if u.kyc == "rejected" {
		return 0, nil, errUnprocessable(codeKYCRequired, "user_id", "User %s failed KYC and cannot open an account.", u.id)
	}
	iss := c.iss
	now := iss.now()
	a := &account{
		id: iss.newID("acc_", iss.accountTaken), userID: u.id, currency: in.Currency, status: "active",
		nickname: in.Nickname, iban: iban(iss.rng), created: now, updated: now,
	}
	iss.accounts.add(a)
	out := vpAccount(a)
	iss.emit(vaultspay.EventAccountCreated, out)
	return http.StatusCreated, out, nil
}

func vpListAccounts(c *call) (int, any, *apiError) {
	q := c.q
	status, e := q.enum("status", "active", "closed")
	if e != nil {
		return 0, nil, e
	}
	cur := q.get("currency")
	if cur != "" {
		if e := checkCurrency(cur, "currency", vaultspayCurrencies()); e != nil {
			return 0, nil, e
		}
	}
	userID := q.get("user_id")
	match := func(a *account) bool {
		return (userID == "" || a.userID == userID) && (cur == "" || a.currency == cur) && (status == "" || a.status == status)
	}
	return vpList(c, c.iss.accounts.order, c.iss.accounts.get, match, vpAccount)
}

func vpGetAccount(c *call) (int, any, *apiError) {
	a, e := c.account(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vpAccount(a), nil
}

func vpGetBalance(c *call) (int, any, *apiError) {
	a, e := c.account(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vpBalance(a), nil
}

func vpGetIBAN(c *call) (int, any, *apiError) {
	a, e := c.account(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	holder := ""
	if u, ok := c.iss.users.get(a.userID); ok {
		holder = u.first + " " + u.last
	}
	return http.StatusOK, vaultspay.IBAN{Object: "iban", AccountID: a.id, IBAN: a.iban, BIC: "VAPYAEADXXX", HolderName: holder}, nil
}

func vpAccountTransactions(c *call) (int, any, *apiError) {
	a, e := c.account(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return vpTxList(c, c.iss.acctTx[a.id])
}

// vpTxList lists transactions of base with VaultsPay's filters.
func vpTxList(c *call, base []*tx) (int, any, *apiError) {
	f, e := readTxFilter(c.q, []string{"pending", "settled", "declined", "reversed", "refunded"},
		[]string{"purchase", "refund", "atm_withdrawal", "transfer"})
	if e != nil {
		return 0, nil, e
	}
	lookup := func(id string) (*tx, bool) {
		t, ok := c.iss.txs.get(id)
		return t, ok
	}
	return vpList(c, base, lookup, f.match, vpTx)
}

func vpCloseAccount(c *call) (int, any, *apiError) {
	a, e := c.account(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in struct{}
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if a.status == "closed" {
		return 0, nil, errConflict(typeInvalid, codeAccountClosed, "Account %s is already closed.", a.id)
	}
	if a.available != 0 || a.pending != 0 {
		return 0, nil, errConflict(typeInvalid, codeAccountNotEmpty,
			"Account %s holds a balance (available %s, pending %s); it can be closed only when both are zero.", a.id,
			api.Money{Amount: a.available, Currency: a.currency}, api.Money{Amount: a.pending, Currency: a.currency})
	}
	a.status, a.updated = "closed", c.iss.now()
	out := vpAccount(a)
	c.iss.emit(vaultspay.EventAccountClosed, out)
	return http.StatusOK, out, nil
}
