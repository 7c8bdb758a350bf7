package live

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// healthTimeout bounds the store check behind one /healthz answer.
const healthTimeout = 5 * time.Second

// Health is the /healthz answer.
type Health struct {
	Status      string      `json:"status"` // "ok" or "degraded"
	Store       StoreHealth `json:"store"`
	Subscribers int         `json:"subscribers"`
	LastEventAt *time.Time  `json:"last_event_at"` // null before the first event
	Error       string      `json:"error,omitempty"`
}

// health serves GET /healthz: 200 when the store can write, else 503.
type health struct {
	store       Store
	subscribers func() int
	lastEvent   func() time.Time
	log         *slog.Logger
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
	sh, err := h.store.Health(ctx)
	out.Store = sh
	if err != nil {
		out.Store.Writable = false
		out.Error = "store check failed"
		h.log.Warn("health: store check", "err", err)
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
	writeJSON(w, status, out)
}
