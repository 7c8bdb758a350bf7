package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/tui/backend"
)

// headerHeight is the header's lines: the status line and the tabs with
// the breadcrumb.
const headerHeight = 2

// tabNames are the four views, in key order.
func tabNames() [numTabs]string {
	return [numTabs]string{"Users", "Cards", "Live", "Declines"}
}

// part is one item of the status line; the lower its keep, the sooner it
// goes when the line is too narrow.
type part struct {
	text string
	keep int
}

// headerView draws the status line and the tab line.
func headerView(ctx *Context, h backend.Health, active int, crumbs []string, width int) string {
	s := ctx.Styles
	sep := s.Muted.Render(" │ ")
	parts := statusParts(ctx, h)
	line := dropToFit(parts, sep, width)

	var tabs []string
	for i, name := range tabNames() {
		t := fmt.Sprintf("%d %s", i+1, name)
		if i == active {
			tabs = append(tabs, s.TabActive.Render(t))
		} else {
			tabs = append(tabs, s.TabInactive.Render(t))
		}
	}
	tabLine := strings.Join(tabs, "  ")
	room := width - ansi.StringWidth(tabLine) - 3
	if room > 8 && len(crumbs) > 0 {
		tabLine += "   " + s.Crumb.Render(crumbText(crumbs, room))
	}
	return fitLine(line, width) + "\n" + fitLine(tabLine, width)
}

// statusParts are the items of the status line, by importance.
func statusParts(ctx *Context, h backend.Health) []part {
	s := ctx.Styles
	var out []part
	out = append(out, part{s.Header.Render(providerName(ctx)) + " " + modeBadge(ctx), 9})

	out = append(out, part{apiText(s, h, ctx.now()), 7})
	out = append(out, part{relayText(s, h, ctx.now()), 6})
	if at := h.RelayStoreChanged; !at.IsZero() && ctx.now().Sub(at) < storeChangeShown {
		out = append(out, part{s.Warn.Render("relay store replaced " + age(ctx.now(), at) + " ago"), 4})
	}
	out = append(out, budgetParts(s, h)...)
	if !h.LastEventAt.IsZero() {
		out = append(out, part{s.Muted.Render("last event " + age(ctx.now(), h.LastEventAt)), 2})
	}
	who := safe(ctx.Actor.Agent)
	if who == "" {
		who = "agent"
	}
	role := string(ctx.Actor.Role)
	if role == "" {
		role = "no role"
	}
	out = append(out, part{s.Value.Render(who) + " " + s.Muted.Render("("+safe(role)+")"), 8})
	return out
}

// storeChangeShown is how long the header says the relay's store was
// replaced: the events before it are gone from the relay, and an agent
// who looks up soon after should know why the history restarts.
const storeChangeShown = 15 * time.Minute

// latencyText renders a round trip: "42ms", "1.2s".
func latencyText(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", max(d.Milliseconds(), 1))
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// dropToFit joins the parts, leaving out the least important until the
// line fits.
func dropToFit(parts []part, sep string, width int) string {
	for {
		texts := make([]string, len(parts))
		for i, p := range parts {
			texts[i] = p.text
		}
		line := strings.Join(texts, sep)
		if ansi.StringWidth(line) <= width || len(parts) <= 1 {
			return line
		}
		low := 0
		for i, p := range parts {
			if p.keep < parts[low].keep {
				low = i
			}
		}
		parts = append(parts[:low:low], parts[low+1:]...)
	}
}

// crumbText joins the stack's titles, keeping the end when it is too long.
func crumbText(crumbs []string, width int) string {
	text := strings.Join(crumbs, " › ")
	for ansi.StringWidth(text) > width && len(crumbs) > 1 {
		crumbs = crumbs[1:]
		text = "… › " + strings.Join(crumbs, " › ")
	}
	return ansi.Truncate(text, width, "…")
}
