// Package loadtest is the engine of `carddesk bench relay`: it POSTs signed
// Vydapay webhooks of realistic size to a relay at a set rate from many
// connections while stream subscribers receive them, and measures accepted
// events per second, POST latency, POST→subscriber latency and events lost
// (acknowledged but never delivered). It can start the relay in-process,
// over SQLite or over the no-op store, for the durable/no-store ratio.
package loadtest
