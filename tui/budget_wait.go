package tui

import (
	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// readsWait says, in words, why an agent's reads are waiting for the
// rate limit and until when; "" when none waits. A list still loading
// shows it, so that the agent knows what the wait is and how long.
func readsWait(ctx *Context, h backend.Health) string {
	st := h.RateLimit.Budget
	if st.Waiting == 0 {
		return ""
	}
	switch st.WaitingWhy {
	case api.HoldPaused:
		return providerName(ctx) + " is rate limiting us: reads wait until " + clock(st.WaitingUntil)
	case api.HoldSpent:
		return "this minute's requests to " + providerName(ctx) + " are spent: reads wait until " + clock(st.WaitingUntil)
	}
	return ""
}

// loadingText is what stands in for something still loading: "Loading…",
// and why when the agents' reads wait for the rate limit.
func loadingText(ctx *Context) string {
	if ctx.readsWait != "" {
		return ctx.Styles.Warn.Render("Loading… " + sentence(ctx.readsWait))
	}
	return ctx.Styles.Muted.Render("Loading…")
}
