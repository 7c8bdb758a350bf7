package tui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/backend"
)

// errorText says what went wrong in words an agent can read out, once:
// the refusal's reason, the provider's own message with its request id, or
// why the provider did not answer — never the chain of Go prefixes the
// error carries for the logs. Everything from outside is made safe first.
func errorText(ctx *Context, err error) string {
	return withRequest(errorParts(ctx, err))
}

// withRequest appends the provider's request id to a sentence.
func withRequest(text, requestID string) string {
	if requestID == "" {
		return text
	}
	return strings.TrimSuffix(text, ".") + " (request " + requestID + ")"
}

// errorParts is errorText's sentence and the provider's request id apart
// ("" when none), so that the footer can keep the id in sight when it
// cuts the sentence short.
func errorParts(ctx *Context, err error) (text, requestID string) {
	if err == nil {
		return "", ""
	}
	var refused *backend.RefusedError
	if errors.As(err, &refused) {
		return sentence(safe(refused.Why)), ""
	}
	if e, ok := api.AsError(err); ok {
		return providerErrorText(ctx, e), safe(e.RequestID)
	}
	var none *api.NoAnswerError
	if errors.As(err, &none) {
		return noAnswerText(ctx, none), ""
	}
	var bad *api.UnreadableError
	if errors.As(err, &bad) {
		return providerName(ctx) + " sent a reply carddesk could not read; " + safe(bad.Error()), ""
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "Cancelled", ""
	case errors.Is(err, backend.ErrAuditFailed):
		return "Not done: the audit log could not be written (" + safe(err.Error()) + ")", ""
	case errors.Is(err, context.DeadlineExceeded):
		return providerName(ctx) + " did not answer in time", ""
	}
	return providerName(ctx) + " did not answer: " + safe(api.NetworkCause(err)), ""
}

// providerErrorText is the provider's answer in its own words, framed
// where the answer is about the provider or the key rather than the
// request: rate limiting and server errors, with how often the call was
// retried, and a refused key.
func providerErrorText(ctx *Context, e *api.Error) string {
	words := strings.TrimSuffix(safe(e.Message), ".")
	said := func(frame string) string {
		if words == "" {
			return frame
		}
		return frame + ": " + words
	}
	switch {
	case e.Status == http.StatusTooManyRequests && e.Attempts <= 1 && e.RetryAfter > 0:
		return said(providerName(ctx)+" is rate limiting us and asks us to wait "+e.RetryAfter.String()) + "; not retried"
	case e.Status == http.StatusTooManyRequests:
		return said(providerName(ctx)+" is rate limiting us") + retried(e.Attempts)
	case e.Status >= 500:
		return said(fmt.Sprintf("%s had a server error (%d %s)", providerName(ctx), e.Status, http.StatusText(e.Status))) + retried(e.Attempts)
	case e.Status == http.StatusUnauthorized:
		return said(providerName(ctx) + " refused the API key")
	}
	if words == "" {
		words = safe(e.Error())
	}
	return sentence(words)
}

// noAnswerText words a call the provider never answered: it ran out of
// time, its connection broke, or it never reached the provider (the cause
// in words: "Can't reach api.vaultspay.ae: connection refused").
func noAnswerText(ctx *Context, e *api.NoAnswerError) string {
	switch {
	case e.Timeout > 0:
		return providerName(ctx) + " did not answer within " + e.Timeout.String() + retried(e.Attempts)
	case e.Broken:
		return "The connection to " + providerName(ctx) + " broke before it answered" + retried(e.Attempts)
	}
	host := safe(e.Host)
	if host == "" {
		host = providerName(ctx)
	}
	return "Can't reach " + host + ": " + safe(e.Cause()) + retried(e.Attempts)
}

// retried says how often a call was retried after its first attempt.
func retried(attempts int) string {
	switch {
	case attempts <= 1:
		return ""
	case attempts == 2:
		return "; retried once"
	}
	return fmt.Sprintf("; retried %d times", attempts-1)
}

// outcomeUnknown says whether an action that failed may have been done
// all the same: the provider failed on its side, never answered, or
// answered with a success carddesk could not read. The webhook that
// follows tells.
func outcomeUnknown(err error) bool {
	if e, ok := api.AsError(err); ok {
		return e.Status >= 500
	}
	var none *api.NoAnswerError
	var bad *api.UnreadableError
	return errors.As(err, &none) && (none.Timeout > 0 || none.Broken) || errors.As(err, &bad)
}

// actionErrorText is errorText for a card action. A state conflict (409)
// is said in the provider's words, with its request id; when the card, read
// again after it, is already as the action would have left it, that comes
// first, in an agent's words ("it is already frozen") — never guessed from
// the action alone: a card the provider says is terminated is not "already
// frozen".
func actionErrorText(ctx *Context, a backend.Action, err error) string {
	return withRequest(actionErrorParts(ctx, a, err))
}

// actionErrorParts is actionErrorText's sentence and request id apart.
func actionErrorParts(ctx *Context, a backend.Action, err error) (text, requestID string) {
	text, requestID = errorParts(ctx, err)
	var conflict *backend.ConflictError
	if errors.As(err, &conflict) && conflict.Card.ID != "" {
		if st, already := alreadyDone(a); st != "" && conflict.Card.Status == st {
			text = already + " — " + text
		}
	}
	return text, requestID
}

// alreadyDone is the state an action leaves a card in, and how to say the
// card is in it already.
func alreadyDone(a backend.Action) (api.CardStatus, string) {
	switch a {
	case backend.ActionFreeze:
		return api.CardFrozen, "it is already frozen"
	case backend.ActionUnfreeze:
		return api.CardActive, "it is not frozen"
	case backend.ActionActivate:
		return api.CardActive, "it is already active"
	case backend.ActionTerminate:
		return api.CardTerminated, "it is already terminated"
	}
	return "", ""
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
