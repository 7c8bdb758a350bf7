package tui

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// cardAction is one entry of the action table: the help screen, the
// footer, the role checks and the dialogs are all built from it, so that
// what the keys say cannot drift from what they do.
type cardAction struct {
	Action backend.Action
	Key    func(k *KeyMap) Binding
	// Verb is the action in words ("freeze"); Done its outcome ("frozen").
	Verb, Done string
	// Dangerous actions take the slow path (typed confirmation).
	Dangerous bool
}

// cardActions is the action table, in the order the footer lists them.
func cardActions() []cardAction {
	return []cardAction{
		{backend.ActionFreeze, func(k *KeyMap) Binding { return k.Freeze }, "freeze", "frozen", false},
		{backend.ActionUnfreeze, func(k *KeyMap) Binding { return k.Unfreeze }, "unfreeze", "unfrozen", false},
		{backend.ActionActivate, func(k *KeyMap) Binding { return k.Activate }, "activate", "activated", false},
		{backend.ActionReveal, func(k *KeyMap) Binding { return k.Reveal }, "reveal", "revealed", false},
		{backend.ActionTerminate, func(k *KeyMap) Binding { return k.Terminate }, "terminate", "terminated", true},
	}
}

// actionFor finds the action a key asks for.
func actionFor(keys *KeyMap, msg tea.KeyPressMsg) (cardAction, bool) {
	for _, a := range cardActions() {
		if key.Matches(msg, a.Key(keys)) {
			return a, true
		}
	}
	return cardAction{}, false
}

// actionHint is an action as the footer and help show it: its key, and why
// it is disabled on the selected card, if it is.
type actionHint struct {
	Binding  Binding
	Disabled string
}

// actionHints lists the actions on the selected card of the screen.
func actionHints(ctx *Context, sc Screen) []actionHint {
	sel, ok := sc.(CardSelector)
	if !ok || ctx.Backend == nil {
		return nil
	}
	card, ok := sel.SelectedCard()
	if !ok {
		return nil
	}
	var out []actionHint
	for _, a := range cardActions() {
		ok, why := ctx.Backend.Available(ctx.Actor, a.Action, card)
		h := actionHint{Binding: a.Key(ctx.Keys)}
		if !ok {
			h.Disabled = why
		}
		out = append(out, h)
	}
	return out
}

// startAction is what an action key does: open the action's dialog on the
// selected card when the backend allows it, or take the refusal to the
// backend, which records it, and say why.
func startAction(ctx *Context, sc Screen, a cardAction) (Dialog, tea.Cmd) {
	sel, ok := sc.(CardSelector)
	if !ok {
		return nil, nil
	}
	card, ok := sel.SelectedCard()
	if !ok {
		return nil, flash("No card selected", true)
	}
	if ok, _ := ctx.Backend.Available(ctx.Actor, a.Action, card); !ok {
		return nil, refuseAction(ctx, a, card)
	}
	switch a.Action {
	case backend.ActionTerminate:
		return newTerminateDialog(ctx, card)
	case backend.ActionReveal:
		if ctx.output == nil {
			return nil, flash(fmt.Sprintf("Cannot reveal card %s: this dashboard has no terminal output to show the values on", masked(card.LastFour)), true)
		}
		return newRevealDialog(ctx, card)
	}
	return newConfirmDialog(ctx, a, card), nil
}

// refuseAction has the backend record a refused key press — one line per
// press: a supervisor must see every attempt, a viewer's tries at reveal
// first of all — and then says why in the footer, in the words recorded.
// The decision is the backend's (Available, made again by Refuse on the
// same card), so the view holds no rule of its own.
func refuseAction(ctx *Context, a cardAction, card api.Card) tea.Cmd {
	b, io, actor := ctx.Backend, ctx.IO(), ctx.Actor
	return func() tea.Msg {
		err := b.Refuse(io, actor, a.Action, card)
		if err == nil {
			return nil
		}
		return FlashMsg{Text: fmt.Sprintf("Cannot %s card %s: %s", a.Verb, masked(card.LastFour), refusalText(err)), Error: true}
	}
}

// refusalText is a refusal's reason, and that it went unrecorded when the
// audit log failed.
func refusalText(err error) string {
	text := safe(err.Error())
	var refused *backend.RefusedError
	if errors.As(err, &refused) {
		text = safe(refused.Why)
	}
	if errors.Is(err, backend.ErrAuditFailed) {
		text += " (and the audit log could not record this)"
	}
	return text
}

// actionDoneMsg is an action's outcome; from is the dialog that ran it.
type actionDoneMsg struct {
	from   Dialog
	action cardAction
	before api.Card
	card   api.Card
	err    error
	// requestID is the provider's id of the last answer the action got:
	// the action's own when it was done.
	requestID string
}

// done reports whether the provider did the action: it answered with the
// card as changed, even when the audit log then failed to record the
// outcome.
func (m actionDoneMsg) done() bool { return m.err == nil || m.card.ID != "" }

// runAction runs an action in a command, under the session's context.
func runAction(ctx *Context, from Dialog, a cardAction, card api.Card, reason api.TerminationReason) tea.Cmd {
	b, actor := ctx.Backend, ctx.Actor
	io, info := api.WithCallInfo(ctx.IO())
	return func() tea.Msg {
		var (
			out api.Card
			err error
		)
		switch a.Action {
		case backend.ActionFreeze:
			out, err = b.Freeze(io, actor, card.ID)
		case backend.ActionUnfreeze:
			out, err = b.Unfreeze(io, actor, card.ID)
		case backend.ActionActivate:
			out, err = b.Activate(io, actor, card.ID)
		case backend.ActionTerminate:
			out, err = b.Terminate(io, actor, card.ID, reason)
		default:
			err = fmt.Errorf("%s card %s: not a confirmable action", a.Verb, card.ID)
		}
		return actionDoneMsg{from: from, action: a, before: card, card: out, err: err, requestID: safe(info.RequestID())}
	}
}

// outcome is the footer's sentence for an action's result.
func outcome(ctx *Context, m actionDoneMsg) FlashMsg {
	if m.err != nil && m.done() {
		// The change stands; only its outcome is missing from the log,
		// which a supervisor must hear of.
		return FlashMsg{Text: fmt.Sprintf("Card %s %s, but the audit log could not record it (%s)",
			masked(m.before.LastFour), m.action.Done, safe(m.err.Error())), Error: true, RequestID: m.requestID}
	}
	if m.err != nil {
		not := "not"
		if outcomeUnknown(m.err) {
			not = "not confirmed" // it may have been done; the webhook tells
		}
		// The id is the failed request's own, never another call's.
		text, id := actionErrorParts(ctx, m.action.Action, m.err)
		return FlashMsg{Text: fmt.Sprintf("Card %s %s %s: %s", masked(m.before.LastFour), not, m.action.Done, text), Error: true, RequestID: id}
	}
	return FlashMsg{Text: fmt.Sprintf("Card %s %s", masked(m.before.LastFour), m.action.Done), RequestID: m.requestID}
}

// flash is a command that shows text in the footer.
func flash(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return FlashMsg{Text: text, Error: isErr} }
}
