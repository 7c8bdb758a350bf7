package bench

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/carddesk/carddesk/tui/stack"
)

// A run ended from outside (ctrl+c) stops with the context's error,
// whichever stage it is in — here most likely counting — and shuts the
// stack down.
func TestSSHCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	f := SSHConfig{Stack: stack.Config{Provider: "vaultspay", Rate: 10, Seed: 1}, Duration: time.Hour, Width: 120, Height: 40}
	err := SSH(ctx, io.Discard, io.Discard, f)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a run cut short: %v, want context.DeadlineExceeded", err)
	}
}
