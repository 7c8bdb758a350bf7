package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
)

// baseTime is a fixed instant with nanoseconds, so that round trips of
// times are checked to the nanosecond.
func baseTime() time.Time {
	return time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)
}

// openTest opens a store on a new file in t's temp dir and closes it when
// the test ends.
func openTest(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay.db")
	return reopen(t, path, opts), path
}

// reopen opens the store at path and closes it when the test ends.
func reopen(t testing.TB, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// declineRecord is a realistic declined-transaction record, about 1 KiB
// of event JSON, as the intake builds it.
func declineRecord(t testing.TB, provider, id string, received time.Time) live.Record {
	t.Helper()
	created := received.Add(-1500 * time.Millisecond)
	raw := fmt.Sprintf(`{"id":%q,"type":"transaction.created","created":%d,"data":{"object":{"id":"txn_%s","card":"card_8f3a","cardholder":"ich_21c9","amount":1299,"currency":"eur","approved":false,"request_history":[{"reason":"insufficient_funds","approved":false}],"merchant_data":{"name":"Café Lumière","category":"eating_places_restaurants","city":"Lyon","country":"FR","network_id":"1234567890"}}}}`,
		id, created.Unix(), id)
	ev := api.Event{
		ID:           id,
		Provider:     provider,
		Type:         api.EventTxDeclined,
		ProviderType: "transaction.created",
		CreatedAt:    created,
		Transaction: &api.Transaction{
			ID:        "txn_" + id,
			CardID:    "card_8f3a",
			UserID:    "ich_21c9",
			AccountID: "acct_77",
			Amount:    api.Money{Amount: 1299, Currency: "EUR"},
			Status:    api.TxDeclined,
			Type:      api.TxPurchase,
			Merchant: api.Merchant{Name: "Café Lumière", Category: "restaurants", MCC: "5812",
				City: "Lyon", Country: "FR"},
			Decline:   &api.Decline{Reason: api.DeclineInsufficient, Code: "insufficient_funds", Message: "Insufficient funds"},
			CreatedAt: created,
		},
		Raw: json.RawMessage(raw),
	}
	rec, err := live.NewRecord(ev, received)
	if err != nil {
		t.Fatalf("NewRecord: %v", err)
	}
	return rec
}

// commitLog records what OnCommit was given.
type commitLog struct {
	mu      sync.Mutex
	batches [][]live.Record
}

func (c *commitLog) onCommit(recs []live.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = append(c.batches, recs)
}

// records is every record OnCommit saw, in the order it saw them.
func (c *commitLog) records() []live.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	var all []live.Record
	for _, b := range c.batches {
		all = append(all, b...)
	}
	return all
}

// readAll pages through the whole store with After.
func readAll(t testing.TB, s *Store) []live.Record {
	t.Helper()
	var all []live.Record
	var after uint64
	for {
		page, err := s.After(context.Background(), after, 0)
		if err != nil {
			t.Fatalf("After(%d): %v", after, err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
}

// appendOne appends one record and fails the test on error.
func appendOne(t testing.TB, s *Store, rec live.Record) live.Appended {
	t.Helper()
	got, err := s.Append(context.Background(), []live.Record{rec})
	if err != nil {
		t.Fatalf("Append %s/%s: %v", rec.Provider, rec.EventID, err)
	}
	if len(got) != 1 {
		t.Fatalf("Append %s/%s: %d answers, want 1", rec.Provider, rec.EventID, len(got))
	}
	return got[0]
}

// seqs lists the records' sequence numbers.
func seqs(recs []live.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}
