package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// A freeze the provider refuses for the card's state (409) says what the
// provider said, with its request id, and reads the card again so that
// the screen shows its true state. It always read "The card is already
// frozen", dropping the provider's message and request id, and left the
// card shown as active — even when the provider said it was terminated.
func TestFreezeConflictSaysWhatTheProviderSaid(t *testing.T) {
	tests := []struct {
		name string
		// change is what happened to the card elsewhere, unknown to the
		// dashboard (no relay: no webhook tells it).
		change func(ctx context.Context, c *env, id string) error
		status api.CardStatus
		want   string // the flash after "Card •••• NNNN not frozen: "
	}{
		{"terminated elsewhere", func(ctx context.Context, e *env, id string) error {
			_, err := e.direct.TerminateCard(ctx, id, api.TerminationReason("lost"))
			return err
		}, api.CardTerminated, `Card card_[a-z0-9]+ is terminated and cannot be frozen \(request req_[A-Za-z0-9_]+\)$`},
		{"frozen elsewhere", func(ctx context.Context, e *env, id string) error {
			_, err := e.direct.FreezeCard(ctx, id)
			return err
		}, api.CardFrozen, `it is already frozen — Card card_[a-z0-9]+ is frozen and cannot be frozen again \(request req_[A-Za-z0-9_]+\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			_, card := e.pickUser(t)
			s := &faultSession{session: e.start(t, backend.RoleSupervisor, 120, 30)}
			s.openCardByID(card)
			if err := tt.change(context.Background(), e, card.ID); err != nil {
				t.Fatal(err)
			}
			s.key("f")
			s.await("the confirm dialog", dialogIs[*confirmDialog])
			s.key("y")
			s.await("the outcome", func(m *model) bool { return m.dialog == nil && m.flashText() != "" })
			var flash string
			s.inspect(func(m *model) { flash = m.flashFull() })
			lead := "Card " + masked(card.LastFour) + " not frozen: "
			if !strings.HasPrefix(flash, lead) || !regexp.MustCompile(tt.want).MatchString(flash) {
				t.Errorf("flash %q\nwant %q + /%s/", flash, lead, tt.want)
			}
			if tt.status != api.CardFrozen && strings.Contains(flash, "already frozen") {
				t.Errorf("the flash guesses: %q", flash)
			}
			s.await("the card shown "+string(tt.status), func(m *model) bool {
				d, ok := topIs[*CardDetail](m)
				return ok && d.card.Status == tt.status
			})
			if c, err := e.be.GetCard(context.Background(), card.ID); err != nil || c.Status != tt.status {
				t.Errorf("the backend's card: %s, %v; want it %s, read again after the refusal", c.Status, err, tt.status)
			}
		})
	}
}
