package vaultspay_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vaultspay"
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

// hostileEvent is a VaultsPay event body with data, and top-level fields
// overridden by over (a nil value removes the field).
func hostileEvent(t *testing.T, over map[string]any, data map[string]any) []byte {
	t.Helper()
	ev := map[string]any{"id": "evt_1", "type": vaultspay.EventCardUpdated, "timestamp": "2026-03-14T09:30:00Z",
		"api_version": vaultspay.APIVersion, "data": data}
	for k, v := range over {
		if v == nil {
			delete(ev, k)
		} else {
			ev[k] = v
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cardData(over map[string]any) map[string]any {
	c := map[string]any{"id": "card_1", "object": "card", "user_id": "usr_1", "account_id": "acc_1",
		"type": "virtual", "status": "active", "brand": "visa", "currency": "AED", "last_four": "4242",
		"exp_month": 3, "exp_year": 2029, "spending_controls": map[string]any{}, "metadata": map[string]any{},
		"created_at": "2026-03-14T09:30:00Z", "updated_at": "2026-03-14T09:30:00Z"}
	for k, v := range over {
		c[k] = v
	}
	return c
}

func TestHostileParseEventErrors(t *testing.T) {
	pan := safetexttest.PAN(1)
	tight := safetexttest.PANTight(2)
	bad := safetexttest.Wrap("BAD") + " " + pan
	tx := map[string]any{"id": "txn_1", "object": "transaction", "account_id": "acc_1", "user_id": "usr_1",
		"amount": 100, "currency": "AED", "status": "declined", "type": "purchase", "created_at": "2026-03-14T09:30:00Z"}
	txWith := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range tx {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	// A broken envelope is an error; data that cannot be read is kept as
	// the event's DataError (the relay stores the event all the same).
	// Either quotes what it refuses safely.
	tests := []struct {
		name     string
		over     map[string]any
		data     map[string]any
		want     string
		envelope bool
	}{
		{"event timestamp", map[string]any{"timestamp": bad}, cardData(nil), "timestamp", true},
		{"event timestamp is a card number", map[string]any{"timestamp": tight}, cardData(nil), "timestamp", true},
		{"event id with no type", map[string]any{"id": bad, "type": nil}, cardData(nil), "type is missing", true},
		{"bad data", nil, cardData(map[string]any{"status": 7}), "status", false},
		{"data of another object", nil, cardData(map[string]any{"object": bad}), "want a", false},
		{"card id and created_at", nil, cardData(map[string]any{"id": bad, "created_at": bad}), "created_at", false},
		{"exp_month is a card number", nil, cardData(map[string]any{"exp_month": json.Number(tight)}), "exp_month", false},
		{"exp_month is a fraction of a card number", nil, cardData(map[string]any{"exp_month": json.Number(tight + ".5")}), "exp_month", false},
		{"transaction amount is a fraction of a card number", map[string]any{"type": vaultspay.EventTxDeclined},
			txWith("amount", json.Number(tight+".25")), "amount", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := vaultspay.ParseEvent(hostileEvent(t, tt.over, tt.data))
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
	// Words carddesk does not know, hostile or not, are kept as sent for
	// the screen to clean: refusing them would lose the event.
	kept := []struct {
		name string
		over map[string]any
		data map[string]any
		got  func(api.Event) string
	}{
		{"card status", nil, cardData(map[string]any{"status": bad}), func(ev api.Event) string { return string(ev.Card.Status) }},
		{"card type", nil, cardData(map[string]any{"type": bad}), func(ev api.Event) string { return string(ev.Card.Type) }},
		{"card interval", nil, cardData(map[string]any{"spending_limit": map[string]any{"amount": 1, "interval": bad}}),
			func(ev api.Event) string { return string(ev.Card.Limit.Interval) }},
		{"transaction status", map[string]any{"type": vaultspay.EventTxDeclined}, txWith("status", bad),
			func(ev api.Event) string { return string(ev.Transaction.Status) }},
		{"transaction type", map[string]any{"type": vaultspay.EventTxDeclined}, txWith("type", bad),
			func(ev api.Event) string { return string(ev.Transaction.Type) }},
	}
	for _, tt := range kept {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := vaultspay.ParseEvent(hostileEvent(t, tt.over, tt.data))
			if err != nil || ev.DataError != "" || (ev.Card == nil && ev.Transaction == nil) {
				t.Fatalf("event %+v, %v", ev, err)
			}
			if got := tt.got(ev); got != bad {
				t.Errorf("kept %q, want %q", got, bad)
			}
		})
	}
}

func TestHostileWebhookHeaders(t *testing.T) {
	pan := safetexttest.PANTight(3)
	_, err := vaultspay.ParseTimestamp(pan)
	checkQuoted(t, err, "webhook-timestamp", pan)
	_, err = vaultspay.ParseSignatures(safetexttest.Wrap("vX") + pan)
	checkQuoted(t, err, "no version", pan)

	v, err := vaultspay.NewVerifier(vaultspay.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(vaultspay.HeaderID, "msg_"+pan+"\u202e")
	h.Set(vaultspay.HeaderTimestamp, pan+"\u202e")
	h.Set(vaultspay.HeaderSignature, "v1,"+pan)
	checkQuoted(t, v.Verify(h, []byte(`{}`), time.Now()), "webhook-timestamp", pan)
}

func TestHostileDecodeError(t *testing.T) {
	pan := safetexttest.PAN(4)
	body, err := json.Marshal(map[string]any{"error": map[string]any{
		"type": safetexttest.Wrap("card_error"), "code": safetexttest.Wrap("invalid_card_state"),
		"message": safetexttest.Wrap("Card") + " " + pan + " is frozen\r\nreally",
		"param":   safetexttest.Wrap("id") + pan, "request_id": safetexttest.Wrap("req_x") + pan,
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Request-Id": {"req_" + pan + "\u202e"}}
	e := vaultspay.DecodeError(http.StatusConflict, h, body)
	checkQuoted(t, e, "Card •••• "+safetexttest.LastFour(pan)+" is frozen really", pan)
	for _, f := range []string{e.Type, e.Code, e.Message, e.Param, e.RequestID} {
		for _, p := range append(safetexttest.Plain(f), safetexttest.CardNumbers(f, []string{pan})...) {
			t.Errorf("field %q: %s", f, p)
		}
	}
	if e.Code != "invalid_card_state" || e.Type != "card_error" {
		t.Errorf("code %q, type %q: the words should survive cleaning", e.Code, e.Type)
	}

	// A body that is not the documented shape is described, with its
	// content type quoted.
	h = http.Header{"Content-Type": {safetexttest.Wrap("text/") + pan}, "X-Request-Id": {pan}}
	e = vaultspay.DecodeError(http.StatusBadGateway, h, []byte("<html>"+pan+"</html>"))
	checkQuoted(t, e, "not its documented error shape", pan)
}

// TestHostileResponsesOverHTTP: a provider (here a fake behind real HTTP)
// answering with hostile fields and errors gives the client's caller errors
// that are safe to show and to log.
func TestHostileResponsesOverHTTP(t *testing.T) {
	pan := safetexttest.PAN(5)
	bad := safetexttest.Wrap("BAD") + " " + pan
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/cards/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(cardData(map[string]any{"id": bad, "created_at": bad}))
	})
	mux.HandleFunc("POST /v1/cards/{id}/freeze", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_"+pan+"\u202e")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"type": "invalid_request_error", "code": safetexttest.Wrap("bad"), "message": bad}})
	})
	mux.HandleFunc("GET /v1/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":[{"id":"usr_1","object":"user","created_at":` + jsonString(bad) + `}],"has_more":false}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := vaultspay.New(vaultspay.Config{BaseURL: srv.URL + "/v1", Key: "vp_test_abc", Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.GetCard(ctx, "card_1")
	checkQuoted(t, err, "created_at", pan)
	_, err = c.FreezeCard(ctx, "card_1")
	checkQuoted(t, err, "BAD •••• "+safetexttest.LastFour(pan), pan)
	if e, ok := api.AsError(err); !ok || len(safetexttest.Plain(e.RequestID)) > 0 || strings.Contains(e.RequestID, safetexttest.PANTight(5)) {
		t.Errorf("the request id is not safe: %+v", e)
	}
	_, err = c.ListUsers(ctx, api.UserFilter{})
	checkQuoted(t, err, "created_at", pan)
	// An id that would carry escapes or bidi controls is refused before
	// anything is sent, and the refusal quotes it safely.
	_, err = c.GetCard(ctx, "card_\u202e"+safetexttest.PANTight(5)+"\u009b2J")
	checkQuoted(t, err, "card id", pan)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
