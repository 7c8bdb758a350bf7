package backend

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// ConflictError is an action the provider refused for the card's state
// (409): the card was not in the state carddesk had cached — changed
// elsewhere, its webhook not here yet. Card is the card as the provider
// has it now, read again after the refusal and cached, so that every view
// shows the true state; zero when that read failed. Err is the refusal,
// in the provider's words, with its request id.
type ConflictError struct {
	Err  error
	Card api.Card
}

func (e *ConflictError) Error() string { return e.Err.Error() }

func (e *ConflictError) Unwrap() error { return e.Err }

// afterConflict reads the card again when the provider refused an action
// for the card's state, and returns err as a *ConflictError carrying it;
// any other error is returned as it is. The read is the agent's (it runs
// under the action's ctx) and goes to the provider, past the cache, which
// is what was wrong.
func (b *Backend) afterConflict(ctx context.Context, cardID string, err error) error {
	e, ok := api.AsError(err)
	if !ok || e.Status != http.StatusConflict {
		return err
	}
	card, rerr := b.client.GetCard(ctx, cardID)
	if rerr != nil {
		b.log.Warn("read the card again after a state conflict", slog.String("card", safetext.Safe(cardID)),
			slog.String("error", safetext.Safe(rerr.Error())))
		return &ConflictError{Err: err}
	}
	return &ConflictError{Err: err, Card: b.cache.putCard(card)}
}
