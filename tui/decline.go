package tui

import (
	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/monitor"
)

// The words a screen gives a decline (DESIGN §3): the provider's reason,
// an inference labelled "inferred: …", or "reason not given" — never a
// system error that the provider did not report — and beside it, where
// there is room, the provider's own code and message as sent.

// declineShort is a decline's reason in a few words: "card frozen",
// "provider code velocity_exceeded", "inferred: card frozen", "reason not
// given". What an inference rests on is declineDetail's.
func declineShort(d api.Decline) string {
	switch {
	case d.Inferred:
		return "inferred: " + d.Reason.Label()
	case d.Given() && (d.Reason == api.DeclineOther || !d.Reason.Known()):
		return "provider code " + safe(d.Code)
	}
	return safe(d.Text())
}

// declineText is declineShort with the group of a reason the provider
// gave: "card frozen (card state)", "provider code velocity_exceeded
// (other)".
func declineText(d api.Decline) string {
	text := declineShort(d)
	if d.Given() {
		text += " (" + d.Reason.Group().Label() + ")"
	}
	return text
}

// declineDetail is what the provider said of a decline, "code: message",
// as sent; for an inference, what it rests on ("gambling blocked by the
// card's controls"); "" when there is neither.
func declineDetail(d api.Decline) string {
	switch {
	case d.Inferred && d.Message != "":
		// Words without a code: the provider's all the same.
		return safe(d.Basis) + "; provider said " + safe(d.Message)
	case d.Inferred:
		return safe(d.Basis)
	}
	return safe(d.Raw())
}

// declineLine is a decline in full, for the line that tells of the
// selected row: an inference by what it rests on ("inferred: gambling
// blocked by the card's controls"), a reason given with what the provider
// said ("card frozen (card state) — provider said card_frozen: The card
// is frozen.").
func declineLine(d api.Decline) string {
	if d.Inferred {
		line := "✗ " + safe(d.Text())
		if d.Message != "" {
			line += " — provider said " + safe(d.Message)
		}
		return line
	}
	line := "✗ " + declineText(d)
	if raw := declineDetail(d); raw != "" {
		line += " — provider said " + raw
	}
	return line
}

// withMiddle puts a muted middle part after left on a line that ends with
// right, cut to the room between them; left and right as joinEnds has them.
func withMiddle(st *Styles, left, middle, right string, width int) string {
	room := width - ansi.StringWidth(left) - ansi.StringWidth(right) - 4
	if middle != "" && room >= 12 {
		left += "  " + st.Muted.Render(ansi.Truncate(middle, room, "…"))
	}
	return joinEnds(left, right, width)
}

// reasonLine names a ranked reason on the Declines view: an inferred one
// says so, so that a count of inferences never reads as the provider's.
func reasonLine(r monitor.ReasonCount) string {
	if r.Inferred {
		return "inferred: " + r.Reason.Label()
	}
	return r.Reason.Label()
}

// cardDecline is why t was declined, as the card detail shows it: the
// provider's reason, or one inferred from the card on show and what it
// spent among the transactions listed (complete when no page is left).
func cardDecline(c *api.Card, txs []api.Transaction, complete bool, t api.Transaction) api.Decline {
	facts := api.DeclineFacts{Card: c}
	if c != nil && c.Limit != nil && (t.Decline == nil || !t.Decline.Given()) {
		spend := api.SpentBefore
		if complete {
			spend = api.SpentBeforeComplete
		}
		if s, ok := spend(txs, c.ID, *c.Limit, t.CreatedAt); ok {
			facts.Spent = &s
		}
	}
	d, _ := api.ExplainDecline(t, facts)
	return d
}
