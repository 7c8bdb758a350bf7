package api

import (
	"context"
	"errors"
	"io"
	"syscall"
	"time"
)

// NoAnswerError is a call the provider never answered: its last attempt
// failed on the network or ran out of time. It wraps that failure, whose
// text it keeps.
type NoAnswerError struct {
	Provider string
	// Host is the provider's host (and port, when given), for "can't reach
	// api.vaultspay.ae: connection refused".
	Host string
	// Attempts is how many attempts the call made.
	Attempts int
	// Timeout is the per-attempt limit when the last attempt ran out of
	// time; 0 when it failed otherwise.
	Timeout time.Duration
	// Broken says the connection was reset or closed before the answer.
	Broken bool
	Err    error
}

func (e *NoAnswerError) Error() string { return e.Err.Error() }

func (e *NoAnswerError) Unwrap() error { return e.Err }

// Cause is why no answer came, in plain words (see NetworkCause).
func (e *NoAnswerError) Cause() string { return NetworkCause(e.Err) }

// noAnswer classifies the failure of attempt number attempt; err is
// already wrapped with the method and path.
func (t *Transport) noAnswer(attempt int, err error) *NoAnswerError {
	e := &NoAnswerError{Provider: t.cfg.Provider, Host: t.base.Host, Attempts: attempt, Err: err}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.Timeout = t.cfg.AttemptTimeout
	case errors.Is(err, errReplayStopped), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		e.Broken = true
	}
	return e
}

// UnreadableError is an answer that came but could not be read: a success
// whose body is not the JSON expected (cut short, say). Its text says
// where decoding failed, never what the body held.
type UnreadableError struct{ Err error }

func (e *UnreadableError) Error() string { return e.Err.Error() }

func (e *UnreadableError) Unwrap() error { return e.Err }
