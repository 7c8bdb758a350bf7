// Package api owns carddesk's provider-neutral domain: users, accounts, cards,
// transactions, events, money and decline reasons; the Client interface every
// provider dialect implements; and the HTTP transport they share (auth,
// timeouts, retries with backoff, idempotency keys, rate-limit state, typed
// errors and page iterators).
//
// Nothing in this package knows which provider it talks to. Provider wire
// formats live in api/vaultspay and api/vydapay; callers ask
// Client.Capabilities what a provider can do instead of checking its name.
package api
