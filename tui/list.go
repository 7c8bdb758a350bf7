package tui

import (
	"context"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// pageSize is how many items one fetch asks for.
const pageSize = 50

// nearEnd is how close to the last loaded row the cursor may come before
// the next page is fetched.
const nearEnd = 5

// fetchFunc loads the page after the cursor after ("" for the first).
type fetchFunc[T any] func(ctx context.Context, after string) (api.Page[T], error)

// lister is a Table over pages of T fetched from the backend: loading,
// paging with the provider's cursors, dropping stale answers, patching rows
// in place. Users, cards and transactions are all listers.
type lister[T any] struct {
	table   Table
	items   []T
	next    string
	hasNext bool
	loading bool
	err     error
	// gen numbers the loads: a reload (a new filter) bumps it, and an answer
	// to an older load is dropped.
	gen   int
	fetch fetchFunc[T]
	rowOf func(ctx *Context, item T) Row
	idOf  func(T) string
}

// pageMsg is a lister's answer; to and gen say which load it answers.
type pageMsg[T any] struct {
	to   *lister[T]
	gen  int
	more bool
	page api.Page[T]
	err  error
}

// reload starts over with fetch (nil: the current one).
func (l *lister[T]) reload(ctx *Context, fetch fetchFunc[T]) tea.Cmd {
	if fetch != nil {
		l.fetch = fetch
	}
	l.gen++
	l.loading, l.err = true, nil
	return l.load(ctx, "", false)
}

// refresh fetches the first page again, keeping the rows until it answers.
func (l *lister[T]) refresh(ctx *Context) tea.Cmd {
	l.gen++
	l.loading, l.err = true, nil
	return l.load(ctx, "", false)
}

// loadMore fetches the next page when the cursor nears the end.
func (l *lister[T]) loadMore(ctx *Context) tea.Cmd {
	if l.loading || !l.hasNext || l.next == "" || l.table.Cursor() < len(l.items)-nearEnd {
		return nil
	}
	l.loading = true
	return l.load(ctx, l.next, true)
}

func (l *lister[T]) load(ctx *Context, after string, more bool) tea.Cmd {
	if l.fetch == nil {
		l.loading = false
		return nil
	}
	fetch, gen, io := l.fetch, l.gen, ctx.IO()
	return func() tea.Msg {
		p, err := fetch(io, after)
		return pageMsg[T]{to: l, gen: gen, more: more, page: p, err: err}
	}
}

// update takes the lister's own page answers; it reports whether msg was
// one, and whether it loaded anything.
func (l *lister[T]) update(msg tea.Msg) (mine, loaded bool) {
	m, ok := msg.(pageMsg[T])
	if !ok || m.to != l {
		return false, false
	}
	if m.gen != l.gen {
		return true, false // a stale answer: a newer load is under way or done
	}
	l.loading = false
	if m.err != nil {
		l.err = m.err
		return true, false
	}
	var sel string
	if it, ok := l.selected(); ok && !m.more {
		sel = l.idOf(it)
	}
	if m.more {
		l.items = append(l.items, m.page.Items...)
	} else {
		l.items = append([]T(nil), m.page.Items...)
		l.table.SetCursor(l.indexOf(sel), len(l.items))
	}
	l.next, l.hasNext = m.page.Next, m.page.HasNext
	return true, true
}

// indexOf finds an item by id; 0 when absent.
func (l *lister[T]) indexOf(id string) int {
	if id == "" {
		return 0
	}
	for i, it := range l.items {
		if l.idOf(it) == id {
			return i
		}
	}
	return 0
}

// key moves the cursor, fetching more when it nears the end.
func (l *lister[T]) key(ctx *Context, msg tea.KeyPressMsg) (bool, tea.Cmd) {
	if !l.table.Move(ctx.Keys, msg, len(l.items)) {
		return false, nil
	}
	return true, l.loadMore(ctx)
}

// selected is the item under the cursor.
func (l *lister[T]) selected() (T, bool) {
	var zero T
	i := l.table.Cursor()
	if i < 0 || i >= len(l.items) {
		return zero, false
	}
	return l.items[i], true
}

// patch applies fn to every item, which reports whether it changed it.
func (l *lister[T]) patch(fn func(*T) bool) bool {
	changed := false
	for i := range l.items {
		if fn(&l.items[i]) {
			changed = true
		}
	}
	return changed
}

// upsert replaces the item with it's id, or puts it first (keeping the
// cursor on the same item) when front is set and it is new.
func (l *lister[T]) upsert(it T, front bool) {
	id := l.idOf(it)
	for i := range l.items {
		if l.idOf(l.items[i]) == id {
			l.items[i] = it
			return
		}
	}
	if !front {
		return
	}
	l.items = append(l.items, it)
	copy(l.items[1:], l.items)
	l.items[0] = it
	if len(l.items) > 1 {
		l.table.SetCursor(l.table.Cursor()+1, len(l.items))
	}
}

// status says how much is loaded: "25 users", "50+ cards", "loading…".
func (l *lister[T]) status(noun string) string {
	n := strconv.Itoa(len(l.items))
	switch {
	case l.loading && len(l.items) == 0:
		return "loading…"
	case l.loading:
		return n + " " + noun + ", loading more…"
	case l.hasNext:
		return n + "+ " + noun
	}
	return n + " " + noun
}

// view draws the table, or what stands in for it: loading, an error, or
// empty.
func (l *lister[T]) view(ctx *Context, width, height int, empty string) string {
	s := ctx.Styles
	switch {
	case len(l.items) == 0 && l.err != nil:
		return errorLine(ctx, l.err, width)
	case len(l.items) == 0 && l.loading:
		return loadingText(ctx)
	case len(l.items) == 0:
		return s.Muted.Render(empty)
	}
	out := l.table.View(s, width, height, len(l.items), func(i int) Row { return l.rowOf(ctx, l.items[i]) })
	if l.err != nil && height > 1 {
		out = trimLines(out, height-1) + "\n" + errorLine(ctx, l.err, width)
	}
	return out
}
