package sandbox

import (
	"fmt"
	"net/http"
	"runtime/debug"

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
		if st < 200 || st > 299 {
			panic(fmt.Sprintf("handler answered status %d without an error", st))
		}
		status, body = st, marshal(obj)
		if s.drift != nil && !c.noStore { // never a card's secrets
			body = s.drift.rewrite(c.provider, body)
		}
		return nil
	}
	if rt.unlocked {
		_ = do()
	} else {
		_ = s.locked(c.iss, do)
	}
	return status, body
}
