package tui

import (
	"time"

	"github.com/carddesk/carddesk/tui/backend"
)

// apiText is the API's state for the header. Each state is a different
// thing to do — fix the key, wait for the reset, look at the network, call
// the provider — so none is said as "down".
func apiText(s *Styles, h backend.Health, now time.Time) string {
	switch h.API {
	case backend.APIUp:
		t := s.Good.Render("api up")
		if h.APILatency > 0 {
			t += " " + s.Muted.Render(latencyText(h.APILatency))
		}
		return t
	case backend.APIKeyRefused:
		return s.Danger.Render("api key refused")
	case backend.APIRateLimited:
		t := "api rate limited"
		switch {
		case h.APIResetAt.After(now):
			t += " · resets " + h.APIResetAt.UTC().Format("15:04:05")
		case !h.APIResetAt.IsZero():
			// Past the reset the provider gave: the next check tells.
			t += " · reset " + h.APIResetAt.UTC().Format("15:04:05") + ", checking again"
		}
		return s.Warn.Render(t)
	case backend.APIUnreachable:
		return s.Danger.Render("api unreachable: " + safe(h.APICause))
	case backend.APIError:
		return s.Danger.Render("api error " + safe(h.APICause))
	}
	return s.Muted.Render("api ?")
}
