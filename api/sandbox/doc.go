// Package sandbox is an in-memory card issuer that serves both providers'
// HTTP APIs faithfully: VaultsPay under /vaultspay/v1 and Vydapay under
// /vydapay/v1, with their paths, parameters, status codes, error shapes,
// pagination, idempotent replay, rate limits, key checks and card state
// machines. Each provider has its own issuer with a book seeded
// deterministically from Config.Seed (users, accounts, cards, months of
// transactions); Run simulates card traffic against the books and delivers
// every event as a signed webhook.
//
// It is what carddesk's demo runs, what the tests run against, and what an
// integrator can point any client at.
package sandbox
