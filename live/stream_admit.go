package live

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/carddesk/carddesk/api/safetext"
)

// admit checks a stream request before the upgrade: method, bearer token,
// origin, and the after parameter. It answers the refusals itself.
func (h *StreamHandler) admit(w http.ResponseWriter, r *http.Request) (after uint64, ok bool) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "method not allowed: use GET")
		return 0, false
	}
	if msg := checkBearer(r.Header.Get("Authorization"), h.cfg.Token); msg != "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="carddesk relay"`)
		writeError(w, http.StatusUnauthorized, msg)
		return 0, false
	}
	if !originAllowed(r.Header.Values("Origin"), h.cfg.AllowedOrigins) {
		writeError(w, http.StatusForbidden, "origin not allowed")
		return 0, false
	}
	after, err := parseAfter(r.URL.Query()["after"])
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return 0, false
	}
	last, err := h.cfg.Store.LastSeq(r.Context())
	if err != nil {
		h.log.Warn("stream: read last seq", "err", err)
		writeError(w, http.StatusServiceUnavailable, "store unavailable")
		return 0, false
	}
	if after > last {
		// The subscriber saw sequence numbers this store never gave out:
		// the relay's database was replaced. Streaming would skip every
		// event up to its old position, so say so instead.
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("after %d is beyond the relay's last seq %d (was the relay's database replaced?)", after, last))
		return 0, false
	}
	return after, true
}

// checkBearer compares the Authorization header's bearer token with want
// in constant time (both are hashed first, so even their lengths do not
// leak). It returns the refusal reason, or "" when the token is right.
func checkBearer(header, want string) string {
	scheme, token, found := strings.Cut(header, " ")
	switch {
	case header == "":
		return "missing bearer token"
	case !found || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "":
		return "authorization is not a bearer token"
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	exp := sha256.Sum256([]byte(want))
	if want == "" || subtle.ConstantTimeCompare(got[:], exp[:]) != 1 {
		return "wrong bearer token"
	}
	return ""
}

// originAllowed admits requests without an Origin header (not from a
// browser) and those whose single Origin is in allowed, exactly
// (scheme://host[:port], compared case-insensitively as origins are).
func originAllowed(origins, allowed []string) bool {
	switch len(origins) {
	case 0:
		return true
	case 1:
	default:
		return false
	}
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSuffix(a, "/"), origins[0]) {
			return true
		}
	}
	return false
}

// parseAfter reads the after parameter strictly: absent means 0; otherwise
// one non-negative decimal integer that fits in 64 bits.
func parseAfter(values []string) (uint64, error) {
	switch len(values) {
	case 0:
		return 0, nil
	case 1:
	default:
		return 0, fmt.Errorf("after given %d times", len(values))
	}
	v := values[0]
	if v == "" {
		return 0, fmt.Errorf("after is empty: want a sequence number")
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, fmt.Errorf("after %q is not a non-negative integer", safetext.Clip(v, 32))
		}
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("after %q is out of range", safetext.Clip(v, 32))
	}
	return n, nil
}
