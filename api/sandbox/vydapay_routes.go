package sandbox

import (
	"net/http"
	"slices"

	"github.com/carddesk/carddesk/api/vydapay"
)

// vydapayRoutes registers Vydapay's endpoints, as documented and as its
// dialect decided where the reference implies them.
func (s *Server) vydapayRoutes(t *routeTable) {
	const p = vydapay.Provider
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	page := vyPageQuery()
	t.handle(p, post, "/cards", vyCreateCard)
	t.handle(p, get, "/cards", vyListCards, withQuery(slices.Concat(page, []string{"cardholder_id", "status", "type", "created_after", "created_before"})...))
	t.handle(p, get, "/cards/{id}", vyGetCard)
	t.handle(p, patch, "/cards/{id}", vyUpdateCard)
	t.handle(p, post, "/cards/{id}/freeze", vyFreezeCard)
	t.handle(p, post, "/cards/{id}/unfreeze", vyUnfreezeCard)
	t.handle(p, post, "/cards/{id}/cancel", vyCancelCard)

	t.handle(p, post, "/cardholders", vyCreateCardholder)
	t.handle(p, get, "/cardholders", vyListCardholders, withQuery(slices.Concat(page, []string{"email"})...))
	t.handle(p, get, "/cardholders/{id}", vyGetCardholder)

	t.handle(p, get, "/transactions", vyListTransactions, withQuery(slices.Concat(page, []string{"card_id", "cardholder_id"}, txFilterQuery())...))
	t.handle(p, get, "/transactions/{id}", vyGetTransaction)
	t.handle(p, post, "/transactions/{id}/receipt", vyAttachReceipt, multipartBody)

	t.handle(p, get, "/account/balance", vyGetBalance)
}

func vyGetBalance(c *call) (int, any, *apiError) {
	return http.StatusOK, vyBalance(c.iss.programAvailable, c.iss.programPending), nil
}
