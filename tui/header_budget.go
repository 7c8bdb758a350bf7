package tui

import (
	"fmt"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// budgetParts are the header's rate-limit items: what is left of the
// provider's window and when it resets, whether agents' reads wait and
// until when, and the background lane's state when it is held back. The
// limit shows once the provider has said it; an assumed one shows only
// what it holds back.
func budgetParts(s *Styles, h backend.Health) []part {
	rl := h.RateLimit
	st := rl.Budget
	var out []part
	switch {
	case !st.PausedUntil.IsZero() && h.API == backend.APIRateLimited:
		// The API's state already says so, with the reset.
	case !st.PausedUntil.IsZero():
		out = append(out, part{s.Danger.Render("rate limited: requests wait until " + clock(st.PausedUntil)), 5})
	case st.Waiting > 0 && st.WaitingWhy == api.HoldSpent:
		out = append(out, part{s.Warn.Render(fmt.Sprintf("rl %d/%d: reads wait until %s", st.Left, st.Limit, clock(st.WaitingUntil))), 5})
	case rl.Known():
		style := s.Muted
		if st.Limit > 0 && st.Left*5 < st.Limit {
			style = s.Warn
		}
		out = append(out, part{style.Render(fmt.Sprintf("rl %d/%d", st.Left, st.Limit)), 3})
		if !st.Resets.IsZero() {
			out = append(out, part{s.Muted.Render("resets " + clock(st.Resets)), 1})
		}
	}
	bg, who := st, "bg"
	if h.HasMonitor {
		// The background lane spends the monitoring key's budget.
		bg, who = h.MonitorRateLimit.Budget, "monitor key"
		if h.MonitorRateLimit.Known() {
			out = append(out, part{s.Muted.Render(fmt.Sprintf("monitor %d/%d", bg.Left, bg.Limit)), 1})
		}
	}
	if bg.BackgroundHeld != api.HoldNone && bg.BackgroundHeld != api.HoldInLine {
		out = append(out, part{s.Warn.Render(who + " held: " + heldWords(bg)), 4})
	}
	return out
}

// heldWords says why the background lane waits, briefly.
func heldWords(st api.BudgetState) string {
	switch st.BackgroundHeld {
	case api.HoldCap:
		return fmt.Sprintf("share spent (%d/%d)", st.Background, st.BackgroundCap)
	case api.HoldHeadroom:
		return "kept for agents"
	case api.HoldPaused, api.HoldSpent:
		return "window spent"
	}
	return string(st.BackgroundHeld)
}

// clock is a time of day as the header shows it, in this machine's zone.
func clock(t time.Time) string { return t.Local().Format("15:04:05") }
