package sandbox

import (
	"net/http"
	"slices"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// vaultspayRoutes registers every endpoint of VaultsPay's resource index
// but the webhook endpoints (vaultspay_webhooks.go).
func (s *Server) vaultspayRoutes(t *routeTable) {
	const p = vaultspay.Provider
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	page := vpPageQuery()
	txq := withQuery(slices.Concat(page, txFilterQuery())...)

	t.handle(p, post, "/users", vpCreateUser)
	t.handle(p, get, "/users", vpListUsers, withQuery(slices.Concat(page, []string{"query", "email", "phone", "kyc_status"})...))
	t.handle(p, get, "/users/{id}", vpGetUser)
	t.handle(p, patch, "/users/{id}", vpUpdateUser)
	t.handle(p, del, "/users/{id}", vpDeleteUser)
	t.handle(p, post, "/users/{id}/kyc_sessions", vpCreateKYCSession)
	t.handle(p, get, "/users/{id}/kyc_sessions/{session_id}", vpGetKYCSession)
	t.handle(p, post, "/users/{id}/documents", vpUploadDocument)

	t.handle(p, post, "/accounts", vpCreateAccount)
	t.handle(p, get, "/accounts", vpListAccounts, withQuery(slices.Concat(page, []string{"user_id", "currency", "status"})...))
	t.handle(p, get, "/accounts/{id}", vpGetAccount)
	t.handle(p, get, "/accounts/{id}/balance", vpGetBalance)
	t.handle(p, get, "/accounts/{id}/transactions", vpAccountTransactions, txq)
	t.handle(p, get, "/accounts/{id}/iban", vpGetIBAN)
	t.handle(p, post, "/accounts/{id}/close", vpCloseAccount)

	t.handle(p, post, "/cards", vpCreateCard)
	t.handle(p, get, "/cards", vpListCards, withQuery(slices.Concat(page, []string{"user_id", "account_id", "status", "type", "last_four"})...))
	t.handle(p, get, "/cards/{id}", vpGetCard)
	t.handle(p, patch, "/cards/{id}", vpUpdateCard)
	t.handle(p, post, "/cards/{id}/convert_to_physical", vpConvertCard)
	t.handle(p, post, "/cards/{id}/activate", vpActivateCard)
	t.handle(p, post, "/cards/{id}/freeze", vpFreezeCard)
	t.handle(p, post, "/cards/{id}/unfreeze", vpUnfreezeCard)
	t.handle(p, post, "/cards/{id}/pin/tokens", vpCreatePINToken)
	t.handle(p, post, "/cards/{id}/pin", vpSetPIN)
	t.handle(p, post, "/cards/{id}/reveal", vpRevealCard)
	t.handle(p, post, "/cards/{id}/terminate", vpTerminateCard)
	t.handle(p, get, "/cards/{id}/transactions", vpCardTransactions, txq)

	t.handle(p, get, "/ping", vpPing)
}

func vpPing(c *call) (int, any, *apiError) {
	return http.StatusOK, vaultspay.Ping{Object: "ping", OK: true, Livemode: c.key.live, Time: stamp(c.iss.now())}, nil
}

// liveUser is a user that has not been deleted.
func (iss *issuer) liveUser(id string) (*user, bool) {
	u, ok := iss.users.get(id)
	if !ok || u.deleted {
		return nil, false
	}
	return u, true
}

func (c *call) user(id, param string) (*user, *apiError) {
	u, ok := c.iss.liveUser(id)
	if !ok {
		kind := "user"
		if !c.iss.vaultspay() {
			kind = "cardholder"
		}
		return nil, errNotFound(kind, id, param)
	}
	return u, nil
}

func (c *call) account(id, param string) (*account, *apiError) {
	a, ok := c.iss.accounts.get(id)
	if !ok {
		return nil, errNotFound("account", id, param)
	}
	return a, nil
}

func (c *call) card(id, param string) (*card, *apiError) {
	cd, ok := c.iss.cards.get(id)
	if !ok {
		return nil, errNotFound("card", id, param)
	}
	return cd, nil
}
