package tui

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// relayRig is a real relay on a SQLite file taking both providers' signed
// webhooks, and a subscription to its stream for a backend.
type relayRig struct {
	url                string
	vpSecret, vySecret string
	sub                *live.Subscription
	store              *sqlitestore.Store
	// refused counts the deliveries the relay did not take (any answer
	// but 200); refusals keeps the last few, status and body.
	mu       sync.Mutex
	refused  int
	refusals []string
}

// refusedSoFar is how many deliveries the relay refused, and the last few.
func (r *relayRig) refusedSoFar() (int, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused, append([]string(nil), r.refusals...)
}

// count records the relay's answer to a webhook.
func (r *relayRig) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if strings.HasPrefix(req.URL.Path, "/webhooks/") && rec.Code != http.StatusOK {
			r.mu.Lock()
			r.refused++
			if len(r.refusals) < 5 {
				r.refusals = append(r.refusals, strconv.Itoa(rec.Code)+" "+rec.Body.String())
			}
			r.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func newRelayRig(t *testing.T) *relayRig {
	t.Helper()
	r := &relayRig{vpSecret: vaultspay.NewSecret(), vySecret: vydapay.NewSecret()}
	vpv, err := vaultspay.NewVerifier(r.vpSecret)
	if err != nil {
		t.Fatal(err)
	}
	vyv, err := vydapay.NewVerifier(r.vySecret)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(context.Background(), t.TempDir()+"/relay.db", sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	const token = "tolerant-test-token-0123456789"
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: vpv, vydapay.Provider: vyv}})
	if err != nil {
		t.Fatal(err)
	}
	r.store = store
	// Webhooks through a recorder, so that the test sees every answer;
	// the stream's websocket straight to the relay.
	mux := http.NewServeMux()
	mux.Handle("/webhooks/", r.count(relay.Handler()))
	mux.Handle("/", relay.Handler())
	ts := httptest.NewServer(mux)
	subCtx, stopSub := context.WithCancel(context.Background())
	t.Cleanup(func() {
		stopSub()
		ts.Close()
		shut, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		if err := relay.Shutdown(shut); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
	})
	r.url = ts.URL
	r.sub = live.Subscribe(subCtx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/stream", Token: token})
	return r
}

// postVydapay delivers a body as Vydapay signs it, and wants it taken.
func (r *relayRig) postVydapay(t *testing.T, body []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.url+"/webhooks/vydapay", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(vydapay.SignatureHeader, vydapay.Sign(r.vySecret, body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post the webhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the relay answered the webhook %s", resp.Status)
	}
}
