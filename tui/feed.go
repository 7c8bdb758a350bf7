package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

// feedEvery bounds how often live updates are applied and drawn: a burst
// costs one redraw per batch.
const feedEvery = 100 * time.Millisecond

// feedMsg is every update that was pending when the feed was read.
type feedMsg struct {
	updates []backend.Update
	skipped uint64
	err     error
}

// feedArmMsg re-arms the feed once the coalescing interval has passed.
type feedArmMsg struct{}

// waitFeed blocks (in a command) until updates are pending. When the
// session's context ends it closes the feed, so that a session that went
// away (an SSH client hanging up) stops holding updates.
func waitFeed(f *backend.Feed, io context.Context) tea.Cmd {
	return func() tea.Msg {
		ups, err := f.Wait(io)
		if err != nil && io.Err() != nil {
			f.Close()
		}
		return feedMsg{updates: ups, skipped: f.Skipped(), err: err}
	}
}

// onFeed puts a batch in the Ring and the Stats, sends it down to every
// screen, and re-arms the feed no sooner than feedEvery after the last
// batch.
func (m *model) onFeed(msg feedMsg) tea.Cmd {
	if msg.err != nil {
		if errors.Is(msg.err, backend.ErrFeedClosed) || errors.Is(msg.err, context.Canceled) || m.quitting {
			return nil
		}
		return tea.Batch(flash("Live updates stopped: "+errorText(m.ctx, msg.err), true),
			tea.Tick(time.Second, func(time.Time) tea.Msg { return feedArmMsg{} }))
	}
	for _, u := range msg.updates {
		row := monitor.RowOf(u.Seq, u.Event)
		row.Why = u.Why
		m.ctx.Ring.Append(row)
		m.ctx.Stats.Add(row)
	}
	var cmds []tea.Cmd
	if msg.skipped > 0 {
		cmds = append(cmds, flash(fmt.Sprintf("This session fell behind: %d live events skipped", msg.skipped), true))
	}
	if len(msg.updates) > 0 {
		cmds = append(cmds, m.broadcast(EventsMsg{Updates: msg.updates}))
	}
	now := m.ctx.now()
	wait := feedDelay(m.lastFeed, now)
	m.lastFeed = now
	if wait > 0 {
		cmds = append(cmds, tea.Tick(wait, func(time.Time) tea.Msg { return feedArmMsg{} }))
	} else {
		cmds = append(cmds, waitFeed(m.feed, m.ctx.IO()))
	}
	return tea.Batch(cmds...)
}

// feedDelay is how long to wait before reading the feed again after a
// batch at now, when the one before came at last: the rest of feedEvery,
// or nothing. A clock that went back waits a whole interval.
func feedDelay(last, now time.Time) time.Duration {
	since := now.Sub(last)
	switch {
	case last.IsZero() || since >= feedEvery:
		return 0
	case since < 0:
		return feedEvery
	}
	return feedEvery - since
}
