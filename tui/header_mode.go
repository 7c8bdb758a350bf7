package tui

import "github.com/carddesk/carddesk/api"

// modeBadge is the loud TEST or LIVE of the header, as the provider said
// (VaultsPay's ping, Vydapay's documented key prefixes); until it has, it
// says so rather than guess from the key's look.
func modeBadge(ctx *Context) string {
	s := ctx.Styles
	mode := api.ModeTest // a screen drawn without a backend (its own tests)
	if ctx.Backend != nil {
		mode = ctx.Backend.Mode()
	}
	switch mode {
	case api.ModeTest:
		return s.TestBadge.Render("TEST")
	case api.ModeLive:
		return s.LiveBadge.Render("LIVE")
	}
	return s.UnknownBadge.Render("TEST/LIVE ?")
}
