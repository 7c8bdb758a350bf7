// Package stack assembles carddesk's whole product in one process, on
// loopback: the sandbox issuer (behind its fault-injecting front when
// asked, drifting when asked, at its rate limit) and its traffic
// simulator, the relay on a SQLite file with its stream token, a
// subscription to the relay's stream, a client of the sandbox in the
// chosen provider's dialect, and the backend over both with its audit log.
//
// It is what `carddesk demo` and `serve --demo` run, what the benchmarks
// measure, and what tests start when they want the real thing: Start
// builds and serves it, Run runs its simulator and relay, Shutdown stops
// it, and With does all three around a function handed the running parts.
package stack
