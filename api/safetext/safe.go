package safetext

import "github.com/charmbracelet/x/ansi"

// ellipsis ends a truncated string.
const ellipsis = "…"

// Safe returns s cleaned of controls and escape sequences and with card
// numbers masked: MaskPANs(Clean(s)). It is what every view and every log
// line uses for a string that came from outside.
func Safe(s string) string {
	return MaskPANs(Clean(s))
}

// Truncate cuts s to at most width terminal cells, ending it with "…" when
// anything was cut. Wide characters (CJK, emoji) count as two cells and are
// never split; styling escapes that carddesk itself added are kept intact.
// A width of zero or less gives "". s should already be Safe: Truncate
// measures text, it does not clean it.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, ellipsis)
}
