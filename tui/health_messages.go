package tui

import (
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// noteHealth puts what changed in the API's and the relay's state since
// the last tick in the message log: the header shows the state now, the
// log when it changed and why, in full.
func (m *model) noteHealth(prev, next backend.Health) {
	ctx, now := m.ctx, m.ctx.now()
	if next.API != prev.API || next.APIErr != prev.APIErr {
		switch {
		case next.API == backend.APIUp && prev.API != backend.APIUnknown && prev.API != "":
			ctx.messages.add(now, providerName(ctx)+" answers again", "", false)
		case next.API != backend.APIUp && next.API != backend.APIUnknown && next.APIErr != "":
			ctx.messages.add(now, providerName(ctx)+" check: "+safe(next.APIErr), "", true)
		}
	}
	if next.RelayTrouble != prev.RelayTrouble || (next.Relay == live.StateLive) != (prev.Relay == live.StateLive) {
		st := relayStaleness(&Context{health: &next})
		switch {
		case st.current && prev.RelayTrouble.Kind != live.TroubleNone:
			ctx.messages.add(now, "Relay live again", "", false)
		case !st.current && !st.passing:
			ctx.messages.add(now, "Live and Declines not current: "+st.why, "", true)
		}
	}
}
