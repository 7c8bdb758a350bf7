package tui

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// At 80 columns a failure longer than the footer is cut before its request
// id, never through it: the agent reads the id out to the provider. It was
// cut off at the end of the line.
func TestFooterKeepsTheRequestIDWhole(t *testing.T) {
	fe := newFaultEnv(t)
	tests := []struct {
		name string
		rule faults.Rule
	}{
		{"503 on freeze", faults.Rule{Kind: faults.ServerError, Status: http.StatusServiceUnavailable}},
		{"429 on freeze", faults.Rule{Kind: faults.RateLimit, Delay: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := tt.rule
			rule.Method, rule.Path = http.MethodPost, "/cards/*/freeze"
			s := fe.start(t, vaultspay.Provider, faultTuning(), rule)
			card := fe.card(t, vaultspay.Provider)
			s.openCardByID(card)
			s.key("f")
			s.await("the confirm dialog", dialogIs[*confirmDialog])
			s.key("y")
			s.await("the outcome", func(m *model) bool { return m.dialog == nil && m.flashText() != "" })
			lines := strings.Split(strings.TrimRight(ansi.Strip(s.screen()), "\n"), "\n")
			line := strings.TrimRight(lines[len(lines)-2], " ")
			if !regexp.MustCompile(`^Card •••• [0-9]{4} not .*\(request req_fault_[0-9]+\)$`).MatchString(line) {
				t.Errorf("the footer says %q; want the failure with its request id whole", line)
			}
		})
	}
}

// A list that could not load says why on its own line, cut like the
// footer, never through the request id.
func TestListErrorKeepsTheRequestIDWhole(t *testing.T) {
	fe := newFaultEnv(t)
	s := fe.start(t, vaultspay.Provider, faultTuning(), faults.Rule{Kind: faults.RateLimit, Method: http.MethodGet, Path: "/cards", Delay: time.Hour})
	s.key("2")
	s.await("the cards' failure", func(m *model) bool {
		cs, ok := topIs[*CardsScreen](m)
		return ok && cs.list.err != nil && !cs.list.loading
	})
	var line string
	for _, l := range strings.Split(ansi.Strip(s.screen()), "\n") {
		if strings.Contains(l, "rate limiting") {
			line = strings.TrimRight(l, " ")
		}
	}
	if !regexp.MustCompile(`^VaultsPay is rate limiting us.*\(request req_fault_[0-9]+\)$`).MatchString(line) {
		t.Errorf("the Cards list says %q; want the failure with its request id whole", line)
	}
}
