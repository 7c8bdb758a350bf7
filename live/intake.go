package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// MaxWebhookBody caps a webhook body; a larger one is refused with 413.
const MaxWebhookBody = 256 << 10

// intake serves POST /webhooks/{provider}: it verifies a delivery on its
// exact bytes, stores it, and answers 2xx only once the event is durable.
// Every refusal is a short JSON {"error": "..."} and nothing refused is
// stored or streamed.
type intake struct {
	store   Store
	schemes map[string]api.WebhookScheme
	now     func() time.Time
	maxAge  time.Duration // the retention's age; 0: none
	m       *metrics
	log     *slog.Logger
	refused *refusals

	// closing refuses new deliveries during shutdown; inflight counts the
	// ones being served so that shutdown can wait for them.
	mu       sync.RWMutex
	closing  bool
	inflight sync.WaitGroup
}

func (in *intake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	provider := r.PathValue("provider")
	scheme, known := in.schemes[provider]
	label := provider
	if !known {
		label = unknownProvider
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		in.reject(w, label, http.StatusMethodNotAllowed, reasonMethod, "method not allowed: use POST")
		return
	}
	if !known {
		in.reject(w, label, http.StatusNotFound, reasonUnknownProvider, "unknown provider")
		return
	}
	if !in.enter() {
		in.reject(w, label, http.StatusServiceUnavailable, reasonShuttingDown, "relay shutting down")
		return
	}
	defer in.inflight.Done()

	if msg := checkContentType(r.Header.Get("Content-Type")); msg != "" {
		in.reject(w, label, http.StatusUnsupportedMediaType, reasonContentType, msg)
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			in.reject(w, label, http.StatusRequestEntityTooLarge, reasonTooLarge,
				"body larger than "+strconv.Itoa(MaxWebhookBody)+" bytes")
			return
		}
		in.reject(w, label, http.StatusBadRequest, reasonReadBody, "could not read the body")
		return
	}
	now := in.now()
	if err := scheme.Verify(r.Header, body, now); err != nil {
		reason, msg := verifyFailure(err)
		in.reject(w, label, http.StatusUnauthorized, reason, msg)
		return
	}
	ev, err := scheme.Parse(body)
	if err != nil {
		if !json.Valid(body) {
			in.reject(w, label, http.StatusBadRequest, reasonMalformedJSON, "malformed JSON")
			return
		}
		// The dialects quote what they refuse safely; Clip again so that
		// the answer never echoes a card number or an escape whatever
		// scheme is plugged in.
		in.reject(w, label, http.StatusBadRequest, reasonInvalidEvent, safetext.Clip(err.Error(), 200))
		return
	}
	if msg := checkIDs(ev); msg != "" {
		in.reject(w, label, http.StatusBadRequest, reasonInvalidID, msg)
		return
	}
	if msg := in.tooOld(ev, now); msg != "" {
		in.reject(w, label, http.StatusUnprocessableEntity, reasonTooOld, msg)
		return
	}
	rec, err := NewRecord(ev, now.UTC())
	if err != nil {
		in.reject(w, label, http.StatusBadRequest, reasonInvalidEvent, "event cannot be encoded")
		return
	}
	start := time.Now()
	res, err := in.store.Append(r.Context(), []Record{rec})
	in.m.commit.Observe(time.Since(start).Seconds())
	if err == nil && len(res) != 1 {
		err = errors.New("store answered " + strconv.Itoa(len(res)) + " results for 1 record")
	}
	if err != nil {
		if r.Context().Err() != nil {
			// The provider hung up; the event may still commit, and its
			// retry is then acknowledged as a duplicate.
			in.log.Info("webhook sender went away while storing", "provider", provider, "event", rec.EventID)
			in.reject(w, label, http.StatusServiceUnavailable, reasonSenderGone, "request cancelled")
			return
		}
		if !errors.Is(err, ErrStoreStopped) { // a stopped store has said why, once
			in.log.Error("store webhook event", "provider", provider, "event", rec.EventID, "err", err)
		}
		in.reject(w, label, http.StatusServiceUnavailable, reasonStoreUnavailable, "store unavailable")
		return
	}
	if res[0].Duplicate {
		in.m.duplicates.WithLabelValues(provider).Inc()
	} else {
		in.m.markAccepted(provider, rec.ReceivedAt)
	}
	writeAck(w, res[0])
}

// tooOld refuses an event created before the retention window, and says
// why ("" when it is inside it). The relay would prune such an event at
// once, and it cannot tell it from a replay: Vydapay signs no time, so a
// delivery recorded once is valid forever, and the store's tombstones of
// pruned events last only as long as the window. A provider's retry after
// an outage shorter than the window is inside it.
func (in *intake) tooOld(ev api.Event, now time.Time) string {
	if in.maxAge <= 0 || ev.CreatedAt.IsZero() || !ev.CreatedAt.Before(now.Add(-in.maxAge)) {
		return ""
	}
	return "event created " + ev.CreatedAt.UTC().Format(time.RFC3339) + ", before the relay's retention window (" +
		in.maxAge.String() + "): refused, as it cannot be told from a replay"
}

// enter registers a delivery in flight, unless the relay is shutting down.
func (in *intake) enter() bool {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if in.closing {
		return false
	}
	in.inflight.Add(1)
	return true
}

// drain refuses new deliveries and waits for those in flight, or for done.
func (in *intake) drain(done <-chan struct{}) bool {
	in.mu.Lock()
	in.closing = true
	in.mu.Unlock()
	finished := make(chan struct{})
	go func() {
		in.inflight.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return true
	case <-done:
		return false
	}
}

func (in *intake) reject(w http.ResponseWriter, provider string, status int, reason, msg string) {
	in.m.rejected.WithLabelValues(provider, reason).Inc()
	in.refused.note(provider, status, reason, msg)
	writeError(w, status, msg)
}

// checkContentType wants application/json, with at most a UTF-8 charset.
// It returns what is wrong, or "".
func checkContentType(ct string) string {
	if ct == "" {
		return "content type missing: want application/json"
	}
	media, params, err := mime.ParseMediaType(ct)
	if err != nil || media != "application/json" {
		return "unsupported content type: want application/json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "unsupported charset: want utf-8"
	}
	return ""
}

// readBody reads the whole body, refusing more than MaxWebhookBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := http.MaxBytesReader(w, r.Body, MaxWebhookBody)
	size := 4096
	if r.ContentLength > 0 && r.ContentLength <= MaxWebhookBody {
		size = int(r.ContentLength) + 1 // +1 so that ReadFrom sees EOF without growing
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	if _, err := buf.ReadFrom(rd); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// verifyFailure names a verification failure for the metric and the answer.
func verifyFailure(err error) (reason, msg string) {
	switch {
	case errors.Is(err, api.ErrSignatureMissing):
		return reasonSigMissing, "missing signature"
	case errors.Is(err, api.ErrSignatureMalformed):
		return reasonSigMalformed, "malformed signature"
	case errors.Is(err, api.ErrTimestampStale):
		return reasonTimestampStale, "stale timestamp"
	case errors.Is(err, api.ErrTimestampFuture):
		return reasonTimestampFuture, "future timestamp"
	}
	return reasonSigMismatch, "signature mismatch"
}
