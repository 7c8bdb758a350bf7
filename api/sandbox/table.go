package sandbox

import (
	"cmp"
	"slices"
	"time"
)

// sortKey orders every listing: created_at, then id.
type sortKey struct {
	at time.Time
	id string
}

func (a sortKey) compare(b sortKey) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

type keyed interface{ key() sortKey }

// table holds one kind of object by id and in ascending key order.
type table[T keyed] struct {
	byID  map[string]T
	order []T
}

func newTable[T keyed]() table[T] {
	return table[T]{byID: map[string]T{}}
}

func (t *table[T]) get(id string) (T, bool) {
	v, ok := t.byID[id]
	return v, ok
}

func (t *table[T]) len() int { return len(t.order) }

func (t *table[T]) add(v T) {
	t.byID[v.key().id] = v
	t.order = insertSorted(t.order, v)
}

// insertSorted puts v in its place; new objects usually go at the end.
func insertSorted[T keyed](s []T, v T) []T {
	k := v.key()
	if n := len(s); n == 0 || s[n-1].key().compare(k) < 0 {
		return append(s, v)
	}
	i, _ := slices.BinarySearchFunc(s, k, func(e T, k sortKey) int { return e.key().compare(k) })
	return slices.Insert(s, i, v)
}

// sortAll sorts a slice built out of order (the seeded book).
func sortAll[T keyed](s []T) {
	slices.SortFunc(s, func(a, b T) int { return a.key().compare(b.key()) })
}

// direction is the way a page is read relative to its anchor.
type direction int

const (
	// older pages read the items below the anchor (the next page, newest
	// first); newer pages the items above it (the previous page).
	older direction = iota
	newer
)

// pageQuery asks for one page, newest first.
type pageQuery struct {
	limit  int
	anchor *sortKey // nil: the first page
	dir    direction
}

// pageResult is one page, newest first, and whether matching items lie
// beyond each end of it.
type pageResult[T any] struct {
	items    []T
	hasOlder bool // items after the page
	hasNewer bool // items before the page
}

// paginate reads one page of the items of s (ascending) that match.
func paginate[T keyed](s []T, match func(T) bool, q pageQuery) pageResult[T] {
	var res pageResult[T]
	search := func(k sortKey) int {
		i, _ := slices.BinarySearchFunc(s, k, func(e T, k sortKey) int { return e.key().compare(k) })
		return i
	}
	if q.dir == older {
		start := len(s) - 1
		if q.anchor != nil {
			start = search(*q.anchor) - 1 // the last item below the anchor
		}
		i := start
		for ; i >= 0 && len(res.items) < q.limit; i-- {
			if match(s[i]) {
				res.items = append(res.items, s[i])
			}
		}
		res.hasOlder = anyMatch(s, match, i, -1)
		if len(res.items) > 0 {
			res.hasNewer = anyMatch(s, match, start+1, +1)
		}
		return res
	}
	start := 0
	if q.anchor != nil {
		start = search(*q.anchor)
		if start < len(s) && s[start].key().compare(*q.anchor) == 0 {
			start++ // the anchor itself is excluded
		}
	}
	i := start
	for ; i < len(s) && len(res.items) < q.limit; i++ {
		if match(s[i]) {
			res.items = append(res.items, s[i])
		}
	}
	res.hasNewer = anyMatch(s, match, i, +1)
	if len(res.items) > 0 {
		res.hasOlder = anyMatch(s, match, start-1, -1)
	}
	slices.Reverse(res.items)
	return res
}

// anyMatch scans from i in steps of step for a matching item.
func anyMatch[T any](s []T, match func(T) bool, i, step int) bool {
	for ; i >= 0 && i < len(s); i += step {
		if match(s[i]) {
			return true
		}
	}
	return false
}
