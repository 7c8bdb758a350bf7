package tui

import (
	"time"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// clockText is a time as the Live rows show theirs: UTC, to the minute.
func clockText(t time.Time) string { return t.UTC().Format("15:04") }

// relayText is the relay's state for the header: a refused token, a wrong
// path and a relay out of reach are different fixes, and all read "relay
// offline".
func relayText(s *Styles, h backend.Health, now time.Time) string {
	switch h.Relay {
	case live.StateLive:
		return s.Good.Render("relay live")
	case live.StateBehind:
		return s.Warn.Render("relay behind")
	}
	switch h.RelayTrouble.Kind {
	case live.TroubleTokenRefused, live.TroubleNotFound:
		return s.Danger.Render("relay " + string(h.RelayTrouble.Kind))
	case live.TroubleRefused, live.TroubleBadURL, live.TroubleRelayError:
		return s.Danger.Render("relay " + string(h.RelayTrouble.Kind) + ": " + safe(h.RelayTrouble.Cause))
	}
	if h.RelayErr == "no relay configured" {
		return s.Muted.Render("no relay")
	}
	if h.Relay == live.StateConnecting && h.RelayTrouble.Kind == live.TroubleNone {
		return s.Warn.Render("relay connecting")
	}
	t := "relay offline"
	if !h.RelayDown.IsZero() {
		t += " since " + clockText(h.RelayDown)
	}
	if c := h.RelayTrouble.Cause; c != "" {
		t += ": " + safe(c)
	}
	return s.Danger.Render(t)
}

// staleness says whether the Live and Declines views are current — the
// relay's stream live — and when not, why, in a sentence ("relay offline
// since 14:02 (connection refused)"), and up to when what they show goes
// ("14:01"; "" when no event has come). A screen drawn outside a model
// (its own tests) counts as current.
type staleness struct {
	current bool
	why     string
	upTo    string
	// passing: the relay is catching up (behind, connecting the first
	// time) rather than failing.
	passing bool
}

func relayStaleness(ctx *Context) staleness {
	if ctx.health == nil {
		return staleness{current: true}
	}
	h := *ctx.health
	st := staleness{}
	if !h.LastEventAt.IsZero() {
		st.upTo = clockText(h.LastEventAt)
	}
	cause := ""
	if c := h.RelayTrouble.Cause; c != "" {
		cause = " (" + safe(c) + ")"
	}
	switch {
	case h.Relay == live.StateLive:
		st.current = true
	case h.Relay == live.StateBehind:
		st.why, st.passing = "behind: the relay is catching this dashboard up", true
	case h.RelayErr == "no relay configured":
		st.why = "no relay configured"
	case h.RelayTrouble.Kind == live.TroubleTokenRefused:
		st.why = "the relay refused this dashboard's token" + cause
	case h.RelayTrouble.Kind == live.TroubleNotFound:
		st.why = "the relay has no stream at the configured path" + cause
	case h.RelayTrouble.Kind == live.TroubleRefused, h.RelayTrouble.Kind == live.TroubleBadURL, h.RelayTrouble.Kind == live.TroubleRelayError:
		st.why = "relay " + string(h.RelayTrouble.Kind) + cause
	case h.Relay == live.StateConnecting && h.RelayTrouble.Kind == live.TroubleNone:
		st.why, st.passing = "connecting to the relay", true
	case !h.RelayDown.IsZero():
		st.why = "relay offline since " + clockText(h.RelayDown) + cause
	default:
		st.why = "relay offline" + cause
	}
	return st
}

// shows is what a view not current shows instead, in its noun ("events",
// "figures").
func (st staleness) shows(noun string) string {
	if st.upTo == "" {
		return "no " + noun + " received yet"
	}
	return "showing " + noun + " up to " + st.upTo
}

// line is the sentence a view not current leads with: "○ not current:
// relay offline since 14:02 (connection refused) · showing events up to
// 14:01", in the theme's warning or danger colour.
func (st staleness) line(s *Styles, noun string) string {
	style := s.Danger
	if st.passing {
		style = s.Warn
	}
	return style.Render("○ not current: " + st.why + " · " + st.shows(noun))
}
