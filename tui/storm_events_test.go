package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// stormMerchants is how many distinct merchants the storm's declines come
// from: more than a minute of monitor.DeclineStats keeps counters for, so
// that its bound is reached.
const stormMerchants = 3000

// stormGen writes the signed webhooks of a storm run: event n is a
// VaultsPay event when n is even and a Vydapay one when odd, on one of the
// sandbox book's cards (the ids are the same in both dialects). Events
// below baseline are the quiet hour before the storm, stamped from 50 to 20
// minutes before start (so that a slow run neither loses the oldest from
// the hour nor brings the newest into the last five minutes), one in
// twenty declined; the storm's own are stamped when they are sent, four in
// five declined.
type stormGen struct {
	vpSecret, vySecret string
	cards              []api.Card
	baseline           int
	start              time.Time
}

// declined says whether event n is a decline (else an authorisation).
func (g *stormGen) declined(n int) bool {
	if n < g.baseline {
		return n%20 == 7
	}
	return n%5 != 0
}

// at is when event n happened, for one sent at now.
func (g *stormGen) at(n int, now time.Time) time.Time {
	if n >= g.baseline {
		return now
	}
	span := 30 * time.Minute
	return g.start.Add(-50*time.Minute + time.Duration(n)*span/time.Duration(max(g.baseline, 1)))
}

// eventID is event n's id, in both dialects.
func eventID(n int) string { return "evt_storm_" + strconv.Itoa(n) }

// merchant is event n's merchant.
func (g *stormGen) merchant(n int) (id, name string) {
	k := (n * 7919) % stormMerchants
	return fmt.Sprintf("mer_storm_%04d", k), fmt.Sprintf("STORM SHOP %04d", k)
}

// request is event n as a signed POST to the relay at base, sent at now.
func (g *stormGen) request(ctx context.Context, base string, n int, now time.Time) (*http.Request, error) {
	var (
		path   string
		body   []byte
		header http.Header
		err    error
	)
	if stormProvider(n) == vaultspay.Provider {
		path = "/webhooks/" + vaultspay.Provider
		if body, err = g.vaultspayBody(n, now); err != nil {
			return nil, err
		}
		if header, err = vaultspay.Sign([]string{g.vpSecret}, "msg_storm_"+strconv.Itoa(n), now, body); err != nil {
			return nil, err
		}
	} else {
		path = "/webhooks/" + vydapay.Provider
		if body, err = g.vydapayBody(n, now); err != nil {
			return nil, err
		}
		header = http.Header{}
		header.Set(vydapay.SignatureHeader, vydapay.Sign(g.vySecret, body))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("storm event %d: %w", n, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// vaultspayBody is event n as VaultsPay sends it.
func (g *stormGen) vaultspayBody(n int, now time.Time) ([]byte, error) {
	c := g.cards[n%len(g.cards)]
	at := g.at(n, now).UTC().Format(time.RFC3339)
	mid, mname := g.merchant(n)
	card := c.ID
	tx := vaultspay.Transaction{
		ID: "txn_storm_" + strconv.Itoa(n), Object: "transaction", AccountID: c.AccountID, CardID: &card, UserID: c.UserID,
		Amount: int64(100 + n%9000), Currency: c.Currency, Status: "pending", Type: "purchase",
		Merchant:  &vaultspay.Merchant{ID: mid, Name: mname, Category: "grocery_stores", MCC: "5411", City: "Dubai", Country: "AE"},
		CreatedAt: at,
	}
	typ := vaultspay.EventTxAuthorized
	if g.declined(n) {
		typ, tx.Status = vaultspay.EventTxDeclined, "declined"
		codes := [...]string{vaultspay.DeclineInsufficient, vaultspay.DeclineFraudSuspected, vaultspay.DeclineMCCBlocked, vaultspay.DeclineInvalidCVC}
		tx.Decline = &vaultspay.Decline{Code: codes[n/2%len(codes)], Message: "declined in the storm"}
	}
	data, err := json.Marshal(tx)
	if err != nil {
		return nil, fmt.Errorf("storm event %d: %w", n, err)
	}
	body, err := json.Marshal(vaultspay.Event{ID: eventID(n), Type: typ, Timestamp: at, APIVersion: vaultspay.APIVersion, Data: data})
	if err != nil {
		return nil, fmt.Errorf("storm event %d: %w", n, err)
	}
	return body, nil
}

// vydapayBody is event n as Vydapay sends it.
func (g *stormGen) vydapayBody(n int, now time.Time) ([]byte, error) {
	c := g.cards[n%len(g.cards)]
	at := g.at(n, now).UTC().Format(time.RFC3339)
	mid, mname := g.merchant(n)
	tx := vydapay.Transaction{
		ID: "txn_storm_" + strconv.Itoa(n), Object: "transaction", Amount: int64(100 + n%9000), Currency: c.Currency,
		Status: "pending", Type: "purchase", CardID: c.ID, CardholderID: c.UserID,
		Merchant:  vydapay.Merchant{ID: mid, Name: mname, Category: "grocery_stores", CategoryCode: "5411", City: "London", Country: "GB"},
		CreatedAt: at,
	}
	typ := vydapay.EventTxCreated
	if g.declined(n) {
		// Vydapay names no reason for a decline.
		typ, tx.Status = vydapay.EventTxDeclined, "declined"
	}
	obj, err := json.Marshal(tx)
	if err != nil {
		return nil, fmt.Errorf("storm event %d: %w", n, err)
	}
	body, err := json.Marshal(vydapay.Event{ID: eventID(n), Object: "event", Type: typ, CreatedAt: at, Data: vydapay.EventData{Object: obj}})
	if err != nil {
		return nil, fmt.Errorf("storm event %d: %w", n, err)
	}
	return body, nil
}
