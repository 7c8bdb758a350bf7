package tui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/tui/backend"
)

// TestDriftDashboard: the whole product against a drifting sandbox, for
// each provider — its webhooks through a real relay on SQLite, the
// backend, the dashboard. Every list loads; a card in a state carddesk
// does not know shows it as sent; every event the provider sends, of
// whatever type, is taken by the relay and reaches Live; no decline is
// blamed on the system for want of a reason.
func TestDriftDashboard(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) { driftDashboard(t, provider) })
	}
}

func driftDashboard(t *testing.T, provider string) {
	rig := newRelayRig(t)
	cfg := sandbox.Config{Seed: 9, RateLimit: -1, Drift: true, DeliveryBackoff: 10 * time.Millisecond,
		VaultsPayWebhookSecret: rig.vpSecret, VydapayWebhookSecret: rig.vySecret}
	if provider == vaultspay.Provider {
		cfg.VaultsPayWebhookURLs = []string{rig.url + "/webhooks/vaultspay"}
	} else {
		cfg.VydapayWebhookURLs = []string{rig.url + "/webhooks/vydapay"}
	}
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { _ = srv.Run(ctx); close(ran) }()
	t.Cleanup(func() { stop(); <-ran })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	var client api.Client
	if provider == vaultspay.Provider {
		client, err = vaultspay.New(vaultspay.Config{BaseURL: ts.URL + "/vaultspay/v1", Key: srv.Config().VaultsPayKey, Tuning: apiTuning()})
	} else {
		client, err = vydapay.New(vydapay.Config{BaseURL: ts.URL + "/vydapay/v1", Key: srv.Config().VydapayKey, Tuning: apiTuning()})
	}
	if err != nil {
		t.Fatal(err)
	}
	s := startRoot(t, backend.New(backend.Config{Client: client, Relay: rig.sub, Now: time.Now}))

	// Every list: users, a user, cards, a card in a state carddesk does
	// not know and its transactions.
	s.await("the users", func(m *model) bool { return m.usersLoaded() })
	s.keys("enter")
	s.await("a user's detail", func(m *model) bool {
		d, ok := topIs[*UserDetail](m)
		return ok && d.err == nil && !d.cards.loading && d.cards.err == nil && d.user.ID != ""
	})
	s.keys("2")
	var odd api.Card
	s.await("a card in a state carddesk does not know", func(m *model) bool {
		c, ok := topIs[*CardsScreen](m)
		if !ok || c.list.loading || c.list.err != nil {
			return false
		}
		for i, it := range c.list.items {
			if !it.Status.Known() {
				c.list.table.SetCursor(i, len(c.list.items))
				odd = it
				return true
			}
		}
		return false
	})
	if out := s.screen(); !strings.Contains(out, string(odd.Status)) {
		t.Errorf("the card's state %q does not show as sent:\n%s", odd.Status, out)
	}
	s.keys("enter")
	s.await("its detail and transactions", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.err == nil && !d.txs.loading && d.txs.err == nil && d.txs.gen > 0
	})
	if out := s.screen(); !strings.Contains(out, "Status   "+string(odd.Status)) {
		t.Errorf("the card's detail does not show its state %q:\n%s", odd.Status, out)
	}

	// Traffic: every card of the first page pays a few merchants; the
	// drifting provider adds events of types carddesk does not know.
	page, err := client.ListCards(context.Background(), api.CardFilter{Page: api.PageParams{Limit: 20}})
	if err != nil {
		t.Fatal(err)
	}
	merchants := sandbox.Merchants()
	paid := 0
	for i, c := range page.Items {
		for k := range 3 {
			m := merchants[(i*3+k)%len(merchants)]
			if _, err := srv.Authorize(provider, sandbox.AuthRequest{CardID: c.ID, Amount: 1500 + int64(i*k*700), Merchant: m}); err != nil {
				t.Fatalf("authorize on %s: %v", c.ID, err)
			}
			paid++
		}
	}

	s.keys("3")
	s.await("every event the relay took in Live, some of types carddesk does not know", func(m *model) bool {
		stored, err := rig.store.LastSeq(context.Background())
		if err != nil || stored < uint64(paid) || m.ctx.Ring.Total() != stored {
			return false
		}
		v := m.ctx.Ring.All()
		for i := range v.Len() {
			if r, _ := v.At(i); !r.Type.Known() {
				return true
			}
		}
		return false
	})
	if n, last := rig.refusedSoFar(); n != 0 {
		t.Errorf("the relay refused %d deliveries: %v", n, last)
	}
	// Every row retained renders, and the ones of unknown types say so.
	s.inspect(func(m *model) {
		l, ok := liveTop(m)
		if !ok {
			t.Error("Live is not on show")
			return
		}
		v := m.ctx.Ring.All()
		unknown := 0
		for i := range v.Len() {
			r, _ := v.At(i)
			row := l.row(r)
			if strings.Contains(strings.Join(row.Cells, " "), "system") {
				t.Errorf("row %d blames the system: %q", r.Seq, row.Cells)
			}
			if !r.Type.Known() {
				unknown++
				if sel := l.selectedLine(r); !strings.Contains(sel, r.ProviderType) {
					t.Errorf("row %d of type %q: the selected line says %q", r.Seq, r.ProviderType, sel)
				}
			}
		}
		if unknown == 0 {
			t.Error("no row of an unknown type")
		}
	})

	s.keys("4")
	s.await("the declines of the hour", func(m *model) bool {
		return m.ctx.Stats.Top(m.ctx.now(), 10).Declines > 0
	})
	out := ansi.Strip(s.screen())
	if strings.Contains(out, "system") {
		t.Errorf("Declines blames the system:\n%s", out)
	}
}
