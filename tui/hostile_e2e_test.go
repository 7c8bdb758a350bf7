package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext/safetexttest"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// TestHostileWebhooksNeverReachTheTerminal: for each provider, webhooks
// whose every outside string carries every kind of terminal escape, bidi
// and invisible character, and a card number, are signed, POSTed to a real
// relay, streamed to the real dashboard, and drawn in every view that can
// show them — the user, the card and its transactions, Live, Declines,
// the cards list, the confirm dialog, the flash of a hostile provider
// error, the help and :audit. Every frame holds only the theme's own SGR
// and plain text with every card number masked, and the bytes written to
// the terminal hold only the renderer's own sequences.
func TestHostileWebhooksNeverReachTheTerminal(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		t.Run(provider, func(t *testing.T) { runHostile(t, provider) })
	}
}

func runHostile(t *testing.T, provider string) {
	e := newHostileEnv(t, provider)
	user, card := e.pick()
	s := e.start()
	c := &screenChecks{e: e, s: s, out: &terminalLog{tm: s.tm}}

	// Open the card and its holder first: events update what is on screen.
	s.key(":")
	s.key("card " + card.ID)
	s.key("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.holder != "" && !d.txs.loading
	})
	s.key(":")
	s.key("user " + user.Email)
	s.key("enter")
	s.await("the user's detail", func(m *model) bool {
		d, ok := topIs[*UserDetail](m)
		return ok && d.user.ID == user.ID && !d.cards.loading
	})

	n := e.postHostile(user, card)
	s.await("every hostile event", func(m *model) bool { return m.ctx.Ring.Total() == uint64(n) })

	hostileUser := provider == vaultspay.Provider // Vydapay sends no cardholder events
	var userWords []string
	if hostileUser {
		userWords = []string{"QUINNELL", "ZARAH", "zarah.quinnell@example.com", "VILLAGE GREEN", "OXFORDX"}
	}
	c.check("user detail", func(m *model) bool { _, ok := topIs[*UserDetail](m); return ok }, userWords...)
	s.key("esc")
	c.check("users list", func(m *model) bool { _, ok := topIs[*UsersScreen](m); return ok })

	s.key("2")
	c.check("card detail", func(m *model) bool { _, ok := topIs[*CardDetail](m); return ok },
		"CARREFOURX", "BRANDX", "NICKKEY=NICKVALUE", "CATX", "DUBAIX", "SUSPENDX", "FEEX")

	s.key("f")
	var dialogWords []string
	if hostileUser {
		dialogWords = []string{"QUINNELL"}
	}
	c.check("confirm dialog", dialogIs[*confirmDialog], dialogWords...)
	e.refuseFreeze(card.ID)
	s.key("y")
	c.check("flash of a hostile provider error", func(m *model) bool {
		return m.dialog == nil && strings.Contains(m.flashText(), "LOCKEDBY")
	}, "LOCKEDBY", "COMPLIANCE")

	s.key("esc")
	c.check("cards list", func(m *model) bool {
		l, ok := topIs[*CardsScreen](m)
		return ok && !l.list.loading
	})

	s.key("3")
	liveWords := []string{"GHOSTCARD", "CARREFOURX", "DUBAIX", "PAYOUTX"}
	if hostileUser {
		liveWords = append(liveWords, "VELOCITYX")
	}
	c.check("live", func(m *model) bool { _, ok := liveTop(m); return ok }, liveWords...)
	s.key("enter") // the newest row: the transaction on a card id holding a card number
	// Vydapay's client quotes a refused id in Go syntax; see checkQuoting.
	c.checkQuoting("card detail of a hostile card id", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.err != nil
	}, "card_zz")
	s.key("esc")

	s.key("4")
	c.check("declines", func(m *model) bool { _, ok := topIs[*DeclinesScreen](m); return ok }, "CARREFOURX")

	s.key("2")
	s.key("?")
	c.check("help", func(m *model) bool { return m.help }, "help")
	s.key("?")

	s.key(":")
	s.key("audit")
	s.key("enter")
	c.check(":audit", func(m *model) bool {
		a, ok := topIs[*AuditScreen](m)
		return ok && !a.loading && len(a.entries) > 0
	}, "LOCKEDBY")

	// The audit log itself: what the provider said, and the card, as the
	// file holds them.
	raw, err := os.ReadFile(e.audit)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		for k, v := range entry {
			fmt.Fprintf(&logged, "%s=%v\n", k, v)
		}
	}
	for _, p := range append(safetexttest.Plain(logged.String()), safetexttest.CardNumbers(logged.String(), e.pans)...) {
		t.Errorf("the audit log: %s\n%s", p, logged.String())
	}
	if !strings.Contains(logged.String(), "LOCKEDBY") {
		t.Errorf("the audit log does not hold the refusal:\n%s", logged.String())
	}

	out := c.out.all(t)
	for _, p := range safetexttest.Terminal(out, 120, 40) {
		if provider == vydapay.Provider && strings.HasPrefix(p, "marker ") {
			continue // the Go-quoted id above; see checkQuoting
		}
		t.Errorf("the terminal got %s", p)
	}
	if len(c.viewed) != 11 {
		t.Errorf("checked %d screens: %v", len(c.viewed), c.viewed)
	}
}

// pick finds, past the dashboard, an active card and its holder.
func (e *hostileEnv) pick() (api.User, api.Card) {
	e.t.Helper()
	ctx := context.Background()
	page, err := e.client.ListCards(ctx, api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 20}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range page.Items {
		u, err := e.client.GetUser(ctx, c.UserID)
		if err != nil || u.Email == "" {
			continue
		}
		found, err := e.client.ListUsers(ctx, api.UserFilter{Query: u.Email})
		if err == nil && len(found.Items) == 1 {
			return u, c
		}
	}
	e.t.Fatal("no active card with a holder found by email")
	return api.User{}, api.Card{}
}

// postHostile delivers the hostile events and returns how many: the user
// (VaultsPay), the card, a decline on it, a decline at a merchant whose
// name hides a card number behind 112 bytes of escape, and last (so the
// newest) a decline on an unknown card whose id holds a card number (the
// relay refuses ids with escapes).
func (e *hostileEnv) postHostile(u api.User, c api.Card) int {
	W := safetexttest.Wrap
	now := time.Now().UTC()
	ts := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	var events [][]byte
	vp := e.provider == vaultspay.Provider

	// A state carddesk does not know is kept as sent and shown, cleaned.
	cardFields := map[string]any{
		"id": c.ID, "object": "card", "type": string(c.Type), "status": W("SUSPENDX"), "brand": W("BRANDX"),
		"currency": c.Currency, "last_four": c.LastFour, "exp_month": c.ExpMonth, "exp_year": c.ExpYear,
		"spending_controls": map[string]any{
			"allowed_categories": []string{W("CATX"), e.plant()},
			"blocked_countries":  []string{W("KPX")},
			"allowed_merchants":  []string{W("MERCHX") + " " + e.plant()},
		},
		"metadata":   map[string]string{W("NICKKEY"): W("NICKVALUE") + " " + e.plant(), W("n2"): e.plant() + "\r\n" + W("x")},
		"created_at": c.CreatedAt.UTC().Format(time.RFC3339), "updated_at": ts(0),
	}
	merchant := func(name string) map[string]any {
		m := map[string]any{"id": W("mer_x"), "name": name, "category": W("grocery_stores"),
			"city": W("DUBAIX") + " " + e.plant(), "country": W("AE")}
		if vp {
			m["mcc"] = W("5411")
		} else {
			m["category_code"] = W("5411")
		}
		return m
	}
	decline := func(id, cardID, name string, at time.Duration) map[string]any {
		tx := map[string]any{"id": id, "object": "transaction", "amount": 4250, "currency": c.Currency,
			"status": "declined", "type": "purchase", "card_id": cardID, "merchant": merchant(name), "created_at": ts(at)}
		if vp {
			tx["user_id"], tx["account_id"] = u.ID, c.AccountID
			tx["decline"] = map[string]any{"code": vaultspay.DeclineInvalidCVC,
				"message": W("Incorrect CVC") + " " + e.plant() + "\rAPPROVED"}
		} else {
			tx["cardholder_id"] = u.ID
			tx["currency"] = strings.ToLower(c.Currency)
			// A field the reference does not have: not read, not shown.
			tx["decline_reason"] = W("incorrect_cvc") + " " + e.plant()
		}
		return tx
	}
	event := func(i int, typ string, data map[string]any, at time.Duration) []byte {
		// The relay refuses an event id that could act on a terminal
		// (live's intake test): this one carries a card number instead.
		id := fmt.Sprintf("evt_hostile_%d_", i) + strings.ReplaceAll(e.plant(), " ", "")
		var ev map[string]any
		if vp {
			ev = map[string]any{"id": id, "type": typ, "timestamp": ts(at), "api_version": vaultspay.APIVersion, "data": data}
		} else {
			ev = map[string]any{"id": id, "object": "event", "type": typ, "created_at": ts(at), "data": map[string]any{"object": data}}
		}
		b, err := json.Marshal(ev)
		if err != nil {
			e.t.Fatal(err)
		}
		return b
	}

	if vp {
		cardFields["user_id"], cardFields["account_id"] = u.ID, W("acc_HOSTILE")+" "+e.plant()
		events = append(events, event(0, vaultspay.EventUserUpdated, map[string]any{
			"id": u.ID, "object": "user", "first_name": W("ZARAH"), "last_name": W("QUINNELL") + " " + e.plant(),
			"email": W("zarah.quinnell@example.com"), "phone": W("+44 20") + " " + e.plant(),
			"address": map[string]any{"line1": W("VILLAGE GREEN") + " " + e.plant(), "city": W("OXFORDX"),
				"postal_code": W("OX1"), "country": W("GB")},
			"kyc":        map[string]any{"status": "verified"},
			"metadata":   map[string]string{W("NOTEKEY"): W("NOTEVALUE") + " " + e.plant()},
			"created_at": u.CreatedAt.UTC().Format(time.RFC3339), "updated_at": ts(-4 * time.Second),
		}, -4*time.Second))
		events = append(events, event(1, vaultspay.EventCardUpdated, cardFields, -3*time.Second))
	} else {
		cardFields["cardholder_id"] = u.ID
		cardFields["currency"] = strings.ToLower(c.Currency)
		events = append(events, event(1, vydapay.EventLimitReached, cardFields, -3*time.Second))
	}
	txType := vaultspay.EventTxDeclined
	if !vp {
		txType = vydapay.EventTxDeclined
	}
	events = append(events, event(2, txType, decline(W("txn_h1")+" "+e.plant(), c.ID, W("CARREFOURX")+" "+e.plant(), -2*time.Second), -2*time.Second))
	// A transaction type, a decline code and an event type carddesk does
	// not know, each kept as sent and shown, cleaned.
	odd := decline(W("txn_h2"), c.ID, e.cutName(), -1*time.Second)
	odd["type"] = W("FEEX")
	if vp {
		odd["decline"] = map[string]any{"code": W("VELOCITYX") + " " + e.plant(), "message": W("SLOWDOWN") + " " + e.plant()}
	}
	events = append(events, event(3, txType, odd, -1*time.Second))
	events = append(events, event(5, W("PAYOUTX")+" "+e.plant(), map[string]any{"id": "po_1", "object": "payout"}, -500*time.Millisecond))
	ghost := "card_zz" + strings.ReplaceAll(e.plant(), " ", "")
	events = append(events, event(4, txType, decline(W("txn_h3"), ghost, W("GHOSTCARD"), 0), 0))

	for i, body := range events {
		// Header values carry no controls over HTTP; a bidi override and a
		// card number they can.
		e.post(fmt.Sprintf("msg_\u202e%d_%s", i, strings.ReplaceAll(e.plant(), " ", "-")), body)
	}
	return len(events)
}

// cutName is a merchant name in which a card number starts 112 bytes in,
// behind a clipboard write: a counter that cuts keys to 128 bytes before
// masking would keep its first thirteen digits, which (chosen so) do not
// pass Luhn on their own and so would show unmasked.
func (e *hostileEnv) cutName() string {
	const cut, before = 128, 112
	pan := e.plant()
	for safetexttest.Luhn(strings.ReplaceAll(pan[:16], " ", "")) {
		pan = e.plant()
	}
	pad := "\x1b]52;c;" + strings.Repeat("A", before-len("\x1b]52;c;")-1) + "\x07"
	if len(pad) != before || len(pad)+len(pan[:16]) != cut {
		e.t.Fatalf("cut name: pad %d bytes", len(pad))
	}
	return pad + pan
}
