package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// hook is one webhook as a receiver got it.
type hook struct {
	header http.Header
	body   []byte
	id     string // webhook-id, or the payload's id
	typ    string
}

// receiver is a webhook receiver that fails the first failures requests.
type receiver struct {
	url      string
	got      chan hook
	mu       sync.Mutex
	failures int
	seen     int
}

func newReceiver(t *testing.T, failures int) *receiver {
	t.Helper()
	rc := &receiver{got: make(chan hook, 10_000), failures: failures}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.seen++
		fail := rc.seen <= rc.failures
		rc.mu.Unlock()
		if fail {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		var ev struct{ ID, Type string }
		_ = json.Unmarshal(body, &ev)
		rc.got <- hook{header: r.Header.Clone(), body: body, id: ev.ID, typ: ev.Type}
	}))
	t.Cleanup(ts.Close)
	rc.url = ts.URL
	return rc
}

// next waits for the next webhook of one of types (any type when none).
func (rc *receiver) next(t *testing.T, types ...string) hook {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case h := <-rc.got:
			if len(types) == 0 || contains(types, h.typ) {
				return h
			}
		case <-timeout:
			t.Fatalf("no webhook of type %v arrived", types)
		}
	}
}

// running starts the sandbox's workers for the test's lifetime.
func running(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		_ = s.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func someActiveCard(t *testing.T, c client, path string) string {
	t.Helper()
	var list struct {
		Data []struct{ ID, Status string } `json:"data"`
	}
	c.do("GET", path+"?status=active&limit=5", nil).decode(t, &list)
	if len(list.Data) == 0 {
		t.Fatal("no active card")
	}
	return list.Data[0].ID
}

func TestVydapayWebhooksAreSignedAndRetried(t *testing.T) {
	rc := newReceiver(t, 2)
	s := newTestServer(t, Config{Seed: 3, VydapayWebhookURLs: []string{rc.url}, DeliveryBackoff: time.Millisecond})
	_, vyc := clients(t, s)
	running(t, s)

	id := someActiveCard(t, vyc, "/cards")
	if r := vyc.do("POST", "/cards/"+id+"/freeze", nil); r.status != 200 {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	h := rc.next(t, vydapay.EventCardFrozen)
	v, _ := vydapay.NewVerifier(s.Config().VydapayWebhookSecret)
	if err := v.Verify(h.header, h.body, time.Now()); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if ct := h.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	ev, err := v.Parse(h.body)
	if err != nil || ev.Type != api.EventCardFrozen || ev.CardID() != id || ev.Card.Status != api.CardFrozen {
		t.Fatalf("event = %+v, %v", ev, err)
	}
	rc.mu.Lock()
	seen := rc.seen
	rc.mu.Unlock()
	if seen < 3 {
		t.Errorf("receiver saw %d requests; the first two failed, so the event needed three", seen)
	}
}

func TestVaultsPayStaticURLSignedStandardWebhooks(t *testing.T) {
	rc := newReceiver(t, 0)
	s := newTestServer(t, Config{Seed: 3, VaultsPayWebhookURLs: []string{rc.url}, DeliveryBackoff: time.Millisecond})
	vpc, _ := clients(t, s)
	running(t, s)

	id := someActiveCard(t, vpc, "/cards")
	vpc.do("POST", "/cards/"+id+"/freeze", nil)
	h := rc.next(t, vaultspay.EventCardFrozen)

	secret := s.Config().VaultsPayWebhookSecret
	ours, _ := vaultspay.NewVerifier(secret)
	if err := ours.Verify(h.header, h.body, time.Now()); err != nil {
		t.Fatalf("our verifier: %v", err)
	}
	// An independent implementation of Standard Webhooks agrees.
	theirs, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := theirs.Verify(h.body, h.header); err != nil {
		t.Fatalf("standard-webhooks library: %v", err)
	}
	if h.header.Get("webhook-id") != h.id {
		t.Errorf("webhook-id %q, payload id %q", h.header.Get("webhook-id"), h.id)
	}
}

func TestVaultsPayEndpointsAPI(t *testing.T) {
	rc := newReceiver(t, 1)
	s := newTestServer(t, Config{Seed: 4, DeliveryBackoff: time.Millisecond})
	vpc, _ := clients(t, s)
	running(t, s)

	// Register, subscribed to freezes only.
	r := vpc.do("POST", "/webhooks/endpoints", map[string]any{"url": rc.url, "enabled_events": []string{"card.frozen"}, "description": "relay"})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var ep vaultspay.WebhookEndpoint
	r.decode(t, &ep)
	if !strings.HasPrefix(ep.Secret, vaultspay.SecretPrefix) || ep.Status != "enabled" {
		t.Fatalf("endpoint = %+v", ep)
	}
	var got vaultspay.WebhookEndpoint
	vpc.do("GET", "/webhooks/endpoints/"+ep.ID, nil).decode(t, &got)
	if got.Secret != "" || got.URL != rc.url {
		t.Errorf("GET shows %+v; the secret must not be shown again", got)
	}

	id := someActiveCard(t, vpc, "/cards")
	vpc.do("POST", "/cards/"+id+"/freeze", nil)
	vpc.do("POST", "/cards/"+id+"/unfreeze", nil)
	vpc.do("POST", "/cards/"+id+"/freeze", nil)
	first := rc.next(t)
	second := rc.next(t)
	for _, h := range []hook{first, second} {
		if h.typ != vaultspay.EventCardFrozen {
			t.Errorf("endpoint subscribed to card.frozen got %s", h.typ)
		}
	}

	// Rotate with a grace period: deliveries carry both signatures, each
	// verifying on its own.
	r = vpc.do("POST", "/webhooks/endpoints/"+ep.ID+"/rotate", map[string]any{"expire_previous_in_seconds": 3600})
	var rotated vaultspay.WebhookEndpoint
	r.decode(t, &rotated)
	if rotated.Secret == "" || rotated.Secret == ep.Secret {
		t.Fatalf("rotate gave %q", rotated.Secret)
	}
	vpc.do("POST", "/cards/"+id+"/unfreeze", nil)
	vpc.do("POST", "/cards/"+id+"/freeze", nil)
	h := rc.next(t, vaultspay.EventCardFrozen)
	if n := len(strings.Fields(h.header.Get("webhook-signature"))); n != 2 {
		t.Fatalf("%d signatures during a rotation, want 2", n)
	}
	for _, secret := range []string{ep.Secret, rotated.Secret} {
		v, _ := vaultspay.NewVerifier(secret)
		if err := v.Verify(h.header, h.body, time.Now()); err != nil {
			t.Errorf("secret %s…: %v", secret[:10], err)
		}
	}

	// Deliveries: all succeeded; the receiver's first refusal cost one
	// of them (whichever reached it first) a second attempt.
	// A receiver has the body before the sender has the answer, so the
	// records settle a moment after the webhooks arrive: ask until they do.
	deliveries := settledDeliveries(t, vpc, ep.ID)
	if len(deliveries.Data) != 3 {
		t.Fatalf("%d deliveries, want 3", len(deliveries.Data))
	}
	attempts := 0
	for _, d := range deliveries.Data {
		attempts += d.Attempts
		if d.Status != deliverySucceeded || d.LastStatusCode == nil || *d.LastStatusCode != 200 {
			t.Errorf("delivery = %+v; want succeeded", d)
		}
	}
	if attempts != 4 {
		t.Errorf("%d attempts for 3 deliveries and one refusal, want 4", attempts)
	}

	// Redeliver sends the same event again.
	r = vpc.do("POST", "/webhooks/events/"+first.id+"/redeliver", map[string]any{"endpoint_id": ep.ID})
	if r.status != http.StatusAccepted {
		t.Fatalf("redeliver: %d %s", r.status, r.body)
	}
	if again := rc.next(t); again.id != first.id {
		t.Errorf("redelivered %s, want %s", again.id, first.id)
	}

	// A test event goes to this endpoint only, whatever it subscribes to.
	r = vpc.do("POST", "/webhooks/endpoints/"+ep.ID+"/test", nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("test: %d %s", r.status, r.body)
	}
	if h := rc.next(t); h.typ != vaultspay.EventWebhookTest {
		t.Errorf("test delivered %s", h.typ)
	}

	// Errors in VaultsPay's shape.
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		param        string
	}{
		{"POST", "/webhooks/endpoints", map[string]any{}, 400, "url"},
		{"POST", "/webhooks/endpoints", map[string]any{"url": "ftp://x"}, 400, "url"},
		{"POST", "/webhooks/endpoints", map[string]any{"url": rc.url, "enabled_events": []string{"card.exploded"}}, 400, "enabled_events[0]"},
		{"PATCH", "/webhooks/endpoints/" + ep.ID, map[string]any{"status": "paused"}, 400, "status"},
		{"POST", "/webhooks/endpoints/" + ep.ID + "/rotate", map[string]any{"expire_previous_in_seconds": -1}, 400, "expire_previous_in_seconds"},
		{"GET", "/webhooks/endpoints/we_nope", nil, 404, "id"},
		{"POST", "/webhooks/events/evt_nope/redeliver", nil, 404, "event_id"},
		{"POST", "/webhooks/events/" + first.id + "/redeliver", map[string]any{"endpoint_id": "we_nope"}, 404, "endpoint_id"},
		{"POST", "/webhooks/endpoints/" + ep.ID + "/test", map[string]any{"event_type": "nope"}, 400, "event_type"},
	} {
		r := vpc.do(tc.method, tc.path, tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, r.status, r.body, tc.status)
			continue
		}
		if e := r.vpErr(t); e.Param != tc.param {
			t.Errorf("%s %s: param %q, want %q", tc.method, tc.path, e.Param, tc.param)
		}
	}

	// Deleted endpoints vanish and get nothing more.
	if r := vpc.do("DELETE", "/webhooks/endpoints/"+ep.ID, nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := vpc.do("GET", "/webhooks/endpoints/"+ep.ID, nil); r.status != 404 {
		t.Errorf("deleted endpoint: %d", r.status)
	}
}

func TestVaultsPayEndpointListPages(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	vpc, _ := clients(t, s)
	var made []string
	for i := range 7 {
		var ep vaultspay.WebhookEndpoint
		vpc.do("POST", "/webhooks/endpoints", map[string]any{"url": "http://127.0.0.1:1/hook" + strings.Repeat("x", i)}).decode(t, &ep)
		made = append(made, ep.ID)
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		var page vaultspay.List[vaultspay.WebhookEndpoint]
		path := "/webhooks/endpoints?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		vpc.do("GET", path, nil).decode(t, &page)
		for _, ep := range page.Data {
			seen = append(seen, ep.ID)
		}
		if page.NextCursor == nil {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		cursor = *page.NextCursor
	}
	if len(seen) != len(made) {
		t.Fatalf("listed %v, made %v", seen, made)
	}
	for i := range made {
		if seen[i] != made[len(made)-1-i] {
			t.Fatalf("listed %v, want newest first of %v", seen, made)
		}
	}
}

func TestSimulatorTrafficArrivesSignedWithDeclines(t *testing.T) {
	vprc, vyrc := newReceiver(t, 0), newReceiver(t, 0)
	s := newTestServer(t, Config{Seed: 6, Rate: 400, VaultsPayWebhookURLs: []string{vprc.url}, VydapayWebhookURLs: []string{vyrc.url}})
	running(t, s)
	cfg := s.Config()
	vpv, _ := vaultspay.NewVerifier(cfg.VaultsPayWebhookSecret)
	vyv, _ := vydapay.NewVerifier(cfg.VydapayWebhookSecret)
	for _, tc := range []struct {
		rc *receiver
		v  api.WebhookScheme
	}{{vprc, vpv}, {vyrc, vyv}} {
		declines, authorised := 0, 0
		for declines < 5 || authorised < 20 {
			h := tc.rc.next(t)
			if err := tc.v.Verify(h.header, h.body, time.Now()); err != nil {
				t.Fatalf("%s: %v", tc.v.Provider(), err)
			}
			ev, err := tc.v.Parse(h.body)
			if err != nil {
				t.Fatalf("%s: parse %s: %v", tc.v.Provider(), h.body, err)
			}
			switch ev.Type {
			case api.EventTxDeclined:
				declines++
				// VaultsPay names a reason; Vydapay, as its reference, none.
				want := api.Decline{Reason: api.DeclineNotGiven}
				if d := ev.Transaction; d != nil && d.Decline != nil && tc.v.Provider() == vaultspay.Provider {
					want = *d.Decline
					if !want.Reason.Known() || want.Reason == api.DeclineNotGiven || want.Code == "" {
						t.Errorf("%s: decline without a known reason: %s", tc.v.Provider(), h.body)
					}
				}
				if ev.Transaction == nil || ev.Transaction.Decline == nil || *ev.Transaction.Decline != want {
					t.Errorf("%s: decline %s, want %+v", tc.v.Provider(), h.body, want)
				}
			case api.EventTxAuthorized:
				authorised++
			}
		}
	}
}

// settledDeliveries lists an endpoint's deliveries once none is pending.
func settledDeliveries(t *testing.T, c client, endpointID string) vaultspay.List[vaultspay.Delivery] {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var list vaultspay.List[vaultspay.Delivery]
		c.do("GET", "/webhooks/endpoints/"+endpointID+"/deliveries?limit=100", nil).decode(t, &list)
		pending := false
		for _, d := range list.Data {
			pending = pending || d.Status == deliveryPending
		}
		if !pending {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries still pending: %+v", list.Data)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Run lasts as long as its context even with no simulation and no
// endpoint: endpoints registered later must still get their events.
func TestRunWithoutTrafficDeliversToLaterEndpoints(t *testing.T) {
	s := newTestServer(t, Config{Seed: 8})
	vpc, _ := clients(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	rc := newReceiver(t, 0)
	vpc.do("POST", "/webhooks/endpoints", map[string]any{"url": rc.url})
	id := someActiveCard(t, vpc, "/cards")
	vpc.do("POST", "/cards/"+id+"/freeze", nil)
	if h := rc.next(t, vaultspay.EventCardFrozen); h.id == "" {
		t.Fatal("no event id")
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned before its context ended: %v", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil on cancel", err)
	}
}
