package tui

import (
	"testing"

	"github.com/carddesk/carddesk/tui/backend"
)

// Live and Declines look up the cards they draw only while on show: a
// session on the Users view costs the provider no request per event, and
// a monitor shown again catches up on what arrived meanwhile.
func TestHiddenMonitorsAskNothing(t *testing.T) {
	be, cards := liveSandbox(t)
	m := New(Options{Backend: be, Actor: backend.Actor{Agent: "alice", Role: backend.RoleSupervisor}, Now: liveNow, Screens: LiveScreens}).(*model)
	m.ctx.Width, m.ctx.Height = 120, 40
	for _, tab := range []int{tabLive, tabDeclines} {
		_ = m.activate(tab) // shown once, then left
	}
	_ = m.activate(tabUsers)

	ups := feedLive(m.ctx, liveTraffic(cards, 200, true))
	for _, msg := range []any{EventsMsg{Updates: ups}, TickMsg{At: liveNow()}} {
		for _, tab := range []int{tabLive, tabDeclines} {
			sc := m.tabs[tab][0]
			if _, cmd := sc.Update(m.ctx, msg); cmd != nil {
				t.Errorf("%s, hidden, answered %T with a command (a lookup nobody sees)", sc.Title(), msg)
			}
		}
	}

	for _, tab := range []int{tabLive, tabDeclines} {
		title := m.tabs[tab][0].Title()
		cmd := m.activate(tab)
		if cmd == nil {
			t.Errorf("%s shown again: no lookup of the cards it draws", title)
			continue
		}
		got, ok := cmd().(cardsMsg)
		if !ok || len(got.found.Cards) == 0 {
			t.Errorf("%s shown again: looked up %d cards, want the cards on screen", title, len(got.found.Cards))
		}
	}
}
