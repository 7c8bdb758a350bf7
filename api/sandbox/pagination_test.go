package sandbox

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

type idOnly struct {
	ID        string `json:"id"`
	CreatedAt string `json:"created_at"`
}

// TestVaultsPayPagination walks ≥ 3 pages forward with next_cursor and
// back with prev_cursor: no duplicates, no gaps, the same pages both ways.
func TestVaultsPayPagination(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 40})
	c, _ := clients(t, s)
	card := s.vp.cards.order[0]
	for _, l := range []struct {
		path string
		want []string // every id, newest first
	}{
		{"/users?limit=7", idsNewestFirst(s.vp.users.order)},
		{"/cards?limit=50", idsNewestFirst(s.vp.cards.order)},
		{"/accounts?limit=100", idsNewestFirst(s.vp.accounts.order)},
		{"/cards/" + card.id + "/transactions?limit=2", idsNewestFirst(s.vp.cardTx[card.id])},
	} {
		t.Run(l.path, func(t *testing.T) {
			fetch := func(cursor string) vaultspay.List[idOnly] {
				path := l.path
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				var page vaultspay.List[idOnly]
				r := c.do("GET", path, nil)
				if r.status != 200 {
					t.Fatalf("GET %s: %d %s", path, r.status, r.body)
				}
				r.decode(t, &page)
				return page
			}
			var pages [][]string
			var forward []string
			page := fetch("")
			if page.PrevCursor != nil {
				t.Error("first page has a prev_cursor")
			}
			for {
				ids := pageIDs(page.Data)
				pages = append(pages, ids)
				forward = append(forward, ids...)
				if !page.HasMore {
					if page.NextCursor != nil {
						t.Error("last page has a next_cursor")
					}
					break
				}
				if page.NextCursor == nil {
					t.Fatal("has_more without next_cursor")
				}
				page = fetch(*page.NextCursor)
				if page.PrevCursor == nil {
					t.Fatal("a later page has no prev_cursor")
				}
			}
			if len(pages) < 3 {
				t.Fatalf("only %d pages", len(pages))
			}
			if !equalStrings(forward, l.want) {
				t.Fatalf("forward: %d ids, want %d (gap or duplicate)", len(forward), len(l.want))
			}
			// And back again from the last page.
			for i := len(pages) - 2; i >= 0; i-- {
				page = fetch(*page.PrevCursor)
				if got := pageIDs(page.Data); !equalStrings(got, pages[i]) {
					t.Fatalf("page %d backwards: %v, want %v", i, got, pages[i])
				}
				if page.HasMore != (i > 0) || (page.PrevCursor != nil) != (i > 0) || page.NextCursor == nil {
					t.Fatalf("page %d backwards: has_more %v prev %v next %v", i, page.HasMore, page.PrevCursor, page.NextCursor)
				}
			}
		})
	}
}

func TestVydapayPagination(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 41})
	_, c := clients(t, s)
	holder := s.vy.txs.order[len(s.vy.txs.order)-1].userID
	for _, l := range []struct {
		path string
		want []string
	}{
		{"/cards?limit=100", idsNewestFirst(s.vy.cards.order)},
		{"/cardholders?limit=30", idsNewestFirst(s.vy.users.order)},
		{"/transactions?limit=100&status=declined", idsNewestFirst(slices.DeleteFunc(slices.Clone(s.vy.txs.order), func(x *tx) bool { return x.status != "declined" }))},
		{"/transactions?limit=3&cardholder_id=" + holder, idsNewestFirst(s.vy.userTx[holder])},
	} {
		t.Run(l.path, func(t *testing.T) {
			fetch := func(param, id string) vydapay.List[idOnly] {
				path := l.path
				if param != "" {
					path += "&" + param + "=" + id
				}
				var page vydapay.List[idOnly]
				r := c.do("GET", path, nil)
				if r.status != 200 {
					t.Fatalf("GET %s: %d %s", path, r.status, r.body)
				}
				r.decode(t, &page)
				return page
			}
			var pages [][]string
			var forward []string
			page := fetch("", "")
			for {
				ids := pageIDs(page.Data)
				pages = append(pages, ids)
				forward = append(forward, ids...)
				if !page.HasMore {
					break
				}
				page = fetch("starting_after", ids[len(ids)-1])
			}
			if len(pages) < 3 {
				t.Fatalf("only %d pages", len(pages))
			}
			if !equalStrings(forward, l.want) {
				t.Fatalf("forward: %d ids, want %d", len(forward), len(l.want))
			}
			for i := len(pages) - 2; i >= 0; i-- {
				page = fetch("ending_before", pages[i+1][0])
				if got := pageIDs(page.Data); !equalStrings(got, pages[i]) {
					t.Fatalf("page %d backwards: %v, want %v", i, got, pages[i])
				}
				if page.HasMore != (i > 0) {
					t.Fatalf("page %d backwards: has_more %v", i, page.HasMore)
				}
			}
		})
	}
}

func idsNewestFirst[T keyed](s []T) []string {
	out := make([]string, 0, len(s))
	for i := len(s) - 1; i >= 0; i-- {
		out = append(out, s[i].key().id)
	}
	return out
}

func pageIDs(d []idOnly) []string {
	out := make([]string, 0, len(d))
	for _, x := range d {
		out = append(out, x.ID)
	}
	return out
}

// TestPaginateMatchesBruteForce checks paginate against filtering the
// whole list, for random filters, anchors and limits.
func TestPaginateMatchesBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var items []*tx
	for i := range 300 {
		// Many share a second, so ids break ties.
		items = append(items, &tx{id: randomID(r, "txn_", 6), created: base.Add(time.Duration(i/3) * time.Second), amount: int64(i)})
	}
	sortAll(items)
	for trial := range 500 {
		mod := int64(1 + r.IntN(4))
		match := func(x *tx) bool { return x.amount%mod == 0 }
		var want []*tx // newest first
		for i := len(items) - 1; i >= 0; i-- {
			if match(items[i]) {
				want = append(want, items[i])
			}
		}
		q := pageQuery{limit: 1 + r.IntN(20), dir: direction(r.IntN(2))}
		anchorAt := -1 // position in want of the anchor; -1 for the first page
		if r.IntN(4) > 0 {
			a := items[r.IntN(len(items))]
			k := a.key()
			q.anchor = &k
			anchorAt = slices.IndexFunc(want, func(x *tx) bool { return x.key().compare(k) <= 0 })
			if anchorAt < 0 {
				anchorAt = len(want)
			}
		}
		got := paginate(items, match, q)
		var exp []*tx
		var hasOlder, hasNewer bool
		switch {
		case q.anchor == nil && q.dir == older:
			exp = want[:min(q.limit, len(want))]
			hasOlder = len(want) > len(exp)
		case q.anchor == nil:
			exp = want[max(len(want)-q.limit, 0):]
			hasNewer = len(want) > len(exp)
		case q.dir == older:
			from := anchorAt
			if from < len(want) && want[from].key() == *q.anchor {
				from++
			}
			exp = want[from:min(from+q.limit, len(want))]
			hasOlder = from+len(exp) < len(want)
			hasNewer = len(exp) > 0 && from > 0
		default:
			to := anchorAt // items strictly newer than the anchor are want[:to]
			exp = want[max(to-q.limit, 0):to]
			hasNewer = to-len(exp) > 0
			hasOlder = len(exp) > 0 && to < len(want)
		}
		if !slices.Equal(got.items, exp) || got.hasOlder != hasOlder || got.hasNewer != hasNewer {
			t.Fatalf("trial %d (%+v): got %d items older=%v newer=%v, want %d older=%v newer=%v",
				trial, q, len(got.items), got.hasOlder, got.hasNewer, len(exp), hasOlder, hasNewer)
		}
	}
}
