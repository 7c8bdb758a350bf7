package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
)

// The header says when the relay's store was replaced, for a while, in
// words; a narrow terminal drops it before the relay's state.
func TestHeaderSaysTheRelayStoreWasReplaced(t *testing.T) {
	now := time.Date(2026, 12, 8, 14, 2, 0, 0, time.UTC)
	ctx := &Context{Styles: NewStyles(true, true), Keys: DefaultKeyMap(), Now: func() time.Time { return now }}
	h := backend.Health{API: backend.APIUp, Relay: live.StateLive}
	line := func(width int) string { return ansi.Strip(headerView(ctx, h, 0, nil, width)) }

	if got := line(200); strings.Contains(got, "store replaced") {
		t.Errorf("no change, yet: %q", got)
	}
	h.RelayStoreChanged = now.Add(-3 * time.Minute)
	if got := line(200); !strings.Contains(got, "relay live") || !strings.Contains(got, "relay store replaced 3m ago") {
		t.Errorf("3 minutes after: %q", got)
	}
	if got := line(60); strings.Contains(got, "store replaced") || !strings.Contains(got, "relay live") {
		t.Errorf("at 60 columns: %q; want the relay's state kept, the change dropped", got)
	}
	h.RelayStoreChanged = now.Add(-storeChangeShown)
	if got := line(200); strings.Contains(got, "store replaced") {
		t.Errorf("%v after: %q, want it gone", storeChangeShown, got)
	}
}
