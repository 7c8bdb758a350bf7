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

// admission is an admitted stream request: where its replay starts, and
// whether that is the start of a store other than the one the subscriber
// followed (it is then told so first).
type admission struct {
	after uint64
	reset bool
	// theirs is the epoch the subscriber followed; "" when it did not say.
	theirs string
}

// admit checks a stream request before the upgrade: method, bearer token,
// origin, and the after and epoch parameters. It answers the refusals
// itself.
func (h *StreamHandler) admit(w http.ResponseWriter, r *http.Request) (a admission, ok bool) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "method not allowed: use GET")
		return admission{}, false
	}
	if msg := checkBearer(r.Header.Get("Authorization"), h.cfg.Token); msg != "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="carddesk relay"`)
		writeError(w, http.StatusUnauthorized, msg)
		return admission{}, false
	}
	if !originAllowed(r.Header.Values("Origin"), h.cfg.AllowedOrigins) {
		writeError(w, http.StatusForbidden, "origin not allowed")
		return admission{}, false
	}
	q := r.URL.Query()
	after, err := parseAfter(q["after"])
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return admission{}, false
	}
	theirs, err := parseEpoch(q["epoch"])
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return admission{}, false
	}
	if ours := h.cfg.Store.Epoch(); theirs != "" && ours != "" && theirs != ours {
		// The subscriber followed another store (this one's file was lost
		// and made again, or another restored): its sequence numbers mean
		// nothing here. It gets this store from the start, told why.
		return admission{reset: true, theirs: theirs}, true
	}
	last, err := h.cfg.Store.LastSeq(r.Context())
	if err != nil {
		h.log.Warn("stream: read last seq", "err", err)
		writeError(w, http.StatusServiceUnavailable, "store unavailable")
		return admission{}, false
	}
	if after > last {
		// The subscriber saw sequence numbers this store never gave out,
		// and did not say which store it followed (an older carddesk):
		// the relay's database was replaced. Streaming would skip every
		// event up to its old position, so say so instead.
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("after %d is beyond the relay's last seq %d (was the relay's database replaced?)", after, last))
		return admission{}, false
	}
	return admission{after: after, theirs: theirs}, true
}

// maxEpochLen bounds the epoch parameter; the stores' epochs are 32 hex
// digits.
const maxEpochLen = 64

// parseEpoch reads the epoch parameter: absent or empty means the
// subscriber does not know; otherwise letters, digits, - and _, at most
// maxEpochLen of them.
func parseEpoch(values []string) (string, error) {
	switch len(values) {
	case 0:
		return "", nil
	case 1:
	default:
		return "", fmt.Errorf("epoch given %d times", len(values))
	}
	v := values[0]
	if len(v) > maxEpochLen {
		return "", fmt.Errorf("epoch is %d characters: at most %d", len(v), maxEpochLen)
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return "", fmt.Errorf("epoch %q: only letters, digits, - and _", safetext.Clip(v, 32))
		}
	}
	return v, nil
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
