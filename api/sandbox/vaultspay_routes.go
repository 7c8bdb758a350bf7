package sandbox

import (
	"net/http"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// vaultspayRoutes registers every endpoint of VaultsPay's resource index
// but the webhook endpoints (vaultspay_webhooks.go).
func (s *Server) vaultspayRoutes(t *routeTable) {
	r := t.face(vaultspay.Provider)
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	page := vpPageQuery()
	txq := withQuery(page, txFilterQuery()...)

	r.handle(post, "/users", vpCreateUser)
	r.handle(get, "/users", vpListUsers, withQuery(page, "query", "email", "phone", "kyc_status"))
	r.handle(get, "/users/{id}", vpGetUser)
	r.handle(patch, "/users/{id}", vpUpdateUser)
	r.handle(del, "/users/{id}", vpDeleteUser)
	r.handle(post, "/users/{id}/kyc_sessions", vpCreateKYCSession)
	r.handle(get, "/users/{id}/kyc_sessions/{session_id}", vpGetKYCSession)
	r.handle(post, "/users/{id}/documents", vpUploadDocument)

	r.handle(post, "/accounts", vpCreateAccount)
	r.handle(get, "/accounts", vpListAccounts, withQuery(page, "user_id", "currency", "status"))
	r.handle(get, "/accounts/{id}", vpGetAccount)
	r.handle(get, "/accounts/{id}/balance", vpGetBalance)
	r.handle(get, "/accounts/{id}/transactions", vpAccountTransactions, txq)
	r.handle(get, "/accounts/{id}/iban", vpGetIBAN)
	r.handle(post, "/accounts/{id}/close", vpCloseAccount)

	r.handle(post, "/cards", vpCreateCard)
	r.handle(get, "/cards", vpListCards, withQuery(page, "user_id", "account_id", "status", "type", "last_four"))
	r.handle(get, "/cards/{id}", vpGetCard)
	r.handle(patch, "/cards/{id}", vpUpdateCard)
	r.handle(post, "/cards/{id}/convert_to_physical", vpConvertCard)
	r.handle(post, "/cards/{id}/activate", cardStateChange((*issuer).activate, vpCard))
	r.handle(post, "/cards/{id}/freeze", cardStateChange((*issuer).freeze, vpCard))
	r.handle(post, "/cards/{id}/unfreeze", cardStateChange((*issuer).unfreeze, vpCard))
	r.handle(post, "/cards/{id}/pin/tokens", vpCreatePINToken)
	r.handle(post, "/cards/{id}/pin", vpSetPIN)
	r.handle(post, "/cards/{id}/reveal", vpRevealCard)
	r.handle(post, "/cards/{id}/terminate", vpTerminateCard)
	r.handle(get, "/cards/{id}/transactions", vpCardTransactions, txq)

	r.handle(get, "/ping", vpPing)
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
