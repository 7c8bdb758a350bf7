package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/monitor"
)

// nolossRecords is n stored records, seq 1…n, alternating providers.
func nolossRecords(n int) []live.Record {
	out := make([]live.Record, n)
	for i := range out {
		p := "vaultspay"
		if i%2 == 1 {
			p = "vydapay"
		}
		out[i] = live.Record{Seq: uint64(i + 1), Provider: p, EventID: fmt.Sprintf("evt_%d", i+1),
			Type: api.EventTxAuthorized, CardID: fmt.Sprintf("card_%d", i%3)}
	}
	return out
}

// nolossRowsOf is the rows a model shows for recs.
func nolossRowsOf(recs []live.Record) []monitor.Row {
	out := make([]monitor.Row, len(recs))
	for i, r := range recs {
		out[i] = monitor.Row{Seq: r.Seq, Provider: r.Provider, Type: r.Type, CardID: r.CardID}
	}
	return out
}

// TestNoLossChecks: the end-to-end test's comparisons notice every way
// the model's rows can differ from what the relay stored.
func TestNoLossChecks(t *testing.T) {
	recs := nolossRecords(6)
	good := nolossRowsOf(recs)
	without := func(i int) []monitor.Row { return append(append([]monitor.Row(nil), good[:i]...), good[i+1:]...) }
	tests := []struct {
		name  string
		rows  []monitor.Row
		total uint64
		want  []string // each must appear in the problems; none means no problem
	}{
		{"all, once, in order", good, 6, nil},
		{"a gap", without(3), 5, []string{"1 acknowledged events that never reached the model: seq 4 vydapay/evt_4", "row 3 has seq 5, want 4"}},
		{"a duplicate", append(append([]monitor.Row(nil), good[:3]...), good[2:]...), 7, []string{"more than once: seq 3 ×2", "row 3 has seq 3, want 4"}},
		{"out of order", []monitor.Row{good[0], good[2], good[1], good[3], good[4], good[5]}, 6, []string{"row 1 has seq 3, want 2"}},
		{"another event under a seq", func() []monitor.Row {
			rows := append([]monitor.Row(nil), good...)
			rows[4].CardID = "card_other"
			return rows
		}(), 6, []string{"seq 5: the model shows vaultspay transaction.authorized card \"card_other\""}},
		{"an extra row", append(append([]monitor.Row(nil), good...), monitor.Row{Seq: 7}), 7, []string{"holds 7 rows for 6"}},
		{"rows the ring let go", good[2:], 6, []string{"the ring took 6 rows but holds 4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(nolossCheckRows(tt.rows, tt.total, recs), "\n")
			if len(tt.want) == 0 && got != "" {
				t.Fatalf("problems for a faithful model:\n%s", got)
			}
			if len(tt.want) > 0 && got == "" {
				t.Fatal("no problem found")
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems lack %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestNoLossStoreChecks: the comparison of the store with the relay's
// answers notices a lost, a moved, an unacknowledged and a doubled event,
// and lets pass, counted, one whose sender hung up while it was stored.
func TestNoLossStoreChecks(t *testing.T) {
	recs := nolossRecords(4)
	ackedAll := func() map[nolossKey]uint64 {
		out := map[nolossKey]uint64{}
		for _, r := range recs {
			out[nolossKey{r.Provider, r.EventID}] = r.Seq
		}
		return out
	}
	tests := []struct {
		name  string
		recs  []live.Record
		acked func() map[nolossKey]uint64
		gone  map[nolossKey]struct{}
		want  string
		kept  int
	}{
		{"agree", recs, ackedAll, nil, "", 0},
		{"acknowledged, not stored", recs[:3], ackedAll, nil, "1 acknowledged events missing from the store: vydapay/evt_4 (acknowledged as seq 4)", 0},
		{"stored, not acknowledged", recs, func() map[nolossKey]uint64 {
			a := ackedAll()
			delete(a, nolossKey{"vaultspay", "evt_1"})
			return a
		}, nil, "1 stored events never acknowledged: vaultspay/evt_1 (seq 1)", 0},
		{"stored after the sender hung up", recs, func() map[nolossKey]uint64 {
			a := ackedAll()
			delete(a, nolossKey{"vaultspay", "evt_1"})
			return a
		}, map[nolossKey]struct{}{{"vaultspay", "evt_1"}: {}}, "", 1},
		{"acknowledged under another seq", recs, func() map[nolossKey]uint64 {
			a := ackedAll()
			a[nolossKey{"vydapay", "evt_2"}] = 9
			return a
		}, nil, "vydapay/evt_2 (acknowledged as seq 9, stored as 2)", 0},
		{"a hole in the store", []live.Record{recs[0], recs[2], recs[3]}, ackedAll, nil, "record 1 has seq 3, want 2", 0},
		{"stored twice", append(append([]live.Record(nil), recs...), live.Record{Seq: 5, Provider: "vaultspay", EventID: "evt_1"}),
			ackedAll, nil, "vaultspay/evt_1 stored twice, as seq 1 and 5", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, kept := nolossCheckStore(tt.recs, tt.acked(), tt.gone)
			got := strings.Join(problems, "\n")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("problems:\n%s\nwant one containing %q", got, tt.want)
			}
			if len(kept) != tt.kept {
				t.Errorf("kept %v, want %d", kept, tt.kept)
			}
		})
	}
}
