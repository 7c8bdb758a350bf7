package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// footerHeight is the footer's lines: the flash (or the command line) and
// the keys.
const footerHeight = 2

// flashFor is how long an outcome stays in the footer; a failure stays
// until it is dismissed (KeyMap.Dismiss) or another message replaces it.
const flashFor = 5 * time.Second

// flashState is the footer's current message.
type flashState struct {
	msg FlashMsg
	at  time.Time
}

// hint is one key of the footer or the help: its key and what it does, and
// why it is disabled, when it is.
type hint struct {
	key, desc string
	disabled  string
}

func hintOf(b Binding) hint {
	h := b.Help()
	return hint{key: h.Key, desc: h.Desc}
}

// footerView draws the flash line (or the command line) and the keys that
// apply here, cut to the width; pinned keys (help, quit) keep their place
// at the right end.
func footerView(ctx *Context, top string, hints, pinned []hint, width int) string {
	right := hintsLine(ctx, pinned, width)
	room := width - ansi.StringWidth(right)
	if right != "" {
		room -= 2
	}
	left := hintsLine(ctx, hints, room)
	return fitLine(top, width) + "\n" + joinEnds(left, right, width)
}

// hintsLine renders as many hints as fit in width.
func hintsLine(ctx *Context, hints []hint, width int) string {
	s := ctx.Styles
	var b strings.Builder
	used := 0
	for _, h := range hints {
		item := s.FooterKey.Render(h.key)
		if h.desc != "" {
			item += " " + s.FooterDesc.Render(h.desc)
		}
		w := ansi.StringWidth(item)
		sep := 0
		if used > 0 {
			sep = 2
		}
		if used+sep+w > width {
			break
		}
		if sep > 0 {
			b.WriteString("  ")
		}
		b.WriteString(item)
		used += sep + w
	}
	return b.String()
}

// flashLine renders the flash in width cells (see keepRequest).
func flashLine(ctx *Context, f flashState, width int) string {
	if f.msg.Text == "" {
		return ""
	}
	st := ctx.Styles.Flash
	if f.msg.Error {
		st = ctx.Styles.FlashError
	}
	return st.Render(keepRequest(safe(f.msg.Text), safe(f.msg.RequestID), width))
}

// keepRequest fits a message and its request id in width cells: a message
// too long is cut, not its request id, which an agent reads out to the
// provider's support (the message log has both in full).
func keepRequest(text, id string, width int) string {
	if id == "" {
		return ansi.Truncate(text, width, "…")
	}
	suffix := " (request " + id + ")"
	if ansi.StringWidth(suffix) > width/2 {
		suffix = " (request " + ansi.Truncate(id, max(width/4, 8), "…") + ")"
	}
	text = strings.TrimSuffix(text, ".")
	if room := width - ansi.StringWidth(suffix); ansi.StringWidth(text) > room {
		text = ansi.Truncate(text, max(room, 1), "…")
	}
	return text + suffix
}

// errorLine is a screen's one line about a failed read, cut like the
// footer's: never through the request id.
func errorLine(ctx *Context, err error, width int) string {
	text, id := errorParts(ctx, err)
	return ctx.Styles.FlashError.Render(keepRequest(text, id, width))
}
