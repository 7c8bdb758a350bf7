package sandbox

import (
	"net/http"
	"slices"

	"github.com/carddesk/carddesk/api/vydapay"
)

// vydapayRoutes registers Vydapay's endpoints, as documented and as its
// dialect decided where the reference implies them.
func (s *Server) vydapayRoutes(t *routeTable) {
	r := t.face(vydapay.Provider)
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	page := vyPageQuery()
	r.handle(post, "/cards", vyCreateCard)
	r.handle(get, "/cards", vyListCards, withQuery(page, "cardholder_id", "status", "type", "created_after", "created_before"))
	r.handle(get, "/cards/{id}", vyGetCard)
	r.handle(patch, "/cards/{id}", vyUpdateCard)
	r.handle(post, "/cards/{id}/freeze", cardStateChange((*issuer).freeze, vyCard))
	r.handle(post, "/cards/{id}/unfreeze", cardStateChange((*issuer).unfreeze, vyCard))
	r.handle(post, "/cards/{id}/cancel", vyCancelCard)

	r.handle(post, "/cardholders", vyCreateCardholder)
	r.handle(get, "/cardholders", vyListCardholders, withQuery(page, "email"))
	r.handle(get, "/cardholders/{id}", vyGetCardholder)

	r.handle(get, "/transactions", vyListTransactions, withQuery(slices.Concat(page, txFilterQuery()), "card_id", "cardholder_id"))
	r.handle(get, "/transactions/{id}", vyGetTransaction)
	r.handle(post, "/transactions/{id}/receipt", vyAttachReceipt, multipartBody)

	r.handle(get, "/account/balance", vyGetBalance)
}

func vyGetBalance(c *call) (int, any, *apiError) {
	return http.StatusOK, vyBalance(c.iss.programAvailable, c.iss.programPending), nil
}
