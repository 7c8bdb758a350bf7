package api

import (
	"errors"
	"net/http"
	"time"
)

// Webhook verification failures, one sentinel per reason, so that a relay can
// count rejections by reason without knowing the provider's scheme.
var (
	ErrSignatureMissing   = errors.New("signature headers missing")
	ErrSignatureMismatch  = errors.New("no signature matches")
	ErrSignatureMalformed = errors.New("signature header malformed")
	ErrTimestampStale     = errors.New("timestamp too old")
	ErrTimestampFuture    = errors.New("timestamp too far in the future")
	// ErrPayloadInvalid says the body verified but is not an event.
	ErrPayloadInvalid = errors.New("payload is not a valid event")
)

// WebhookScheme verifies and decodes one provider's webhooks. Dialects
// implement it; the relay holds one per provider.
type WebhookScheme interface {
	Provider() string
	// Verify checks the signature in h over the exact bytes of body at the
	// time now, against every configured secret, in constant time.
	Verify(h http.Header, body []byte, now time.Time) error
	// Parse decodes a verified body into a normalised event.
	Parse(body []byte) (Event, error)
}
