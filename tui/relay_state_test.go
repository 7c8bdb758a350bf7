package tui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
	"github.com/carddesk/carddesk/tui/backend"
)

// stoppableRelay is a relay on a real SQLite file over real HTTP, which a test
// can stop.
type stoppableRelay struct {
	t      *testing.T
	url    string // http://host:port
	token  string
	secret string // its VaultsPay webhook secret
	stop   func()
}

func startStoppableRelay(t *testing.T) *stoppableRelay {
	t.Helper()
	r := &stoppableRelay{t: t, token: "relay-state-test-token-0123456789", secret: vaultspay.NewSecret()}
	verifier, err := vaultspay.NewVerifier(r.secret)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(context.Background(), t.TempDir()+"/relay.db", sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: r.token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: verifier}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(relay.Handler())
	r.url = ts.URL
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		shut, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		if err := relay.Shutdown(shut); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
		ts.Close()
	}
	t.Cleanup(r.stop)
	return r
}

// post sends a signed webhook for a decline on card c.
func (r *stoppableRelay) post(c api.Card, id string) {
	r.t.Helper()
	body := vaultspayDeclineWebhook(r.t, c, "STATES SHOP")
	body = bytes.Replace(body, []byte("evt_webhook_live"), []byte(id), 1)
	body = bytes.Replace(body, []byte("txn_webhook_live"), []byte("txn_"+id), 1)
	h, err := vaultspay.Sign([]string{r.secret}, id, time.Now(), body)
	if err != nil {
		r.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, r.url+"/webhooks/vaultspay", bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("post the webhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		r.t.Fatalf("the relay answered the webhook %s", resp.Status)
	}
}

// viewHead is the first line of a tab's first screen, as drawn.
func viewHead(m *model, tab int) string {
	sc := m.tabs[tab][0]
	line, _, _ := strings.Cut(ansi.Strip(sc.View(m.ctx, m.ctx.Width, 10)), "\n")
	return line
}

// With the relay stopped, a wrong token or a wrong stream path, the Live
// and Declines views say they are not current, why, and how old what they
// show is, and the header says which: they said "● live" and "no spike",
// and the header "relay offline" for all three.
func TestLiveAndDeclinesSayWhenNotCurrent(t *testing.T) {
	tests := []struct {
		name string
		// path and token are the subscription's; "" is the relay's own.
		path, token string
		// stop stops the relay once the dashboard has seen it live.
		stop   bool
		header string
		why    string
	}{
		{name: "relay stopped", stop: true, header: "relay offline since ", why: "not current: relay offline since "},
		{name: "wrong token", token: "not-the-relay-token-0123456789", header: "relay token refused", why: "not current: the relay refused this dashboard's token (401 unauthorized"},
		{name: "wrong stream path", path: "/v1/streams", header: "relay stream path not found", why: "not current: the relay has no stream at the configured path (404 not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			book := newLiveBook(t)
			relay := startStoppableRelay(t)
			path, token := "/v1/stream", relay.token
			if tt.path != "" {
				path = tt.path
			}
			if tt.token != "" {
				token = tt.token
			}
			subCtx, stopSub := context.WithCancel(context.Background())
			t.Cleanup(stopSub)
			sub := live.Subscribe(subCtx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(relay.url, "http") + path, Token: token,
				MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
			be := backend.New(backend.Config{Client: book.client, Relay: sub})
			s := &rootSession{startDashboard(t, Options{Backend: be, Actor: backend.Actor{Agent: "alice", Role: backend.RoleAgent}}, nil)}
			s.keys("3")
			if tt.stop {
				for i := range 3 {
					relay.post(book.cards[i], fmt.Sprintf("evt_states_%d", i))
				}
				s.await("the events, live", func(m *model) bool {
					return m.ctx.Ring.Total() == 3 && strings.Contains(viewHead(m, tabLive), "● live") &&
						strings.Contains(headerLine(m), "relay live")
				})
				s.keys("4")
				s.await("Declines with the events", func(m *model) bool {
					return strings.Contains(viewHead(m, tabDeclines), "no spike") || strings.Contains(viewHead(m, tabDeclines), "▲")
				})
				s.keys("3")
				relay.stop()
			}
			s.await("the header to say "+tt.header, func(m *model) bool { return strings.Contains(headerLine(m), tt.header) })
			s.await("Live to say "+tt.why, func(m *model) bool { return strings.Contains(viewHead(m, tabLive), tt.why) })
			var liveHead, declinesHead, header string
			s.keys("4")
			s.inspect(func(m *model) {
				liveHead, declinesHead, header = viewHead(m, tabLive), viewHead(m, tabDeclines), headerLine(m)
			})
			for what, head := range map[string]string{"Live": liveHead, "Declines": declinesHead} {
				if !strings.Contains(head, tt.why) || strings.Contains(head, "● live") || strings.Contains(head, "no spike") {
					t.Errorf("%s says %q; want %q, and neither live nor no spike", what, head, tt.why)
				}
			}
			var logged bool
			s.inspect(func(m *model) {
				for i := range m.ctx.messages.Len() {
					if msg := m.ctx.messages.newest(i); msg.Error && strings.Contains("○ not current: "+strings.TrimPrefix(msg.Text, "Live and Declines not current: "), tt.why) {
						logged = true
					}
				}
			})
			if !logged {
				t.Errorf("the message log does not say %q", tt.why)
			}
			want := "no events received yet"
			if tt.stop {
				want = "showing events up to "
			}
			if !strings.Contains(liveHead, want) {
				t.Errorf("Live says %q; want it to say %q", liveHead, want)
			}
			if tt.stop {
				since := clockText(sub.Down())
				if !strings.Contains(header, "relay offline since "+since) || !strings.Contains(liveHead, "relay offline since "+since) {
					t.Errorf("header %q, Live %q; want both offline since %s", header, liveHead, since)
				}
			}
		})
	}
}
