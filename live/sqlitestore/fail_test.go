package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/carddesk/carddesk/live"
)

// A batch that cannot commit fails every waiter in it, passes nothing to
// OnCommit, stores nothing and uses up no seq.
func TestFailedCommit(t *testing.T) {
	injected := errors.New("injected: disk full")
	cases := []struct {
		name string
		// breakIt makes the next batches fail; it returns the undo.
		breakIt func(t *testing.T, path string, failing *atomic.Bool) func()
		wantErr string
	}{
		{
			name: "commit fails",
			breakIt: func(t *testing.T, _ string, failing *atomic.Bool) func() {
				failing.Store(true)
				return func() { failing.Store(false) }
			},
			wantErr: "commit: injected: disk full",
		},
		{
			// A real SQLite error in the middle of the batch: a trigger,
			// added from another connection, aborts the inserts.
			name: "insert fails",
			breakIt: func(t *testing.T, path string, _ *atomic.Bool) func() {
				db := rawDB(t, path)
				mustExec(t, db, `CREATE TRIGGER fail_insert BEFORE INSERT ON events
					WHEN NEW.event_id LIKE 'bad%' BEGIN SELECT RAISE(ABORT, 'no space left'); END`)
				return func() { mustExec(t, db, `DROP TRIGGER fail_insert`) }
			},
			wantErr: "no space left",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var failing atomic.Bool
			log := &commitLog{}
			hook := func(int) error {
				if failing.Load() {
					return injected
				}
				return nil
			}
			s, path := openTest(t, Options{OnCommit: log.onCommit, beforeCommit: hook})
			undo := c.breakIt(t, path, &failing)

			// Good records share the batch with a bad one: all fail.
			var wg sync.WaitGroup
			errs := make([]error, 6)
			for i := range errs {
				wg.Go(func() {
					recs := []live.Record{
						declineRecord(t, "vydapay", fmt.Sprintf("good_%d", i), baseTime()),
						declineRecord(t, "vydapay", fmt.Sprintf("bad_%d", i), baseTime()),
					}
					_, errs[i] = s.Append(context.Background(), recs)
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "append ") {
					t.Errorf("Append %d: %v, want an \"append N events: …%s\" error", i, err, c.wantErr)
				}
			}
			if c.name == "commit fails" && !errors.Is(errs[0], injected) {
				t.Errorf("error %v does not wrap the cause", errs[0])
			}
			if got := log.records(); len(got) != 0 {
				t.Errorf("OnCommit saw %d records of failed batches", len(got))
			}
			if got := readAll(t, s); len(got) != 0 {
				t.Errorf("%d records stored by failed batches", len(got))
			}
			if st := s.Stats(); st.Failed == 0 || st.Commits != 0 {
				t.Errorf("stats %+v, want failures and no commit", st)
			}

			undo()
			if a := appendOne(t, s, declineRecord(t, "vydapay", "good_0", baseTime())); a != (live.Appended{Seq: 1}) {
				t.Errorf("append after recovery: %+v, want seq 1, new", a)
			}
			if got := seqs(log.records()); len(got) != 1 || got[0] != 1 {
				t.Errorf("OnCommit after recovery saw %v, want [1]", got)
			}
		})
	}
}

// rawDB opens another connection to the store's file, as an operator's
// sqlite3 shell would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
