package live_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// getWith GETs url, with the bearer token when token is set, and returns
// the status and the body.
func getWith(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestMainListenerHidesCountsWithoutTheToken: on the listener providers
// and dashboards reach, /healthz tells whoever has no token only "ok" or
// "degraded" (enough for a load balancer), and /metrics is refused; with
// the stream's token both are whole.
func TestMainListenerHidesCountsWithoutTheToken(t *testing.T) {
	f := newRelayFixture(t)
	f.subscribe(t, 0)
	if r := f.postVydapay(t, vydapayBody("evt_a1")); r.Status != http.StatusOK {
		t.Fatal(r)
	}
	for _, token := range []string{"", "wrong-token-0123456789"} {
		status, body := getWith(t, f.url+"/healthz", token)
		if status != http.StatusOK || strings.TrimSpace(body) != `{"status":"ok"}` {
			t.Errorf("/healthz with token %q: %d %s, want 200 and the status alone", token, status, body)
		}
		status, body = getWith(t, f.url+"/metrics", token)
		if status != http.StatusUnauthorized || strings.Contains(body, "carddesk_relay") {
			t.Errorf("/metrics with token %q: %d %.80s, want 401", token, status, body)
		}
	}
	status, body := getWith(t, f.url+"/healthz", f.token)
	var h struct {
		Subscribers *int `json:"subscribers"`
		Store       *struct {
			LastSeq uint64 `json:"last_seq"`
		} `json:"store"`
	}
	if err := json.Unmarshal([]byte(body), &h); status != http.StatusOK || err != nil || h.Subscribers == nil || *h.Subscribers != 1 || h.Store == nil || h.Store.LastSeq != 1 {
		t.Errorf("/healthz with the token: %d %s", status, body)
	}
	if status, body := getWith(t, f.url+"/metrics", f.token); status != http.StatusOK || !strings.Contains(body, "carddesk_relay_events_accepted_total") {
		t.Errorf("/metrics with the token: %d %.80s", status, body)
	}

	// Degraded is said to everyone, with the status a balancer acts on.
	f.gate.failHealth.Store(true)
	f.clock.advance(time.Second)
	if status, body := getWith(t, f.url+"/healthz", ""); status != http.StatusServiceUnavailable || strings.TrimSpace(body) != `{"status":"degraded"}` {
		t.Errorf("/healthz degraded, no token: %d %s", status, body)
	}
}

// TestOpsHandlerServesHealthAndMetricsOnly: the operations handler gives
// /healthz and /metrics whole without a token, and nothing else of the
// relay.
func TestOpsHandlerServesHealthAndMetricsOnly(t *testing.T) {
	f := newRelayFixture(t)
	ops := httptest.NewServer(f.relay.OpsHandler())
	t.Cleanup(ops.Close)
	if status, body := getWith(t, ops.URL+"/healthz", ""); status != http.StatusOK || !strings.Contains(body, `"subscribers":0`) {
		t.Errorf("ops /healthz: %d %s", status, body)
	}
	if status, body := getWith(t, ops.URL+"/metrics", ""); status != http.StatusOK || !strings.Contains(body, "carddesk_relay_subscribers") {
		t.Errorf("ops /metrics: %d %.80s", status, body)
	}
	for _, path := range []string{"/v1/stream", "/webhooks/vydapay"} {
		if status, _ := getWith(t, ops.URL+path, f.token); status != http.StatusNotFound {
			t.Errorf("ops %s: %d, want 404", path, status)
		}
	}
}
