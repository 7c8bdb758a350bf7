package tui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// auditLines reads the audit file's lines as a supervisor's tool would.
func auditLines(t *testing.T, path string) []map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for l := range strings.SplitSeq(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// refusedSession is a dashboard over the sandbox whose backend writes a
// real audit log, fed by a relay the test pushes records into.
type refusedSession struct {
	*rootSession
	book  *liveBook
	feed  chanFeed
	path  string
	actor backend.Actor
}

func startRefused(t *testing.T, role backend.Role) *refusedSession {
	t.Helper()
	book := newLiveBook(t)
	path := filepath.Join(t.TempDir(), "audit.log")
	log, err := backend.OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	feed := chanFeed{ch: make(chan []live.Record, 1)}
	be := backend.New(backend.Config{Client: book.client, Relay: feed, Now: liveNow, Audit: log})
	actor := backend.Actor{Agent: "vera", Fingerprint: "SHA256:vera-key", Session: "sess-9", Role: role}
	s := startDashboard(t, Options{Backend: be, Actor: actor, Now: liveNow}, func() {
		if err := log.Close(); err != nil {
			t.Errorf("audit log: %v", err)
		}
	})
	s.await("the first page of users", func(m *model) bool { return m.usersLoaded() })
	return &refusedSession{rootSession: &rootSession{s}, book: book, feed: feed, path: path, actor: actor}
}

// selected waits until the screen on show has a card selected and returns
// it.
func (s *refusedSession) selected(what string) api.Card {
	s.t.Helper()
	var c api.Card
	s.await(what, func(m *model) bool {
		sel, ok := m.top().(CardSelector)
		if !ok {
			return false
		}
		c, ok = sel.SelectedCard()
		return ok
	})
	return c
}

// refusal presses k on card c, expecting the refusal why: the footer says
// it at once and the audit file gains exactly its line.
func (s *refusedSession) refusal(where, k string, c api.Card, why string) {
	s.t.Helper()
	verbs := map[string]string{"f": "freeze", "u": "unfreeze", "a": "activate", "r": "reveal", "t": "terminate"}
	want := fmt.Sprintf("Cannot %s card %s: %s", verbs[k], masked(c.LastFour), why)
	before := len(auditLines(s.t, s.path))
	s.inspect(func(m *model) { m.flash = flashState{} })
	s.keys(k)
	s.await(where+": the refusal of "+k, func(m *model) bool { return m.dialog == nil && m.flashText() == want })
	lines := auditLines(s.t, s.path)[before:]
	if len(lines) != 1 {
		s.t.Errorf("%s: %s left %d audit lines, want the refusal: %v", where, k, len(lines), lines)
		return
	}
	got := lines[0]
	for field, v := range map[string]string{
		"agent": s.actor.Agent, "fingerprint": s.actor.Fingerprint, "session": s.actor.Session,
		"action": verbs[k], "card_id": c.ID, "last_four": c.LastFour, "outcome": "refused: " + why,
	} {
		if got[field] != v {
			s.t.Errorf("%s: %s: audit %s = %q, want %q", where, k, field, got[field], v)
		}
	}
}

// A viewer's every press of an action key, on every screen that offers the
// actions, is refused on screen and recorded in the audit log in the same
// words, one line per press; so is :audit. Drawing the screen, the footer's
// hints and the help record nothing.
func TestRefusedKeysAreAudited(t *testing.T) {
	s := startRefused(t, backend.RoleViewer)
	keys := []struct{ key, why string }{
		{"f", "your role (viewer) cannot freeze cards"},
		{"u", "your role (viewer) cannot unfreeze cards"},
		{"a", "your role (viewer) cannot activate cards"},
		{"r", "your role (viewer) cannot reveal card numbers"},
		{"t", "your role (viewer) cannot terminate cards"},
	}
	pressAll := func(where string, c api.Card) {
		for _, k := range keys {
			s.refusal(where, k.key, c, k.why)
		}
	}
	holder := s.book.cards[0]

	// User detail: the holder's cards.
	s.keys(":")
	s.key("user " + holder.UserID)
	s.keys("enter")
	s.await("the search for the holder", func(m *model) bool {
		us, ok := topIs[*UsersScreen](m)
		return ok && !us.list.loading && len(us.list.items) == 1
	})
	s.keys("enter")
	pressAll("user detail", s.selected("the holder's cards"))

	// Card detail.
	s.keys("enter")
	s.await("the card's detail", func(m *model) bool { _, ok := topIs[*CardDetail](m); return ok })
	pressAll("card detail", s.selected("the card loaded"))

	// The cards list.
	s.keys("2")
	pressAll("cards list", s.selected("the cards list"))

	// Live: a transaction streams in.
	rec, err := live.NewRecord(liveTraffic(s.book.cards, 1, false)[0], liveNow())
	if err != nil {
		t.Fatal(err)
	}
	rec.Seq = 1
	s.feed.ch <- []live.Record{rec}
	s.keys("3")
	pressAll("live", s.selected("a row on Live"))

	// :audit.
	before := len(auditLines(t, s.path))
	s.inspect(func(m *model) { m.flash = flashState{} })
	s.keys(":")
	s.key("audit")
	s.keys("enter")
	s.await("the answer to :audit", func(m *model) bool { return m.flashText() != "" })
	if f := s.flashOf(); f != "Your role (viewer) cannot read the audit log" {
		t.Errorf(":audit says %q", f)
	}
	lines := auditLines(t, s.path)[before:]
	if len(lines) != 1 || lines[0]["action"] != "audit" || lines[0]["outcome"] != "refused: your role (viewer) cannot read the audit log" ||
		lines[0]["agent"] != "vera" || lines[0]["session"] != "sess-9" || lines[0]["fingerprint"] != "SHA256:vera-key" {
		t.Errorf(":audit left %v, want its refusal", lines)
	}

	// Showing what is refused records nothing: frames, the footer's hints,
	// the help.
	before = len(auditLines(t, s.path))
	for _, k := range []string{"?", "?", "2", "1", "3"} {
		s.keys(k)
		_ = s.screen()
	}
	if n := len(auditLines(t, s.path)) - before; n != 0 {
		t.Errorf("drawing and help left %d audit lines", n)
	}
	if n, want := before, 4*len(keys)+1; n != want {
		t.Errorf("the log has %d lines for %d refused presses", n, want)
	}
}

// An agent's presses refused for the card's state, and for the role, are
// recorded with the words the agent sees.
func TestRefusedByStateAudited(t *testing.T) {
	s := startRefused(t, backend.RoleAgent)
	var card api.Card
	for _, c := range s.book.cards {
		if c.Status == api.CardActive {
			card = c
			break
		}
	}
	s.keys(":")
	s.key("card " + card.ID)
	s.keys("enter")
	s.await("the card's detail", func(m *model) bool {
		d, ok := topIs[*CardDetail](m)
		return ok && d.loaded && d.card.ID == card.ID
	})
	for _, k := range []struct{ key, why string }{
		{"u", "card is not frozen"},
		{"a", "only inactive cards can be activated"},
		{"r", "your role (agent) cannot reveal card numbers"},
		{"t", "your role (agent) cannot terminate cards"},
	} {
		s.refusal("card detail", k.key, card, k.why)
	}
}

// flashOf is the footer's flash now.
func (s *session) flashOf() string {
	var f string
	s.inspect(func(m *model) { f = m.flashText() })
	return f
}

// While the provider holds an agent's freeze, the attempt is already in the
// audit file, and a supervisor's :audit, in another session of the same
// backend, shows it under way; once the provider answers, the agent sees
// the outcome and the log pairs it with the attempt.
func TestHeldActionIsOnRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log, err := backend.OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = log.Close() })
	e := newEnvAudit(t, nil, log)
	u, c := e.pickUser(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var enter, free sync.Once
	e.log.setHold(func(r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, c.ID) {
			enter.Do(func() { close(entered) })
			<-release
		}
	})
	t.Cleanup(func() { free.Do(func() { close(release) }) }) // before the sandbox closes

	agent := e.start(t, backend.RoleAgent, 120, 40)
	agent.openCard(u, c)
	agent.key("f")
	agent.await("the confirm dialog", dialogIs[*confirmDialog])
	agent.key("y")
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the freeze did not reach the provider")
	}

	lines := auditLines(t, path)
	if len(lines) != 1 || lines[0]["outcome"] != backend.OutcomePending || lines[0]["attempt"] == "" ||
		lines[0]["action"] != "freeze" || lines[0]["card_id"] != c.ID || lines[0]["last_four"] != c.LastFour || lines[0]["agent"] != "alice" {
		t.Fatalf("with the call in flight the log holds %v, want its attempt", lines)
	}
	attempt := lines[0]["attempt"]

	super := e.start(t, backend.RoleSupervisor, 120, 40)
	super.key(":")
	super.key("audit")
	super.key("enter")
	super.await("the attempt under way", func(m *model) bool {
		a, ok := topIs[*AuditScreen](m)
		return ok && !a.loading && len(a.entries) == 1 && a.entries[0].Outcome == backend.OutcomeUnderWay
	})
	if out := super.screen(); !strings.Contains(out, "under way: no outcome yet") {
		t.Errorf("the audit screen does not say the freeze is under way:\n%s", out)
	}

	free.Do(func() { close(release) })
	agent.await("the freeze's outcome", func(m *model) bool {
		return m.dialog == nil && m.flashText() == "Card "+masked(c.LastFour)+" frozen"
	})
	lines = auditLines(t, path)
	if len(lines) != 2 || lines[1]["attempt"] != attempt || lines[1]["outcome"] != "ok" || !strings.HasPrefix(lines[1]["request_id"], "req_") {
		t.Errorf("after the answer the log holds %v, want the outcome of attempt %s", lines, attempt)
	}
	super.tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	super.await("the outcome on the audit screen", func(m *model) bool {
		a, ok := topIs[*AuditScreen](m)
		return ok && !a.loading && len(a.entries) == 1 && a.entries[0].Outcome == "ok"
	})
}

// When the provider has done an action but its outcome cannot be recorded
// (the log was closed while the call was in flight), the agent is told the
// card changed and that the log lacks its outcome, and the card shows as
// changed; the attempt stays on record.
func TestDoneButOutcomeUnrecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log, err := backend.OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvAudit(t, nil, log)
	u, c := e.pickUser(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var enter, free sync.Once
	e.log.setHold(func(r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, c.ID) {
			enter.Do(func() { close(entered) })
			<-release
		}
	})
	t.Cleanup(func() { free.Do(func() { close(release) }) })

	s := e.start(t, backend.RoleAgent, 120, 40)
	s.openCard(u, c)
	s.key("f")
	s.await("the confirm dialog", dialogIs[*confirmDialog])
	s.key("y")
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the freeze did not reach the provider")
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	free.Do(func() { close(release) })
	want := "Card " + masked(c.LastFour) + " frozen, but the audit log could not record it"
	s.await("the outcome", func(m *model) bool { return m.dialog == nil && m.flashText() != "" })
	if f := s.flashOf(); !strings.HasPrefix(f, want) {
		t.Errorf("the footer says %q, want it to start %q", f, want)
	}
	s.await("the card shown frozen", func(m *model) bool { return topCardStatus(m) == api.CardFrozen })
	if got := e.cardStatus(t, c.ID); got != api.CardFrozen {
		t.Fatalf("the sandbox has the card %s", got)
	}
	if lines := auditLines(t, path); len(lines) != 1 || lines[0]["outcome"] != backend.OutcomePending {
		t.Errorf("the log holds %v, want the attempt alone", lines)
	}
}
