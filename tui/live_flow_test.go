package tui

import (
	"bytes"
	"context"
	"encoding/json"
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

// chanFeed is a relay feed a test pushes records into.
type chanFeed struct{ ch chan []live.Record }

func (f chanFeed) Events() <-chan []live.Record { return f.ch }
func (f chanFeed) State() live.State            { return live.StateLive }
func (f chanFeed) Err() error                   { return nil }

// rootSession is the whole dashboard with the Live and Declines views,
// run under the same harness as the other flows.
type rootSession struct{ *session }

// startRoot runs the dashboard over be at 120×40 (see startDashboard).
func startRoot(t *testing.T, be *backend.Backend) *rootSession {
	t.Helper()
	return &rootSession{startDashboard(t, Options{
		Backend: be,
		Actor:   backend.Actor{Agent: "alice", Session: "test", Role: backend.RoleSupervisor},
		Now:     liveNow,
	}, nil)}
}

// startDashboard runs the whole dashboard as runDashboard does: with the
// Live and Declines views, at 120×40, opts.Backend's Run beside it and a
// session context (opts.Context, when nil) that ends with the test. At the
// end it stops both, then calls after, if any. It waits until the
// dashboard listens to the backend's feed.
func startDashboard(t *testing.T, opts Options, after func()) *session {
	t.Helper()
	runCtx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	be := opts.Backend
	go func() { ran <- be.Run(runCtx) }()
	opts.Screens = LiveScreens
	if opts.Context == nil {
		opts.Context = runCtx
	}
	s := runSession(t, New(opts).(*model), 120, 40, func() {
		cancel()
		if err := <-ran; err != nil {
			t.Errorf("backend: %v", err)
		}
		if after != nil {
			after()
		}
	})
	s.await("the live feed", func(m *model) bool { return m.feed != nil })
	return s
}

// keys sends each key as the terminal sends it.
func (s *rootSession) keys(ks ...string) {
	for _, k := range ks {
		s.tm.Send(press(k))
	}
}

// liveTop is the Live screen, when it is the current one.
func liveTop(m *model) (*LiveScreen, bool) {
	l, ok := m.top().(*LiveScreen)
	return l, ok
}

// declineOf is a decline of card c at merchant.
func declineOf(c api.Card, id, merchant string, reason api.DeclineReason, at time.Time) api.Event {
	tx := &api.Transaction{ID: "tx_" + id, CardID: c.ID, UserID: c.UserID, Status: api.TxDeclined, Type: api.TxPurchase,
		Amount: api.Money{Amount: 4250, Currency: c.Currency}, Merchant: api.Merchant{Name: merchant, City: "London", Country: "GB"},
		Decline: &api.Decline{Reason: reason, Code: string(reason)}, CreatedAt: at}
	return api.Event{ID: "evt_" + id, Provider: "vaultspay", Type: api.EventTxDeclined, CreatedAt: at, Transaction: tx}
}

// TestLiveFreezeFromDecline: a decline streams into Live; with declines
// only it is on top; f asks to freeze its card, n leaves it active, y
// freezes it at the sandbox, and enter opens the card.
func TestLiveFreezeFromDecline(t *testing.T) {
	book := newLiveBook(t)
	var card api.Card
	for _, c := range book.cards {
		if c.Status == api.CardActive {
			card = c
			break
		}
	}
	if card.ID == "" {
		t.Fatal("no active card in the book")
	}
	feed := chanFeed{ch: make(chan []live.Record, 1)}
	s := startRoot(t, book.backend(feed))

	events := liveTraffic(book.cards, 20, false)
	events = append(events[:10], append([]api.Event{declineOf(card, "flow", "FLOW TEST SHOP", api.DeclineSuspectedFraud, liveNow())}, events[10:]...)...)
	for i := range events {
		if events[i].Type == api.EventTxDeclined && events[i].Transaction.CardID != card.ID {
			events[i].Type, events[i].Transaction.Status, events[i].Transaction.Decline = api.EventTxAuthorized, api.TxPending, nil
		}
	}
	recs := make([]live.Record, len(events))
	for i, ev := range events {
		rec, err := live.NewRecord(ev, liveNow())
		if err != nil {
			t.Fatal(err)
		}
		rec.Seq = uint64(i + 1)
		recs[i] = rec
	}
	feed.ch <- recs

	s.keys("3", "d")
	s.await("the decline on top of Live", func(m *model) bool {
		l, ok := liveTop(m)
		if !ok || m.ctx.Ring.Total() != uint64(len(recs)) {
			return false
		}
		c, ok := l.SelectedCard()
		return ok && c.ID == card.ID && strings.Contains(ansi.Strip(m.render()), "FLOW TEST SHOP")
	})

	s.keys("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.keys("n")
	s.await("the dialog to close", func(m *model) bool { return m.dialog == nil })
	if st := sandboxStatus(t, book, card.ID); st != api.CardActive {
		t.Fatalf("after n the sandbox has the card %s, want active", st)
	}

	s.keys("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.keys("y")
	s.await("the freeze", func(m *model) bool {
		l, _ := liveTop(m)
		c, _ := l.SelectedCard()
		return m.dialog == nil && strings.Contains(m.flashText(), "frozen") && c.Status == api.CardFrozen
	})
	if st := sandboxStatus(t, book, card.ID); st != api.CardFrozen {
		t.Fatalf("after y the sandbox has the card %s, want frozen", st)
	}

	s.keys("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.id == card.ID
	})
}

// sandboxStatus asks the sandbox directly, past the dashboard's cache.
func sandboxStatus(t *testing.T, book *liveBook, id string) api.CardStatus {
	t.Helper()
	c, err := book.client.GetCard(context.Background(), id)
	if err != nil {
		t.Fatalf("get card %s: %v", id, err)
	}
	return c.Status
}

// TestWebhookReachesLive: a signed webhook POSTed to a real relay (SQLite
// store, hub, websocket stream) reaches the Live view through the
// subscription and the backend, with its decline reason.
func TestWebhookReachesLive(t *testing.T) {
	book := newLiveBook(t)
	secret := vaultspay.NewSecret()
	verifier, err := vaultspay.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub()
	store, err := sqlitestore.Open(context.Background(), t.TempDir()+"/relay.db", sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	const token = "live-view-test-token-0123456789"
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: verifier}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(relay.Handler())
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
	sub := live.Subscribe(subCtx, live.SubscribeConfig{URL: "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/stream", Token: token})
	s := startRoot(t, book.backend(sub))
	s.keys("3")

	card := book.cards[0]
	body := vaultspayDeclineWebhook(t, card, "WEBHOOK TEST SHOP")
	h, err := vaultspay.Sign([]string{secret}, "msg_live_view", time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/webhooks/vaultspay", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post the webhook: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("the relay answered the webhook %s", resp.Status)
	}
	s.await("the webhook in Live", func(m *model) bool {
		out := ansi.Strip(m.render())
		return strings.Contains(out, "WEBHOOK TEST SHOP") && strings.Contains(out, "✗ incorrect CVC") &&
			strings.Contains(out, "•••• "+card.LastFour)
	})
}

// vaultspayDeclineWebhook is a VaultsPay transaction.declined event body.
func vaultspayDeclineWebhook(t *testing.T, c api.Card, merchant string) []byte {
	t.Helper()
	id := c.ID
	data, err := json.Marshal(vaultspay.Transaction{
		ID: "txn_webhook_live", Object: "transaction", AccountID: c.AccountID, CardID: &id, UserID: c.UserID,
		Amount: 1999, Currency: c.Currency, Status: "declined", Type: "purchase",
		Merchant:  &vaultspay.Merchant{ID: "mer_1", Name: merchant, Category: "grocery_stores", MCC: "5411", City: "Dubai", Country: "AE"},
		Decline:   &vaultspay.Decline{Code: vaultspay.DeclineInvalidCVC, Message: "Incorrect CVC"},
		CreatedAt: time.Now().UTC().Format(time.RFC3339),
	})
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(vaultspay.Event{ID: "evt_webhook_live", Type: vaultspay.EventTxDeclined,
		Timestamp: time.Now().UTC().Format(time.RFC3339), APIVersion: vaultspay.APIVersion, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return body
}
