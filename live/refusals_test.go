package live_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// refusedLines are the log's "webhook refused" lines, decoded.
func refusedLines(t *testing.T, log *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var m map[string]any
		if line == "" || json.Unmarshal([]byte(line), &m) != nil || m["msg"] != "webhook refused" {
			continue
		}
		out = append(out, m)
	}
	return out
}

// healthRefused is the refusals of a /healthz answer with the token.
func healthRefused(t *testing.T, f *relayFixture) map[string]struct {
	LastHour uint64    `json:"last_hour"`
	LastAt   time.Time `json:"last_at"`
	Provider string    `json:"provider"`
} {
	t.Helper()
	status, body := getWith(t, f.url+"/healthz", f.token)
	var h struct {
		Refused map[string]struct {
			LastHour uint64    `json:"last_hour"`
			LastAt   time.Time `json:"last_at"`
			Provider string    `json:"provider"`
		} `json:"refused"`
	}
	if err := json.Unmarshal([]byte(body), &h); status != http.StatusOK || err != nil || h.Refused == nil {
		t.Fatalf("/healthz with the token: %d %s (%v)", status, body, err)
	}
	return h.Refused
}

// Webhooks signed with a secret the relay does not hold were refused with
// a word only in /metrics. Now each refusal is logged — a burst, then a
// few a second, the next line counting those left out — and /healthz
// (with the token) tells the last hour's by reason, with the last time.
func TestRefusedWebhooksAreLoggedBoundedAndInHealthz(t *testing.T) {
	log := &syncBuffer{}
	f := newPlainLogRelay(t, log)
	f.clock.freeze()
	wrong := []string{vaultspay.NewSecret()}
	post := func(id string, ts time.Time) reply {
		t.Helper()
		body := vaultspayBody(id)
		return f.post(t, http.MethodPost, vaultspay.Provider, vaultspayHeaders(t, wrong, id, ts, body), body)
	}

	const flood = 30
	for i := range flood {
		if r := post("evt_wrong_"+string(rune('a'+i)), f.clock.Now()); r.Status != http.StatusUnauthorized || r.Error != "signature mismatch" {
			t.Fatalf("delivery %d with the wrong secret: %+v", i, r)
		}
	}
	lines := refusedLines(t, log)
	if len(lines) == 0 || len(lines) >= flood {
		t.Fatalf("%d refused deliveries at one instant logged %d lines; want a bounded burst", flood, len(lines))
	}
	burst := len(lines)
	first := lines[0]
	if first["reason"] != "signature_mismatch" || first["provider"] != "vaultspay" || !strings.Contains(first["hint"].(string), "secret") {
		t.Errorf("the first line: %v", first)
	}

	// A second on: one more line, saying how many went unlogged.
	f.clock.advance(time.Second)
	post("evt_wrong_late", f.clock.Now())
	lines = refusedLines(t, log)
	if len(lines) != burst+1 {
		t.Fatalf("%d lines after a second, want %d", len(lines), burst+1)
	}
	if got := lines[burst]["not_logged_before_this"]; got != float64(flood-burst) {
		t.Errorf("the line after the burst says %v were not logged, want %d", got, flood-burst)
	}
	stale := post("evt_stale", f.clock.Now().Add(-10*time.Minute))
	if stale.Status != http.StatusUnauthorized || stale.Error != "stale timestamp" {
		t.Fatalf("stale delivery: %+v", stale)
	}

	tests := []struct {
		reason string
		want   uint64
	}{
		{"signature_mismatch", flood + 1},
		{"timestamp_stale", 1},
	}
	refused := healthRefused(t, f)
	for _, tt := range tests {
		r, ok := refused[tt.reason]
		if !ok || r.LastHour != tt.want || r.Provider != "vaultspay" || !r.LastAt.Equal(f.clock.Now()) {
			t.Errorf("/healthz refused[%s] = %+v (present %v); want %d in the last hour, the last at %v", tt.reason, r, ok, tt.want, f.clock.Now())
		}
	}
	if status, body := getWith(t, f.url+"/healthz", ""); status != http.StatusOK || strings.Contains(body, "refused") {
		t.Errorf("/healthz without the token: %d %s; want the status alone", status, body)
	}

	// An hour on, they have left the window.
	f.clock.advance(time.Hour + time.Minute)
	if refused := healthRefused(t, f); len(refused) != 0 {
		t.Errorf("an hour later /healthz still counts %v", refused)
	}
}
