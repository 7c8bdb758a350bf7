package backend

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// Available says whether actor may take the action on the card now, and if
// not, why: the role first, then the provider's capability, then the card's
// state. It records nothing: the TUI shows the reason on a disabled action
// as often as it draws, Refuse records a key that asks for one anyway, and
// the action methods check the same thing again where they execute.
func (b *Backend) Available(actor Actor, a Action, c api.Card) (ok bool, why string) {
	if ok, why := b.permitted(actor, a); !ok {
		return false, why
	}
	return stateAllows(a, c)
}

// permitted checks what needs no card: the role and the capability.
func (b *Backend) permitted(actor Actor, a Action) (bool, string) {
	if ok, why := actor.Role.Can(a); !ok {
		return false, why
	}
	return capable(b.caps, b.provider, a)
}

// capable checks the provider has the action at all.
func capable(caps api.Capabilities, provider string, a Action) (bool, string) {
	switch {
	case a == ActionReveal && !caps.Reveal:
		return false, providerTitle(provider) + " has no card reveal"
	case a == ActionActivate && !caps.Activate:
		return false, providerTitle(provider) + " has no card activation"
	}
	return true, ""
}

// stateAllows checks the card's state permits the action. The rules follow
// both providers' card state machines: inactive → active ⇄ frozen, and
// anything → terminated, which is final. A state carddesk does not know
// is judged apart (unknownStateAllows).
func stateAllows(a Action, c api.Card) (bool, string) {
	if !c.Status.Known() {
		return unknownStateAllows(a, c)
	}
	if c.Status == api.CardTerminated {
		return false, "card is terminated"
	}
	switch a {
	case ActionFreeze:
		switch c.Status {
		case api.CardActive:
			return true, ""
		case api.CardFrozen:
			return false, "card is already frozen"
		case api.CardInactive:
			return false, "only active cards can be frozen; this one is not activated yet"
		}
	case ActionUnfreeze:
		if c.Status == api.CardFrozen {
			return true, ""
		}
		return false, "card is not frozen"
	case ActionActivate:
		if c.Status == api.CardInactive {
			return true, ""
		}
		return false, "only inactive cards can be activated"
	case ActionReveal, ActionTerminate:
		switch c.Status {
		case api.CardActive, api.CardFrozen, api.CardInactive:
			return true, ""
		}
	default:
		return false, fmt.Sprintf("%q is not a card action", string(a))
	}
	return false, fmt.Sprintf("card is in an unknown state (%q)", string(c.Status))
}

// providerTitle is the provider's name as its brand writes it, for
// messages; an unknown provider keeps its own name, capitalised.
func providerTitle(p string) string {
	switch p {
	case "vaultspay":
		return "VaultsPay"
	case "vydapay":
		return "Vydapay"
	case "":
		return "The provider"
	}
	r, n := utf8.DecodeRuneInString(p)
	return string(unicode.ToUpper(r)) + p[n:]
}

// unknownStateAllows judges an action on a card in a state carddesk does
// not know (a provider's new word, kept as sent). A support desk must be
// able to protect a customer whatever the card's state, so freezing and
// terminating are offered and the provider decides: a state that forbids
// them is its 409, shown in its words. What would loosen or disclose a
// card — unfreezing, activating, revealing — carddesk refuses, saying why,
// rather than guess that the state allows it.
func unknownStateAllows(a Action, c api.Card) (bool, string) {
	switch a {
	case ActionFreeze, ActionTerminate:
		return true, ""
	case ActionUnfreeze, ActionActivate, ActionReveal:
		return false, fmt.Sprintf("card is in a state carddesk does not know (%q): only freeze and terminate are offered, and the provider decides",
			safetext.Clip(string(c.Status), 40))
	}
	return false, fmt.Sprintf("%q is not a card action", string(a))
}
