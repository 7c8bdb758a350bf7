package tui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/carddesk/carddesk/tui/backend"
)

// auditLimit is how many of the latest entries the Audit screen reads.
const auditLimit = 500

// Texts of an :audit that cannot be shown.
const auditUnavailable = ":audit is not available here"

// refuseAudit is an :audit the backend does not allow: it asks the backend
// to read the log, which refuses, recording the refusal of a role that may
// not read it, and then says why in the footer.
func refuseAudit(ctx *Context) tea.Cmd {
	b, io, actor := ctx.Backend, ctx.IO(), ctx.Actor
	return func() tea.Msg {
		_, err := b.ReadAudit(io, actor, 1)
		if err == nil {
			return nil
		}
		return FlashMsg{Text: auditErrorText(err), Error: true}
	}
}

// auditErrorText says why the log cannot be shown.
func auditErrorText(err error) string {
	var refused *backend.RefusedError
	switch {
	case errors.As(err, &refused):
		return sentence(refusalText(err))
	case errors.Is(err, backend.ErrAuditUnavailable):
		return auditUnavailable
	}
	return sentence(safe(err.Error()))
}

// AuditScreen lists the latest action attempts: supervisors only.
type AuditScreen struct {
	table   Table
	entries []backend.AuditEntry
	loading bool
	err     error  // the log could not be read
	note    string // lines the reader skipped
	gen     int
}

// auditMsg is an answer to the screen's load number gen.
type auditMsg struct {
	to      *AuditScreen
	gen     int
	entries []backend.AuditEntry
	err     error
}

// NewAudit returns the Audit screen.
func NewAudit() *AuditScreen {
	return &AuditScreen{table: Table{Columns: auditColumns()}}
}

func auditColumns() []Column {
	return []Column{
		{Title: "Time (UTC)", Min: 19},
		{Title: "Agent", Min: 8, Flex: 1, Max: 16},
		{Title: "Action", Min: 9},
		{Title: "Card", Min: 9},
		{Title: "Outcome", Min: 16, Flex: 6, Color: outcomeColor},
		{Title: "Request", Min: 8, Flex: 1, Max: 28, Drop: 1},
	}
}

func auditRow(e backend.AuditEntry) Row {
	card := "—"
	if e.LastFour != "" {
		card = masked(e.LastFour)
	}
	return Row{Cells: []string{
		e.Time.UTC().Format("2006-01-02 15:04:05"), orDash(safe(e.Agent)), orDash(safe(string(e.Action))),
		card, safe(e.Outcome), orDash(safe(e.RequestID)),
	}}
}

func outcomeColor(s *Styles, cell string) lipgloss.Style {
	switch {
	case cell == "ok":
		return s.Good
	case strings.HasPrefix(cell, "refused"):
		return s.Warn
	case strings.HasPrefix(cell, "error"), cell == backend.OutcomeMissing:
		return s.Danger
	}
	return s.Row
}

// Title names the screen for the breadcrumb.
func (s *AuditScreen) Title() string { return "Audit log" }

// Init reads the log through the backend, which enforces the role (and
// records a refusal), so that no way of reaching the screen shows the log
// to someone who may not read it.
func (s *AuditScreen) Init(ctx *Context) tea.Cmd { return s.load(ctx) }

func (s *AuditScreen) load(ctx *Context) tea.Cmd {
	s.gen++
	b := ctx.Backend
	if b == nil {
		s.loading, s.err = false, errors.New(auditUnavailable)
		return nil
	}
	s.loading = true
	to, gen, io, actor := s, s.gen, ctx.IO(), ctx.Actor
	return func() tea.Msg {
		es, err := b.ReadAudit(io, actor, auditLimit)
		return auditMsg{to: to, gen: gen, entries: es, err: err}
	}
}

// Update takes the log's answers, navigation and refresh.
func (s *AuditScreen) Update(ctx *Context, msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case auditMsg:
		if msg.to != s || msg.gen != s.gen {
			return s, nil
		}
		s.loading, s.err, s.note = false, nil, ""
		var skipped *backend.AuditSkipError
		switch {
		case errors.As(msg.err, &skipped):
			s.note = safe("skipped what could not be read: " + strings.Join(skipped.Lines, "; "))
		case msg.err != nil:
			s.err = msg.err
			return s, nil
		}
		s.entries = msg.entries
		s.table.SetCursor(s.table.Cursor(), len(s.entries))
	case tea.KeyPressMsg:
		if key.Matches(msg, ctx.Keys.Refresh) {
			return s, s.load(ctx)
		}
		s.table.Move(ctx.Keys, msg, len(s.entries))
	}
	return s, nil
}

// View draws a status line and the table of entries.
func (s *AuditScreen) View(ctx *Context, width, height int) string {
	st := ctx.Styles
	var status string
	switch {
	case s.loading && len(s.entries) == 0:
		status = st.Muted.Render("loading…")
	case s.err != nil:
		status = st.FlashError.Render(auditErrorText(s.err))
	default:
		noun := "attempts"
		if len(s.entries) == 1 {
			noun = "attempt"
		}
		status = st.Muted.Render(fmt.Sprintf("%d latest %s, newest first", len(s.entries), noun))
	}
	lines := []string{status}
	if s.note != "" {
		lines = append(lines, st.Warn.Render(sentence(s.note)))
	}
	body := height - len(lines)
	switch {
	case s.err != nil && len(s.entries) == 0:
	case len(s.entries) == 0 && !s.loading:
		lines = append(lines, st.Muted.Render("No actions recorded yet"))
	default:
		lines = append(lines, s.table.View(st, width, body, len(s.entries), func(i int) Row {
			return auditRow(s.entries[i])
		}))
	}
	return fitBlock(strings.Join(lines, "\n"), width, height)
}

// Bindings are the keys the Audit screen answers to.
func (s *AuditScreen) Bindings(ctx *Context) []Binding {
	k := ctx.Keys
	return []Binding{k.Up, k.Down, k.Refresh}
}

// Capturing is false: the screen takes no text.
func (s *AuditScreen) Capturing() bool { return false }
