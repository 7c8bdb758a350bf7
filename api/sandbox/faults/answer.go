package faults

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// injected is an error answer the front makes up, in provider-neutral
// terms.
type injected struct {
	status     int
	typ, code  string
	msg        string
	retryAfter time.Duration // 429 only
}

// serverError is the answer for a 5xx fault or an expired hold (504).
func serverError(status int) injected {
	e := injected{status: status, typ: vaultspay.ErrTypeAPI}
	switch status {
	case http.StatusBadGateway:
		e.code, e.msg = "bad_gateway", "An upstream service did not answer; the request may be retried."
	case http.StatusServiceUnavailable:
		e.code, e.msg = "service_unavailable", "The service is temporarily unavailable; retry shortly."
	case http.StatusGatewayTimeout:
		e.code, e.msg = "gateway_timeout", "The request took too long to process; retry shortly."
	default:
		e.code, e.msg = "internal_error", "An internal error occurred; the request id identifies it."
	}
	return e
}

// rateLimited is the answer for a 429 fault.
func rateLimited(limit int, retryAfter time.Duration) injected {
	return injected{
		status: http.StatusTooManyRequests, typ: vaultspay.ErrTypeRateLimit, code: "rate_limited", retryAfter: retryAfter,
		msg: fmt.Sprintf("Too many requests: the limit is %d per minute per key. Retry after %s.", limit, retryAfter),
	}
}

// write sends e in the provider's error shape with its headers: a request
// id, VaultsPay's version, and for a 429 Retry-After and the rate-limit
// headers both providers send (X-RateLimit-Limit, -Remaining 0, -Reset in
// Unix seconds).
func (e injected) write(w http.ResponseWriter, provider, reqID string, limit int, now time.Time) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Request-Id", reqID)
	var body any
	if provider == vydapay.Provider {
		body = vydapay.ErrorBody{Error: vydapay.ErrorDetail{Type: e.typ, Code: e.code, Message: e.msg, DocURL: vydapay.DocURLBase + e.code}}
	} else {
		h.Set(vaultspay.VersionHeader, vaultspay.APIVersion)
		body = vaultspay.ErrorBody{Error: vaultspay.ErrorDetail{Type: e.typ, Code: e.code, Message: e.msg, RequestID: reqID}}
	}
	if e.status == http.StatusTooManyRequests {
		reset := now.Add(e.retryAfter)
		secs := reset.Unix()
		if reset.Nanosecond() > 0 {
			secs++
		}
		h.Set("Retry-After", retryAfterValue(e.retryAfter))
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(secs, 10))
	}
	b, _ := json.Marshal(body) // wire structs of strings always encode
	w.WriteHeader(e.status)
	_, _ = w.Write(append(b, '\n'))
}

// retryAfterValue writes a wait in seconds: whole seconds as an integer,
// as providers send it, and a shorter or uneven wait as a decimal, which
// carddesk's client reads too (tests ask for milliseconds).
func retryAfterValue(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
