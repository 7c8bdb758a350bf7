package tui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui/backend"
)

// Update routes a message: the root's own first, keys to the dialog, the
// command line, or the current screen, and everything else to the dialog
// and every screen (each drops answers that are not its own).
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	ctx := m.ctx
	m.logFailedRead(msg)
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		ctx.Width, ctx.Height = msg.Width, msg.Height
		return m, m.broadcast(msg)
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.restyle()
		return m, nil
	case tea.EnvMsg:
		if _, ok := msg.LookupEnv("NO_COLOR"); ok && !m.noColor {
			m.noColor = true
			m.restyle()
		}
		return m, nil
	case tickMsg:
		return m, m.onTick()
	case FlashMsg:
		m.show(msg)
		return m, nil
	case PushMsg:
		return m, m.push(msg.Screen)
	case feedMsg:
		return m, m.onFeed(msg)
	case feedArmMsg:
		if m.feed == nil || m.quitting {
			return m, nil
		}
		return m, waitFeed(m.feed, ctx.IO())
	case actionDoneMsg:
		return m, m.onActionDone(msg)
	case revealedMsg:
		if m.dialog != Dialog(msg.to) {
			// The dialog that asked is gone: nobody may keep the values.
			if msg.secrets != nil {
				msg.secrets.Wipe()
			}
			return m, nil
		}
		return m, m.updateDialog(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	var cmds []tea.Cmd
	if m.dialog != nil {
		cmds = append(cmds, m.updateDialog(msg))
	}
	if m.cmd.open {
		var cmd tea.Cmd
		m.cmd.input, cmd = m.cmd.input.Update(msg)
		cmds = append(cmds, cmd)
	}
	cmds = append(cmds, m.broadcast(msg))
	return m, tea.Batch(cmds...)
}

// onTick refreshes the header's health, expires the flash, tells the
// screens, and re-arms.
func (m *model) onTick() tea.Cmd {
	ctx := m.ctx
	now := ctx.now()
	if ctx.Backend != nil {
		prev := m.health
		m.health = ctx.Backend.Health()
		m.noteHealth(prev, m.health)
		ctx.readsWait = readsWait(ctx, m.health)
	}
	if m.flash.msg.Text != "" && !m.flash.msg.Error && now.Sub(m.flash.at) >= flashFor {
		m.flash = flashState{}
	}
	return tea.Batch(tick(), m.broadcast(TickMsg{At: now}))
}

// onActionDone shows the outcome at once, updates every screen showing the
// card, and closes the dialog that ran the action.
func (m *model) onActionDone(msg actionDoneMsg) tea.Cmd {
	m.show(outcome(m.ctx, msg))
	if m.dialog != nil && m.dialog == msg.from {
		m.dialog.Close()
		m.dialog = nil
	}
	var conflict *backend.ConflictError
	switch {
	case msg.done():
		return m.broadcast(CardMsg{Card: msg.card})
	case errors.As(msg.err, &conflict) && conflict.Card.ID != "":
		// The provider refused for a state carddesk did not know the card
		// was in: every view shows the card as it is now.
		return m.broadcast(CardMsg{Card: conflict.Card})
	}
	return nil
}

// updateDialog passes msg to the dialog and closes it when it says so.
func (m *model) updateDialog(msg tea.Msg) tea.Cmd {
	d, cmd := m.dialog.Update(m.ctx, msg)
	if d == nil {
		m.dialog.Close()
	}
	m.dialog = d
	return cmd
}

// key routes a key press. ctrl+c always quits; otherwise the dialog, the
// command line, the help screen and a screen taking text come first, so
// that typing never triggers a global key.
func (m *model) key(k tea.KeyPressMsg) tea.Cmd {
	ctx, keys := m.ctx, m.ctx.Keys
	if k.String() == "ctrl+c" {
		return m.quit()
	}
	if m.dialog != nil {
		return m.updateDialog(k)
	}
	if m.cmd.open {
		return m.cmdKey(k)
	}
	if m.help {
		switch {
		case key.Matches(k, keys.Help), key.Matches(k, keys.Back):
			m.help = false
		case key.Matches(k, keys.Quit):
			return m.quit()
		}
		return nil
	}
	top := m.top()
	if top.Capturing() {
		return m.updateTop(k)
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Help):
		m.help = true
		return nil
	case key.Matches(k, keys.Command):
		return m.cmd.start()
	case key.Matches(k, keys.Dismiss) && m.dismiss():
		return nil
	case key.Matches(k, keys.NextTab):
		return m.activate((m.active + 1) % numTabs)
	case key.Matches(k, keys.PrevTab):
		return m.activate((m.active + numTabs - 1) % numTabs)
	case key.Matches(k, keys.Users):
		return m.activate(tabUsers)
	case key.Matches(k, keys.Cards):
		return m.activate(tabCards)
	case key.Matches(k, keys.Live):
		return m.activate(tabLive)
	case key.Matches(k, keys.Declines):
		return m.activate(tabDeclines)
	case key.Matches(k, keys.Enter):
		if o, ok := top.(Opener); ok {
			if next, cmd, ok := o.Open(ctx); ok && next != nil {
				return tea.Batch(cmd, m.push(next))
			}
		}
	case key.Matches(k, keys.Back):
		if len(m.tabs[m.active]) > 1 {
			m.pop()
			return m.updateTop(ShownMsg{})
		}
	}
	if a, ok := actionFor(keys, k); ok {
		if _, isSel := top.(CardSelector); isSel {
			d, cmd := startAction(ctx, top, a)
			if d != nil {
				m.dialog = d
			}
			return cmd
		}
	}
	return m.updateTop(k)
}

// top is the current screen.
func (m *model) top() Screen {
	st := m.tabs[m.active]
	return st[len(st)-1]
}

// updateTop passes msg to the current screen.
func (m *model) updateTop(msg tea.Msg) tea.Cmd {
	st := m.tabs[m.active]
	next, cmd := st[len(st)-1].Update(m.ctx, msg)
	if next != nil {
		st[len(st)-1] = next
	}
	return cmd
}

// broadcast passes msg to every screen of every stack.
func (m *model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for t := range m.tabs {
		for i, sc := range m.tabs[t] {
			next, cmd := sc.Update(m.ctx, msg)
			if next != nil {
				m.tabs[t][i] = next
			}
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// activate switches to a view, loading it the first time.
func (m *model) activate(t int) tea.Cmd {
	m.active = t
	m.help = false
	if m.inited[t] {
		return m.updateTop(ShownMsg{})
	}
	m.inited[t] = true
	return m.tabs[t][0].Init(m.ctx)
}

// push drills down on the current view.
func (m *model) push(sc Screen) tea.Cmd {
	if sc == nil {
		return nil
	}
	m.tabs[m.active] = append(m.tabs[m.active], sc)
	return sc.Init(m.ctx)
}

// pop goes back one level.
func (m *model) pop() {
	st := m.tabs[m.active]
	st[len(st)-1] = nil
	m.tabs[m.active] = st[:len(st)-1]
}
