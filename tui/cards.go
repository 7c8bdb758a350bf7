package tui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/carddesk/carddesk/api"
)

// CardsScreen lists cards, filtered by status, type, user and last four;
// card actions apply to the selected card.
type CardsScreen struct {
	list     lister[api.Card]
	filter   filterBox
	query    CardQuery
	queryErr error
	// autoOpen opens the card's detail when the filter finds exactly one.
	autoOpen bool
	started  bool
}

// NewCards returns the Cards screen with a filter; with autoOpen, a filter
// that finds exactly one card opens it.
func NewCards(q CardQuery, autoOpen bool) *CardsScreen {
	s := &CardsScreen{query: q, autoOpen: autoOpen && !q.Empty()}
	s.list.idOf = func(c api.Card) string { return c.ID }
	s.list.rowOf = cardRow
	s.list.table.Columns = cardColumns()
	return s
}

func cardColumns() []Column {
	return []Column{
		{Title: "Card", Min: 9},
		{Title: "Holder", Min: 14, Flex: 3, Max: 30},
		// A state or type carddesk does not know shows as sent
		// ("suspended_by_bank"): room to grow for it.
		{Title: "Type", Min: 8, Flex: 1, Max: 12, Drop: 2},
		{Title: "Status", Min: 10, Flex: 2, Max: 18, Color: statusColor},
		{Title: "Limit", Min: 14, Flex: 2, Max: 34, Drop: 3},
		{Title: "Cur", Min: 3, Drop: 4},
		{Title: "Expiry", Min: 6, Drop: 1},
		{Title: "ID", Min: 10, Flex: 1, Max: 24, Drop: 5},
	}
}

func cardRow(ctx *Context, c api.Card) Row {
	kind := RowNormal
	if c.Status == api.CardTerminated {
		kind = RowMuted
	}
	return Row{Kind: kind, Cells: []string{
		masked(c.LastFour), safe(ctx.holder(c.UserID)), safe(string(c.Type)), safe(string(c.Status)),
		limitText(c.Limit), safe(c.Currency), c.Expiry(), safe(c.ID),
	}}
}

// statusColor colours a card status cell.
func statusColor(s *Styles, cell string) lipgloss.Style {
	switch api.CardStatus(cell) {
	case api.CardActive:
		return s.Good
	case api.CardFrozen:
		return s.Warn
	case api.CardTerminated:
		return s.Danger
	}
	return s.Muted
}

// Title names the screen for the breadcrumb.
func (s *CardsScreen) Title() string {
	if !s.query.Empty() {
		return "Cards /" + safe(s.query.String())
	}
	return "Cards"
}

// Init loads the first page.
func (s *CardsScreen) Init(ctx *Context) tea.Cmd {
	if !s.started {
		s.started = true
		s.filter = newFilterBox(ctx, "status:frozen type:virtual user:usr_123 4821")
		s.filter.value = s.query.String()
	}
	return s.list.reload(ctx, cardFetcher(ctx, s.query))
}

func cardFetcher(ctx *Context, q CardQuery) fetchFunc[api.Card] {
	b := ctx.Backend
	return func(io context.Context, after string) (api.Page[api.Card], error) {
		f := q.Filter()
		f.Page = api.PageParams{Limit: pageSize, After: after}
		p, err := b.ListCards(io, f)
		if err != nil {
			return p, fmt.Errorf("list cards: %w", err)
		}
		return p, nil
	}
}

// Update handles page answers, the filter, navigation and live updates.
func (s *CardsScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	if mine, loaded := s.list.update(msg); mine {
		if !loaded {
			return s, nil
		}
		if s.autoOpen {
			s.autoOpen = false
			if len(s.list.items) == 1 && !s.list.hasNext {
				c := s.list.items[0]
				return s, func() tea.Msg { return PushMsg{Screen: newCardDetailOf(c)} }
			}
		}
		return s, s.list.loadMore(ctx)
	}
	if s.filter.typing {
		res, cmd := s.filter.update(ctx, msg)
		if res == filterCancelled {
			s.filter.value, s.queryErr = s.query.String(), nil
		}
		if res != filterApplied {
			return s, cmd
		}
		q, err := ParseCardQuery(s.filter.value)
		if err != nil {
			s.queryErr = err
			return s, s.filter.open()
		}
		s.query, s.queryErr = q, nil
		return s, s.list.reload(ctx, cardFetcher(ctx, q))
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, ctx.Keys.Filter):
			s.queryErr = nil
			return s, s.filter.open()
		case key.Matches(msg, ctx.Keys.Refresh):
			return s, s.list.refresh(ctx)
		case key.Matches(msg, ctx.Keys.Back) && !s.query.Empty():
			s.query, s.filter.value = CardQuery{}, ""
			return s, s.list.reload(ctx, cardFetcher(ctx, s.query))
		}
		_, cmd := s.list.key(ctx, msg)
		return s, cmd
	case EventsMsg:
		patchCards(&s.list, msg)
		for _, u := range msg.Updates {
			if u.Event.User != nil {
				ctx.rememberUser(*u.Event.User)
			}
		}
	case CardMsg:
		patchCards(&s.list, msg)
	}
	return s, nil
}

// View draws the filter line and the table.
func (s *CardsScreen) View(ctx *Context, width, height int) string {
	top := s.filter.view(ctx, width, s.list.status("cards"))
	if s.queryErr != nil {
		top = fitLine(top, width) + "\n" + ctx.Styles.FlashError.Render(sentence(s.queryErr.Error()))
		height--
	}
	empty := "No cards match"
	if s.query.Empty() {
		empty = "No cards"
	}
	body := s.list.view(ctx, width, height-1, empty)
	if s.queryErr != nil {
		height++
	}
	return fitBlock(top+"\n"+body, width, height)
}

// Bindings are the keys the Cards screen answers to.
func (s *CardsScreen) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	open := k.Enter
	open.SetHelp(k.Enter.Help().Key, "open card")
	return []Binding{k.Filter, open, k.Up, k.Down, k.Refresh}
}

// Capturing is true while the filter is being typed.
func (s *CardsScreen) Capturing() bool { return s.filter.typing }

// SelectedCard is the card under the cursor.
func (s *CardsScreen) SelectedCard() (api.Card, bool) {
	if s.filter.typing {
		return api.Card{}, false
	}
	return s.list.selected()
}

// Open drills into the selected card.
func (s *CardsScreen) Open(ctx *Context) (Screen, tea.Cmd, bool) {
	c, ok := s.list.selected()
	if !ok {
		return nil, nil, false
	}
	return newCardDetailOf(c), nil, true
}
