package live_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// TestRelayNoticesItsFileGone: the database file (or its write-ahead log)
// deleted or replaced under the running relay. What the relay would write
// from then on is lost at the next restart, so it acknowledges nothing
// more: webhooks get 503 and the provider keeps them, /healthz says what
// happened and what to do, and the log says it once.
func TestRelayNoticesItsFileGone(t *testing.T) {
	tests := []struct {
		name  string
		do    func(t *testing.T, path string)
		named string // the file /healthz names
	}{
		{"database deleted", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"database replaced", func(t *testing.T, path string) {
			other := filepath.Join(t.TempDir(), "other.db")
			s, err := sqlitestore.Open(context.Background(), other, sqlitestore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(other, path); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"write-ahead log deleted", func(t *testing.T, path string) {
			if err := os.Remove(path + "-wal"); err != nil {
				t.Fatal(err)
			}
		}, "-wal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &syncBuffer{}
			f := newRelayFixtureWith(t, func(c *live.RelayConfig) {
				c.Logger = slog.New(slog.NewJSONHandler(log, nil))
			})
			if r := f.postVydapay(t, vydapayBody("evt_f0")); r.Status != http.StatusOK {
				t.Fatal(r)
			}
			tt.do(t, f.path)
			for i := 1; i <= 3; i++ {
				if r := f.postVydapay(t, vydapayBody(fmt.Sprintf("evt_f%d", i))); r.Status != http.StatusServiceUnavailable {
					t.Fatalf("webhook %d after the change: %d %q, want 503", i, r.Status, r.Error)
				}
			}
			f.clock.advance(time.Second)
			status, body := getWith(t, f.url+"/healthz", f.token)
			want := "was deleted or replaced at " + f.path + tt.named + "; restart the relay"
			if status != http.StatusServiceUnavailable || !strings.Contains(body, want) {
				t.Errorf("/healthz: %d %s\nwant 503 saying %q", status, body, want)
			}
			if n := strings.Count(log.String(), "deleted or replaced"); n != 1 {
				t.Errorf("the log says it %d times, want once:\n%s", n, log.String())
			}
		})
	}
}
