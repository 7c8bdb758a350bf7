package backend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// apiState is what one check of the API found.
type apiState struct {
	status  APIStatus
	text    string // one plain sentence; "" when up
	cause   string // the header's short form
	resetAt time.Time
}

// apiStateOf reads a check's error: the provider refusing the key, rate
// limiting, failing, or not answering are told apart, each in words. rl is
// the rate-limit state the provider last reported.
func apiStateOf(err error, now time.Time, rl api.RateLimit) apiState {
	if err == nil {
		return apiState{status: APIUp}
	}
	if e, ok := api.AsError(err); ok {
		text := providerWords(e)
		switch {
		case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
			return apiState{status: APIKeyRefused, text: "the API key was refused: " + text, cause: fmt.Sprint(e.Status)}
		case e.Status == http.StatusTooManyRequests:
			st := apiState{status: APIRateLimited, text: "rate limited: " + text, cause: "429"}
			switch {
			case rl.Known() && rl.Remaining <= 0 && rl.Reset.After(now):
				st.resetAt = rl.Reset
			case e.RetryAfter > 0:
				st.resetAt = now.Add(e.RetryAfter)
			}
			return st
		}
		return apiState{status: APIError, text: "the check failed: " + text, cause: fmt.Sprint(e.Status)}
	}
	var none *api.NoAnswerError
	if errors.As(err, &none) {
		cause := none.Cause()
		return apiState{status: APIUnreachable, text: "can't reach " + safetext.Safe(none.Host) + ": " + cause, cause: cause}
	}
	var bad *api.UnreadableError
	if errors.As(err, &bad) {
		return apiState{status: APIError, text: "the answer to the check could not be read", cause: "unreadable answer"}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return apiState{status: APIUnreachable, text: "no answer in time", cause: "timed out"}
	}
	return apiState{status: APIError, text: api.NetworkCause(err), cause: api.NetworkCause(err)}
}

// providerWords is what the provider said, with its status when it said
// nothing readable, and its request id.
func providerWords(e *api.Error) string {
	msg := strings.TrimSuffix(safetext.Safe(e.Message), ".")
	if msg == "" {
		msg = fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	}
	if e.RequestID != "" {
		msg += " (request " + safetext.Safe(e.RequestID) + ")"
	}
	return msg
}
