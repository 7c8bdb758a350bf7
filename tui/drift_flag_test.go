package tui

import (
	"flag"

	"github.com/carddesk/carddesk/api/sandbox"
)

// sandboxDrift runs the end-to-end tests against a drifting sandbox
// (sandbox.Config.Drift): `go test ./tui -sandbox.drift -run 'Flow|Faults|Hostile|Webhook|Events'`.
// The flows must hold whatever a provider adds to its reference. The
// goldens pin the book as the references describe it, and differ.
var sandboxDrift = flag.Bool("sandbox.drift", false, "run the end-to-end tests against a drifting sandbox (unknown states, types and events)")

// testSandbox is cfg, drifting under -sandbox.drift.
func testSandbox(cfg sandbox.Config) sandbox.Config {
	cfg.Drift = cfg.Drift || *sandboxDrift
	return cfg
}
