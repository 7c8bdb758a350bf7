package live_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

func TestStreamRefusals(t *testing.T) {
	f := newStreamFixture(t, streamOptions{origins: []string{"https://desk.example.com", "http://127.0.0.1:8780"}})
	if err := f.appendEvents(t.Context(), 1, 3, 3, 10, nil); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL + "/v1/stream"
	bearer := "Bearer " + streamToken
	tests := []struct {
		name    string
		method  string
		query   string
		header  map[string][]string
		want    int
		wantErr string
	}{
		{"no token", "GET", "", nil, 401, "missing bearer token"},
		{"wrong token", "GET", "", map[string][]string{"Authorization": {"Bearer nope"}}, 401, "wrong bearer token"},
		{"token prefix", "GET", "", map[string][]string{"Authorization": {bearer[:len(bearer)-1]}}, 401, "wrong bearer token"},
		{"basic auth", "GET", "", map[string][]string{"Authorization": {"Basic dXNlcjpwYXNz"}}, 401, "not a bearer token"},
		{"empty bearer", "GET", "", map[string][]string{"Authorization": {"Bearer "}}, 401, "not a bearer token"},
		{"foreign origin", "GET", "", map[string][]string{"Authorization": {bearer}, "Origin": {"https://evil.example.com"}}, 403, "origin not allowed"},
		{"origin on another port", "GET", "", map[string][]string{"Authorization": {bearer}, "Origin": {"http://127.0.0.1:8781"}}, 403, "origin not allowed"},
		{"two origins", "GET", "", map[string][]string{"Authorization": {bearer}, "Origin": {"https://desk.example.com", "https://evil.example.com"}}, 403, "origin not allowed"},
		{"negative after", "GET", "?after=-1", map[string][]string{"Authorization": {bearer}}, 400, "not a non-negative integer"},
		{"signed after", "GET", "?after=+1", map[string][]string{"Authorization": {bearer}}, 400, "not a non-negative integer"},
		{"word after", "GET", "?after=abc", map[string][]string{"Authorization": {bearer}}, 400, "not a non-negative integer"},
		{"fractional after", "GET", "?after=1.5", map[string][]string{"Authorization": {bearer}}, 400, "not a non-negative integer"},
		{"empty after", "GET", "?after=", map[string][]string{"Authorization": {bearer}}, 400, "after is empty"},
		{"after twice", "GET", "?after=1&after=2", map[string][]string{"Authorization": {bearer}}, 400, "after given 2 times"},
		{"after overflows", "GET", "?after=18446744073709551616", map[string][]string{"Authorization": {bearer}}, 400, "out of range"},
		{"after beyond the store", "GET", "?after=4", map[string][]string{"Authorization": {bearer}}, 400, "beyond the relay's last seq 3"},
		{"epoch with a control", "GET", "?after=1&epoch=ab%1Bcd", map[string][]string{"Authorization": {bearer}}, 400, "only letters, digits, - and _"},
		{"epoch too long", "GET", "?after=1&epoch=" + strings.Repeat("a", 65), map[string][]string{"Authorization": {bearer}}, 400, "at most 64"},
		{"epoch twice", "GET", "?after=1&epoch=a&epoch=b", map[string][]string{"Authorization": {bearer}}, 400, "epoch given 2 times"},
		{"POST", "POST", "", map[string][]string{"Authorization": {bearer}}, 405, "use GET"},
		{"DELETE without token", "DELETE", "", nil, 405, "use GET"},
		{"not a websocket", "GET", "?after=1", map[string][]string{"Authorization": {bearer}}, 400, "websocket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, base+tt.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error string `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("status %d, body not JSON: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tt.want || !strings.Contains(body.Error, tt.wantErr) {
				t.Errorf("got %d %q, want %d with %q", resp.StatusCode, body.Error, tt.want, tt.wantErr)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.want == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestStreamAdmits(t *testing.T) {
	f := newStreamFixture(t, streamOptions{origins: []string{"https://desk.example.com/"}})
	if err := f.appendEvents(t.Context(), 1, 3, 3, 10, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		query  string
		header http.Header
		first  string // first frame type
	}{
		{"no origin", "?after=0", http.Header{"Authorization": {"Bearer " + streamToken}}, "events"},
		{"allowed origin, any case", "?after=1", http.Header{"Authorization": {"bearer " + streamToken}, "Origin": {"https://DESK.example.com"}}, "events"},
		{"no after means 0", "", http.Header{"Authorization": {"Bearer " + streamToken}}, "events"},
		{"after the last", "?after=3", http.Header{"Authorization": {"Bearer " + streamToken}}, "live"},
		{"leading zeros", "?after=003", http.Header{"Authorization": {"Bearer " + streamToken}}, "live"},
		{"this store's epoch", "?after=3&epoch=" + f.store.Epoch(), http.Header{"Authorization": {"Bearer " + streamToken}}, "live"},
		{"empty epoch: not known", "?after=3&epoch=", http.Header{"Authorization": {"Bearer " + streamToken}}, "live"},
		// A subscriber that followed another store, even beyond this
		// one's last seq, is told so and gets this one from its start.
		{"another store's epoch", "?after=9&epoch=0123456789abcdef0123456789abcdef", http.Header{"Authorization": {"Bearer " + streamToken}}, "reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, resp, err := dialStream(t, f.url+tt.query, tt.header, 0)
			if err != nil {
				t.Fatalf("dial: %v (status %v)", err, resp)
			}
			if got := resp.Header.Get(live.EpochHeader); got == "" || got != f.store.Epoch() {
				t.Errorf("upgrade answer names epoch %q, want the store's %q", got, f.store.Epoch())
			}
			fr := readStreamFrame(t, c)
			if fr.Type != tt.first {
				t.Fatalf("first frame %+v, want %s", fr, tt.first)
			}
			if fr.Type == "reset" {
				if fr.Epoch != f.store.Epoch() || !strings.Contains(fr.Message, "not the one this subscriber followed") {
					t.Errorf("reset frame %+v", fr)
				}
				if next := readStreamFrame(t, c); next.Type != "events" || len(next.Events) != 3 || next.Events[0].Seq != 1 {
					t.Errorf("after the reset: %+v, want this store's events from seq 1", next)
				}
			}
		})
	}
}

// A refused subscription says why in Err and goes offline.
func TestSubscribeReportsRefusal(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	sub := live.Subscribe(t.Context(), live.SubscribeConfig{URL: f.url, Token: "wrong", MaxBackoff: streamAwait})
	awaitStreamState(t, sub.States(), live.StateOffline)
	err := sub.Err()
	var se *live.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized {
		t.Fatalf("Err() = %v, want a 401 StatusError", err)
	}
	if want := "relay: 401 unauthorized: wrong bearer token"; err.Error() != want {
		t.Errorf("Err() = %q, want %q", err, want)
	}
}

// awaitStreamState receives states until want comes; it returns those seen
// before it.
func awaitStreamState(t testing.TB, states <-chan live.State, want live.State) []live.State {
	t.Helper()
	var seen []live.State
	timer := time.NewTimer(streamAwait)
	defer timer.Stop()
	for {
		select {
		case st, ok := <-states:
			if !ok {
				t.Fatalf("states closed before %v (saw %v)", want, seen)
			}
			if st == want {
				return seen
			}
			seen = append(seen, st)
		case <-timer.C:
			t.Fatalf("no state %v (saw %v)", want, seen)
		}
	}
}
