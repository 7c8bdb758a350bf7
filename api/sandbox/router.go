package sandbox

import (
	"net/http"
	"slices"
	"strings"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// handlerFunc answers one request: a status and a wire object, or an
// error to render in the provider's shape.
type handlerFunc func(c *call) (int, any, *apiError)

// endpoint is one method on a route.
type endpoint struct {
	h handlerFunc
	// query lists the query parameters it accepts; any other is refused.
	query []string
}

// route is one path pattern of one provider, below /<provider>/v1.
type route struct {
	provider string
	segments []string // "{name}" captures a segment
	methods  map[string]endpoint
	// multipart routes also take multipart/form-data bodies.
	multipart bool
	// unlocked routes run without the issuer's lock (they keep their own).
	unlocked bool
}

func (rt route) allow() string {
	ms := make([]string, 0, len(rt.methods))
	for m := range rt.methods {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return strings.Join(ms, ", ")
}

// routeTable collects routes as the faces register them.
type routeTable struct {
	routes []route
}

// option adjusts a route or one of its endpoints as it is registered.
type option func(*route, *endpoint)

// withQuery lets the endpoint take the paging parameters and these others.
func withQuery(page []string, params ...string) option {
	return func(_ *route, ep *endpoint) { ep.query = slices.Concat(ep.query, page, params) }
}

// multipartBody lets the route take multipart/form-data bodies.
func multipartBody(rt *route, _ *endpoint) { rt.multipart = true }

// unlocked runs the route's handlers without the issuer's lock.
func unlocked(rt *route, _ *endpoint) { rt.unlocked = true }

// handle registers h for method on a pattern such as "/cards/{id}/freeze".
func (t *routeTable) handle(provider, method, pattern string, h handlerFunc, opts ...option) {
	segs := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	ep := endpoint{h: h}
	var rt *route
	for i := range t.routes {
		if t.routes[i].provider == provider && slices.Equal(t.routes[i].segments, segs) {
			rt = &t.routes[i]
		}
	}
	if rt == nil {
		t.routes = append(t.routes, route{provider: provider, segments: segs, methods: map[string]endpoint{}})
		rt = &t.routes[len(t.routes)-1]
	}
	for _, o := range opts {
		o(rt, &ep)
	}
	rt.methods[method] = ep
}

// face registers the routes of one provider, each with opts.
type face struct {
	t        *routeTable
	provider string
	opts     []option
}

func (t *routeTable) face(provider string, opts ...option) face {
	return face{t: t, provider: provider, opts: opts}
}

func (f face) handle(method, pattern string, h handlerFunc, opts ...option) {
	f.t.handle(f.provider, method, pattern, h, slices.Concat(f.opts, opts)...)
}

// providerPrefix splits "/vaultspay/v1/cards" into the provider and the
// path below its /v1.
func providerPrefix(path string) (provider, rest string) {
	for _, p := range []string{vaultspay.Provider, vydapay.Provider} {
		prefix := "/" + p + "/v1/"
		if strings.HasPrefix(path, prefix) {
			return p, path[len(prefix):]
		}
		if path == "/"+p+"/v1" || strings.HasPrefix(path, "/"+p+"/") || path == "/"+p {
			return p, "\x00" // the provider's space, but no route
		}
	}
	return "", "\x00"
}

// match finds the route for a path below /<provider>/v1/ and its
// parameters.
func (s *Server) match(provider, rest string) (*route, map[string]string) {
	segs := strings.Split(rest, "/")
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.provider != provider || len(rt.segments) != len(segs) {
			continue
		}
		var params map[string]string
		ok := true
		for k, pat := range rt.segments {
			if strings.HasPrefix(pat, "{") {
				if segs[k] == "" {
					ok = false
					break
				}
				if params == nil {
					params = map[string]string{}
				}
				params[strings.Trim(pat, "{}")] = segs[k]
				continue
			}
			if pat != segs[k] {
				ok = false
				break
			}
		}
		if ok {
			return rt, params
		}
	}
	return nil, nil
}

// buildRoutes registers both faces.
func (s *Server) buildRoutes() []route {
	var t routeTable
	s.vaultspayRoutes(&t)
	s.vaultspayWebhookRoutes(&t)
	s.vydapayRoutes(&t)
	return t.routes
}

// isWrite says whether a method changes state.
func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead
}
