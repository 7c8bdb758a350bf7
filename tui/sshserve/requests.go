package sshserve

import (
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Bounds on what a session's requests may set.
const (
	maxEnvVars   = 16
	maxEnvKey    = 64
	maxEnvValue  = 256
	maxTermValue = 64
)

// requestFilter stands between a session channel and charm.land/ssh's
// session handler, which accepts whatever a client asks: it answers the
// requests carddesk does not serve itself (agent and X11 forwarding,
// environment beyond the terminal's), and clamps the terminal sizes of
// pty-req and window-change to MaxColumns × MaxRows before the dashboard
// sees them, so that no client makes the server allocate a screen of its
// choosing.
type requestFilter struct {
	env int // environment variables accepted so far
}

// filteredChannel is a session channel whose requests pass a requestFilter.
type filteredChannel struct {
	gossh.NewChannel
}

// Accept accepts the channel and filters its requests.
func (fc filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, in, err := fc.NewChannel.Accept()
	if err != nil {
		return ch, in, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		var f requestFilter
		for req := range in {
			if f.pass(req) {
				out <- req
			}
		}
	}()
	return ch, out, nil
}

// pass decides a request: true hands it on (perhaps rewritten), false
// means it has been answered here.
func (f *requestFilter) pass(req *gossh.Request) bool {
	switch req.Type {
	case "env":
		if f.env >= maxEnvVars || !allowedEnv(req.Payload) {
			_ = req.Reply(false, nil)
			return false
		}
		f.env++
		return true
	case "pty-req", "window-change":
		clamp := clampPtyRequest
		if req.Type == "window-change" {
			clamp = clampWindowChange
		}
		p, ok := clamp(req.Payload)
		if !ok {
			_ = req.Reply(false, nil)
			return false
		}
		req.Payload = p
		return true
	case "auth-agent-req@openssh.com", "x11-req":
		_ = req.Reply(false, nil)
		return false
	}
	return true
}

// allowedEnv accepts the variables that shape how the dashboard draws
// (language and colour); the rest of a client's environment means
// nothing to it and is refused rather than kept.
func allowedEnv(payload []byte) bool {
	var kv struct{ Key, Value string }
	if err := gossh.Unmarshal(payload, &kv); err != nil {
		return false
	}
	if len(kv.Key) > maxEnvKey || len(kv.Value) > maxEnvValue {
		return false
	}
	switch kv.Key {
	case "TERM", "LANG", "COLORTERM", "NO_COLOR":
		return true
	}
	return strings.HasPrefix(kv.Key, "LC_")
}
