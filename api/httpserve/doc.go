// Package httpserve is how carddesk's HTTP servers — the relay, the
// sandbox issuer, the in-process stack of the demo — serve until their
// context ends and then stop gracefully: requests in flight finish within
// a deadline, connections that never sent a request are closed at once
// rather than waited on, and whatever runs beside the server (a
// simulator, a pruner) stops with it. It also holds the one check that a
// listen address is loopback unless the operator allowed otherwise. It
// sits under api, beside safetext and secretfile, because the sandbox, the
// relay and the dashboard's stack all use it and none of them owns it; it
// imports only api.
package httpserve
