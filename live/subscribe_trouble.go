package live

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// TroubleKind is why a subscription is not live, as an operator acts on
// it: a wrong token, a wrong URL and a relay that is down are different
// fixes, and were all "relay offline".
type TroubleKind string

// Kinds of trouble.
const (
	TroubleNone TroubleKind = ""
	// TroubleTokenRefused: the relay answered 401: the token is not the
	// relay's.
	TroubleTokenRefused TroubleKind = "token refused"
	// TroubleNotFound: the relay answered 404: no stream at the URL's path.
	TroubleNotFound TroubleKind = "stream path not found"
	// TroubleRefused: another 4xx (an origin not allowed, a resume point
	// the relay refuses); Cause has the relay's words.
	TroubleRefused TroubleKind = "refused"
	// TroubleRelayError: the relay answered 5xx or sent what is not a
	// stream.
	TroubleRelayError TroubleKind = "relay error"
	// TroubleUnreachable: no connection: DNS, refused, TLS, a timeout.
	TroubleUnreachable TroubleKind = "unreachable"
	// TroubleLost: connected, then the connection dropped or the relay
	// closed it (shutting down).
	TroubleLost TroubleKind = "connection lost"
	// TroubleBadURL: the configured URL cannot work.
	TroubleBadURL TroubleKind = "bad stream URL"
)

// Trouble is a subscription's last connection error in an operator's
// terms: its kind and, in plain words, its cause ("connection refused",
// "403 forbidden: origin not allowed"), terminal-safe.
type Trouble struct {
	Kind  TroubleKind
	Cause string
}

// errConnect and errLost mark where a session failed: before the stream
// was open, or after.
var (
	errConnect = errors.New("connect")
	errLost    = errors.New("connection lost")
)

// closedError is the relay closing a stream with its reason (an error
// frame: shutting down, say).
type closedError struct{ msg string }

func (e *closedError) Error() string { return "relay: " + e.msg }

// TroubleOf reads a subscription's error (Subscription.Err); nil is no
// trouble.
func TroubleOf(err error) Trouble {
	var (
		se     *StatusError
		closed *closedError
	)
	switch {
	case err == nil:
		return Trouble{}
	case errors.As(err, &se):
		status := strings.ToLower(http.StatusText(se.Code))
		cause := fmt.Sprintf("%d %s", se.Code, status)
		if se.Reason != "" && !strings.EqualFold(se.Reason, status) {
			cause += ": " + se.Reason
		}
		switch {
		case se.Code == http.StatusUnauthorized:
			return Trouble{TroubleTokenRefused, cause}
		case se.Code == http.StatusNotFound:
			return Trouble{TroubleNotFound, cause}
		case se.Code >= 500:
			return Trouble{TroubleRelayError, cause}
		}
		return Trouble{TroubleRefused, cause}
	case errors.Is(err, errStreamURL):
		return Trouble{TroubleBadURL, printable(err.Error())}
	case errors.As(err, &closed):
		return Trouble{TroubleLost, closed.msg}
	case errors.Is(err, errFrame):
		return Trouble{TroubleRelayError, "malformed stream frame"}
	case errors.Is(err, errConnect):
		return Trouble{TroubleUnreachable, printable(api.NetworkCause(err))}
	case errors.Is(err, errLost):
		return Trouble{TroubleLost, printable(api.NetworkCause(err))}
	}
	return Trouble{TroubleLost, printable(api.NetworkCause(err))}
}
