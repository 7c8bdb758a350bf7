package vaultspay_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func list(items ...string) string {
	return `{"object":"list","data":[` + strings.Join(items, ",") + `],"has_more":false,"next_cursor":null,"prev_cursor":null}`
}

const (
	endpointJSON = `{"id":"we_1","object":"webhook_endpoint","url":"https://relay.example/webhooks/vaultspay","enabled_events":["*"],"status":"enabled","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`
	deliveryJSON = `{"id":"wd_1","object":"webhook_delivery","endpoint_id":"we_1","event_id":"evt_1","event_type":"webhook.test","status":"pending","attempts":0,"last_status_code":null,"last_error":null,"next_attempt_at":null,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`
)

// TestRequests checks what each method puts on the wire and reads back.
func TestRequests(t *testing.T) {
	minAmt, maxAmt := int64(100), int64(99999)
	after := time.Date(2026, 4, 1, 0, 0, 0, 0, time.FixedZone("GST", 4*3600))
	before := time.Date(2026, 4, 24, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		call   func(context.Context, *vaultspay.Client) (any, error)
		answer string
		method string
		path   string
		query  url.Values
		body   string // JSON sent, "" for none
		check  func(t *testing.T, got any)
	}{
		{"ping", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.Ping(ctx) },
			`{"object":"ping","ok":true,"livemode":false,"time":"2026-04-24T14:52:03Z"}`, "GET", "/v1/ping", nil, "", nil},
		{"list users", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListUsers(ctx, api.UserFilter{Query: "aisha", Email: "a@x.ae", Phone: "+971501234567", Page: api.PageParams{Limit: 10, After: "n1"}})
		}, `{"object":"list","data":[` + userJSON + `],"has_more":true,"next_cursor":"n2","prev_cursor":"p2"}`,
			"GET", "/v1/users", url.Values{"query": {"aisha"}, "email": {"a@x.ae"}, "phone": {"+971501234567"}, "limit": {"10"}, "cursor": {"n1"}}, "",
			func(t *testing.T, got any) {
				p := got.(api.Page[api.User])
				if len(p.Items) != 1 || p.Items[0].Email != "aisha@example.ae" || !p.HasNext || p.Next != "n2" || !p.HasPrev || p.Prev != "p2" {
					t.Errorf("page %+v", p)
				}
			}},
		{"list users backwards", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListUsers(ctx, api.UserFilter{Page: api.PageParams{Before: "p2"}})
		}, list(), "GET", "/v1/users", url.Values{"cursor": {"p2"}}, "",
			func(t *testing.T, got any) {
				if p := got.(api.Page[api.User]); p.HasNext || p.HasPrev || p.Items == nil {
					t.Errorf("page %+v", p)
				}
			}},
		{"get user", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetUser(ctx, "usr_1") },
			userJSON, "GET", "/v1/users/usr_1", nil, "", nil},
		{"get kyc session", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.GetKYCSession(ctx, "usr_1", "kyc_1")
		},
			`{"id":"kyc_1","object":"kyc_session","user_id":"usr_1","status":"pending","url":"https://kyc.example/s/1","created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`,
			"GET", "/v1/users/usr_1/kyc_sessions/kyc_1", nil, "",
			func(t *testing.T, got any) {
				if s := got.(vaultspay.KYCSession); s.Status != "pending" || s.URL == "" {
					t.Errorf("session %+v", s)
				}
			}},
		{"get account", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetAccount(ctx, "acc_1") },
			accountJSON, "GET", "/v1/accounts/acc_1", nil, "",
			func(t *testing.T, got any) {
				if a := got.(api.Account); a.Available.String() != "BHD 1.050" {
					t.Errorf("account %+v", a)
				}
			}},
		{"get balance", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetBalance(ctx, "acc_1") },
			`{"object":"balance","account_id":"acc_1","currency":"GBP","available":-320,"pending":5}`, "GET", "/v1/accounts/acc_1/balance", nil, "",
			func(t *testing.T, got any) {
				if b := got.(api.Balance); b.Available.String() != "GBP -3.20" || b.Pending.String() != "GBP 0.05" {
					t.Errorf("balance %+v", b)
				}
			}},
		{"get iban", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetIBAN(ctx, "acc_1") },
			`{"object":"iban","account_id":"acc_1","iban":"AE070331234567890123456","bic":"VPAYAEAD","account_holder_name":"Aisha Khan"}`,
			"GET", "/v1/accounts/acc_1/iban", nil, "",
			func(t *testing.T, got any) {
				if i := got.(vaultspay.IBAN); i.IBAN != "AE070331234567890123456" || i.HolderName != "Aisha Khan" {
					t.Errorf("iban %+v", i)
				}
			}},
		{"list cards", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListCards(ctx, api.CardFilter{UserID: "usr_1", Status: api.CardFrozen, Type: api.CardPhysical, LastFour: "4821", Page: api.PageParams{Limit: 100}})
		}, list(cardJSON), "GET", "/v1/cards", url.Values{"user_id": {"usr_1"}, "status": {"frozen"}, "type": {"physical"}, "last_four": {"4821"}, "limit": {"100"}}, "",
			func(t *testing.T, got any) {
				if p := got.(api.Page[api.Card]); len(p.Items) != 1 || p.Items[0].LastFour != "4821" {
					t.Errorf("page %+v", p)
				}
			}},
		{"get card", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetCard(ctx, "card_1") },
			cardJSON, "GET", "/v1/cards/card_1", nil, "", nil},
		{"freeze", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.FreezeCard(ctx, "card_1") },
			cardJSON, "POST", "/v1/cards/card_1/freeze", nil, "",
			func(t *testing.T, got any) {
				if got.(api.Card).Status != api.CardFrozen {
					t.Errorf("card %+v", got)
				}
			}},
		{"unfreeze", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.UnfreezeCard(ctx, "card_1") },
			with(cardJSON, "status", `"frozen"`, `"active"`), "POST", "/v1/cards/card_1/unfreeze", nil, "", nil},
		{"activate", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.ActivateCard(ctx, "card_1") },
			with(cardJSON, "status", `"frozen"`, `"active"`), "POST", "/v1/cards/card_1/activate", nil, "", nil},
		{"terminate", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.TerminateCard(ctx, "card_1", api.TerminateStolen)
		},
			with(cardJSON, "status", `"frozen"`, `"terminated"`), "POST", "/v1/cards/card_1/terminate", nil, `{"reason":"stolen"}`, nil},
		{"reveal", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.RevealCard(ctx, "card_1", "  caller verified  ")
		},
			`{"object":"card_details","card_id":"card_1","number":"4000001234564821","cvc":"123","exp_month":7,"exp_year":2029}`,
			"POST", "/v1/cards/card_1/reveal", nil, `{"reason":"caller verified"}`,
			func(t *testing.T, got any) {
				s := got.(*api.CardSecrets)
				if string(s.Number) != "4000001234564821" || string(s.CVC) != "123" || s.ExpMonth != 7 || s.ExpYear != 2029 {
					t.Errorf("secrets do not match")
				}
				s.Wipe()
			}},
		{"card transactions", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListTransactions(ctx, api.TxFilter{CardID: "card_1", Status: api.TxDeclined, Type: api.TxPurchase, MinAmount: &minAmt, MaxAmount: &maxAmt,
				CreatedAfter: after, CreatedBefore: before, Page: api.PageParams{Limit: 5, After: "c1"}})
		}, list(txJSON), "GET", "/v1/cards/card_1/transactions",
			url.Values{"status": {"declined"}, "type": {"purchase"}, "min_amount": {"100"}, "max_amount": {"99999"},
				"created_after": {"2026-03-31T20:00:00Z"}, "created_before": {"2026-04-24T00:00:00Z"}, "limit": {"5"}, "cursor": {"c1"}}, "",
			func(t *testing.T, got any) {
				p := got.(api.Page[api.Transaction])
				if len(p.Items) != 1 || p.Items[0].Decline.Reason != api.DeclineCategoryBlocked || p.Items[0].Merchant.MCC != "5411" {
					t.Errorf("page %+v", p)
				}
			}},
		{"account transactions", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListTransactions(ctx, api.TxFilter{AccountID: "acc_1"})
		}, list(), "GET", "/v1/accounts/acc_1/transactions", nil, "", nil},
		{"list endpoints", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListWebhookEndpoints(ctx, api.PageParams{Limit: 3})
		}, list(endpointJSON), "GET", "/v1/webhooks/endpoints", url.Values{"limit": {"3"}}, "",
			func(t *testing.T, got any) {
				if p := got.(api.Page[vaultspay.WebhookEndpoint]); len(p.Items) != 1 || p.Items[0].ID != "we_1" {
					t.Errorf("page %+v", p)
				}
			}},
		{"create endpoint", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.CreateWebhookEndpoint(ctx, vaultspay.WebhookEndpointCreate{URL: "https://relay.example/webhooks/vaultspay", EnabledEvents: []string{"card.frozen"}})
		}, strings.Replace(endpointJSON, `"status"`, `"secret":"whsec_abc","status"`, 1), "POST", "/v1/webhooks/endpoints", nil,
			`{"url":"https://relay.example/webhooks/vaultspay","enabled_events":["card.frozen"]}`,
			func(t *testing.T, got any) {
				if ep := got.(vaultspay.WebhookEndpoint); ep.Secret != "whsec_abc" {
					t.Errorf("endpoint %+v", ep)
				}
			}},
		{"get endpoint", func(ctx context.Context, c *vaultspay.Client) (any, error) { return c.GetWebhookEndpoint(ctx, "we_1") },
			endpointJSON, "GET", "/v1/webhooks/endpoints/we_1", nil, "", nil},
		{"update endpoint", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			disabled := "disabled"
			return c.UpdateWebhookEndpoint(ctx, "we_1", vaultspay.WebhookEndpointUpdate{Status: &disabled})
		}, endpointJSON, "PATCH", "/v1/webhooks/endpoints/we_1", nil, `{"status":"disabled"}`, nil},
		{"delete endpoint", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return nil, c.DeleteWebhookEndpoint(ctx, "we_1")
		}, `{"id":"we_1","object":"webhook_endpoint","deleted":true}`, "DELETE", "/v1/webhooks/endpoints/we_1", nil, "", nil},
		{"rotate secret", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			zero := 0
			return c.RotateWebhookSecret(ctx, "we_1", vaultspay.RotateSecret{ExpirePreviousInSeconds: &zero})
		}, endpointJSON, "POST", "/v1/webhooks/endpoints/we_1/rotate", nil, `{"expire_previous_in_seconds":0}`, nil},
		{"test endpoint", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.TestWebhookEndpoint(ctx, "we_1", "card.frozen")
		}, deliveryJSON, "POST", "/v1/webhooks/endpoints/we_1/test", nil, `{"event_type":"card.frozen"}`,
			func(t *testing.T, got any) {
				if d := got.(vaultspay.Delivery); d.ID != "wd_1" {
					t.Errorf("delivery %+v", d)
				}
			}},
		{"list deliveries", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.ListDeliveries(ctx, "we_1", api.PageParams{Before: "p9"})
		}, list(deliveryJSON), "GET", "/v1/webhooks/endpoints/we_1/deliveries", url.Values{"cursor": {"p9"}}, "", nil},
		{"redeliver", func(ctx context.Context, c *vaultspay.Client) (any, error) {
			return c.RedeliverEvent(ctx, "evt_1", "we_1")
		}, list(deliveryJSON), "POST", "/v1/webhooks/events/evt_1/redeliver", nil, `{"endpoint_id":"we_1"}`,
			func(t *testing.T, got any) {
				if ds := got.([]vaultspay.Delivery); len(ds) != 1 {
					t.Errorf("deliveries %+v", ds)
				}
			}},
	}
	f := newFake(t)
	c := f.client(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.serve(func(*http.Request) (int, string) { return 200, tt.answer })
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := f.take()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tt.method || r.Path != tt.path {
				t.Errorf("sent %s %s, want %s %s", r.Method, r.Path, tt.method, tt.path)
			}
			if want := tt.query; !(len(want) == 0 && len(r.Query) == 0) && !reflect.DeepEqual(map[string][]string(want), r.Query) {
				t.Errorf("query %v, want %v", r.Query, want)
			}
			if tt.body == "" && r.Body != "" || tt.body != "" && !sameJSON(r.Body, tt.body) {
				t.Errorf("body %s, want %s", r.Body, tt.body)
			}
			if got := r.Header.Get("Content-Type"); (tt.body != "") != (got == "application/json") {
				t.Errorf("Content-Type %q with body %q", got, r.Body)
			}
			if got := r.Header.Get("Authorization"); got != "Bearer vp_test_abc" {
				t.Errorf("Authorization %q", got)
			}
			if got := r.Header.Get(vaultspay.VersionHeader); got != vaultspay.APIVersion {
				t.Errorf("%s %q", vaultspay.VersionHeader, got)
			}
			if key := r.Header.Get("Idempotency-Key"); (key != "") != (tt.method != "GET") {
				t.Errorf("Idempotency-Key %q on %s", key, tt.method)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}
