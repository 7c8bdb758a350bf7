// Package backend is what every dashboard session in a process shares: one
// API client behind a read cache whose identical in-flight reads go to the
// provider once, card actions with the agent's role, the provider's
// capabilities and the card's state checked where the action executes (and
// every attempt audited: a refusal in one line, an action the provider is
// asked for before the call and after), the audit log read back only by a
// role that may, the relay's events applied to the cache and fanned
// out to each session without a slow one holding up the rest, and the health
// of the API and the relay for the header.
package backend
