package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// UsersScreen lists users and finds one by email, name, phone, id or a
// card's last four.
type UsersScreen struct {
	list   lister[api.User]
	filter filterBox
	// autoOpen opens the user's detail when a search finds exactly one.
	autoOpen bool
	started  bool
	query    string
}

// NewUsers returns the Users screen searching for query ("" lists all);
// with autoOpen, a search that finds exactly one user opens it.
func NewUsers(query string, autoOpen bool) *UsersScreen {
	s := &UsersScreen{query: strings.TrimSpace(query), autoOpen: autoOpen && query != ""}
	s.list.idOf = func(u api.User) string { return u.ID }
	s.list.rowOf = userRow
	s.list.table.Columns = userColumns()
	return s
}

func userColumns() []Column {
	return []Column{
		{Title: "Name", Min: 14, Flex: 2, Max: 32},
		{Title: "Email", Min: 20, Flex: 3, Max: 40},
		{Title: "Phone", Min: 14, Flex: 1, Max: 18, Drop: 2},
		{Title: "KYC", Min: 11, Drop: 1, Color: kycColor},
		{Title: "ID", Min: 12, Flex: 1, Max: 24, Drop: 3},
	}
}

func userRow(_ *Context, u api.User) Row {
	return Row{Cells: []string{safe(u.Name()), safe(u.Email), orDash(phoneText(u.Phone)), kycText(u.KYC), safe(u.ID)}}
}

// kycText says a KYC state in words.
func kycText(k api.KYCState) string {
	switch k {
	case api.KYCNotStarted:
		return "not started"
	case "":
		return "—"
	}
	return safe(string(k))
}

func kycColor(s *Styles, cell string) lipgloss.Style {
	switch cell {
	case "verified":
		return s.Good
	case "pending":
		return s.Warn
	case "rejected":
		return s.Danger
	}
	return s.Muted
}

// Title names the screen for the breadcrumb.
func (s *UsersScreen) Title() string {
	if s.query != "" {
		return "Users /" + safe(s.query)
	}
	return "Users"
}

// Init loads the first page.
func (s *UsersScreen) Init(ctx *Context) tea.Cmd {
	if !s.started {
		s.started = true
		s.filter = newFilterBox(ctx, "email, name, phone, id or last four")
		s.filter.value = s.query
	}
	return s.list.reload(ctx, s.fetcher(ctx, s.query))
}

// fetcher lists users matching query: four digits look up cards by their
// last four and list their holders; anything else is the provider's search.
func (s *UsersScreen) fetcher(ctx *Context, query string) fetchFunc[api.User] {
	b := ctx.Backend
	if isLastFour(query) {
		return func(io context.Context, after string) (api.Page[api.User], error) {
			return usersByLastFour(io, b, query)
		}
	}
	return func(io context.Context, after string) (api.Page[api.User], error) {
		// The client's error already says "list users".
		return b.ListUsers(io, api.UserFilter{Query: query, Page: api.PageParams{Limit: pageSize, After: after}})
	}
}

// usersByLastFour finds the holders of the cards ending in lastFour.
// It runs in a command: it gets the backend, never the session's Context.
func usersByLastFour(io context.Context, b *backend.Backend, lastFour string) (api.Page[api.User], error) {
	cards, err := b.ListCards(io, api.CardFilter{LastFour: lastFour, Page: api.PageParams{Limit: api.MaxPageSize}})
	if err != nil {
		return api.Page[api.User]{}, fmt.Errorf("find cards ending %s: %w", lastFour, err)
	}
	seen := map[string]bool{}
	var out api.Page[api.User]
	for _, c := range cards.Items {
		if c.UserID == "" || seen[c.UserID] {
			continue
		}
		seen[c.UserID] = true
		u, err := b.GetUser(io, c.UserID)
		if err != nil {
			return out, fmt.Errorf("get user %s: %w", c.UserID, err)
		}
		out.Items = append(out.Items, u)
	}
	return out, nil
}

// Update handles page answers, the filter, navigation and live updates.
func (s *UsersScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	if mine, loaded := s.list.update(msg); mine {
		if !loaded {
			return s, nil
		}
		for _, u := range s.list.items {
			ctx.rememberUser(u)
		}
		if s.autoOpen {
			s.autoOpen = false
			if len(s.list.items) == 1 && !s.list.hasNext {
				u := s.list.items[0]
				return s, func() tea.Msg { return PushMsg{Screen: NewUserDetail(u)} }
			}
		}
		return s, s.list.loadMore(ctx)
	}
	if s.filter.typing {
		res, cmd := s.filter.update(ctx, msg)
		if res == filterCancelled {
			s.filter.value = s.query
		}
		if res == filterApplied {
			s.query = strings.TrimSpace(s.filter.value)
			return s, s.list.reload(ctx, s.fetcher(ctx, s.query))
		}
		return s, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, ctx.Keys.Filter):
			return s, s.filter.open()
		case key.Matches(msg, ctx.Keys.Refresh):
			return s, s.list.refresh(ctx)
		case key.Matches(msg, ctx.Keys.Back) && s.query != "":
			s.query, s.filter.value = "", ""
			return s, s.list.reload(ctx, s.fetcher(ctx, ""))
		}
		_, cmd := s.list.key(ctx, msg)
		return s, cmd
	case EventsMsg:
		for _, u := range m2users(msg) {
			s.list.upsert(u, false)
			ctx.rememberUser(u)
		}
	}
	return s, nil
}

// m2users picks the users a batch of updates carries.
func m2users(m EventsMsg) []api.User {
	var out []api.User
	for _, u := range m.Updates {
		if u.Event.User != nil {
			out = append(out, *u.Event.User)
		}
	}
	return out
}

// View draws the filter line and the table.
func (s *UsersScreen) View(ctx *Context, width, height int) string {
	top := s.filter.view(ctx, width, s.list.status("users"))
	empty := "No users match"
	if s.query == "" {
		empty = "No users"
	}
	return fitBlock(top+"\n"+s.list.view(ctx, width, height-1, empty), width, height)
}

// Bindings are the keys the Users screen answers to.
func (s *UsersScreen) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	open := k.Enter
	open.SetHelp(k.Enter.Help().Key, "open user")
	return []Binding{k.Filter, open, k.Up, k.Down, k.Refresh}
}

// Capturing is true while the filter is being typed.
func (s *UsersScreen) Capturing() bool { return s.filter.typing }

// Open drills into the selected user.
func (s *UsersScreen) Open(ctx *Context) (Screen, tea.Cmd, bool) {
	u, ok := s.list.selected()
	if !ok {
		return nil, nil, false
	}
	d := NewUserDetail(u)
	return d, nil, true // push runs Init
}
