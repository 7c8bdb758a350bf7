package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// safe is what every string from outside goes through before it is drawn:
// escapes and controls stripped, card numbers masked, and no placeholder
// of a revealed digit (see Output), which would show that digit wherever
// a merchant name put it while the dialog is open.
func safe(s string) string { return withoutSecretGlyphs(safetext.Safe(s)) }

// fitLine cuts a (possibly styled) line to width cells and pads it to
// exactly width.
func fitLine(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = ansi.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// fitBlock makes s exactly width × height cells: every line cut or padded,
// lines beyond height dropped, missing lines blank. Nothing wraps.
func fitBlock(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString(fitLine(line, width))
	}
	return b.String()
}

// padLeft right-aligns s in width cells.
func padLeft(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return ansi.Truncate(s, width, "…")
	}
	return strings.Repeat(" ", width-w) + s
}

// masked renders a card's last four as an agent may see it.
func masked(lastFour string) string {
	return "•••• " + safe(lastFour)
}

// shortDate renders a timestamp for a table cell.
func shortDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// age renders how long ago t was, coarsely: "3s", "4m", "2h", "5d".
func age(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// limitText renders a spending limit with its interval.
func limitText(l *api.SpendingLimit) string {
	if l == nil {
		return "—"
	}
	return l.Amount.String() + " " + intervalText(l.Interval)
}

// intervalText renders a limit interval in words.
func intervalText(i api.Interval) string {
	switch i {
	case api.PerTransaction:
		return "per transaction"
	case api.AllTime:
		return "in total"
	case "":
		return ""
	}
	return words(string(i))
}

// words renders a provider's word for an agent: cleaned, then its
// underscores as spaces ("atm_withdrawal" is "atm withdrawal"). Cleaning
// comes first: an underscore is part of an escape sequence (APC is ESC _),
// and one turned into a space would leave the sequence's text behind.
func words(s string) string {
	return strings.ReplaceAll(safe(s), "_", " ")
}

// orDash shows "—" for an empty value.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// isLastFour reports whether s is exactly four ASCII digits.
func isLastFour(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// joinEnds puts left at the start and right at the end of one line of
// width cells, dropping right when both do not fit.
func joinEnds(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > width {
		return fitLine(left, width)
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}

// phoneText shows a phone number. An E.164 number ("+" and up to 15
// digits) is only cleaned, not PAN-masked: one in ten phone numbers passes
// the Luhn check, an agent must read the number out to verify a caller, and
// nobody writes a card number with a leading "+". Anything else is made
// safe like every other outside string.
func phoneText(p string) string {
	if len(p) >= 8 && len(p) <= 16 && p[0] == '+' {
		digits := true
		for i := 1; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				digits = false
				break
			}
		}
		if digits {
			return p
		}
	}
	return safe(p)
}
