// Package faults is a fault-injecting front for the sandbox issuer: an
// http.Handler that sits before the sandbox's handler and, by a seeded,
// deterministic schedule, delays requests, holds them past the client's
// timeout, answers 429 storms and 5xx bursts in each provider's own shape,
// resets connections, or cuts a good answer short. A fault can hit before
// the sandbox sees the request or after it has acted (the change is made,
// its answer is lost), which is how a client's retries and idempotency keys
// are put to the test.
//
// The front records every request it saw (method, path, Idempotency-Key,
// the fault applied, what the sandbox answered) for tests to inspect, and
// Parse reads the compact text form `carddesk sandbox --faults` takes.
package faults
