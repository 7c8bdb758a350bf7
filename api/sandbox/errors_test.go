package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// TestErrorFamilies sends one request of every error family to each
// provider and checks the status and the provider's error shape.
func TestErrorFamilies(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 50})
	base := serve(t, s)
	cfg := s.Config()
	terminatedVP := testCard(t, s, vp, func(c *card) { c.status = "terminated" })
	terminatedVY := testCard(t, s, vy, func(c *card) { c.status = "terminated" })
	activeVP := testCard(t, s, vp, nil)
	var noAddress string
	for _, u := range s.vy.users.order {
		if u.addr == nil {
			noAddress = u.id
			break
		}
	}
	var closed *account
	for _, a := range s.vp.accounts.order {
		if a.status == "closed" {
			closed = a
			break
		}
	}
	user := s.vp.users.order[0].id
	meta21 := map[string]string{}
	for i := range 21 {
		meta21[fmt.Sprintf("k%d", i)] = "v"
	}
	big := `{"first_name":"` + strings.Repeat("x", maxBody) + `"}`

	type tc struct {
		name     string
		provider string
		method   string
		path     string
		key      string
		body     any
		headers  []string
		status   int
		typ      string
		code     string
		param    string
	}
	vpKey, roKey, vyKey, pkKey := cfg.VaultsPayKey, cfg.VaultsPayReadOnlyKey, cfg.VydapayKey, cfg.VydapayPublishableKey
	cases := []tc{
		// 400
		{"malformed JSON", vp, "POST", "/users", vpKey, `{"first_name":`, nil, 400, typeInvalid, codeBodyInvalid, ""},
		{"malformed JSON", vy, "POST", "/cards", vyKey, `{"type":"virtual",}`, nil, 400, typeInvalid, codeBodyInvalid, ""},
		{"not an object", vy, "POST", "/cards", vyKey, `[1,2]`, nil, 400, typeInvalid, codeBodyInvalid, ""},
		{"trailing data", vp, "POST", "/users", vpKey, `{} {}`, nil, 400, typeInvalid, codeBodyInvalid, ""},
		{"unknown field", vp, "POST", "/users", vpKey, `{"first_name":"A","nickname":"x"}`, nil, 400, typeInvalid, codeParamUnknown, "nickname"},
		{"unknown nested field", vy, "POST", "/cards", vyKey, `{"type":"virtual","spending_limit":{"amount":1,"interval":"daily","cap":2}}`, nil, 400, typeInvalid, codeParamUnknown, "spending_limit.cap"},
		{"field names are exact", vy, "POST", "/cardholders", vyKey, `{"Email":"a@b.co"}`, nil, 400, typeInvalid, codeParamUnknown, "Email"},
		{"wrong type", vp, "POST", "/cards", vpKey, `{"user_id":"u","account_id":"a","type":"virtual","spending_limit":{"amount":"100","interval":"daily"}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_limit.amount"},
		{"wrong type in list", vy, "POST", "/cards", vyKey, `{"type":"virtual","spending_controls":{"blocked_countries":["RU",7]}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_controls.blocked_countries[1]"},
		{"fractional amount", vy, "POST", "/cards", vyKey, `{"type":"virtual","spending_limit":{"amount":1.5,"interval":"daily"}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_limit.amount"},
		{"missing param", vp, "POST", "/users", vpKey, `{"first_name":"A","last_name":"B"}`, nil, 400, typeInvalid, codeParamMissing, "email"},
		{"missing param", vy, "POST", "/cardholders", vyKey, `{"email":"a@b.co","name":{"first_name":"A"}}`, nil, 400, typeInvalid, codeParamMissing, "name.last_name"},
		{"missing reason", vp, "POST", "/cards/" + activeVP.id + "/reveal", vpKey, `{"reason":"  "}`, nil, 400, typeInvalid, codeParamMissing, "reason"},
		{"bad email", vp, "POST", "/users", vpKey, `{"first_name":"A","last_name":"B","email":"not-an-email"}`, nil, 400, typeInvalid, codeParamInvalid, "email"},
		{"bad phone", vy, "POST", "/cardholders", vyKey, `{"email":"a@b.co","name":{"first_name":"A","last_name":"B"},"phone":"07700 900123"}`, nil, 400, typeInvalid, codeParamInvalid, "phone"},
		{"unknown currency", vp, "POST", "/accounts", vpKey, `{"user_id":"` + user + `","currency":"XYZ"}`, nil, 400, typeInvalid, codeParamInvalid, "currency"},
		{"unsupported currency", vy, "POST", "/cards", vyKey, `{"type":"virtual","currency":"AED","cardholder_id":"ch_x"}`, nil, 400, typeInvalid, codeParamInvalid, "currency"},
		{"bad category", vy, "POST", "/cards", vyKey, `{"type":"virtual","currency":"GBP","cardholder_id":"ch_x","spending_controls":{"blocked_categories":["Gambling!"]}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_controls.blocked_categories"},
		{"bad interval", vy, "POST", "/cards", vyKey, `{"type":"virtual","currency":"GBP","cardholder_id":"ch_x","spending_limit":{"amount":100,"interval":"hourly"}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_limit.interval"},
		{"limit not positive", vp, "PATCH", "/cards/" + activeVP.id, vpKey, `{"spending_limit":{"amount":0,"interval":"daily"}}`, nil, 400, typeInvalid, codeParamInvalid, "spending_limit.amount"},
		{"metadata over 20 keys", vp, "PATCH", "/cards/" + activeVP.id, vpKey, map[string]any{"metadata": meta21}, nil, 400, typeInvalid, codeParamInvalid, "metadata"},
		{"bad termination reason", vp, "POST", "/cards/" + activeVP.id + "/terminate", vpKey, `{"reason":"bored"}`, nil, 400, typeInvalid, codeParamInvalid, "reason"},
		{"limit=0", vp, "GET", "/cards?limit=0", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"limit=101", vp, "GET", "/users?limit=101", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"limit=0", vy, "GET", "/cards?limit=0", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"limit=101", vy, "GET", "/transactions?limit=101", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"limit not a number", vy, "GET", "/cards?limit=ten", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"limit twice", vp, "GET", "/cards?limit=1&limit=2", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "limit"},
		{"unknown query param", vp, "GET", "/cards?colour=red", vpKey, nil, nil, 400, typeInvalid, codeParamUnknown, "colour"},
		{"unknown query param", vy, "GET", "/transactions?sort=asc", vyKey, nil, nil, 400, typeInvalid, codeParamUnknown, "sort"},
		{"query on a get", vy, "GET", "/account/balance?currency=GBP", vyKey, nil, nil, 400, typeInvalid, codeParamUnknown, "currency"},
		{"bad status filter", vy, "GET", "/transactions?status=settled", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "status"},
		{"bad timestamp", vy, "GET", "/transactions?created_after=yesterday", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "created_after"},
		{"min above max", vp, "GET", "/cards/" + activeVP.id + "/transactions?min_amount=5&max_amount=4", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "max_amount"},
		{"bad cursor", vp, "GET", "/cards?cursor=garbage!", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "cursor"},
		{"cursor of nothing", vp, "GET", "/cards?cursor=bjpjYXJkX25vbmU", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "cursor"},
		{"unknown starting_after", vy, "GET", "/cards?starting_after=card_none", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "starting_after"},
		{"both cursors", vy, "GET", "/cards?starting_after=a&ending_before=b", vyKey, nil, nil, 400, typeInvalid, codeParamInvalid, "ending_before"},
		{"bad last_four", vp, "GET", "/cards?last_four=12", vpKey, nil, nil, 400, typeInvalid, codeParamInvalid, "last_four"},
		{"bad API version", vp, "GET", "/ping", vpKey, nil, []string{vaultspay.VersionHeader, "24-04-2026"}, 400, typeInvalid, codeAPIVersion, vaultspay.VersionHeader},
		{"future API version", vp, "GET", "/ping", vpKey, nil, []string{vaultspay.VersionHeader, "2099-01-01"}, 400, typeInvalid, codeAPIVersion, vaultspay.VersionHeader},
		{"long idempotency key", vy, "POST", "/cards/" + terminatedVY.id + "/freeze", vyKey, nil, []string{"Idempotency-Key", strings.Repeat("k", 256)}, 400, typeInvalid, codeParamInvalid, "Idempotency-Key"},
		// 401
		{"no key", vp, "GET", "/cards", "", nil, nil, 401, typeAuth, codeKeyMissing, ""},
		{"no key", vy, "GET", "/cards", "", nil, nil, 401, typeAuth, codeKeyMissing, ""},
		{"wrong key", vp, "GET", "/cards", "vp_test_wrong", nil, nil, 401, typeAuth, codeKeyInvalid, ""},
		{"wrong key", vy, "GET", "/cards", "sk_test_wrong", nil, nil, 401, typeAuth, codeKeyInvalid, ""},
		{"other provider's key", vy, "GET", "/cards", vpKey, nil, nil, 401, typeAuth, codeKeyInvalid, ""},
		{"basic auth", vp, "GET", "/cards", "", nil, []string{"Authorization", "Basic dXNlcjpwYXNz"}, 401, typeAuth, codeKeyInvalid, ""},
		// 403
		{"read-only key writes", vp, "POST", "/cards/" + activeVP.id + "/freeze", roKey, nil, nil, 403, vaultspay.ErrTypePermission, codeForbidden, ""},
		{"publishable key", vy, "GET", "/cards", pkKey, nil, nil, 403, typeAuth, codeForbidden, ""},
		{"publishable key writes", vy, "POST", "/cards/" + terminatedVY.id + "/freeze", pkKey, nil, nil, 403, typeAuth, codeForbidden, ""},
		// 404
		{"unknown id", vp, "GET", "/cards/card_nope", vpKey, nil, nil, 404, typeInvalid, codeResourceMissing, "id"},
		{"unknown id", vy, "POST", "/cards/card_nope/freeze", vyKey, nil, nil, 404, typeInvalid, codeResourceMissing, "id"},
		{"unknown body id", vp, "POST", "/accounts", vpKey, `{"user_id":"usr_nope","currency":"GBP"}`, nil, 404, typeInvalid, codeResourceMissing, "user_id"},
		{"unknown body id", vy, "POST", "/cards", vyKey, `{"type":"virtual","currency":"GBP","cardholder_id":"ch_nope"}`, nil, 404, typeInvalid, codeResourceMissing, "cardholder_id"},
		{"unknown route", vp, "GET", "/wallets", vpKey, nil, nil, 404, typeInvalid, codeRouteNotFound, ""},
		{"unknown route", vy, "GET", "/cards/x/y/z", vyKey, nil, nil, 404, typeInvalid, codeRouteNotFound, ""},
		{"trailing slash", vy, "GET", "/cards/", vyKey, nil, nil, 404, typeInvalid, codeRouteNotFound, ""},
		{"unclean path", vp, "GET", "/cards/../users", vpKey, nil, nil, 404, typeInvalid, codeRouteNotFound, ""},
		// 405
		{"wrong method", vp, "DELETE", "/cards/" + activeVP.id, vpKey, nil, nil, 405, typeInvalid, codeMethodNotAllowed, ""},
		{"wrong method", vy, "PUT", "/cards", vyKey, nil, nil, 405, typeInvalid, codeMethodNotAllowed, ""},
		// 409
		{"unfreeze a terminated card", vp, "POST", "/cards/" + terminatedVP.id + "/unfreeze", vpKey, nil, nil, 409, typeCard, codeInvalidCardState, ""},
		{"unfreeze a cancelled card", vy, "POST", "/cards/" + terminatedVY.id + "/unfreeze", vyKey, nil, nil, 409, typeCard, codeCardCancelled, ""},
		// 413, 415
		{"body too large", vp, "POST", "/users", vpKey, big, nil, 413, typeInvalid, codeTooLarge, ""},
		{"body too large", vy, "POST", "/cardholders", vyKey, big, nil, 413, typeInvalid, codeTooLarge, ""},
		{"form body", vp, "POST", "/users", vpKey, "first_name=A", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, typeInvalid, codeMediaType, ""},
		{"no content type", vy, "POST", "/cardholders", vyKey, `{}`, []string{"Content-Type", ""}, 415, typeInvalid, codeMediaType, ""},
		{"multipart elsewhere", vy, "POST", "/cards", vyKey, "--x--", []string{"Content-Type", "multipart/form-data; boundary=x"}, 415, typeInvalid, codeMediaType, ""},
		// 422
		{"PIN not 4 digits", vp, "POST", "/cards/" + activeVP.id + "/pin", vpKey, `{"pin_token":"pint_x","pin":"12345"}`, nil, 422, typeInvalid, codePINInvalid, "pin"},
		{"physical card without address", vy, "POST", "/cards", vyKey, `{"type":"physical","currency":"GBP","cardholder_id":"` + noAddress + `"}`, nil, 422, typeInvalid, codeAddressRequired, "cardholder_id"},
	}
	if closed != nil {
		cases = append(cases, tc{"card on a closed account", vp, "POST", "/cards", vpKey,
			`{"user_id":"` + closed.userID + `","account_id":"` + closed.id + `","type":"virtual"}`, nil, 422, typeInvalid, codeAccountClosed, "account_id"})
	}
	for _, c := range cases {
		t.Run(c.provider+"/"+c.name, func(t *testing.T) {
			cl := client{t: t, base: base + "/" + c.provider + "/v1", key: c.key}
			r := cl.do(c.method, c.path, c.body, c.headers...)
			if r.status != c.status {
				t.Fatalf("%d %s, want %d", r.status, r.body, c.status)
			}
			var typ, code, param string
			if c.provider == vp {
				e := r.vpErr(t)
				typ, code, param = e.Type, e.Code, e.Param
			} else {
				e := r.vyErr(t)
				typ, code, param = e.Type, e.Code, e.Param
			}
			if typ != c.typ || code != c.code || param != c.param {
				t.Errorf("type %q code %q param %q, want %q %q %q (%s)", typ, code, param, c.typ, c.code, c.param, r.body)
			}
			if c.status == 405 && r.header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
			if (c.status == 401) == (r.header.Get("X-RateLimit-Limit") != "") && s.cfg.RateLimit > 0 {
				t.Errorf("X-RateLimit headers on a %d", c.status)
			}
		})
	}
}

func TestUnknownPrefix(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 51})
	base := serve(t, s)
	for _, path := range []string{"/", "/v1/cards", "/vaultspay", "/vydapay/v2/cards", "/stripe/v1/cards"} {
		r := client{t: t, base: base, key: ""}.do("GET", path, nil)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
		var body vaultspay.ErrorBody
		r.decode(t, &body)
		if body.Error.Code != codeRouteNotFound {
			t.Errorf("%s: %s", path, r.body)
		}
	}
}
