package tui

import (
	"strconv"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/monitor"
)

func liveColumns() []Column {
	return []Column{
		{Title: "Time", Min: 8},
		{Title: "Event", Min: 11, Drop: 1},
		{Title: "Amount", Min: 12, Right: true},
		{Title: "Merchant", Min: 12, Flex: 2, Max: 32},
		{Title: "Place", Min: 10, Flex: 1, Max: 22, Drop: 2},
		{Title: "Card", Min: 9},
		// Wide enough for "✗ merchant category not allowed" at 80 columns,
		// where Place and then Event give way to it.
		{Title: "Status", Min: 24, Flex: 4, Max: 34},
		// What the provider said of a decline, as sent, or what an
		// inference rests on: on wide terminals only.
		{Title: "Detail", Min: 16, Max: 60, Last: true},
	}
}

// View draws the status line and the rows on screen into width × height.
func (s *LiveScreen) View(ctx *Context, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	s.ring = ctx.Ring
	v, _ := s.current()
	n := v.Len()
	rows := max(height-2, 1) // the status line and the table's header
	t := s.table
	t.cursor, t.offset = s.position()
	t.cursor = max(0, min(t.cursor, n-1))
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+rows {
		t.offset = t.cursor - rows + 1
	}
	t.offset = monitor.ClampOffset(v, t.offset, rows)
	s.window = monitor.AppendWindow(s.window[:0], v, t.offset, rows)
	body := t.View(ctx.Styles, width, height-1, n, func(i int) Row {
		return s.row(s.window[i-t.offset])
	})
	s.table.page = t.page
	if n == 0 {
		body += "\n" + ctx.Styles.Muted.Render(s.emptyText(ctx))
	}
	selected := ""
	if k := t.cursor - t.offset; k >= 0 && k < len(s.window) {
		selected = s.selectedLine(s.window[k])
	}
	return fitBlock(s.status(ctx, v, t.cursor, selected, width)+"\n"+body, width, height)
}

// status is the line above the table: live or paused, the filter, the
// selected decline in full (its reason and what the provider said), counts.
func (s *LiveScreen) status(ctx *Context, v monitor.View, cursor int, selected string, width int) string {
	st := ctx.Styles
	var left string
	stale := relayStaleness(ctx)
	switch {
	case !stale.current:
		// Never "● live" while the stream is not: say why, and how old
		// what is listed is.
		left = stale.line(st, "events")
		if s.paused {
			left += st.Warn.Bold(true).Render("  ❚❚ paused")
		}
	case s.paused:
		left = st.Warn.Bold(true).Render("❚❚ paused — " + thousands(s.pick(s.base).Newer()) + " new")
	case s.follow:
		left = st.Good.Render("● live")
	default:
		left = st.Good.Render("● live") + st.Muted.Render(" · holding the selected row ("+ctx.Keys.Top.Help().Key+": newest)")
	}
	if s.declinesOnly {
		left += st.Danger.Render("  declines only")
	}
	right := ""
	if s.ring != nil {
		right = thousands(s.ring.Total()) + " events"
		if n := v.Len(); n > 0 {
			right = strconv.Itoa(cursor+1) + "/" + thousands(uint64(n)) + " · " + right
		}
	}
	return withMiddle(st, left, selected, st.Muted.Render(right), width)
}

// emptyText says why there is nothing to list.
func (s *LiveScreen) emptyText(ctx *Context) string {
	switch {
	case s.paused && s.pick(s.base).Newer() > 0 && s.pick(s.base).Len() == 0:
		return "The rows you paused on were overwritten by newer ones; " + ctx.Keys.Pause.Help().Key + " resumes."
	case s.paused && s.declinesOnly:
		return "No declines when you paused."
	case s.paused:
		return "Nothing had arrived when you paused."
	case s.declinesOnly:
		return "No declines yet."
	}
	return "Waiting for live events from the relay…"
}

// row renders one event: only the rows on screen are ever rendered.
func (s *LiveScreen) row(r monitor.Row) Row {
	kind := RowNormal
	cells := make([]string, 8)
	cells[0] = r.At.UTC().Format("15:04:05")
	cells[1] = eventText(r)
	cells[5] = s.cards.masked(r.CardID)
	switch {
	case r.Tx != nil:
		tx := r.Tx
		cells[2] = tx.Amount.String()
		cells[3] = safe(tx.Merchant.Name)
		cells[4] = placeText(tx.Merchant)
		cells[6] = safe(string(tx.Status))
		if r.Declined() {
			kind = RowDecline
			d := s.decline(r)
			cells[6] = "✗ " + declineShort(d)
			cells[7] = declineDetail(d)
		}
	case r.Card != nil:
		kind = RowMuted
		cells[3] = eventText(r) // the Event column may have given way
		cells[6] = safe(string(r.Card.Status))
	case r.DataError != "":
		kind = RowMuted
		cells[3] = eventText(r)
		cells[6] = "data not readable"
		cells[7] = safe(r.DataError)
	default:
		kind = RowMuted
		cells[3] = eventText(r)
	}
	return Row{Kind: kind, Cells: cells}
}

// selectedLine tells of the selected row what its cells cannot: a
// decline in full, an event type carddesk does not know, data that could
// not be read.
func (s *LiveScreen) selectedLine(r monitor.Row) string {
	var parts []string
	if !r.Type.Known() && r.ProviderType != "" {
		parts = append(parts, "event type "+safe(r.ProviderType)+" (not one carddesk knows)")
	}
	if r.Declined() {
		parts = append(parts, declineLine(s.decline(r)))
	}
	if r.DataError != "" {
		parts = append(parts, "data not readable: "+safe(r.DataError))
	}
	return strings.Join(parts, " · ")
}

// decline is why a declined row was declined: the provider's reason, the
// one inferred when the event arrived, or else one inferred now from the
// card the screen has looked up (its own updated_at says whether it is
// still the card of that moment).
func (s *LiveScreen) decline(r monitor.Row) api.Decline {
	d := r.Decline()
	if d.Given() || d.Inferred || r.Tx == nil {
		return d
	}
	if c, ok := s.cards.card(r.CardID); ok {
		if e, ok := api.ExplainDecline(*r.Tx, api.DeclineFacts{Card: &c}); ok && e.Inferred {
			return e
		}
	}
	return d
}

// eventText names an event's type briefly: "authorized", "card frozen"; a
// type carddesk does not know in the provider's words, shortened the same
// way ("transaction.updated" is "updated"; the line above the table names
// it in full when its row is selected).
func eventText(r monitor.Row) string {
	// Cleaned first, as words does: the dots are the provider's.
	s := strings.TrimPrefix(safe(r.TypeName()), "transaction.")
	return strings.ReplaceAll(s, ".", " ")
}

// placeText is a merchant's city and country.
func placeText(m api.Merchant) string {
	city, country := safe(m.City), safe(m.Country)
	if city != "" && country != "" {
		return city + ", " + country
	}
	return city + country
}

// thousands renders n with thousands separators: 50,000.
func thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
