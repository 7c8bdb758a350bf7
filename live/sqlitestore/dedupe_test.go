package sqlitestore

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/carddesk/carddesk/live"
)

func TestDuplicates(t *testing.T) {
	t0 := baseTime()
	vyda := declineRecord(t, "vydapay", "evt_1", t0)
	vyda2 := declineRecord(t, "vydapay", "evt_2", t0)
	vaults := declineRecord(t, "vaultspay", "evt_1", t0) // same id, other provider
	retry := vyda
	retry.ReceivedAt = t0.Add(30e9) // the provider's retry, later
	cases := []struct {
		name    string
		appends [][]live.Record
		want    [][]live.Appended
		stored  []string // provider/event_id in seq order
	}{
		{
			name:    "redelivered later",
			appends: [][]live.Record{{vyda}, {retry}},
			want:    [][]live.Appended{{{Seq: 1}}, {{Seq: 1, Duplicate: true}}},
			stored:  []string{"vydapay/evt_1"},
		},
		{
			name:    "twice in one append",
			appends: [][]live.Record{{vyda, vyda2, retry}},
			want:    [][]live.Appended{{{Seq: 1}, {Seq: 2}, {Seq: 1, Duplicate: true}}},
			stored:  []string{"vydapay/evt_1", "vydapay/evt_2"},
		},
		{
			name:    "same id under the other provider is another event",
			appends: [][]live.Record{{vyda}, {vaults}, {vaults}},
			want:    [][]live.Appended{{{Seq: 1}}, {{Seq: 2}}, {{Seq: 2, Duplicate: true}}},
			stored:  []string{"vydapay/evt_1", "vaultspay/evt_1"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log := &commitLog{}
			s, _ := openTest(t, Options{OnCommit: log.onCommit})
			for i, recs := range c.appends {
				got, err := s.Append(context.Background(), recs)
				if err != nil {
					t.Fatalf("Append %d: %v", i, err)
				}
				if !reflect.DeepEqual(got, c.want[i]) {
					t.Errorf("Append %d: %+v, want %+v", i, got, c.want[i])
				}
			}
			var stored, streamed []string
			for _, r := range readAll(t, s) {
				stored = append(stored, r.Provider+"/"+r.EventID)
			}
			for _, r := range log.records() {
				streamed = append(streamed, r.Provider+"/"+r.EventID)
			}
			if !reflect.DeepEqual(stored, c.stored) {
				t.Errorf("stored %v, want %v", stored, c.stored)
			}
			if !reflect.DeepEqual(streamed, c.stored) {
				t.Errorf("OnCommit saw %v, want %v", streamed, c.stored)
			}
		})
	}
}

// Duplicates of one event reach the writer in one batch from several
// callers: one stores it, all get its seq.
func TestDuplicatesInOneBatch(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	hook := func(int) error {
		select {
		case entered <- struct{}{}:
			<-release // hold the first batch so that the others queue up
		default:
		}
		return nil
	}
	s, _ := openTest(t, Options{beforeCommit: hook})
	first := make(chan error, 1)
	go func() {
		_, err := s.Append(context.Background(), []live.Record{declineRecord(t, "vydapay", "evt_0", baseTime())})
		first <- err
	}()
	<-entered
	const callers = 8
	answers := make([]live.Appended, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			got, err := s.Append(context.Background(), []live.Record{declineRecord(t, "vydapay", "evt_dup", baseTime())})
			if err != nil {
				t.Errorf("Append: %v", err)
				return
			}
			answers[i] = got[0]
		})
	}
	waitFor(t, func() bool { return len(s.reqs) == callers })
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("first Append: %v", err)
	}
	var fresh int
	for _, a := range answers {
		if a.Seq != 2 {
			t.Errorf("answer %+v, want seq 2", a)
		}
		if !a.Duplicate {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d callers told the event was new, want 1", fresh)
	}
	if st := s.Stats(); st.Commits != 2 || st.Records != 2 || st.Duplicates != callers-1 {
		t.Errorf("stats %+v, want 2 commits, 2 records, %d duplicates", st, callers-1)
	}
}

// 16 goroutines append concurrently, with events that several of them
// deliver: every event is stored once, seqs are contiguous, OnCommit sees
// each new record once in ascending order, and commits were shared.
func TestConcurrentAppends(t *testing.T) {
	const (
		goroutines = 16
		each       = 500
		sharedStep = 10 // every 10th append of each goroutine is a shared event
	)
	log := &commitLog{}
	s, _ := openTest(t, Options{OnCommit: log.onCommit})
	type answer struct {
		key string
		live.Appended
	}
	results := make([][]answer, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("evt_%d_%d", g, i)
				if i%sharedStep == 0 {
					id = fmt.Sprintf("evt_shared_%d", i)
				}
				got, err := s.Append(context.Background(), []live.Record{declineRecord(t, "vydapay", id, baseTime())})
				if err != nil {
					t.Errorf("Append %s: %v", id, err)
					return
				}
				results[g] = append(results[g], answer{id, got[0]})
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	perShared := each / sharedStep
	wantN := goroutines*(each-perShared) + perShared
	stored := readAll(t, s)
	if len(stored) != wantN {
		t.Fatalf("%d records stored, want %d", len(stored), wantN)
	}
	seqOf := map[string]uint64{}
	for i, r := range stored {
		if r.Seq != uint64(i+1) {
			t.Fatalf("record %d has seq %d: not contiguous", i, r.Seq)
		}
		if _, dup := seqOf[r.EventID]; dup {
			t.Fatalf("event %s stored twice", r.EventID)
		}
		seqOf[r.EventID] = r.Seq
	}
	newAnswers := map[string]int{}
	for _, rs := range results {
		for _, a := range rs {
			if a.Seq != seqOf[a.key] {
				t.Fatalf("event %s answered seq %d, stored at %d", a.key, a.Seq, seqOf[a.key])
			}
			if !a.Duplicate {
				newAnswers[a.key]++
			}
		}
	}
	for key := range seqOf {
		if newAnswers[key] != 1 {
			t.Fatalf("event %s answered as new %d times, want 1", key, newAnswers[key])
		}
	}
	streamed := seqs(log.records())
	if !sort.SliceIsSorted(streamed, func(i, j int) bool { return streamed[i] < streamed[j] }) ||
		len(streamed) != wantN || streamed[0] != 1 || streamed[len(streamed)-1] != uint64(wantN) {
		t.Fatalf("OnCommit saw %d records (first %v), want seqs 1..%d once each, ascending", len(streamed), streamed[:min(5, len(streamed))], wantN)
	}
	st := s.Stats()
	if st.Appends != goroutines*each || st.Records != uint64(wantN) || st.Duplicates != uint64(goroutines*each-wantN) {
		t.Errorf("stats %+v, want %d appends, %d records, %d duplicates", st, goroutines*each, wantN, goroutines*each-wantN)
	}
	if st.Commits >= st.Appends {
		t.Errorf("%d commits for %d appends: no commit was shared", st.Commits, st.Appends)
	}
	t.Logf("%d appends in %d commits (%.1f per commit)", st.Appends, st.Commits, float64(st.Appends)/float64(st.Commits))
}
