package tui

import (
	"testing"

	"github.com/carddesk/carddesk/api"
)

// The words a screen gives a decline: the provider's reason and words, an
// inference labelled so with what it rests on, or "reason not given".
func TestDeclineWords(t *testing.T) {
	inferred := api.Decline{Reason: api.DeclineCategoryBlocked, Inferred: true, Basis: "gambling blocked by the card's controls"}
	tests := []struct {
		name                      string
		d                         api.Decline
		short, text, detail, line string
	}{
		{"a code carddesk knows", api.Decline{Reason: api.DeclineCardFrozen, Code: "card_frozen", Message: "The card is frozen."},
			"card frozen", "card frozen (card state)", "card_frozen: The card is frozen.",
			"✗ card frozen (card state) — provider said card_frozen: The card is frozen."},
		{"a code it does not know", api.Decline{Reason: api.DeclineOther, Code: "velocity_exceeded", Message: "Too many."},
			"provider code velocity_exceeded", "provider code velocity_exceeded (other)", "velocity_exceeded: Too many.",
			"✗ provider code velocity_exceeded (other) — provider said velocity_exceeded: Too many."},
		{"nothing", api.Decline{Reason: api.DeclineNotGiven}, "reason not given", "reason not given", "", "✗ reason not given"},
		{"words without a code", api.Decline{Reason: api.DeclineNotGiven, Message: "Declined"},
			"reason not given", "reason not given", "Declined", "✗ reason not given — provider said Declined"},
		{"inferred", inferred, "inferred: merchant category not allowed", "inferred: merchant category not allowed",
			"gambling blocked by the card's controls", "✗ inferred: gambling blocked by the card's controls"},
		{"a hostile code", api.Decline{Reason: api.DeclineOther, Code: "v\x1b]52;c;eA==\x07x"},
			"provider code vx", "provider code vx (other)", "vx", "✗ provider code vx (other) — provider said vx"},
	}
	withWords := inferred
	withWords.Message = "Declined"
	tests = append(tests, struct {
		name                      string
		d                         api.Decline
		short, text, detail, line string
	}{"inferred, with the provider's words", withWords, "inferred: merchant category not allowed", "inferred: merchant category not allowed",
		"gambling blocked by the card's controls; provider said Declined",
		"✗ inferred: gambling blocked by the card's controls — provider said Declined"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := declineShort(tt.d); got != tt.short {
				t.Errorf("short %q, want %q", got, tt.short)
			}
			if got := declineText(tt.d); got != tt.text {
				t.Errorf("text %q, want %q", got, tt.text)
			}
			if got := declineDetail(tt.d); got != tt.detail {
				t.Errorf("detail %q, want %q", got, tt.detail)
			}
			if got := declineLine(tt.d); got != tt.line {
				t.Errorf("line %q, want %q", got, tt.line)
			}
		})
	}
}
