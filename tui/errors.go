package tui

import (
	"context"
	"errors"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// errorText says what went wrong in words an agent can read out: the
// refusal's reason, the provider's own message, or that the provider did
// not answer. Everything from outside is made safe first.
func errorText(ctx *Context, err error) string {
	if err == nil {
		return ""
	}
	var refused *backend.RefusedError
	if errors.As(err, &refused) {
		return sentence(safe(refused.Why))
	}
	if e, ok := api.AsError(err); ok {
		msg := safe(e.Message)
		if msg == "" {
			msg = safe(e.Error())
		}
		if e.RequestID != "" {
			msg = strings.TrimSuffix(msg, ".") + " (request " + safe(e.RequestID) + ")"
		}
		return sentence(msg)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled"
	case errors.Is(err, backend.ErrAuditFailed):
		return "Not done: the audit log could not be written (" + safe(err.Error()) + ")"
	}
	return providerName(ctx) + " did not answer: " + safe(err.Error())
}

// actionErrorText is errorText for a card action: a state conflict from the
// provider (409) is said in terms of the card.
func actionErrorText(ctx *Context, a backend.Action, err error) string {
	if e, ok := api.AsError(err); ok && errors.Is(e, api.ErrConflict) {
		switch a {
		case backend.ActionFreeze:
			return "The card is already frozen"
		case backend.ActionUnfreeze:
			return "The card is not frozen"
		case backend.ActionActivate:
			return "The card is already active"
		case backend.ActionTerminate:
			return "The card is already terminated"
		}
	}
	return errorText(ctx, err)
}

// sentence capitalises the first letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + s[1:]
	}
	return s
}

// providerName is the provider's name as its brand writes it.
func providerName(ctx *Context) string {
	p := ""
	if ctx.Backend != nil {
		p = ctx.Backend.Provider()
	}
	switch p {
	case "vaultspay":
		return "VaultsPay"
	case "vydapay":
		return "Vydapay"
	case "":
		return "The provider"
	}
	return sentence(safe(p))
}

// trimLines keeps the first n lines of s.
func trimLines(s string, n int) string {
	if n <= 0 {
		return ""
	}
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
