package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
)

// A caller whose ctx ends while its batch is stuck in the writer gets
// ctx's error at once; the records still commit when the writer goes on.
func TestAppendContextCancelled(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	hook := func(int) error {
		select {
		case entered <- struct{}{}:
			<-release
		default:
		}
		return nil
	}
	s, _ := openTest(t, Options{beforeCommit: hook})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Append(ctx, []live.Record{declineRecord(t, "vydapay", "evt_1", baseTime())})
		done <- err
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Append with cancelled ctx: %v, want context.Canceled", err)
	}
	close(release)
	// The outcome was unknown to the caller; the retry is a duplicate.
	if a := appendOne(t, s, declineRecord(t, "vydapay", "evt_1", baseTime())); a != (live.Appended{Seq: 1, Duplicate: true}) {
		t.Errorf("retry: %+v, want seq 1 duplicate", a)
	}

	cancelled, stop := context.WithCancel(context.Background())
	stop()
	for name, call := range map[string]func() error{
		"Append": func() error {
			_, err := s.Append(cancelled, []live.Record{declineRecord(t, "vydapay", "evt_2", baseTime())})
			return err
		},
		"After":  func() error { _, err := s.After(cancelled, 0, 10); return err },
		"Health": func() error { _, err := s.Health(cancelled); return err },
		"Prune": func() error {
			_, err := s.Prune(cancelled, live.Retention{MaxAge: time.Hour}, baseTime().Add(2*time.Hour))
			return err
		},
		"LastSeq": func() error { _, err := s.LastSeq(cancelled); return err },
	} {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled ctx: %v, want context.Canceled", name, err)
		}
	}
}

// Close commits what is queued, then refuses everything.
func TestClose(t *testing.T) {
	ctx := context.Background()
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	hook := func(int) error {
		select {
		case entered <- struct{}{}:
			<-release
		default:
		}
		return nil
	}
	log := &commitLog{}
	s, path := openTest(t, Options{beforeCommit: hook, OnCommit: log.onCommit})
	const queued = 5
	var wg sync.WaitGroup
	errs := make([]error, queued+1)
	wg.Go(func() {
		_, errs[0] = s.Append(ctx, []live.Record{declineRecord(t, "vydapay", "evt_0", baseTime())})
	})
	<-entered
	for i := 1; i <= queued; i++ {
		wg.Go(func() {
			_, errs[i] = s.Append(ctx, []live.Record{declineRecord(t, "vydapay", fmt.Sprintf("evt_%d", i), baseTime())})
		})
	}
	waitFor(t, func() bool { return len(s.reqs) == queued })
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	waitFor(t, s.closed.Load)
	close(release)
	wg.Wait()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("Append %d queued before Close: %v", i, err)
		}
	}
	if n := len(log.records()); n != queued+1 {
		t.Errorf("OnCommit saw %d records, want %d", n, queued+1)
	}

	for name, call := range map[string]func() error{
		"Append": func() error {
			_, err := s.Append(ctx, []live.Record{declineRecord(t, "vydapay", "late", baseTime())})
			return err
		},
		"After":   func() error { _, err := s.After(ctx, 0, 10); return err },
		"LastSeq": func() error { _, err := s.LastSeq(ctx); return err },
		"Health":  func() error { _, err := s.Health(ctx); return err },
		"Prune":   func() error { _, err := s.Prune(ctx, live.Retention{MaxCount: 1}, time.Now()); return err },
	} {
		if err := call(); !errors.Is(err, live.ErrStoreClosed) {
			t.Errorf("%s after Close: %v, want live.ErrStoreClosed", name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	s = reopen(t, path, Options{})
	if n := len(readAll(t, s)); n != queued+1 {
		t.Errorf("%d records after reopen, want %d", n, queued+1)
	}
}

func TestHealth(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t, Options{})
	h, err := s.Health(ctx)
	if err != nil || h != (live.StoreHealth{Writable: true, Integrity: "ok", Epoch: s.Epoch()}) {
		t.Fatalf("empty store Health = %+v, %v; want writable and zero", h, err)
	}
	t0 := baseTime()
	appendOne(t, s, declineRecord(t, "vydapay", "evt_1", t0.Add(time.Minute)))
	appendOne(t, s, declineRecord(t, "vydapay", "evt_2", t0)) // received out of order
	h, err = s.Health(ctx)
	want := live.StoreHealth{Writable: true, LastSeq: 2, LastEventAt: t0.Add(time.Minute), Count: 2, Integrity: "ok", Epoch: s.Epoch()}
	if err != nil || h != want {
		t.Fatalf("Health = %+v, %v; want %+v", h, err, want)
	}

	// A store that cannot write: a trigger (from another connection)
	// refuses every write to the meta table.
	db := rawDB(t, path)
	mustExec(t, db, `CREATE TRIGGER no_write BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'read-only medium'); END`)
	h, err = s.Health(ctx)
	want.Writable = false
	if err == nil || h != want {
		t.Fatalf("unwritable Health = %+v, %v; want %+v and an error", h, err, want)
	}
	t.Logf("unwritable: %v", err)
	mustExec(t, db, `DROP TRIGGER no_write`)
	if h, err := s.Health(ctx); err != nil || !h.Writable {
		t.Errorf("Health after recovery = %+v, %v; want writable", h, err)
	}
}
