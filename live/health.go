package live

import (
	"context"
	"net/http"
	"time"
)

// healthTimeout bounds the store check behind one /healthz answer.
const healthTimeout = 5 * time.Second

// Health is the /healthz answer. Without the token, on the relay's main
// listener, only Status is given.
type Health struct {
	Status      string      `json:"status"` // "ok" or "degraded"
	Store       StoreHealth `json:"store"`
	Subscribers int         `json:"subscribers"`
	LastEventAt *time.Time  `json:"last_event_at"` // null before the first event
	// Refused are the webhook deliveries refused in the last hour, by
	// reason (signature_mismatch, timestamp_stale, …); empty when none.
	Refused map[string]Refusal `json:"refused"`
	Error   string             `json:"error,omitempty"`
}

// bareHealth is the /healthz answer to whoever has no token: enough for a
// load balancer, nothing about the traffic.
type bareHealth struct {
	Status string `json:"status"`
}

// health serves GET /healthz: 200 when the store can write, else 503.
// With token set, the counts are for those who show it (the main
// listener); without, for everyone who can reach it (the operations
// listener).
type health struct {
	probe       *healthProbe
	subscribers func() int
	lastEvent   func() time.Time
	refused     func() map[string]Refusal
	token       string
}

func (h *health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed: use GET")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	out := Health{Status: "ok", Subscribers: h.subscribers()}
	sh, err := h.probe.get(ctx)
	out.Store = sh
	switch {
	case sh.Problem != "":
		out.Store.Writable = false
		out.Error = sh.Problem
	case err != nil:
		out.Store.Writable = false
		out.Error = "store check failed"
	}
	last := sh.LastEventAt
	if t := h.lastEvent(); t.After(last) {
		last = t
	}
	if !last.IsZero() {
		last = last.UTC()
		out.LastEventAt = &last
	}
	status := http.StatusOK
	if !out.Store.Writable {
		out.Status = "degraded"
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	if h.token != "" && checkBearer(r.Header.Get("Authorization"), h.token) != "" {
		writeJSON(w, status, bareHealth{out.Status})
		return
	}
	out.Refused = h.refused()
	writeJSON(w, status, out)
}

// requireToken serves next only to requests that show the bearer token.
func requireToken(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := checkBearer(r.Header.Get("Authorization"), token); msg != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="carddesk relay"`)
			writeError(w, http.StatusUnauthorized, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}
