package tui

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/monitor"
)

// nolossShow is how many items a failure lists.
const nolossShow = 20

// nolossCheckStore compares what the relay stored with what it
// acknowledged: sequence numbers 1, 2, 3, … with no hole, each
// acknowledged event stored once under the seq its answer gave, and
// nothing stored that was not acknowledged — except an event whose sender
// hung up while the relay stored it (gone), which the relay may keep
// unacknowledged; those are returned, to be counted.
func nolossCheckStore(recs []live.Record, acked map[nolossKey]uint64, gone map[nolossKey]struct{}) (problems, kept []string) {
	stored := make(map[nolossKey]uint64, len(recs))
	for i, r := range recs {
		if want := uint64(i + 1); r.Seq != want {
			problems = append(problems, fmt.Sprintf("store: record %d has seq %d, want %d", i, r.Seq, want))
			break
		}
		k := nolossKey{r.Provider, r.EventID}
		if prev, dup := stored[k]; dup {
			problems = append(problems, fmt.Sprintf("store: %s stored twice, as seq %d and %d", k, prev, r.Seq))
		}
		stored[k] = r.Seq
	}
	var goneKept, unacked, unstored, moved nolossBySeq
	for k, seq := range stored {
		if _, ok := acked[k]; ok {
			continue
		}
		if _, ok := gone[k]; ok {
			goneKept.add(seq, fmt.Sprintf("%s (seq %d)", k, seq))
		} else {
			unacked.add(seq, fmt.Sprintf("%s (seq %d)", k, seq))
		}
	}
	for k, seq := range acked {
		got, ok := stored[k]
		switch {
		case !ok:
			unstored.add(seq, fmt.Sprintf("%s (acknowledged as seq %d)", k, seq))
		case got != seq:
			moved.add(seq, fmt.Sprintf("%s (acknowledged as seq %d, stored as %d)", k, seq, got))
		}
	}
	problems = nolossList(problems, "acknowledged events missing from the store", unstored.sorted())
	problems = nolossList(problems, "acknowledged events stored under another seq", moved.sorted())
	problems = nolossList(problems, "stored events never acknowledged", unacked.sorted())
	return problems, goneKept.sorted()
}

// nolossCheckRows compares the rows the model's ring holds, oldest first,
// with the store's records: exactly one row per record, in sequence order
// (no gap, no duplicate, seq rising by one from 1), each row the record's
// event.
func nolossCheckRows(rows []monitor.Row, total uint64, recs []live.Record) []string {
	var problems []string
	if total != uint64(len(rows)) {
		problems = append(problems, fmt.Sprintf("the ring took %d rows but holds %d: raise LiveCapacity for this run", total, len(rows)))
	}
	missing, dups := nolossDiff(rows, recs)
	problems = nolossList(problems, "acknowledged events that never reached the model", missing)
	problems = nolossList(problems, "events the model received more than once", dups)
	for i, row := range rows {
		if want := uint64(i + 1); row.Seq != want {
			problems = append(problems, fmt.Sprintf("the model's row %d has seq %d, want %d (rows %v…)",
				i, row.Seq, want, nolossSeqs(rows[max(i-3, 0):min(i+4, len(rows))])))
			break
		}
	}
	if len(rows) != len(recs) {
		problems = append(problems, fmt.Sprintf("the model holds %d rows for %d acknowledged events", len(rows), len(recs)))
	}
	for i := range min(len(rows), len(recs)) {
		row, rec := rows[i], recs[i]
		if row.Seq == rec.Seq && (row.Provider != rec.Provider || row.Type != rec.Type || row.CardID != rec.CardID) {
			problems = append(problems, fmt.Sprintf("seq %d: the model shows %s %s card %q, the relay stored %s/%s %s card %q",
				rec.Seq, row.Provider, row.Type, row.CardID, rec.Provider, rec.EventID, rec.Type, rec.CardID))
			break
		}
	}
	return problems
}

// nolossDiff lists the records with no row (with their event ids) and the
// seqs that show more than once.
func nolossDiff(rows []monitor.Row, recs []live.Record) (missing, dups []string) {
	seen := make(map[uint64]int, len(rows))
	for _, r := range rows {
		seen[r.Seq]++
	}
	for _, rec := range recs {
		if seen[rec.Seq] == 0 {
			missing = append(missing, fmt.Sprintf("seq %d %s/%s", rec.Seq, rec.Provider, rec.EventID))
		}
	}
	for _, seq := range slices.Sorted(maps.Keys(seen)) {
		if seen[seq] > 1 {
			dups = append(dups, fmt.Sprintf("seq %d ×%d", seq, seen[seq]))
		}
	}
	return missing, dups
}

func nolossSeqs(rows []monitor.Row) []uint64 {
	out := make([]uint64, len(rows))
	for i, r := range rows {
		out[i] = r.Seq
	}
	return out
}

// nolossBySeq collects descriptions to list in sequence order.
type nolossBySeq []nolossSeqText

type nolossSeqText struct {
	seq  uint64
	text string
}

func (b *nolossBySeq) add(seq uint64, text string) { *b = append(*b, nolossSeqText{seq, text}) }

func (b nolossBySeq) sorted() []string {
	slices.SortFunc(b, func(x, y nolossSeqText) int { return cmp.Compare(x.seq, y.seq) })
	out := make([]string, len(b))
	for i, x := range b {
		out[i] = x.text
	}
	return out
}

// nolossList adds one problem naming how many items there are and the
// first few, in the order given.
func nolossList(problems []string, what string, items []string) []string {
	if len(items) == 0 {
		return problems
	}
	shown := items[:min(len(items), nolossShow)]
	more := ""
	if len(items) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(items)-len(shown))
	}
	return append(problems, fmt.Sprintf("%d %s: %s%s", len(items), what, strings.Join(shown, ", "), more))
}
