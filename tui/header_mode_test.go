package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api/sandbox"
	"github.com/carddesk/carddesk/tui/backend"
)

// headerLine is the first line of the model's rendering.
func headerLine(m *model) string {
	line, _, _ := strings.Cut(ansi.Strip(m.render()), "\n")
	return line
}

// The badge is what the provider's ping says: a vp_test_-looking key whose
// ping answers livemode true is LIVE (it was TEST, read from the key), and
// before the ping has answered the badge says it does not know.
func TestHeaderBadgeIsWhatThePingSays(t *testing.T) {
	tests := []struct {
		name string
		live bool
		want string
	}{
		{"ping says live", true, " LIVE "},
		{"ping says test", false, " TEST "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvSandbox(t, nil, nil, func(c *sandbox.Config) { c.VaultsPayLive = tt.live })
			if key := e.srv.Config().VaultsPayKey; !strings.HasPrefix(key, "vp_test_") {
				t.Fatalf("the sandbox's key %.8s… does not look like a test key", key)
			}
			s := e.start(t, backend.RoleAgent, 100, 30)
			var before string
			s.inspect(func(m *model) { before = headerLine(m) })
			if !strings.Contains(before, "TEST/LIVE ?") || strings.Contains(before, " TEST ") || strings.Contains(before, " LIVE ") {
				t.Errorf("before the ping the header says %q; want TEST/LIVE ?", before)
			}
			e.be.CheckAPI(context.Background())
			s.await("the badge "+strings.TrimSpace(tt.want), func(m *model) bool { return strings.Contains(headerLine(m), tt.want) })
			var after string
			s.inspect(func(m *model) { after = headerLine(m) })
			if strings.Contains(after, "TEST/LIVE ?") {
				t.Errorf("after the ping the header still says %q", after)
			}
		})
	}
}
