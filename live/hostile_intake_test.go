package live_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
)

// The relay answers and logs what it refuses. Both come from webhooks,
// which anyone on the internet can send: neither may carry an escape or a
// card number, whatever log handler the relay was given.

// syncBuffer is a log destination the test reads while the relay writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// decodedLog is every string of every JSON log line in s, decoded, one
// per line, so that the checks see what a reader of the log would.
func decodedLog(t *testing.T, s string) string {
	t.Helper()
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		for k, v := range m {
			fmt.Fprintf(&out, "%s=%v\n", k, v)
		}
	}
	return out.String()
}

// newPlainLogRelay is a relay over a real SQLite file, like
// newRelayFixture, logging with a plain JSON handler (no masking of its
// own) into log.
func newPlainLogRelay(t *testing.T, log *syncBuffer) *relayFixture {
	t.Helper()
	return newRelayFixtureLogging(t, slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

func checkSafe(t *testing.T, what, s string, pans []string) {
	t.Helper()
	for _, p := range append(safetexttest.Plain(s), safetexttest.CardNumbers(s, pans)...) {
		t.Errorf("%s: %s:\n%s", what, p, s)
	}
}

// checkInert is checkSafe without the markers of Inject.
func checkInert(t *testing.T, what, s string, pans []string) {
	t.Helper()
	for _, p := range append(safetexttest.Controls(s), safetexttest.CardNumbers(s, pans)...) {
		t.Errorf("%s: %s:\n%s", what, p, s)
	}
}

// TestHostileIntakeAnswersAndLogs: webhooks for both providers, signed,
// whose fields carry escapes and card numbers: the relay's refusals quote
// them safely, an event id that could act on a terminal is refused, and the
// event ids it logs are masked.
func TestHostileIntakeAnswersAndLogs(t *testing.T) {
	log := &syncBuffer{}
	f := newPlainLogRelay(t, log)
	pans := []string{safetexttest.PAN(31), safetexttest.PAN(32), safetexttest.PAN(33), safetexttest.PAN(34)}
	bad := func(i int) string { return safetexttest.Wrap("BAD") + " " + pans[i] }
	jq := func(s string) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	vp := func(id, body string) reply {
		b := []byte(body)
		return f.post(t, http.MethodPost, vaultspay.Provider, vaultspayHeaders(t, f.vpKeys[1:], id, time.Now(), b), b)
	}

	invalid := []struct {
		name string
		post func() reply
	}{
		{"vaultspay timestamp", func() reply {
			return vp("msg_1", fmt.Sprintf(`{"id":"evt_1","type":"card.frozen","timestamp":%s,"data":{}}`, jq(bad(0))))
		}},
		{"vaultspay id without type", func() reply {
			return vp("msg_2", fmt.Sprintf(`{"id":%s,"timestamp":"2026-04-24T14:52:03Z"}`, jq(bad(1))))
		}},
		{"vydapay id and created_at", func() reply {
			return f.postVydapay(t, fmt.Appendf(nil, `{"id":%s,"object":"event","type":"card.frozen","created_at":%s,"data":{"object":{}}}`, jq(bad(0)), jq(bad(3))))
		}},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.post()
			if r.Status != http.StatusBadRequest {
				t.Fatalf("answer %d %q, want 400", r.Status, r.Error)
			}
			checkSafe(t, "the relay's answer", r.Error, pans)
			if !strings.Contains(r.Error, "BAD") {
				t.Errorf("the answer %q does not quote what it refused", r.Error)
			}
		})
	}

	// An event whose envelope and signature are good is kept, whatever its
	// data holds (DESIGN §3): a status carddesk does not know, hostile or
	// not, and data it cannot read. What is stored has its card numbers
	// masked and its escapes inert; the screens clean the rest.
	kept := []struct {
		name string
		post func() reply
	}{
		{"vaultspay card status", func() reply {
			body := strings.Replace(string(vaultspayBody("evt_3")), `"status":"frozen"`, `"status":`+jq(bad(2)), 1)
			return vp("msg_3", body)
		}},
		{"vydapay transaction currency", func() reply {
			body := strings.Replace(string(vydapayBody("evt_5")), `"currency":"gbp"`, `"currency":`+jq(bad(1)), 1)
			return f.postVydapay(t, []byte(body))
		}},
	}
	for _, tt := range kept {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.post(); r.Status != http.StatusOK || r.Seq == 0 {
				t.Fatalf("answer %d %q, want 200 and a seq", r.Status, r.Error)
			}
		})
	}
	stored, err := f.store.After(context.Background(), 0, 10)
	if err != nil || len(stored) != len(kept) {
		t.Fatalf("the store holds %d events (%v), want %d", len(stored), err, len(kept))
	}
	for _, r := range stored {
		ev := string(r.Event)
		for _, p := range safetexttest.CardNumbers(ev, pans) {
			t.Errorf("a stored event: %s:\n%s", p, ev)
		}
		if strings.ContainsAny(ev, "\x1b\x07\u009b\u009d") {
			t.Errorf("a stored event holds a raw control:\n%q", ev)
		}
	}

	// An event id with an escape is refused before anything is stored or
	// logged: the answer names the character, not the id.
	hostileBody := strings.Replace(string(vaultspayBody("ID")), `"ID"`, jq(bad(3)), 1)
	if r := vp("msg_7", hostileBody); r.Status != http.StatusBadRequest || !strings.Contains(r.Error, "event id: character 0x1b") {
		t.Fatalf("a hostile event id: answer %d %q, want 400 naming the character", r.Status, r.Error)
	}

	// A store failure logs the event id: an id that carries a card
	// number is well formed, and masked in the log.
	id := "evt_" + safetexttest.PANTight(34)
	idBody := strings.Replace(string(vaultspayBody("ID")), `"ID"`, jq(id), 1)
	f.gate.failAppend.Store(true)
	r := vp("msg_6", idBody)
	if r.Status != http.StatusServiceUnavailable {
		t.Fatalf("with the store failing the answer is %d, want 503", r.Status)
	}
	logged := decodedLog(t, log.String())
	checkSafe(t, "the relay's log", logged, pans)
	if !strings.Contains(logged, "evt_•••• "+safetexttest.LastFour(pans[3])) {
		t.Errorf("the log does not name the event:\n%s", logged)
	}

	// Once the store is back the event is stored and streamed with its id
	// as sent: ids are what the provider calls the object, never masked.
	f.gate.failAppend.Store(false)
	sub := f.subscribe(t, uint64(len(stored))) // after the events kept above
	if r := vp("msg_6", idBody); r.Status/100 != 2 {
		t.Fatalf("answer %d %q", r.Status, r.Error)
	}
	recs := receive(t, sub, 1)
	if recs[0].EventID != id {
		t.Errorf("streamed event id %q, want it as sent", recs[0].EventID)
	}
}

// TestHostileSubscriberErrors: what a relay (or whatever answers in its
// place) says in a refusal or an error frame reaches the dashboard's
// header and the log clean, with card numbers masked.
func TestHostileSubscriberErrors(t *testing.T) {
	pan := safetexttest.PAN(35)
	// The subscriber turns controls into spaces, so the body of a sequence
	// may remain as inert text: no marker check here, only controls,
	// bidi, invisible characters and card numbers.
	msg := "\x1b]52;c;SEVJU1Q=\x07relay \u202edetsop\u202c \u009b2J\u200b" + pan + "\r\nend"
	upgrader := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("/refuse/v1/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
	})
	mux.HandleFunc("/frame/v1/stream", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		b, _ := json.Marshal(map[string]any{"type": "error", "message": msg})
		_ = c.WriteMessage(websocket.TextMessage, b)
		_, _, _ = c.ReadMessage() // until the subscriber hangs up
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	for _, path := range []string{"/refuse", "/frame"} {
		t.Run(path, func(t *testing.T) {
			log := &syncBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			sub := live.Subscribe(ctx, live.SubscribeConfig{
				URL: "ws" + strings.TrimPrefix(srv.URL, "http") + path + "/v1/stream", Token: "t",
				MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
				Logger: slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})),
			})
			timeout := time.NewTimer(awaitTimeout)
			defer timeout.Stop()
			for sub.Err() == nil || !strings.Contains(sub.Err().Error(), "relay") || !strings.Contains(sub.Err().Error(), "detsop") {
				select {
				case <-sub.States():
				case <-timeout.C:
					t.Fatalf("no error from the subscription: state %v, err %v", sub.State(), sub.Err())
				}
			}
			text := sub.Err().Error()
			checkInert(t, "the subscription's error", text, []string{pan})
			if !strings.Contains(text, "•••• "+safetexttest.LastFour(pan)) {
				t.Errorf("the error %q lost the masked number", text)
			}
			cancel()
			for range sub.Events() {
			}
			checkInert(t, "the subscriber's log", decodedLog(t, log.String()), []string{pan})
		})
	}
}
