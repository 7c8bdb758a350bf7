package sandbox

import (
	"context"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Both clients read the whole of a drifting book — every user, card and
// transaction, in lists and alone — without one error, keeping the words
// they do not know as sent.
func TestDriftingBookReadsWhole(t *testing.T) {
	s := newTestServer(t, Config{Seed: 3, Start: fixedNow(), Drift: true})
	base := serve(t, s)
	cfg := s.Config()
	vpc, err := vaultspay.New(vaultspay.Config{BaseURL: base + "/vaultspay/v1", Key: cfg.VaultsPayKey})
	if err != nil {
		t.Fatal(err)
	}
	vyc, err := vydapay.New(vydapay.Config{BaseURL: base + "/vydapay/v1", Key: cfg.VydapayKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []api.Client{vpc, vyc} {
		t.Run(c.Provider(), func(t *testing.T) {
			unknown := map[string]int{}
			users := 0
			for u, err := range api.Users(ctx, c, api.UserFilter{Page: api.PageParams{Limit: 100}}) {
				if err != nil {
					t.Fatalf("users: %v", err)
				}
				users++
				if !u.KYC.Known() {
					unknown["kyc "+string(u.KYC)]++
				}
				if users%40 == 0 {
					if _, err := c.GetUser(ctx, u.ID); err != nil {
						t.Errorf("user %s: %v", u.ID, err)
					}
					if _, err := c.ListAccounts(ctx, u.ID); err != nil && c.Capabilities().Accounts {
						t.Errorf("accounts of %s: %v", u.ID, err)
					}
				}
			}
			cards := 0
			for card, err := range api.Cards(ctx, c, api.CardFilter{Page: api.PageParams{Limit: 100}}) {
				if err != nil {
					t.Fatalf("cards: %v", err)
				}
				cards++
				if !card.Status.Known() {
					unknown["card status "+string(card.Status)]++
				}
				if !card.Type.Known() {
					unknown["card type "+string(card.Type)]++
				}
				if card.Limit != nil && !card.Limit.Interval.Known() {
					unknown["interval "+string(card.Limit.Interval)]++
				}
				if cards%3 != 0 {
					continue
				}
				if _, err := c.GetCard(ctx, card.ID); err != nil {
					t.Errorf("card %s: %v", card.ID, err)
				}
				for tx, err := range api.Transactions(ctx, c, api.TxFilter{CardID: card.ID, Page: api.PageParams{Limit: 100}}) {
					if err != nil {
						t.Fatalf("transactions of %s: %v", card.ID, err)
					}
					if !tx.Status.Known() || tx.Status == api.TxReversed {
						unknown["tx status "+string(tx.Status)]++
					}
					if !tx.Type.Known() {
						unknown["tx type "+string(tx.Type)]++
					}
					if d := tx.Decline; d != nil && d.Reason == api.DeclineOther {
						unknown["decline "+d.Code]++
					}
				}
			}
			if users == 0 || cards == 0 {
				t.Fatalf("read %d users and %d cards", users, cards)
			}
			want := []string{"card type single_use", "interval fortnightly", "tx type fee", "tx status on_hold"}
			if c.Provider() == vaultspay.Provider {
				want = append(want, "card status suspended_by_bank", "tx status disputed", "kyc manual_review", "decline velocity_exceeded")
			} else {
				want = append(want, "card status suspended", "tx status reversed")
			}
			for _, w := range want {
				if unknown[w] == 0 {
					t.Errorf("never read %q; read %v", w, unknown)
				}
			}
		})
	}
}
