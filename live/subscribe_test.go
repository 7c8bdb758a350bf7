package live_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carddesk/carddesk/live"
)

// scriptedRelay plays one script per connection, so that the client's
// handling of each frame and failure can be checked exactly.
type scriptedRelay struct {
	t       *testing.T
	seen    chan live.State // every state the test observed, in order
	afters  chan string     // the after parameter of each connection
	scripts []func(w http.ResponseWriter, r *http.Request)
	mu      sync.Mutex
	n       int
}

func (s *scriptedRelay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.n
	s.n++
	s.mu.Unlock()
	s.afters <- r.URL.Query().Get("after")
	if i >= len(s.scripts) {
		http.Error(w, `{"error":"no more scripts"}`, http.StatusUnauthorized)
		return
	}
	s.scripts[i](w, r)
}

func (s *scriptedRelay) upgrade(w http.ResponseWriter, r *http.Request) *websocket.Conn {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		s.t.Error(err)
		return nil
	}
	return c
}

func scriptSend(c *websocket.Conn, frames ...string) {
	for _, f := range frames {
		_ = c.WriteMessage(websocket.TextMessage, []byte(f))
	}
}

// waitSeen blocks until the test has observed state want next.
func (s *scriptedRelay) waitSeen(want live.State) {
	select {
	case got := <-s.seen:
		if got != want {
			s.t.Errorf("observed %v, want %v next", got, want)
		}
	case <-time.After(streamAwait):
		s.t.Errorf("state %v never observed", want)
	}
}

func scriptEvent(seq int) string {
	return `{"seq":` + strconv.Itoa(seq) + `,"provider":"vydapay","event_id":"` + streamEventID(seq) +
		`","type":"card.frozen","occurred_at":"2026-01-02T03:04:05Z","received_at":"2026-01-02T03:04:06Z","event":{"id":"x"}}`
}

func scriptEvents(seqs ...int) string {
	parts := make([]string, len(seqs))
	for i, s := range seqs {
		parts[i] = scriptEvent(s)
	}
	return `{"type":"events","events":[` + strings.Join(parts, ",") + `]}`
}

// The client follows the protocol frame by frame: it delivers events in
// order and drops duplicates, reports live and behind, ignores unknown
// frame types, drops the connection on a malformed frame or an error frame
// and resumes after its last seq, and reports a refusal.
func TestSubscribeFollowsProtocol(t *testing.T) {
	rel := &scriptedRelay{t: t, seen: make(chan live.State, 100), afters: make(chan string, 100)}
	refused := make(chan struct{})
	rel.scripts = []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) {
			c := rel.upgrade(w, r)
			defer c.Close()
			scriptSend(c, scriptEvents(1, 2, 3), `{"type":"live","seq":3}`)
			rel.waitSeen(live.StateLive)
			scriptSend(c, `{"type":"behind","seq":3}`)
			rel.waitSeen(live.StateBehind)
			scriptSend(c, scriptEvents(3, 4, 5), `{"type":"live","seq":5}`)
			rel.waitSeen(live.StateLive)
			scriptSend(c, `{"type":"welcome","seq":9}`, `{"type":"events","events":[{"seq":`)
			_, _, _ = c.ReadMessage() // until the client drops
		},
		func(w http.ResponseWriter, r *http.Request) {
			rel.waitSeen(live.StateOffline)
			rel.waitSeen(live.StateConnecting)
			c := rel.upgrade(w, r)
			defer c.Close()
			scriptSend(c, scriptEvents(4, 5, 6), `{"type":"live","seq":6}`)
			rel.waitSeen(live.StateLive)
			scriptSend(c, `{"type":"error","message":"relay shutting down"}`)
			_, _, _ = c.ReadMessage()
		},
		func(w http.ResponseWriter, _ *http.Request) {
			rel.waitSeen(live.StateOffline)
			rel.waitSeen(live.StateConnecting)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"wrong bearer token"}`))
			close(refused)
		},
	}
	srv := httptest.NewServer(rel)
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithCancel(t.Context())
	sub := live.Subscribe(ctx, live.SubscribeConfig{
		URL:   strings.Replace(srv.URL, "http", "ws", 1) + "/v1/stream",
		Token: "t",
		// Offline lasts at least MinBackoff: long enough to be observed.
		MinBackoff: 100 * time.Millisecond,
		MaxBackoff: time.Hour, // after the refusal, it waits: the test ends first
	})
	if st := <-sub.States(); st != live.StateConnecting {
		t.Fatalf("first state %v", st)
	}
	go func() {
		for st := range sub.States() {
			rel.seen <- st
		}
		close(rel.seen)
	}()
	var got [][]uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for batch := range sub.Events() {
			var seqs []uint64
			for _, r := range batch {
				seqs = append(seqs, r.Seq)
			}
			got = append(got, seqs)
		}
	}()

	select {
	case <-refused:
	case <-time.After(streamAwait):
		t.Fatal("the script did not reach the refusal")
	}
	rel.waitSeen(live.StateOffline)
	var se *live.StatusError
	if err := sub.Err(); !errors.As(err, &se) || se.Code != 401 || se.Reason != "wrong bearer token" {
		t.Errorf("Err() = %v, want the 401", err)
	}
	if sub.State() != live.StateOffline {
		t.Errorf("State() = %v, want offline", sub.State())
	}
	cancel()
	<-done
	if want := [][]uint64{{1, 2, 3}, {4, 5}, {6}}; !reflect.DeepEqual(got, want) {
		t.Errorf("delivered %v, want %v", got, want)
	}
	if sub.LastSeq() != 6 {
		t.Errorf("LastSeq() = %d, want 6", sub.LastSeq())
	}
	var afters []string
	for range 3 {
		afters = append(afters, <-rel.afters)
	}
	if want := []string{"0", "5", "6"}; !reflect.DeepEqual(afters, want) {
		t.Errorf("connected with after %v, want %v", afters, want)
	}
}

func TestSubscribeBadURL(t *testing.T) {
	tests := []struct{ url, want string }{
		{"ftp://relay/v1/stream", "scheme must be ws or wss"},
		{"ws:///v1/stream", "no host"},
		{"://nope", "bad stream URL"},
	}
	for _, tt := range tests {
		sub := live.Subscribe(t.Context(), live.SubscribeConfig{URL: tt.url, MaxBackoff: streamAwait})
		awaitStreamState(t, sub.States(), live.StateOffline)
		if err := sub.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("URL %q: Err() = %v, want %q", tt.url, err, tt.want)
		}
	}
}

// Subscribing to an https URL without a path talks wss to /v1/stream.
func TestSubscribeURLForms(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	if err := f.appendEvents(t.Context(), 1, 2, 2, 10, nil); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{f.srv.URL, f.srv.URL + "/", f.url} {
		sub := live.Subscribe(t.Context(), live.SubscribeConfig{URL: u, Token: streamToken})
		streamCollect(t, sub, 0, 2, nil)
	}
}

func TestStateString(t *testing.T) {
	for st, want := range map[live.State]string{
		live.StateConnecting: "connecting", live.StateLive: "live",
		live.StateBehind: "behind", live.StateOffline: "offline", live.State(42): "unknown",
	} {
		if st.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(st), st.String(), want)
		}
	}
}

// A connection on which nothing arrives, not even a ping, is dropped after
// IdleTimeout and the subscription reconnects.
func TestSubscribeIdleTimeout(t *testing.T) {
	rel := &scriptedRelay{t: t, afters: make(chan string, 100)}
	quiet := func(w http.ResponseWriter, r *http.Request) {
		c := rel.upgrade(w, r)
		defer c.Close()
		scriptSend(c, `{"type":"live","seq":0}`)
		_, _, _ = c.ReadMessage() // until the client gives up
	}
	rel.scripts = []func(http.ResponseWriter, *http.Request){quiet, quiet}
	srv := httptest.NewServer(rel)
	t.Cleanup(srv.Close)
	live.Subscribe(t.Context(), live.SubscribeConfig{
		URL:         srv.URL,
		IdleTimeout: 50 * time.Millisecond,
		MinBackoff:  time.Millisecond,
	})
	for i := range 2 {
		select {
		case <-rel.afters:
		case <-time.After(streamAwait):
			t.Fatalf("connection %d never came", i+1)
		}
	}
}
