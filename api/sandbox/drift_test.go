package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// With Drift, the sandbox serves words, fields and absences its reference
// does not have; without it, none.
func TestDriftServesWhatTheReferenceLacks(t *testing.T) {
	for _, drifting := range []bool{false, true} {
		s := newTestServer(t, Config{Seed: 3, Start: fixedNow(), Drift: drifting})
		vpc, vyc := clients(t, s)
		tests := []struct {
			name   string
			c      client
			path   string
			drifts []string // what a drifting page holds somewhere
		}{
			{"vaultspay cards", vpc, "/cards?limit=100", []string{`"status":"suspended_by_bank"`, `"type":"single_use"`,
				`"interval":"fortnightly"`, `"wallets":`, `"livemode":false`}},
			{"vydapay cards", vyc, "/cards?limit=100", []string{`"status":"suspended"`, `"type":"single_use"`, `"wallets":`}},
			{"vaultspay transactions", vpc, "", []string{`"type":"fee"`, `"status":"disputed"`, `"code":"velocity_exceeded"`, `"network":`}},
			{"vydapay transactions", vyc, "", []string{`"type":"fee"`, `"status":"reversed"`, `"network":`}},
			{"vaultspay users", vpc, "/users?limit=100", []string{`"status":"manual_review"`, `"preferred_language":"en"`}},
			{"vydapay cardholders", vyc, "/cardholders?limit=100", []string{`"preferred_language":"en"`}},
			{"vaultspay accounts", vpc, "/accounts?limit=100", []string{`"status":"dormant"`, `"overdraft":`}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				path := tt.path
				switch {
				case path != "":
				case tt.c.base == vpc.base:
					path = "/cards/" + busiestCard(t, s, vp) + "/transactions?limit=100"
				default:
					path = "/transactions?limit=100&card_id=" + busiestCard(t, s, vy)
				}
				body := tt.c.do("GET", path, nil).body
				for _, want := range tt.drifts {
					if got := bytes.Contains(body, []byte(want)); got != drifting {
						t.Errorf("drift %v: %s holds %s: %v", drifting, path, want, got)
					}
				}
			})
		}
	}
}

// busiestCard is the provider's card with the most transactions, so that
// one page of them shows every kind of drift.
func busiestCard(t *testing.T, s *Server, provider string) string {
	t.Helper()
	iss, err := s.issuer(provider)
	if err != nil {
		t.Fatal(err)
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	best, most := "", 0
	for id, txs := range iss.cardTx {
		declines := 0
		for _, tx := range txs {
			if tx.status == api.TxDeclined {
				declines++
			}
		}
		if n := len(txs) + 10*declines; n > most || n == most && id < best {
			best, most = id, n
		}
	}
	return best
}

// An object drifts the same way wherever it is shown — in a list, on its
// own, in an action's answer — and on every run with the same seed.
func TestDriftIsTheSameEverywhere(t *testing.T) {
	a := newTestServer(t, Config{Seed: 3, Start: fixedNow(), Drift: true})
	b := newTestServer(t, Config{Seed: 3, Start: fixedNow(), Drift: true})
	avp, _ := clients(t, a)
	bvp, _ := clients(t, b)
	var list vaultspay.List[map[string]any]
	avp.do("GET", "/cards?limit=100", nil).decode(t, &list)
	if again := bvp.do("GET", "/cards?limit=100", nil).body; !bytes.Equal(avp.do("GET", "/cards?limit=100", nil).body, again) {
		t.Error("two sandboxes of the same seed drift differently")
	}
	seen := 0
	for _, c := range list.Data {
		if c["status"] != "suspended_by_bank" {
			continue
		}
		seen++
		id := c["id"].(string)
		var one map[string]any
		avp.do("GET", "/cards/"+id, nil).decode(t, &one)
		if one["status"] != "suspended_by_bank" || one["type"] != c["type"] {
			t.Errorf("card %s: listed %v/%v, alone %v/%v", id, c["status"], c["type"], one["status"], one["type"])
		}
		// The book's card is active: it freezes, and unfreezes back into
		// its drifted word.
		if r := avp.do("POST", "/cards/"+id+"/freeze", nil); r.status != 200 || !bytes.Contains(r.body, []byte(`"status":"frozen"`)) {
			t.Errorf("freeze %s: %d %s", id, r.status, r.body)
		}
		if r := avp.do("POST", "/cards/"+id+"/unfreeze", nil); !bytes.Contains(r.body, []byte(`"status":"suspended_by_bank"`)) {
			t.Errorf("unfreeze %s: %d %s", id, r.status, r.body)
		}
	}
	if seen == 0 {
		t.Fatal("no card drifted to suspended_by_bank in the first 100")
	}
}

// Drifting webhooks: envelopes with fields the reference lacks, objects
// drifted as the API serves them, and events of types the reference does
// not list — all signed, all delivered.
func TestDriftDeliversWhatTheReferenceLacks(t *testing.T) {
	vprc, vyrc := newReceiver(t, 0), newReceiver(t, 0)
	s := newTestServer(t, Config{Seed: 6, Rate: 400, Drift: true, VaultsPayWebhookURLs: []string{vprc.url}, VydapayWebhookURLs: []string{vyrc.url}})
	running(t, s)
	cfg := s.Config()
	vpv, _ := vaultspay.NewVerifier(cfg.VaultsPayWebhookSecret)
	vyv, _ := vydapay.NewVerifier(cfg.VydapayWebhookSecret)
	for _, tc := range []struct {
		rc *receiver
		v  api.WebhookScheme
	}{{vprc, vpv}, {vyrc, vyv}} {
		unknown := map[string]bool{}
		for !unknown[driftTxEvent] || !unknown[driftPayoutEvent] {
			h := tc.rc.next(t)
			if err := tc.v.Verify(h.header, h.body, time.Now()); err != nil {
				t.Fatalf("%s: %v", tc.v.Provider(), err)
			}
			if !bytes.Contains(h.body, []byte(`"livemode":false`)) {
				t.Errorf("%s: an envelope without the drifted fields: %s", tc.v.Provider(), h.body)
			}
			ev, err := tc.v.Parse(h.body)
			if err != nil {
				t.Fatalf("%s: a drifted event refused: %v\n%s", tc.v.Provider(), err, h.body)
			}
			if ev.DataError != "" {
				t.Errorf("%s: a drifted event's data unread: %s", tc.v.Provider(), ev.DataError)
			}
			if !ev.Type.Known() {
				unknown[ev.ProviderType] = true
				if ev.ProviderType == driftTxEvent && ev.Transaction == nil {
					t.Errorf("%s: %s without its transaction", tc.v.Provider(), h.body)
				}
			}
		}
	}
}

// Drift never rewrites what a reveal answers: the card's secrets are not
// decoded into anything else.
func TestDriftLeavesRevealAlone(t *testing.T) {
	s := newTestServer(t, Config{Seed: 3, Start: fixedNow(), Drift: true})
	vpc, _ := clients(t, s)
	id := someActiveCard(t, vpc, "/cards")
	r := vpc.do("POST", "/cards/"+id+"/reveal", map[string]string{"reason": "customer on the phone"})
	if r.status != 200 || strings.Contains(string(r.body), "livemode") || strings.Contains(string(r.body), "wallets") {
		t.Errorf("reveal: %d %s", r.status, r.body)
	}
	var details map[string]any
	if err := json.Unmarshal(r.body, &details); err != nil || details["object"] != "card_details" {
		t.Errorf("reveal answer %s (%v)", r.body, err)
	}
}
