package live

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// StreamConfig configures the stream server.
type StreamConfig struct {
	Hub   *Hub
	Store Store
	// Token is the bearer token required on GET /v1/stream. An empty token
	// admits nobody.
	Token string
	// AllowedOrigins lists the origins (exact scheme://host[:port]) a
	// request with an Origin header may come from; a request without one
	// (not a browser) is allowed.
	AllowedOrigins []string
	// QueueSize bounds each subscriber's live queue, in records; 0 → 8192.
	QueueSize int
	// PingInterval is how often the server pings; 0 → 20s. A subscriber
	// that has not answered for 2.5× this, or has not accepted a frame for
	// as long, is dropped (it resumes when it reconnects).
	PingInterval time.Duration
	Logger       *slog.Logger
	// OnSend, if set, is called after each frame of live events is written
	// (not replayed ones) with its size and its oldest ReceivedAt: the
	// stream lag metric.
	OnSend func(n int, oldestReceivedAt time.Time)
	// OnBehind, if set, is called each time a subscriber falls behind.
	OnBehind func()
}

// EpochHeader carries the store's epoch on the stream's upgrade answer:
// the subscriber sends it back as epoch= when it resumes.
const EpochHeader = "Carddesk-Store-Epoch"

// Stream defaults and bounds.
const (
	defaultQueueSize    = 8192
	defaultPingInterval = 20 * time.Second
	streamPageSize      = 1000    // records per store read when replaying
	streamFrameRecords  = 1000    // at most this many records per frame
	streamFrameBytes    = 1 << 20 // a frame is closed once it passes this size
	streamCloseWait     = time.Second
)

// StreamHandler serves GET /v1/stream?after=<seq>: replay from the store,
// then live events from the hub, over a websocket.
type StreamHandler struct {
	cfg      StreamConfig
	log      *slog.Logger
	upgrader websocket.Upgrader
	deadline time.Duration // read and write deadline: 2.5× PingInterval

	mu       sync.Mutex
	closing  bool
	done     chan struct{} // closed by Shutdown
	conns    map[*websocket.Conn]struct{}
	sessions sync.WaitGroup
}

// NewStreamHandler returns the stream server. Hub and Store are required:
// without them it panics, as a programming error.
func NewStreamHandler(cfg StreamConfig) *StreamHandler {
	if cfg.Hub == nil || cfg.Store == nil {
		panic("live: NewStreamHandler needs a Hub and a Store")
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = defaultQueueSize
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = defaultPingInterval
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &StreamHandler{
		cfg:      cfg,
		log:      log,
		deadline: cfg.PingInterval * 5 / 2,
		done:     make(chan struct{}),
		conns:    make(map[*websocket.Conn]struct{}),
	}
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   1024,
		WriteBufferSize:  64 << 10,
		// The origin was checked before upgrading, with a JSON answer.
		CheckOrigin: func(*http.Request) bool { return true },
		Error: func(w http.ResponseWriter, _ *http.Request, status int, reason error) {
			writeError(w, status, reason.Error())
		},
	}
	return h
}

// ServeHTTP checks the request, upgrades it and streams until the client
// goes away, the request ends, or Shutdown.
func (h *StreamHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	adm, ok := h.admit(w, r)
	if !ok {
		return
	}
	h.mu.Lock()
	if h.closing {
		h.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "relay shutting down")
		return
	}
	h.sessions.Add(1)
	h.mu.Unlock()
	defer h.sessions.Done()

	var hdr http.Header
	if epoch := h.cfg.Store.Epoch(); epoch != "" {
		hdr = http.Header{EpochHeader: {epoch}}
	}
	ws, err := h.upgrader.Upgrade(w, r, hdr)
	if err != nil {
		h.log.Debug("stream upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	if !h.track(ws) {
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "relay shutting down"),
			time.Now().Add(streamCloseWait))
		_ = ws.Close()
		return
	}
	defer h.untrack(ws)
	h.log.Debug("stream subscriber connected", "remote", r.RemoteAddr, "after", adm.after, "reset", adm.reset)
	s := newStreamSession(h, ws, adm)
	err = s.run(r.Context())
	h.log.Debug("stream subscriber gone", "remote", r.RemoteAddr, "last_sent", s.lastSent, "err", err)
}

// Shutdown tells every subscriber the relay is shutting down (an error
// frame, then a close frame), refuses new ones, and waits for their
// handlers to return. When ctx ends first, it closes the remaining
// connections and returns ctx.Err().
func (h *StreamHandler) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if !h.closing {
		h.closing = true
		close(h.done)
	}
	h.mu.Unlock()
	finished := make(chan struct{})
	go func() {
		h.sessions.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		h.mu.Lock()
		for ws := range h.conns {
			_ = ws.Close()
		}
		h.mu.Unlock()
		<-finished
		return ctx.Err()
	}
}

func (h *StreamHandler) track(ws *websocket.Conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return false
	}
	h.conns[ws] = struct{}{}
	return true
}

func (h *StreamHandler) untrack(ws *websocket.Conn) {
	h.mu.Lock()
	delete(h.conns, ws)
	h.mu.Unlock()
}
