package tui

import (
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

// startAction is what an action key does: check the action is available
// on the selected card and open its dialog, or say why not.
func startAction(ctx *Context, sc Screen, a cardAction) (Dialog, tea.Cmd) {
	sel, ok := sc.(CardSelector)
	if !ok {
		return nil, nil
	}
	card, ok := sel.SelectedCard()
	if !ok {
		return nil, flash("No card selected", true)
	}
	if ok, why := ctx.Backend.Available(ctx.Actor, a.Action, card); !ok {
		return nil, flash(fmt.Sprintf("Cannot %s card %s: %s", a.Verb, masked(card.LastFour), safe(why)), true)
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

// actionDoneMsg is an action's outcome; from is the dialog that ran it.
type actionDoneMsg struct {
	from   Dialog
	action cardAction
	before api.Card
	card   api.Card
	err    error
}

// runAction runs an action in a command, under the session's context.
func runAction(ctx *Context, from Dialog, a cardAction, card api.Card, reason api.TerminationReason) tea.Cmd {
	b, io, actor := ctx.Backend, ctx.IO(), ctx.Actor
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
		return actionDoneMsg{from: from, action: a, before: card, card: out, err: err}
	}
}

// outcome is the footer's sentence for an action's result.
func outcome(ctx *Context, m actionDoneMsg) FlashMsg {
	if m.err != nil {
		not := "not"
		if outcomeUnknown(m.err) {
			not = "not confirmed" // it may have been done; the webhook tells
		}
		return FlashMsg{Text: fmt.Sprintf("Card %s %s %s: %s", masked(m.before.LastFour), not, m.action.Done, actionErrorText(ctx, m.action.Action, m.err)), Error: true}
	}
	return FlashMsg{Text: fmt.Sprintf("Card %s %s", masked(m.before.LastFour), m.action.Done)}
}

// flash is a command that shows text in the footer.
func flash(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return FlashMsg{Text: text, Error: isErr} }
}
