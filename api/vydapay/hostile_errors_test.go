package vydapay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Errors quote what they refuse so that an agent or an operator can see
// what was wrong. What they quote comes from outside (a webhook, a
// response, a header): it must come out with no escape and no card number.

// checkQuoted fails when err's text lets anything hostile through, or does
// not name what was wrong (want).
func checkQuoted(t *testing.T, err error, want string, pans ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, p := range append(safetexttest.Plain(msg), safetexttest.CardNumbers(msg, pans)...) {
		t.Errorf("%s:\n%q", p, msg)
	}
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not say %q", msg, want)
	}
}

func with(base map[string]any, over map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

func vyCard(over map[string]any) map[string]any {
	return with(map[string]any{"id": "ic_1", "object": "card", "type": "virtual", "status": "active", "currency": "usd",
		"cardholder_id": "ich_1", "last_four": "4242", "exp_month": 3, "exp_year": 2029, "brand": "visa",
		"spending_controls": map[string]any{}, "metadata": map[string]any{}, "created_at": "2026-03-14T09:30:00Z"}, over)
}

func vyTx(over map[string]any) map[string]any {
	return with(map[string]any{"id": "ipi_1", "object": "transaction", "amount": 100, "currency": "usd", "status": "declined",
		"type": "purchase", "card_id": "ic_1", "cardholder_id": "ich_1", "merchant": map[string]any{"name": "SHOP"},
		"created_at": "2026-03-14T09:30:00Z"}, over)
}

func vyEvent(t *testing.T, over map[string]any, object map[string]any) []byte {
	t.Helper()
	ev := with(map[string]any{"id": "evt_1", "object": "event", "type": vydapay.EventCardFrozen,
		"created_at": "2026-03-14T09:30:00Z", "data": map[string]any{"object": object}}, over)
	for k, v := range ev {
		if v == nil {
			delete(ev, k)
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHostileParseEventErrors(t *testing.T) {
	pan := safetexttest.PAN(11)
	tight := safetexttest.PANTight(12)
	bad := safetexttest.Wrap("BAD") + " " + pan
	v, err := vydapay.NewVerifier(vydapay.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	tx := map[string]any{"type": vydapay.EventTxDeclined}
	// A broken envelope is an error; data that cannot be read is kept as
	// the event's DataError (the relay stores the event all the same).
	// Either quotes what it refuses safely.
	tests := []struct {
		name     string
		over     map[string]any
		object   map[string]any
		want     string
		envelope bool
	}{
		{"event object", map[string]any{"object": bad}, vyCard(nil), "object", true},
		{"event id with no type", map[string]any{"id": bad, "type": nil}, vyCard(nil), "field type", true},
		{"event created_at", map[string]any{"id": bad, "created_at": bad}, vyCard(nil), "RFC 3339", true},
		{"event created_at is a card number", map[string]any{"created_at": tight}, vyCard(nil), "RFC 3339", true},
		{"data of another object", map[string]any{"id": "evt_1"}, vyCard(map[string]any{"object": bad}), "belongs", false},
		{"card id and created_at", nil, vyCard(map[string]any{"id": bad, "created_at": bad}), "created_at", false},
		{"card currency", nil, vyCard(map[string]any{"currency": bad}), "currency", false},
		{"exp_month is a card number", nil, vyCard(map[string]any{"exp_month": json.Number(tight)}), "exp_month", false},
		{"exp_month is a fraction of a card number", nil, vyCard(map[string]any{"exp_month": json.Number(tight + ".5")}), "exp_month", false},
		{"transaction id and currency", tx, vyTx(map[string]any{"id": bad, "currency": bad}), "currency", false},
		{"transaction amount is a fraction of a card number", tx, vyTx(map[string]any{"amount": json.Number(tight + ".25")}), "amount", false},
		{"receipt", map[string]any{"type": vydapay.EventReceiptMatched},
			map[string]any{"id": bad, "object": "receipt", "created_at": bad}, "created_at", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := v.Parse(vyEvent(t, tt.over, tt.object))
			if tt.envelope {
				checkQuoted(t, err, tt.want, pan, tight)
				return
			}
			if err != nil {
				t.Fatalf("an event with a good envelope refused: %v", err)
			}
			if ev.Card != nil || ev.Transaction != nil {
				t.Errorf("unreadable data gave an object: %+v", ev)
			}
			checkQuoted(t, errors.New(ev.DataError), tt.want, pan, tight)
		})
	}
}

// A status or type Vydapay does not document is kept as it came, hostile
// or not, for the screen to clean (the dashboard's hostile tests check
// that it does): refusing it would lose the event.
func TestHostileWordsKeptAsSent(t *testing.T) {
	bad := safetexttest.Wrap("BAD")
	v, err := vydapay.NewVerifier(vydapay.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	tx := map[string]any{"type": vydapay.EventTxDeclined}
	card, err := v.Parse(vyEvent(t, nil, vyCard(map[string]any{"status": bad, "type": bad,
		"spending_limit": map[string]any{"amount": 1, "interval": bad}})))
	if err != nil || card.Card == nil {
		t.Fatalf("card event: %+v, %v", card, err)
	}
	if string(card.Card.Status) != bad || string(card.Card.Type) != bad || string(card.Card.Limit.Interval) != bad {
		t.Errorf("card words not kept: %+v", card.Card)
	}
	txe, err := v.Parse(vyEvent(t, tx, vyTx(map[string]any{"status": bad, "type": bad})))
	if err != nil || txe.Transaction == nil {
		t.Fatalf("transaction event: %+v, %v", txe, err)
	}
	if string(txe.Transaction.Status) != bad || string(txe.Transaction.Type) != bad {
		t.Errorf("transaction words not kept: %+v", txe.Transaction)
	}
}

func TestHostileDecodeError(t *testing.T) {
	pan := safetexttest.PAN(13)
	body, err := json.Marshal(map[string]any{"error": map[string]any{
		"type": safetexttest.Wrap("card_error"), "code": safetexttest.Wrap("card_frozen"),
		"message": safetexttest.Wrap("Card") + " " + pan + " is frozen\r\nreally",
		"param":   safetexttest.Wrap("id") + pan, "doc_url": safetexttest.Wrap("https://docs.example/") + pan,
		"request_id": safetexttest.Wrap("req_x") + pan,
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Request-Id": {"req_" + pan + "\u202e"}}
	e := vydapay.DecodeError(http.StatusBadRequest, h, body)
	checkQuoted(t, e, "Card •••• "+safetexttest.LastFour(pan)+" is frozen really", pan)
	for _, f := range []string{e.Type, e.Code, e.Message, e.Param, e.RequestID, e.DocURL} {
		for _, p := range append(safetexttest.Plain(f), safetexttest.CardNumbers(f, []string{pan})...) {
			t.Errorf("field %q: %s", f, p)
		}
	}
	if e.Code != "card_frozen" || e.Type != "card_error" {
		t.Errorf("code %q, type %q: the words should survive cleaning", e.Code, e.Type)
	}
	// A body of the wrong shape is described by its kind, not its value.
	e = vydapay.DecodeError(http.StatusBadRequest, http.Header{}, []byte(safetexttest.PANTight(13)))
	checkQuoted(t, e, "not the documented error shape", pan)
	e = vydapay.DecodeError(http.StatusBadRequest, http.Header{}, []byte(`{"error":{"message":`+safetexttest.PANTight(13)+`.5}}`))
	checkQuoted(t, e, "not the documented error shape", pan)
}

// TestHostileResponsesOverHTTP: a provider (here a fake behind real HTTP)
// answering with hostile fields and errors gives the client's caller errors
// that are safe to show and to log.
func TestHostileResponsesOverHTTP(t *testing.T) {
	pan := safetexttest.PAN(14)
	bad := safetexttest.Wrap("BAD") + " " + pan
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/cards/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(vyCard(map[string]any{"id": bad, "created_at": bad}))
	})
	mux.HandleFunc("POST /v1/cards/{id}/{action}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_"+pan+"\u202e")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"type": "invalid_request_error", "code": safetexttest.Wrap("bad"), "message": bad}})
	})
	mux.HandleFunc("GET /v1/cardholders", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": bad, "data": []any{}, "has_more": false})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := vydapay.New(vydapay.Config{BaseURL: srv.URL + "/v1", Key: "sk_test_unit", Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.GetCard(ctx, "ic_1")
	checkQuoted(t, err, "created_at", pan)
	_, err = c.FreezeCard(ctx, "ic_1")
	checkQuoted(t, err, "BAD •••• "+safetexttest.LastFour(pan), pan)
	if e, ok := api.AsError(err); !ok || len(safetexttest.Plain(e.RequestID)) > 0 || strings.Contains(e.RequestID, safetexttest.PANTight(14)) {
		t.Errorf("the request id is not safe: %+v", e)
	}
	_, err = c.ListUsers(ctx, api.UserFilter{})
	checkQuoted(t, err, "is not a list", pan)
}
