package live_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// vydapayAt is a Vydapay card.frozen webhook with event id id, created at
// at.
func vydapayAt(id string, at time.Time) []byte {
	return fmt.Appendf(nil, `{"id":%q,"object":"event","type":"card.frozen","created_at":%q,"data":{"object":{"id":"card_1",`+
		`"object":"card","type":"virtual","status":"frozen","currency":"gbp","cardholder_id":"ich_1","last_four":"4242",`+
		`"exp_month":1,"exp_year":2030,"brand":"visa","spending_controls":{},"metadata":{},`+
		`"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}}`, id, at.UTC().Format(time.RFC3339))
}

// TestPrunedEventsCannotBeReplayed: Vydapay signs no time, so the same
// body and signature are valid forever, and the relay's dedupe is the only
// defence against a replay. An event pruned by count is answered as the
// duplicate it is (its old seq; nothing stored, nothing streamed), and an
// event created before the retention window, pruned by age or never seen,
// is refused (422): the relay would not keep it, and cannot tell it from
// a replay.
func TestPrunedEventsCannotBeReplayed(t *testing.T) {
	const window = 720 * time.Hour
	f := newRelayFixtureWith(t, func(c *live.RelayConfig) {
		c.Retention = live.Retention{MaxAge: window, MaxCount: 2}
	})
	now := f.clock.Now()
	bodies := [][]byte{vydapayAt("evt_r1", now), vydapayAt("evt_r2", now), vydapayAt("evt_r3", now)}
	for _, b := range bodies {
		if r := f.postVydapay(t, b); r.Status != http.StatusOK || r.Duplicate {
			t.Fatal(r)
		}
	}
	runRelay(t, f, func() bool { return len(fileRows(t, f.path)) == 2 }) // prunes evt_r1
	sub := f.subscribe(t, 3)

	// The very request an attacker recorded, sent again.
	if r := f.postVydapay(t, bodies[0]); r.Status != http.StatusOK || !r.Duplicate || r.Seq != 1 {
		t.Errorf("evt_r1 replayed after its prune: %+v, want 200, a duplicate of seq 1", r)
	}
	if rows := fileRows(t, f.path); len(rows) != 2 {
		t.Errorf("%d rows after the replay, want 2", len(rows))
	}

	old := now.Add(-window - time.Minute)
	if r := f.postVydapay(t, vydapayAt("evt_old", old)); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Error, "before the relay's retention window (720h0m0s)") {
		t.Errorf("an event created before the window: %+v, want 422 saying why", r)
	}
	// Just inside the window is taken: a provider retrying after an
	// outage of days.
	if r := f.postVydapay(t, vydapayAt("evt_late", now.Add(-window+time.Hour))); r.Status != http.StatusOK || r.Duplicate {
		t.Errorf("a late event inside the window: %+v, want 200", r)
	}
	if got := receive(t, sub, 1); got[0].EventID != "evt_late" {
		t.Errorf("streamed %v, want only evt_late", eventIDs(got))
	}

	// Once evt_r1 is older than the window its tombstone goes (the age
	// check refuses it from then on).
	if n := tombstones(t, f.path); n != 1 {
		t.Errorf("%d tombstones, want 1", n)
	}
	f.clock.advance(window + time.Hour)
	runRelay(t, f, func() bool { return tombstones(t, f.path) == 0 })
	if r := f.postVydapay(t, bodies[0]); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("evt_r1 replayed after the window: %+v, want 422", r)
	}
}

// runRelay runs the relay's Run (which prunes at once) until done holds.
func runRelay(t *testing.T, f *relayFixture, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan error, 1)
	go func() { ended <- f.relay.Run(ctx) }()
	waitFor(t, "the prune", done)
	cancel()
	if err := <-ended; err != nil {
		t.Fatal(err)
	}
}

// tombstones counts the file's tombstones.
func tombstones(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_query_only=1&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM tombstones`).Scan(&n); err != nil {
		t.Fatalf("count tombstones: %v", err)
	}
	return n
}
