package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error is a provider's answer to a request that failed, in its own words.
type Error struct {
	Provider  string `json:"provider"`
	Status    int    `json:"status"`
	Type      string `json:"type"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Param     string `json:"param,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	DocURL    string `json:"doc_url,omitempty"`
	// RetryAfter is how long the provider asked us to wait, when it said.
	RetryAfter time.Duration `json:"-"`
	// Attempts is how many attempts the call made, this answer the last.
	Attempts int `json:"-"`
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	s := fmt.Sprintf("%s: %d", e.Provider, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	} else if e.Type != "" {
		s += " " + e.Type
	}
	s += ": " + msg
	if e.Param != "" {
		s += " (param " + e.Param + ")"
	}
	if e.RequestID != "" {
		s += " [request " + e.RequestID + "]"
	}
	return s
}

// Sentinel errors for decisions callers make without caring which provider
// or status code said so. An *Error matches them with errors.Is.
var (
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict with the current state")
	ErrInvalid      = errors.New("invalid request")
	ErrRateLimited  = errors.New("rate limited")
	ErrServer       = errors.New("provider error")
	// ErrUnsupported says the provider has no such operation; the
	// Capabilities of the client say so ahead of time.
	ErrUnsupported = errors.New("not supported by this provider")
)

// Is lets errors.Is match an *Error against the sentinels by status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrInvalid:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500
	}
	return false
}

// AsError unwraps err to the provider's *Error, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
