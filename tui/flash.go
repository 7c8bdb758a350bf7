package tui

// show puts f in the footer and in the session's message log.
func (m *model) show(f FlashMsg) {
	now := m.ctx.now()
	m.flash = flashState{msg: f, at: now}
	m.ctx.messages.add(now, safe(f.Text), safe(f.RequestID), f.Error)
}

// dismiss clears the footer's message; the log keeps it. It reports
// whether there was one.
func (m *model) dismiss() bool {
	if m.flash.msg.Text == "" {
		return false
	}
	m.flash = flashState{}
	return true
}
