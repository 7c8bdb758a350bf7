package monitor

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
)

// FuzzRing drives a ring with appends and pauses read from the input and
// checks every view against a plain list of everything appended.
func FuzzRing(f *testing.F) {
	f.Add(uint8(3), []byte("aadsadddaasdda"))
	f.Add(uint8(1), []byte("dsadsa"))
	f.Add(uint8(70), []byte("adadadadadsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad"))
	f.Add(uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, capacity uint8, ops []byte) {
		c := int(capacity)%100 + 1
		r := NewRing(c)
		var all []Row // everything appended, oldest first
		var paused View
		pausedAt := -1 // len(all) when paused
		for i, op := range ops {
			switch op % 4 {
			case 0:
				paused, pausedAt = r.Snapshot(), len(all)
			default:
				var reason api.DeclineReason
				if op%4 == 3 {
					reason = api.DeclineSystem
				}
				row := txRow(uint64(len(all)+1), t0, "card_a", "Spinneys", reason)
				r.Append(row)
				all = append(all, row)
			}
			retained := all[max(0, len(all)-c):]
			check(t, i, "all", r.All(), expect(retained, len(all), false))
			check(t, i, "declines", r.Declines(), expect(retained, len(all), true))
			if pausedAt >= 0 {
				check(t, i, "paused", paused, expect(retained, pausedAt, false))
				check(t, i, "paused declines", paused.Declines(), expect(retained, pausedAt, true))
			}
		}
	})
}

// expect is what a view shows: the retained rows appended before end,
// optionally declines only, newest first.
func expect(retained []Row, end int, declines bool) []uint64 {
	out := []uint64{}
	for _, row := range slices.Backward(retained) {
		if int(row.Seq) <= end && (!declines || row.Declined()) {
			out = append(out, row.Seq)
		}
	}
	return out
}

func check(t *testing.T, step int, name string, v View, want []uint64) {
	t.Helper()
	if got := seqsOf(v); !sameSeqs(got, want) {
		t.Fatalf("step %d: %s view %v, want %v", step, name, got, want)
	}
	if got := rowSeqs(Window(v, 1, 3)); !sameSeqs(got, want[min(1, len(want)):min(4, len(want))]) {
		t.Fatalf("step %d: %s window %v, want %v", step, name, got, want)
	}
}

// FuzzStats feeds events at times jumping back and forth and reads at moving
// moments, then checks the hour's totals against a recount of every event
// the window should still hold.
func FuzzStats(f *testing.F) {
	f.Add([]byte{10, 20, 200, 130, 5, 66, 67, 250, 1, 2})
	f.Add([]byte{0, 0, 0, 255, 255, 255, 128, 127})
	f.Add([]byte("a decline storm then an hour of quiet"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		s := NewDeclineStats(StatsConfig{})
		type event struct {
			minute   int64
			declined bool
			card     string
		}
		var kept []event
		var head int64
		started := false
		advance := func(m int64) {
			if !started || m > head {
				head, started = m, true
			}
		}
		cursor := int64(0) // minutes from t0
		for _, op := range ops {
			cursor += int64(op%32) - 12 // mostly forward, sometimes back
			if op%32 == 31 {
				cursor += 75 // and now and then past the whole hour
			}
			at := t0.Add(time.Duration(cursor) * time.Minute).Add(time.Duration(op) * time.Second % time.Minute)
			m := minuteOf(at)
			if op&0x80 != 0 { // a read
				s.Top(at, 3)
				advance(m)
				continue
			}
			var reason api.DeclineReason
			if op&1 == 1 {
				reason = api.DeclineCardFrozen
			}
			card := fmt.Sprint("card_", op%5)
			s.Add(txRow(1, at, card, "Spinneys", reason))
			advance(m)
			if m > head-Minutes {
				kept = append(kept, event{m, reason != "", card})
			}
		}
		end := t0.Add(time.Duration(cursor) * time.Minute)
		advance(minuteOf(end))
		var attempts, declines int
		cards := map[string]int{}
		for _, e := range kept {
			if e.minute > head-Minutes {
				attempts++
				if e.declined {
					declines++
					cards[e.card]++
				}
			}
		}
		top := s.Top(end, 10)
		if top.Attempts != attempts || top.Declines != declines {
			t.Fatalf("attempts %d declines %d, recount %d %d", top.Attempts, top.Declines, attempts, declines)
		}
		if len(top.Cards) != len(cards) {
			t.Fatalf("cards %v, recount %v", top.Cards, cards)
		}
		for _, kc := range top.Cards {
			if cards[kc.Key] != kc.Count {
				t.Fatalf("cards %v, recount %v", top.Cards, cards)
			}
		}
		sum := 0
		for _, b := range s.Rate(end) {
			sum += b.Attempts
		}
		if sum != attempts {
			t.Fatalf("buckets hold %d attempts, recount %d", sum, attempts)
		}
	})
}
