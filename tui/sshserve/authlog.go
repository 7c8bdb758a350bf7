package sshserve

import (
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"

	"github.com/carddesk/carddesk/api/safetext"
)

// Bounds on what one connection's failed handshake puts in the log: a
// client chooses its user name and how many keys it offers.
const (
	maxLoggedUser = 64
	maxLoggedKeys = 8
)

// authAttempts is what a connection tried before it authenticated.
type authAttempts struct {
	user    string
	methods []string
	keys    []string // SHA256 fingerprints of the keys offered, in order
	extra   int      // keys offered beyond maxLoggedKeys
}

// attempt records one authentication attempt by method.
func (c *conn) attempt(user, method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.auth.user = user
	if !slices.Contains(c.auth.methods, method) && len(c.auth.methods) < 8 {
		c.auth.methods = append(c.auth.methods, method)
	}
}

// offered records a public key the client offered.
func (c *conn) offered(k gossh.PublicKey) {
	fp := gossh.FingerprintSHA256(k)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case slices.Contains(c.auth.keys, fp):
	case len(c.auth.keys) < maxLoggedKeys:
		c.auth.keys = append(c.auth.keys, fp)
	default:
		c.auth.extra++
	}
}

// logUnauthenticated logs a connection that closed without authenticating:
// with the user name and keys it offered when it tried, or why its
// handshake ended when it never got that far.
func (c *conn) logUnauthenticated(a authAttempts, failure error) {
	remote := c.RemoteAddr().String()
	if len(a.methods) > 0 {
		args := []any{"remote", remote, "user", safetext.Clip(safetext.Safe(a.user), maxLoggedUser),
			"methods", strings.Join(a.methods, ","), "keys", strings.Join(a.keys, ",")}
		if a.extra > 0 {
			args = append(args, "more_keys", a.extra)
		}
		c.log.Info("ssh authentication failed", args...)
		return
	}
	why := "closed during the handshake"
	switch {
	case errors.Is(failure, os.ErrDeadlineExceeded):
		why = "no handshake within " + c.gate.handshake.String()
	case failure != nil:
		why = failure.Error()
	}
	c.log.Info("ssh connection closed before authenticating", "remote", remote, "why", why)
}

// ratedLog logs at a bounded rate whatever a stranger can make the server
// log: a flood of connections must not become a flood of log lines. What
// it leaves out it counts, and says so in one line a moment later.
type ratedLog struct {
	log   *slog.Logger
	lim   *rate.Limiter
	flush time.Duration

	mu      sync.Mutex
	skipped int
}

// Log-line rate for what strangers cause: a burst, then a few a second,
// and the count of lines left out at most once a second.
const (
	logRate      = 2
	logBurst     = 20
	logFlushWait = time.Second
)

func newRatedLog(l *slog.Logger) *ratedLog {
	return &ratedLog{log: l, lim: rate.NewLimiter(logRate, logBurst), flush: logFlushWait}
}

// Info logs msg unless the rate is spent.
func (r *ratedLog) Info(msg string, args ...any) {
	r.mu.Lock()
	if !r.lim.Allow() {
		r.skipped++
		if r.skipped == 1 {
			time.AfterFunc(r.flush, r.reportSkipped)
		}
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	r.log.Info(msg, args...)
}

// reportSkipped logs how many lines were left out since it last did.
func (r *ratedLog) reportSkipped() {
	r.mu.Lock()
	n := r.skipped
	r.skipped = 0
	r.mu.Unlock()
	if n > 0 {
		r.log.Info("ssh log lines left out at the rate limit", "count", n)
	}
}
