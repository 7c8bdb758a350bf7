package tui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// stormRelay is a real relay for both providers over a SQLite file in the
// test's temporary directory, served on loopback.
type stormRelay struct {
	url       string // http://127.0.0.1:port
	streamURL string
	token     string
	vpSecret  string
	vySecret  string
	store     *sqlitestore.Store
}

// startStormRelay starts the relay; it is shut down at cleanup.
func startStormRelay(t *testing.T) *stormRelay {
	t.Helper()
	hub := live.NewHub()
	store, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "relay.db"), sqlitestore.Options{OnCommit: hub.Publish})
	if err != nil {
		t.Fatalf("open the relay's store: %v", err)
	}
	r := &stormRelay{token: live.NewToken(), vpSecret: vaultspay.NewSecret(), vySecret: vydapay.NewSecret(), store: store}
	vp, err := vaultspay.NewVerifier(r.vpSecret)
	if err != nil {
		t.Fatal(err)
	}
	vy, err := vydapay.NewVerifier(r.vySecret)
	if err != nil {
		t.Fatal(err)
	}
	relay, err := live.NewRelay(live.RelayConfig{Store: store, Hub: hub, Token: r.token,
		Schemes: map[string]api.WebhookScheme{vaultspay.Provider: vp, vydapay.Provider: vy}})
	if err != nil {
		_ = store.Close()
		t.Fatalf("start the relay: %v", err)
	}
	srv := httptest.NewServer(relay.Handler())
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := relay.Shutdown(ctx); err != nil {
			t.Errorf("relay shutdown: %v", err)
		}
	})
	r.url = srv.URL
	r.streamURL = "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/stream"
	return r
}

// storeCheck is what the store holds of a run.
type storeCheck struct {
	records int
	lastSeq uint64
}

// checkStore reads every record back and checks that the sequence numbers
// run 1, 2, 3, … with no gap, that every record is one of the run's events
// from the provider that sent it, stored once, at the sequence number its
// POST was acknowledged with, and that every acknowledged event is there.
func (r *stormRelay) checkStore(ctx context.Context, acks []uint64) (storeCheck, error) {
	var out storeCheck
	found := make([]bool, len(acks))
	for {
		recs, err := r.store.After(ctx, out.lastSeq, sqlitestore.MaxAfter)
		if err != nil {
			return out, fmt.Errorf("read the store after %d: %w", out.lastSeq, err)
		}
		if len(recs) == 0 {
			break
		}
		for _, rec := range recs {
			if rec.Seq != out.lastSeq+1 {
				return out, fmt.Errorf("store: seq %d follows %d", rec.Seq, out.lastSeq)
			}
			out.lastSeq = rec.Seq
			out.records++
			n, err := strconv.Atoi(strings.TrimPrefix(rec.EventID, "evt_storm_"))
			switch {
			case err != nil || n < 0 || n >= len(acks):
				return out, fmt.Errorf("store: seq %d holds %q, not an event of this run", rec.Seq, rec.EventID)
			case found[n]:
				return out, fmt.Errorf("store: event %d stored twice (again at seq %d)", n, rec.Seq)
			case acks[n] != rec.Seq:
				return out, fmt.Errorf("store: event %d is at seq %d but its POST was acknowledged with %d", n, rec.Seq, acks[n])
			case rec.Provider != stormProvider(n):
				return out, fmt.Errorf("store: event %d came from %s, not %s", n, rec.Provider, stormProvider(n))
			}
			found[n] = true
		}
	}
	for n, seq := range acks {
		if seq != 0 && !found[n] {
			return out, fmt.Errorf("store: event %d was acknowledged with seq %d but is not stored", n, seq)
		}
	}
	return out, nil
}

// stormProvider is the provider that sends event n.
func stormProvider(n int) string {
	if n%2 == 0 {
		return vaultspay.Provider
	}
	return vydapay.Provider
}
