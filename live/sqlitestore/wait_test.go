package sqlitestore

import (
	"testing"
	"time"
)

// waitFor polls cond until it holds, for the few states a test cannot be
// told about (how many requests sit in the writer's queue). It fails the
// test if cond does not hold within a generous deadline; it asserts
// nothing about how long that took.
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached in 30s")
		}
		time.Sleep(time.Millisecond)
	}
}
