package sandbox

import (
	"net/http"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// authenticate checks the bearer key against the provider's keys.
func (s *Server) authenticate(r *http.Request, provider string) (keyInfo, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return keyInfo{}, &apiError{status: http.StatusUnauthorized, typ: typeAuth, code: codeKeyMissing,
			msg: "No API key provided: send it as Authorization: Bearer <key>."}
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return keyInfo{}, &apiError{status: http.StatusUnauthorized, typ: typeAuth, code: codeKeyInvalid,
			msg: "Malformed Authorization header: want Bearer <key>."}
	}
	token = strings.TrimSpace(token)
	k, ok := s.keys[token]
	if !ok || k.provider != provider {
		return keyInfo{}, &apiError{status: http.StatusUnauthorized, typ: typeAuth, code: codeKeyInvalid,
			msg: "Invalid API key provided: " + maskKey(token) + "."}
	}
	k.token = token
	return k, nil
}

// maskKey shows a key's prefix and last four characters only.
func maskKey(k string) string {
	if len(k) <= 12 {
		return strings.Repeat("*", len(k))
	}
	return k[:8] + strings.Repeat("*", 4) + k[len(k)-4:]
}

// permit refuses what a restricted key may not do.
func permit(k keyInfo, method string) *apiError {
	switch {
	case k.publishable:
		return &apiError{status: http.StatusForbidden, typ: typeAuth, code: codeForbidden,
			msg: "Publishable keys cannot access this endpoint: they are for client-side use only. Use a secret key (sk_test_ or sk_live_)."}
	case k.readOnly && isWrite(method):
		return &apiError{status: http.StatusForbidden, typ: typePermission, code: codeForbidden,
			msg: "This API key is read-only and cannot make " + method + " requests."}
	}
	return nil
}

// checkVersion validates VaultsPay-Version and echoes it.
func checkVersion(w http.ResponseWriter, r *http.Request) *apiError {
	v := r.Header.Get(vaultspay.VersionHeader)
	if v == "" {
		return nil
	}
	if !isDateShape(v) {
		return errInvalid(codeAPIVersion, vaultspay.VersionHeader, "Invalid %s %q: want YYYY-MM-DD.", vaultspay.VersionHeader, clip(v, 40))
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return errInvalid(codeAPIVersion, vaultspay.VersionHeader, "Invalid %s %q: not a date.", vaultspay.VersionHeader, v)
	}
	if v > vaultspay.APIVersion {
		return errInvalid(codeAPIVersion, vaultspay.VersionHeader, "Unknown %s %s: the latest is %s.", vaultspay.VersionHeader, v, vaultspay.APIVersion)
	}
	w.Header().Set(vaultspay.VersionHeader, v)
	return nil
}

// isDateShape reports whether s looks like YYYY-MM-DD.
func isDateShape(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
