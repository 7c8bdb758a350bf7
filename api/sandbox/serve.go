package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// maxBody caps request bodies.
const maxBody = 1 << 20

// keyInfo is what an API key may do.
type keyInfo struct {
	provider    string
	live        bool
	readOnly    bool // VaultsPay: reads only
	publishable bool // Vydapay pk_: nothing
	token       string
}

// call is one request on its way through a face.
type call struct {
	s        *Server
	iss      *issuer
	r        *http.Request
	provider string
	params   map[string]string
	q        query
	body     []byte
	key      keyInfo
	reqID    string
	// noStore keeps the response out of the idempotency store (card
	// secrets): a replayed key runs the request again.
	noStore bool
}

func (c *call) param(name string) string { return c.params[name] }

// recorder notes whether a response was started, for the recover path.
type recorder struct {
	http.ResponseWriter
	wrote bool
}

func (r *recorder) WriteHeader(code int) {
	r.wrote = true
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (s *Server) serveHTTP(hw http.ResponseWriter, r *http.Request) {
	reqID := "req_" + randomToken(20)
	w := &recorder{ResponseWriter: hw}
	w.Header().Set("X-Request-Id", reqID)
	provider, rest := providerPrefix(r.URL.Path)
	defer func() {
		if p := recover(); p != nil {
			s.panics.Add(1)
			s.log.Error("sandbox: handler panicked", "method", r.Method, "path", r.URL.Path,
				"request_id", reqID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !w.wrote {
				s.writeError(w, provider, reqID, &apiError{status: http.StatusInternalServerError, typ: typeAPI,
					code: codeInternal, msg: "An internal error occurred; the request id identifies it in the sandbox log."})
			}
		}
	}()
	if provider == vaultspay.Provider {
		w.Header().Set(vaultspay.VersionHeader, vaultspay.APIVersion)
	}
	status, body, replayed := s.serve(w, r, provider, rest, reqID)
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, status, body)
}

// serve runs the request through routing, keys, rate limit, version,
// body checks and idempotency to its handler, and returns the response.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, provider, rest, reqID string) (int, []byte, bool) {
	fail := func(e *apiError) (int, []byte, bool) {
		return e.status, marshal(errorBody(provider, reqID, e)), false
	}
	if provider == "" {
		return fail(&apiError{status: http.StatusNotFound, typ: typeInvalid, code: codeRouteNotFound,
			msg: fmt.Sprintf("No route %s %s: the APIs live under /vaultspay/v1 and /vydapay/v1.", r.Method, clip(r.URL.Path, 100))})
	}
	rt, params := s.match(provider, rest)
	if rt == nil {
		return fail(&apiError{status: http.StatusNotFound, typ: typeInvalid, code: codeRouteNotFound,
			msg: fmt.Sprintf("No route %s %s.", r.Method, clip(r.URL.Path, 100))})
	}
	ep, ok := rt.methods[r.Method]
	if !ok {
		w.Header().Set("Allow", rt.allow())
		return fail(&apiError{status: http.StatusMethodNotAllowed, typ: typeInvalid, code: codeMethodNotAllowed,
			msg: fmt.Sprintf("%s is not allowed on %s; allowed: %s.", clip(r.Method, 20), clip(r.URL.Path, 100), rt.allow())})
	}
	key, e := s.authenticate(r, provider)
	if e != nil {
		return fail(e)
	}
	now := s.clock()
	rl := s.limiter.take(key.token, now)
	rl.headers(w.Header(), now)
	if !rl.allowed {
		return fail(&apiError{status: http.StatusTooManyRequests, typ: typeRate, code: codeRateLimited,
			msg: fmt.Sprintf("Too many requests: the limit is %d per minute per key. Retry after the window resets.", rl.limit)})
	}
	if e := permit(key, r.Method); e != nil {
		return fail(e)
	}
	if provider == vaultspay.Provider {
		if e := checkVersion(w, r); e != nil {
			return fail(e)
		}
	}
	q, e := parseQuery(r.URL.RawQuery, ep.query)
	if e != nil {
		return fail(e)
	}
	c := &call{s: s, r: r, provider: provider, params: params, key: key, reqID: reqID, q: q}
	c.iss, _ = s.issuer(provider)
	if isWrite(r.Method) {
		body, e := readBody(w, r, rt.multipart)
		if e != nil {
			return fail(e)
		}
		c.body = body
	}
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey == "" || !isWrite(r.Method) {
		status, body := s.run(c, rt, ep.h)
		return status, body, false
	}
	if len(idemKey) > 255 {
		return fail(errInvalid(codeParamInvalid, "Idempotency-Key", "The Idempotency-Key header must be at most 255 characters."))
	}
	slot := idemSlot(key.token, idemKey)
	fp := fingerprint(r.Method, r.URL.RequestURI(), c.body)
	switch outcome, status, body := s.idem.begin(slot, fp, now); outcome {
	case idemReplay:
		return status, body, true
	case idemMismatch:
		return fail(&apiError{status: http.StatusUnprocessableEntity, typ: typeIdempotency, code: codeIdemReused,
			msg: "This Idempotency-Key was used with a different request; use a new key for a new request."})
	case idemInFlight:
		return fail(&apiError{status: http.StatusConflict, typ: typeIdempotency, code: codeIdemInUse,
			msg: "A request with this Idempotency-Key is still being processed; retry shortly."})
	}
	keep := false
	var status int
	var body []byte
	defer func() {
		// A panic forgets the key too, so that a retry runs again.
		s.idem.finish(slot, fp, status, body, keep, s.clock())
	}()
	status, body = s.run(c, rt, ep.h)
	keep = status < 500 && !c.noStore
	return status, body, false
}

// run calls the handler (under the issuer's lock unless the route keeps
// its own) and encodes its answer.
func (s *Server) run(c *call, rt *route, h handlerFunc) (int, []byte) {
	var status int
	var body []byte
	do := func() error {
		st, obj, e := h(c)
		if e != nil {
			status, body = e.status, marshal(errorBody(c.provider, c.reqID, e))
			return nil
		}
		status, body = st, marshal(obj)
		return nil
	}
	if rt.unlocked {
		_ = do()
	} else {
		_ = s.locked(c.iss, do)
	}
	return status, body
}

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

// readBody reads a capped body and checks its media type.
func readBody(w http.ResponseWriter, r *http.Request, multipartOK bool) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, typ: typeInvalid, code: codeTooLarge,
				msg: fmt.Sprintf("The request body is larger than %d bytes.", maxBody)}
		}
		return nil, errInvalid(codeBodyInvalid, "", "The request body could not be read.")
	}
	if len(body) == 0 {
		return body, nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mt == "application/json":
	case err == nil && mt == "multipart/form-data" && multipartOK:
	default:
		want := "application/json"
		if multipartOK {
			want += " or multipart/form-data"
		}
		return nil, &apiError{status: http.StatusUnsupportedMediaType, typ: typeInvalid, code: codeMediaType,
			msg: fmt.Sprintf("Unsupported Content-Type %q: send %s.", clip(r.Header.Get("Content-Type"), 60), want)}
	}
	return body, nil
}
