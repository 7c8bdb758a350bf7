package backend

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// Actions are never cached. Each checks, before the provider hears of it,
// the actor's role, the provider's capability and the card's state (as
// cached, kept current by events) and refuses with a *RefusedError, in one
// audit line. An action that passes is recorded as an attempt, durably,
// before the provider is called — or not called at all when that fails —
// and its outcome, failed or done, after, before the method returns. A done
// action updates the cached card at once; the webhook that follows
// reconciles it again. One the provider refuses for the card's state reads
// the card again and returns it in a *ConflictError.

// Freeze freezes an active card.
func (b *Backend) Freeze(ctx context.Context, actor Actor, cardID string) (api.Card, error) {
	return b.change(ctx, actor, ActionFreeze, cardID, "", b.client.FreezeCard)
}

// Unfreeze unfreezes a frozen card.
func (b *Backend) Unfreeze(ctx context.Context, actor Actor, cardID string) (api.Card, error) {
	return b.change(ctx, actor, ActionUnfreeze, cardID, "", b.client.UnfreezeCard)
}

// Activate activates an inactive card.
func (b *Backend) Activate(ctx context.Context, actor Actor, cardID string) (api.Card, error) {
	return b.change(ctx, actor, ActionActivate, cardID, "", b.client.ActivateCard)
}

// Terminate ends a card for good, for one of api.TerminationReasons.
func (b *Backend) Terminate(ctx context.Context, actor Actor, cardID string, reason api.TerminationReason) (api.Card, error) {
	return b.change(ctx, actor, ActionTerminate, cardID, string(reason), func(ctx context.Context, id string) (api.Card, error) {
		return b.client.TerminateCard(ctx, id, reason)
	})
}

// Reveal returns the card's full number, CVC and expiry; reason (why the
// agent needs them) is required and goes to the audit log. The secrets are
// never cached, logged or audited: the caller owns them and must Wipe them.
// When the audit log cannot record the reveal, the secrets are wiped and
// withheld.
func (b *Backend) Reveal(ctx context.Context, actor Actor, cardID, reason string) (*api.CardSecrets, error) {
	reason = strings.TrimSpace(reason)
	at, err := b.check(ctx, actor, ActionReveal, cardID, reason)
	if err != nil {
		return nil, err
	}
	if err := b.begin(ctx, at); err != nil {
		return nil, err
	}
	defer b.underWay.end(at.Attempt)
	callCtx, info := api.WithCallInfo(ctx)
	secrets, err := b.client.RevealCard(callCtx, cardID, reason)
	at.RequestID = auditText(info.RequestID())
	if err != nil {
		if secrets != nil {
			secrets.Wipe()
		}
		return nil, b.fail(ctx, at, err)
	}
	if err := b.succeed(ctx, at); err != nil {
		secrets.Wipe()
		return nil, fmt.Errorf("card details withheld: %w", err)
	}
	return secrets, nil
}

// Refuse takes an action key the agent pressed on card c, as the session
// shows it, that Available refuses: the refusal is recorded — one line for
// each call, so that a supervisor sees every attempt — and returned as a
// *RefusedError in the words Available gives (joined with the audit log's
// failure, if any). An action Available allows is not recorded here: Refuse
// returns nil and the action's own call records it. The view calls Refuse
// once per key press, never to draw.
func (b *Backend) Refuse(ctx context.Context, actor Actor, a Action, c api.Card) error {
	ok, why := b.Available(actor, a, c)
	if ok {
		return nil
	}
	at := b.newAttempt(actor, a, c.ID, "")
	at.LastFour = auditText(c.LastFour)
	return b.refuse(ctx, at, why, ErrNotAllowed)
}

// change runs an action that returns the card as it is now.
func (b *Backend) change(ctx context.Context, actor Actor, a Action, cardID, reason string,
	call func(context.Context, string) (api.Card, error)) (api.Card, error) {
	at, err := b.check(ctx, actor, a, cardID, reason)
	if err != nil {
		return api.Card{}, err
	}
	release, ok, under := b.locks.take(cardID, a)
	if !ok {
		return api.Card{}, b.refuse(ctx, at, "an earlier "+under.noun()+" of this card has not finished yet", ErrNotAllowed)
	}
	defer release()
	if err := b.begin(ctx, at); err != nil {
		return api.Card{}, err
	}
	defer b.underWay.end(at.Attempt)
	callCtx, info := api.WithCallInfo(ctx)
	card, err := call(callCtx, cardID)
	at.RequestID = auditText(info.RequestID())
	if err != nil {
		return api.Card{}, b.afterConflict(ctx, cardID, b.fail(ctx, at, err))
	}
	card = b.cache.putCard(card)
	return card, b.succeed(ctx, at)
}

// check decides whether the attempt may go to the provider: role and
// capability (no I/O), the reason, then the card's state (a cached read).
// A refusal or a failed read is recorded; otherwise the attempt is returned
// for the outcome to be recorded on.
func (b *Backend) check(ctx context.Context, actor Actor, a Action, cardID, reason string) (*AuditEntry, error) {
	at := b.newAttempt(actor, a, cardID, reason)
	if c, ok := b.cache.peekCard(cardID); ok {
		at.LastFour = c.LastFour
	}
	if ok, why := b.permitted(actor, a); !ok {
		return nil, b.refuse(ctx, at, why, ErrNotAllowed)
	}
	switch {
	case a == ActionReveal && reason == "":
		return nil, b.refuse(ctx, at, "a reason is required to reveal a card", ErrReasonRequired)
	case a == ActionTerminate && !slices.Contains(api.TerminationReasons(), api.TerminationReason(reason)):
		return nil, b.refuse(ctx, at, "pick a termination reason: lost, stolen, fraud, customer_request or other", ErrReasonRequired)
	}
	card, err := b.GetCard(ctx, cardID)
	if err != nil {
		return nil, b.fail(ctx, at, fmt.Errorf("%s card %s: %w", a, cardID, err))
	}
	at.LastFour = card.LastFour
	if ok, why := stateAllows(a, card); !ok {
		return nil, b.refuse(ctx, at, why, ErrNotAllowed)
	}
	return at, nil
}
