package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
)

// UserDetail is one user's profile, KYC state, accounts and balances, and
// cards; card actions apply to the selected card.
type UserDetail struct {
	user     api.User
	err      error
	accounts []api.Account
	accErr   error
	cards    lister[api.Card]
}

// NewUserDetail returns the detail of u, refreshed from the provider.
func NewUserDetail(u api.User) *UserDetail {
	d := &UserDetail{user: u}
	d.cards.idOf = func(c api.Card) string { return c.ID }
	d.cards.rowOf = userCardRow
	d.cards.table.Columns = userCardColumns()
	return d
}

type userMsg struct {
	to   *UserDetail
	user api.User
	err  error
}

type accountsMsg struct {
	to       *UserDetail
	accounts []api.Account
	err      error
}

func userCardColumns() []Column {
	return []Column{
		{Title: "Card", Min: 9},
		{Title: "Type", Min: 8, Flex: 1, Max: 12},
		{Title: "Status", Min: 10, Flex: 2, Max: 18, Color: statusColor},
		{Title: "Limit", Min: 14, Flex: 2, Max: 34, Drop: 2},
		{Title: "Cur", Min: 3, Drop: 3},
		{Title: "Expiry", Min: 6, Drop: 1},
		{Title: "ID", Min: 10, Flex: 1, Max: 24, Drop: 4},
	}
}

func userCardRow(_ *Context, c api.Card) Row {
	kind := RowNormal
	if c.Status == api.CardTerminated {
		kind = RowMuted
	}
	return Row{Kind: kind, Cells: []string{
		masked(c.LastFour), safe(string(c.Type)), safe(string(c.Status)), limitText(c.Limit),
		safe(c.Currency), c.Expiry(), safe(c.ID),
	}}
}

// Title names the user.
func (d *UserDetail) Title() string {
	if n := safe(d.user.Name()); n != "" {
		return n
	}
	return safe(d.user.ID)
}

// Init loads the user, their accounts and their cards.
func (d *UserDetail) Init(ctx *Context) tea.Cmd {
	b, io, id := ctx.Backend, ctx.IO(), d.user.ID
	cmds := []tea.Cmd{
		func() tea.Msg {
			u, err := b.GetUser(io, id)
			if err != nil {
				err = fmt.Errorf("get user %s: %w", id, err)
			}
			return userMsg{to: d, user: u, err: err}
		},
		d.cards.reload(ctx, func(io context.Context, after string) (api.Page[api.Card], error) {
			p, err := b.ListCards(io, api.CardFilter{UserID: id, Page: api.PageParams{Limit: pageSize, After: after}})
			if err != nil {
				return p, fmt.Errorf("list cards of %s: %w", id, err)
			}
			return p, nil
		}),
	}
	if b.Capabilities().Accounts {
		cmds = append(cmds, func() tea.Msg {
			a, err := b.ListAccounts(io, id)
			if err != nil {
				err = fmt.Errorf("list accounts of %s: %w", id, err)
			}
			return accountsMsg{to: d, accounts: a, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// Update handles loads, keys and live updates.
func (d *UserDetail) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	if mine, loaded := d.cards.update(msg); mine {
		if loaded {
			return d, d.cards.loadMore(ctx)
		}
		return d, nil
	}
	switch msg := msg.(type) {
	case userMsg:
		if msg.to == d {
			d.err = msg.err
			if msg.err == nil {
				d.user = msg.user
				ctx.rememberUser(msg.user)
			}
		}
	case accountsMsg:
		if msg.to == d {
			d.accounts, d.accErr = msg.accounts, msg.err
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, ctx.Keys.Refresh) {
			return d, d.Init(ctx)
		}
		_, cmd := d.cards.key(ctx, msg)
		return d, cmd
	case EventsMsg:
		patchCards(&d.cards, msg)
		for _, u := range msg.Updates {
			ev := u.Event
			if ev.User != nil && ev.User.ID == d.user.ID {
				d.user = *ev.User
			}
			if ev.Account != nil && ev.Account.UserID == d.user.ID {
				d.upsertAccount(*ev.Account)
			}
			if ev.Type == api.EventCardCreated && ev.Card != nil && ev.Card.UserID == d.user.ID {
				d.cards.upsert(*ev.Card, true)
			}
		}
	case CardMsg:
		patchCards(&d.cards, msg)
	}
	return d, nil
}

func (d *UserDetail) upsertAccount(a api.Account) {
	for i := range d.accounts {
		if d.accounts[i].ID == a.ID {
			d.accounts[i] = a
			return
		}
	}
}

// View draws the profile, the accounts and the cards table.
func (d *UserDetail) View(ctx *Context, width, height int) string {
	s := ctx.Styles
	u := d.user
	var lines []string
	lines = append(lines, s.Title.Render(safe(u.Name()))+"  "+s.Muted.Render(safe(u.ID)))
	kyc := kycText(u.KYC)
	fields := []field{
		{"Email", safe(u.Email)},
		{"Phone", orDash(phoneText(u.Phone))},
		{"KYC", kycColor(s, kyc).Render(kyc)},
		{"Since", shortDay(u.CreatedAt)},
	}
	if a := u.Address; a != nil {
		fields = append(fields, field{"Address", addressText(*a)})
	}
	lines = append(lines, fieldGrid(s, fields, width)...)
	if d.err != nil {
		lines = append(lines, errorLine(ctx, d.err, width))
	}
	if ctx.Backend.Capabilities().Accounts {
		lines = append(lines, d.accountLines(ctx, width)...)
	}
	lines = append(lines, s.Header.Render("Cards")+"  "+s.Muted.Render(d.cards.status("cards")))
	rest := height - len(lines)
	table := d.cards.view(ctx, width, max(rest, 0), "No cards")
	return fitBlock(strings.Join(lines, "\n")+"\n"+table, width, height)
}

// accountLines lists the accounts with their balances.
func (d *UserDetail) accountLines(ctx *Context, width int) []string {
	s := ctx.Styles
	out := []string{s.Header.Render("Accounts")}
	switch {
	case d.accErr != nil:
		return append(out, errorLine(ctx, d.accErr, width))
	case d.accounts == nil:
		return append(out, loadingText(ctx))
	case len(d.accounts) == 0:
		return append(out, s.Muted.Render("No accounts"))
	}
	const maxShown = 4
	amountW := 0
	for _, a := range d.accounts {
		amountW = max(amountW, len(a.Available.String()))
	}
	for i, a := range d.accounts {
		if i == maxShown {
			out = append(out, s.Muted.Render(fmt.Sprintf("  … and %d more", len(d.accounts)-maxShown)))
			break
		}
		line := "  " + s.Value.Render(padLeft(a.Available.String(), amountW)) + s.Muted.Render(" available  ") +
			s.Value.Render(a.Pending.Decimal()) + s.Muted.Render(" pending  "+safe(string(a.Status)))
		if a.IBAN != "" {
			line += s.Muted.Render("  " + safe(a.IBAN))
		}
		out = append(out, fitLine(line, width))
	}
	return out
}

// addressText renders an address on one line.
func addressText(a api.Address) string {
	parts := []string{a.Line1, a.Line2, a.City, a.PostalCode, a.Country}
	var keep []string
	for _, p := range parts {
		if p = safe(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ", ")
}

// Bindings are the keys the detail answers to.
func (d *UserDetail) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	open := k.Enter
	open.SetHelp(k.Enter.Help().Key, "open card")
	return []Binding{open, k.Up, k.Down, k.Back, k.Refresh}
}

// Capturing: the detail takes no text.
func (d *UserDetail) Capturing() bool { return false }

// SelectedCard is the card under the cursor.
func (d *UserDetail) SelectedCard() (api.Card, bool) { return d.cards.selected() }

// Open drills into the selected card.
func (d *UserDetail) Open(ctx *Context) (Screen, tea.Cmd, bool) {
	c, ok := d.cards.selected()
	if !ok {
		return nil, nil, false
	}
	return newCardDetailOf(c), nil, true
}
