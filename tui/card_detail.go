package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/carddesk/carddesk/api"
)

// CardDetail is one card: its fields, limit and controls, metadata, and
// recent transactions with the reason for every decline. Card actions
// apply to it.
type CardDetail struct {
	id     string
	card   api.Card
	loaded bool
	err    error
	holder string
	txs    lister[api.Transaction]
}

// NewCardDetail returns the detail of the card with this id; it loads the
// card itself (the Live view and :card open cards by id).
func NewCardDetail(cardID string) Screen {
	return newCardDetail(cardID)
}

// newCardDetailOf shows a card already at hand at once, and refreshes it.
func newCardDetailOf(c api.Card) *CardDetail {
	d := newCardDetail(c.ID)
	d.card, d.loaded = c, true
	return d
}

func newCardDetail(id string) *CardDetail {
	d := &CardDetail{id: id, card: api.Card{ID: id}}
	d.txs.idOf = func(t api.Transaction) string { return t.ID }
	d.txs.rowOf = d.txRow
	d.txs.table.Columns = txColumns()
	return d
}

type cardMsg struct {
	to   *CardDetail
	card api.Card
	err  error
}

type holderMsg struct {
	to   *CardDetail
	user api.User
}

func txColumns() []Column {
	return []Column{
		{Title: "Time", Min: 16},
		{Title: "Amount", Min: 13, Right: true},
		{Title: "Merchant", Min: 14, Flex: 3, Max: 36},
		{Title: "Place", Min: 12, Flex: 1, Max: 22, Drop: 2},
		{Title: "Type", Min: 8, Drop: 3},
		{Title: "Status", Min: 8, Color: txStatusColor},
		{Title: "Reason", Min: 14, Flex: 3, Max: 48, Drop: 1},
		// What the provider said of a decline, as sent, or what an
		// inference rests on: on wide terminals, and for the selected row
		// above the table.
		{Title: "Detail", Min: 16, Max: 60, Last: true},
	}
}

// txRow renders a transaction of the card; a decline's reason is the
// provider's, or inferred from the card on show (cardDecline).
func (d *CardDetail) txRow(_ *Context, t api.Transaction) Row {
	kind := RowNormal
	reason, raw := "", ""
	if t.Status == api.TxDeclined || t.Decline != nil {
		kind = RowDecline
		var card *api.Card
		if d.loaded {
			card = &d.card
		}
		why := cardDecline(card, d.txs.items, !d.txs.hasNext, t)
		reason, raw = declineText(why), declineDetail(why)
	}
	place := safe(t.Merchant.City)
	if c := safe(t.Merchant.Country); c != "" {
		if place != "" {
			place += ", "
		}
		place += c
	}
	return Row{Kind: kind, Cells: []string{
		shortDate(t.CreatedAt), t.Amount.String(), safe(t.Merchant.Name), place,
		words(string(t.Type)), safe(string(t.Status)), reason, raw,
	}}
}

func txStatusColor(s *Styles, cell string) lipgloss.Style {
	switch api.TxStatus(cell) {
	case api.TxSettled:
		return s.Good
	case api.TxPending:
		return s.Warn
	case api.TxDeclined:
		return s.Danger
	}
	return s.Muted
}

// Title names the card.
func (d *CardDetail) Title() string {
	if d.card.LastFour != "" {
		return "Card " + masked(d.card.LastFour)
	}
	return "Card " + safe(d.id)
}

// Init loads the card, its holder and its transactions.
func (d *CardDetail) Init(ctx *Context) tea.Cmd {
	b, io, id := ctx.Backend, ctx.IO(), d.id
	load := func() tea.Msg {
		c, err := b.GetCard(io, id)
		if err != nil {
			return cardMsg{to: d, err: fmt.Errorf("get card %s: %w", id, err)}
		}
		return cardMsg{to: d, card: c}
	}
	txs := d.txs.reload(ctx, func(io context.Context, after string) (api.Page[api.Transaction], error) {
		p, err := b.ListTransactions(io, api.TxFilter{CardID: id, Page: api.PageParams{Limit: pageSize, After: after}})
		if err != nil {
			return p, fmt.Errorf("list transactions of card %s: %w", id, err)
		}
		return p, nil
	})
	return tea.Batch(load, txs, d.loadHolder(ctx))
}

// loadHolder fetches the holder's name once the card's user is known.
func (d *CardDetail) loadHolder(ctx *Context) tea.Cmd {
	uid := d.card.UserID
	if uid == "" || d.holder != "" {
		return nil
	}
	if n := ctx.holder(uid); n != uid {
		d.holder = n
		return nil
	}
	b, io := ctx.Backend, ctx.IO()
	return func() tea.Msg {
		u, err := b.GetUser(io, uid)
		if err != nil {
			return nil // the holder's id stands in for the name
		}
		return holderMsg{to: d, user: u}
	}
}

// Update handles loads, keys and live updates.
func (d *CardDetail) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	if mine, loaded := d.txs.update(msg); mine {
		if loaded {
			return d, d.txs.loadMore(ctx)
		}
		return d, nil
	}
	switch msg := msg.(type) {
	case cardMsg:
		if msg.to != d {
			return d, nil
		}
		d.err = msg.err
		if msg.err == nil {
			d.card, d.loaded = msg.card, true
			return d, d.loadHolder(ctx)
		}
	case holderMsg:
		if msg.to == d {
			d.holder = msg.user.Name()
			ctx.rememberUser(msg.user)
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, ctx.Keys.Refresh) {
			return d, d.Init(ctx)
		}
		_, cmd := d.txs.key(ctx, msg)
		return d, cmd
	case EventsMsg:
		for _, u := range msg.Updates {
			ev := u.Event
			if ev.Card != nil && d.loaded {
				applyCardEvent(&d.card, ev)
			}
			if t := ev.Transaction; t != nil && t.CardID == d.id {
				d.txs.upsert(*t, true)
			}
		}
	case CardMsg:
		if msg.Card.ID == d.id {
			d.card, d.loaded = msg.Card, true
		}
	}
	return d, nil
}

// View draws the card's fields and its transactions.
func (d *CardDetail) View(ctx *Context, width, height int) string {
	s := ctx.Styles
	c := d.card
	var lines []string
	head := s.Title.Render("Card "+masked(c.LastFour)) + "  " + s.Muted.Render(safe(c.ID))
	if !d.loaded {
		head = s.Title.Render("Card") + "  " + s.Muted.Render(safe(d.id))
	}
	lines = append(lines, head)
	switch {
	case d.err != nil:
		lines = append(lines, errorLine(ctx, d.err, width))
	case !d.loaded:
		lines = append(lines, loadingText(ctx))
	default:
		grid, long := d.fields(ctx)
		lines = append(lines, fieldGrid(s, grid, width)...)
		lines = append(lines, fieldLines(s, long, width)...)
	}
	lines = append(lines, withMiddle(s, s.Header.Render("Transactions")+"  "+s.Muted.Render(d.txs.status("transactions")),
		d.selectedDecline(), "", width))
	table := d.txs.view(ctx, width, max(height-len(lines), 0), "No transactions")
	return fitBlock(strings.Join(lines, "\n")+"\n"+table, width, height)
}

// selectedDecline tells of the selected transaction's decline in full,
// what the narrow Reason column cannot: "" when it is not a decline.
func (d *CardDetail) selectedDecline() string {
	i := d.txs.table.Cursor()
	if i < 0 || i >= len(d.txs.items) {
		return ""
	}
	t := d.txs.items[i]
	if t.Status != api.TxDeclined && t.Decline == nil {
		return ""
	}
	var card *api.Card
	if d.loaded {
		card = &d.card
	}
	return declineLine(cardDecline(card, d.txs.items, !d.txs.hasNext, t))
}

// fields are the card's labelled values: those that fit a column of the
// grid, and those that need a line of their own to show whole (its
// controls and metadata: what decides and explains its declines).
func (d *CardDetail) fields(ctx *Context) (grid, long []field) {
	s := ctx.Styles
	c := d.card
	holder := d.holder
	if holder == "" {
		holder = ctx.holder(c.UserID)
	}
	fs := []field{
		{"Holder", orDash(safe(holder))},
		{"Status", s.CardStatus(api.CardStatus(safe(string(c.Status))))},
		{"Type", safe(string(c.Type)) + " " + safe(c.Brand)},
		{"Expiry", c.Expiry()},
		{"Limit", limitText(c.Limit)},
		{"Currency", orDash(safe(c.Currency))},
		{"Created", shortDay(c.CreatedAt)},
	}
	if c.AccountID != "" {
		fs = append(fs, field{"Account", safe(c.AccountID)})
	}
	return fs, []field{{"Controls", controlsText(c.Controls)}, {"Metadata", metadataText(c.Metadata)}}
}

// controlsText summarises spending controls on one line.
func controlsText(c api.SpendingControls) string {
	if c.Empty() {
		return "none"
	}
	var parts []string
	add := func(name string, v []string) {
		if len(v) > 0 {
			parts = append(parts, name+" "+safe(strings.Join(v, ",")))
		}
	}
	add("allow cat", c.AllowedCategories)
	add("block cat", c.BlockedCategories)
	add("allow country", c.AllowedCountries)
	add("block country", c.BlockedCountries)
	add("allow merchant", c.AllowedMerchants)
	return strings.Join(parts, "; ")
}

// metadataText renders metadata as sorted key=value pairs, every part safe.
func metadataText(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = safe(k) + "=" + safe(m[k])
	}
	return strings.Join(parts, " ")
}

// Bindings are the keys the detail answers to.
func (d *CardDetail) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	return []Binding{k.Up, k.Down, k.Back, k.Refresh}
}

// Capturing: the detail takes no text.
func (d *CardDetail) Capturing() bool { return false }

// SelectedCard is this card, once loaded.
func (d *CardDetail) SelectedCard() (api.Card, bool) {
	return d.card, d.loaded
}
