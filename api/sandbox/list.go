package sandbox

import (
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// readPage reads one page of base (ascending) that matches, from the
// anchor in p; an anchor that is not in the list is refused.
func readPage[T keyed](base []T, lookup func(string) (T, bool), match func(T) bool, p pageParams) (pageResult[T], *apiError) {
	q := pageQuery{limit: p.limit, dir: p.dir}
	if p.anchor != "" {
		v, ok := lookup(p.anchor)
		if !ok {
			return pageResult[T]{}, errInvalid(codeParamInvalid, p.param, "Invalid %s: %q is not an object of this list.", p.param, clip(p.anchor, 64))
		}
		k := v.key()
		q.anchor = &k
	}
	return paginate(base, match, q), nil
}

// vpList answers a VaultsPay list: data newest first, next_cursor when
// items follow, prev_cursor when items precede, has_more in the direction
// of travel.
func vpList[T keyed, W any](c *call, base []T, lookup func(string) (T, bool), match func(T) bool, render func(T) W) (int, any, *apiError) {
	p, e := vpPageParams(c.q)
	if e != nil {
		return 0, nil, e
	}
	res, e := readPage(base, lookup, match, p)
	if e != nil {
		return 0, nil, e
	}
	out := vaultspay.List[W]{Object: "list", Data: make([]W, 0, len(res.items))}
	for _, it := range res.items {
		out.Data = append(out.Data, render(it))
	}
	if n := len(res.items); n > 0 {
		if res.hasOlder {
			out.NextCursor = encodeCursor(older, res.items[n-1].key().id)
		}
		if res.hasNewer {
			out.PrevCursor = encodeCursor(newer, res.items[0].key().id)
		}
	}
	out.HasMore = res.hasOlder
	if p.dir == newer {
		out.HasMore = res.hasNewer
	}
	return 200, out, nil
}

// vyList answers a Vydapay list: data newest first, has_more in the
// direction of travel, url the list's path.
func vyList[T keyed, W any](c *call, url string, base []T, lookup func(string) (T, bool), match func(T) bool, render func(T) W) (int, any, *apiError) {
	p, e := vyPageParams(c.q)
	if e != nil {
		return 0, nil, e
	}
	res, e := readPage(base, lookup, match, p)
	if e != nil {
		return 0, nil, e
	}
	out := vydapay.List[W]{Object: "list", Data: make([]W, 0, len(res.items)), URL: url}
	for _, it := range res.items {
		out.Data = append(out.Data, render(it))
	}
	out.HasMore = res.hasOlder
	if p.dir == newer {
		out.HasMore = res.hasNewer
	}
	return 200, out, nil
}

// Query parameters of the lists.
func vpPageQuery() []string { return []string{"limit", "cursor"} }
func vyPageQuery() []string { return []string{"limit", "starting_after", "ending_before"} }
func txFilterQuery() []string {
	return []string{"status", "type", "min_amount", "max_amount", "created_after", "created_before"}
}

// txFilter is the transaction filters both providers share.
type txFilter struct {
	status        api.TxStatus
	typ           api.TxType
	min, max      *int64
	after, before time.Time
}

// readTxFilter reads status, type, amounts and times; statuses and types
// are given in the provider's words.
func readTxFilter(q query, statuses, types []string) (txFilter, *apiError) {
	var f txFilter
	st, e := q.enum("status", statuses...)
	if e != nil {
		return f, e
	}
	if st == "completed" {
		st = string(api.TxSettled)
	}
	f.status = api.TxStatus(st)
	ty, e := q.enum("type", types...)
	if e != nil {
		return f, e
	}
	f.typ = api.TxType(ty)
	if f.min, f.max, e = q.amountRange(); e != nil {
		return f, e
	}
	f.after, f.before, e = q.timeRange()
	return f, e
}

func (f txFilter) match(t *tx) bool {
	return (f.status == "" || t.status == f.status) &&
		(f.typ == "" || t.typ == f.typ) &&
		(f.min == nil || t.amount >= *f.min) &&
		(f.max == nil || t.amount <= *f.max) &&
		(f.after.IsZero() || t.created.After(f.after)) &&
		(f.before.IsZero() || t.created.Before(f.before))
}
