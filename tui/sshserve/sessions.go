package sshserve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"github.com/carddesk/carddesk/tui/backend"
)

// session is one agent's SSH session while its dashboard runs.
type session struct {
	actor  backend.Actor
	ctx    context.Context // cancelled once the program has ended
	cancel context.CancelFunc
	idle   atomic.Bool // set when the idle timer ended it

	mu   sync.Mutex
	prog *tea.Program
}

// quit asks the session's program, if it runs, to end. It does not wait.
func (s *session) quit() {
	s.mu.Lock()
	p := s.prog
	s.mu.Unlock()
	if p != nil {
		// Quit blocks until the program reads it or has ended; either
		// happens, so the goroutine ends.
		go p.Quit()
	}
}

// registry holds the open sessions: for the per-agent cap, to find a
// session's state from the program handler, and to end them all.
type registry struct {
	max int

	mu       sync.Mutex
	sessions map[ssh.Session]*session
	perAgent map[string]int
	closing  bool
}

func newRegistry(maxPerAgent int) *registry {
	return &registry{max: maxPerAgent, sessions: map[ssh.Session]*session{}, perAgent: map[string]int{}}
}

// errShuttingDown refuses sessions once shutdown began.
var errShuttingDown = errors.New("carddesk is shutting down")

// open registers a session for actor, or says why it may not open.
func (r *registry) open(sess ssh.Session, actor backend.Actor) (*session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return nil, errShuttingDown
	}
	if n := r.perAgent[actor.Agent]; n >= r.max {
		return nil, fmt.Errorf("%s already has %d carddesk sessions open, the most allowed; close one and try again", actor.Agent, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{actor: actor, ctx: ctx, cancel: cancel}
	r.sessions[sess] = s
	r.perAgent[actor.Agent]++
	return s, nil
}

// get is the state of sess, or nil.
func (r *registry) get(sess ssh.Session) *session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sessions[sess]
}

// attach records the program running sess; if shutdown already began, it
// is asked to quit at once.
func (r *registry) attach(s *session, p *tea.Program) {
	r.mu.Lock()
	closing := r.closing
	r.mu.Unlock()
	s.mu.Lock()
	s.prog = p
	s.mu.Unlock()
	if closing {
		s.quit()
	}
}

// close forgets sess and cancels its context.
func (r *registry) close(sess ssh.Session) {
	r.mu.Lock()
	s := r.sessions[sess]
	if s != nil {
		delete(r.sessions, sess)
		if r.perAgent[s.actor.Agent]--; r.perAgent[s.actor.Agent] <= 0 {
			delete(r.perAgent, s.actor.Agent)
		}
	}
	r.mu.Unlock()
	if s != nil {
		s.cancel()
	}
}

// shutdown refuses new sessions and asks every running program to quit.
func (r *registry) shutdown() {
	r.mu.Lock()
	r.closing = true
	open := make([]*session, 0, len(r.sessions))
	for _, s := range r.sessions {
		open = append(open, s)
	}
	r.mu.Unlock()
	for _, s := range open {
		s.quit()
	}
}

// isClosing reports whether shutdown began.
func (r *registry) isClosing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closing
}

// cancelAll cancels every remaining session's context: the last step of a
// shutdown whose grace period ran out.
func (r *registry) cancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.sessions {
		s.cancel()
	}
}

// newSessionID is a random id for the audit log and the logs.
func newSessionID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "ssh-" + hex.EncodeToString(b[:])
}
