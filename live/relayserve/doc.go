// Package relayserve runs the relay as `carddesk relay` serves it: a
// SQLite store at its path, the relay on its listener (loopback unless
// allowed) with the operations listener beside it for /healthz and
// /metrics without a token, a banner saying where providers and dashboards
// reach it, and a graceful stop that drains the webhook deliveries in
// flight before the store closes. The command merges its flags over the
// configuration into Settings.
package relayserve
