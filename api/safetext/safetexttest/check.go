package safetexttest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The checks return what got through, one sentence each; none means
// nothing did. They are written apart from the code under test.

// Plain checks text meant to hold no escape at all (an error message, a
// log line, a screen once its own styling is removed): no control
// character but the line break, no DEL, no C1 control, no bidi control,
// no invisible character, no invalid UTF-8, and no marker of Inject.
func Plain(s string) []string {
	return append(Controls(s), markers(s)...)
}

// Controls is Plain without the markers: for text that may keep the
// harmless remains of a sequence whose ESC was turned into a space.
func Controls(s string) []string {
	var probs []string
	if !utf8.ValidString(s) {
		probs = append(probs, "invalid UTF-8")
	}
	rs := []rune(s)
	at := 0
	for i, r := range rs {
		what := badRune(r)
		if (r == 0x200c || r == 0x200d) && i > 0 && i < len(rs)-1 && joinable(rs[i-1]) && joinable(rs[i+1]) {
			what = "" // a joiner inside an emoji sequence or a word of a script that needs it
		}
		if what != "" && r != '\n' {
			probs = append(probs, fmt.Sprintf("%s (%U) at byte %d", what, r, at))
		}
		at += utf8.RuneLen(r)
	}
	return probs
}

// joinable reports whether a zero width joiner or non-joiner next to r may
// be doing its job: r is visible, not ASCII, and not a digit.
func joinable(r rune) bool {
	return r >= 0xa0 && r != utf8.RuneError && badRune(r) == "" && !unicode.IsDigit(r) && !unicode.Is(unicode.Cf, r)
}

// Styled is Plain for text that may also hold SGR sequences (colours and
// attributes, ESC [ … m), as a view draws them, and nothing else.
func Styled(s string) []string {
	var plain strings.Builder
	var probs []string
	for i := 0; i < len(s); {
		if s[i] != 0x1b {
			plain.WriteByte(s[i])
			i++
			continue
		}
		seq := scanEscape(s[i:])
		if seq.kind != 'c' || seq.final != 'm' || seq.prefix != 0 || seq.inter != "" {
			probs = append(probs, fmt.Sprintf("escape sequence %q in a view", seq.raw))
		}
		i += len(seq.raw)
	}
	return append(probs, Plain(plain.String())...)
}

// Terminal checks the bytes a Bubble Tea program wrote to a width × height
// terminal. Only the renderer's own sequences may be there: SGR, cursor
// moves inside the screen, reverse index, erasing, the modes and keyboard
// protocol it sets, its window title (carddesk) and its background colour
// query. Text
// between them must pass Plain, but for the carriage returns the renderer
// moves with.
func Terminal(out []byte, width, height int) []string {
	s := string(out)
	var probs []string
	var text strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == 0x1b:
			seq := scanEscape(s[i:])
			if why := rendererSeq(seq, width, height); why != "" {
				probs = append(probs, fmt.Sprintf("%s: %q", why, seq.raw))
			}
			text.WriteByte('\n')
			i += len(seq.raw)
		case c == '\r':
			text.WriteByte('\n')
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				probs = append(probs, fmt.Sprintf("invalid UTF-8 byte %#x", c))
			} else {
				text.WriteString(s[i : i+size])
			}
			i += size
		}
	}
	return append(probs, Plain(text.String())...)
}

// badRune names what r is if it must not reach a terminal from outside.
func badRune(r rune) string {
	switch {
	case r == 0x1b:
		return "ESC"
	case r < 0x20 || r == 0x7f:
		return "control character"
	case r >= 0x80 && r <= 0x9f:
		return "C1 control"
	case r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
		return "bidi control"
	case r == 0x200b || r == 0x200c || r == 0x200d || r == 0x2060 || r == 0xfeff || r == 0x00ad:
		return "invisible character"
	}
	return ""
}

func markers(s string) []string {
	var probs []string
	for _, m := range Markers() {
		if strings.Contains(s, m) {
			probs = append(probs, fmt.Sprintf("marker %q of a hostile sequence", m))
		}
	}
	return probs
}

// escapeSeq is one escape sequence: kind 'c' (CSI), 'o' (OSC), 's' (DCS,
// SOS, PM or APC string) or 'e' (any other ESC sequence).
type escapeSeq struct {
	raw    string
	kind   byte
	prefix byte   // a CSI's private marker: < = > ?
	params string // a CSI's parameters after the marker; an OSC's body
	inter  string
	final  byte
}

// scanEscape reads the sequence at the start of s, which begins with ESC,
// as ECMA-48 delimits it; an unterminated one runs to the end of s.
func scanEscape(s string) escapeSeq {
	if len(s) < 2 {
		return escapeSeq{raw: s, kind: 'e'}
	}
	switch s[1] {
	case '[':
		seq := escapeSeq{kind: 'c'}
		i := 2
		if i < len(s) && strings.IndexByte("<=>?", s[i]) >= 0 {
			seq.prefix = s[i]
			i++
		}
		start := i
		for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
			i++
		}
		seq.params = s[start:i]
		start = i
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		seq.inter = s[start:i]
		if i < len(s) {
			seq.final = s[i]
			i++
		}
		seq.raw = s[:i]
		return seq
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return escapeSeq{raw: s[:i+1], kind: 'o', params: s[2:i]}
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return escapeSeq{raw: s[:i+2], kind: 'o', params: s[2:i]}
			}
		}
		return escapeSeq{raw: s, kind: 'o', params: s[2:]}
	case 'P', 'X', '^', '_':
		if end := strings.Index(s[2:], "\x1b\\"); end >= 0 {
			return escapeSeq{raw: s[:end+4], kind: 's'}
		}
		return escapeSeq{raw: s, kind: 's'}
	}
	i := 1
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) {
		i++
	}
	return escapeSeq{raw: s[:i], kind: 'e', final: s[i-1]}
}

// rendererSeq says why seq is not one the renderer itself writes, or "".
func rendererSeq(seq escapeSeq, width, height int) string {
	switch seq.kind {
	case 's':
		return "DCS, SOS, PM or APC string"
	case 'o':
		num, body, _ := strings.Cut(seq.params, ";")
		switch {
		case (num == "0" || num == "2") && (body == "" || body == "carddesk"):
			return ""
		case num == "11" && body == "?":
			return ""
		}
		return "OSC sequence"
	case 'e':
		if seq.raw == "\x1bM" { // reverse index: the renderer scrolls with it
			return ""
		}
		return "escape sequence"
	}
	nums := csiNumbers(seq.params)
	arg := func(i, def int) int {
		if i < len(nums) && nums[i] > 0 {
			return nums[i]
		}
		return def
	}
	switch {
	case seq.final == 'm' && seq.inter == "" && (seq.prefix == 0 || seq.prefix == '>'):
		return ""
	case seq.prefix == '?' && (seq.final == 'h' || seq.final == 'l') && seq.inter == "":
		return ""
	case seq.prefix == '?' && seq.final == 'p' && seq.inter == "$":
		return ""
	case seq.prefix != 0 && seq.final == 'u' && seq.inter == "":
		return ""
	case seq.prefix != 0 || seq.inter != "" || nums == nil:
		return "control sequence the renderer does not write"
	}
	switch seq.final {
	case 'H', 'f':
		if arg(0, 1) > height || arg(1, 1) > width {
			return "cursor moved off the screen"
		}
	case 'G', '`', 'X', '@', 'P':
		if arg(0, 1) > width {
			return "column or count beyond the screen"
		}
	case 'd', 'L', 'M', 'S', 'T':
		if arg(0, 1) > height {
			return "row or count beyond the screen"
		}
	case 'A', 'B', 'C', 'D', 'E', 'F':
		if arg(0, 1) > max(width, height) {
			return "cursor moved beyond the screen"
		}
	case 'J':
		if arg(0, 0) > 2 {
			return "scrollback erased"
		}
	case 'K':
		if arg(0, 0) > 2 {
			return "unknown line erase"
		}
	case 'r':
		if arg(0, 1) > height || arg(1, height) > height {
			return "scroll region beyond the screen"
		}
	default:
		return "control sequence the renderer does not write"
	}
	return ""
}

// csiNumbers reads a CSI's numeric parameters (empty ones are 0); nil when
// they are not all numbers.
func csiNumbers(params string) []int {
	nums := []int{}
	if params == "" {
		return nums
	}
	for _, p := range strings.Split(params, ";") {
		if p == "" {
			nums = append(nums, 0)
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil
		}
		nums = append(nums, n)
	}
	return nums
}

// CardNumbers reports every planted card number (as PAN writes them) whose
// hidden digits show in s, and any other card number FindPAN sees there.
func CardNumbers(s string, planted []string) []string {
	var probs []string
	for _, pan := range planted {
		for _, h := range Hidden(pan) {
			if strings.Contains(s, h) {
				probs = append(probs, fmt.Sprintf("card number %s shows as %q", LastFour(pan), h))
				break
			}
		}
	}
	if pan := FindPAN(s); pan != "" {
		probs = append(probs, fmt.Sprintf("card number %s…%s unmasked", pan[:4], pan[len(pan)-4:]))
	}
	return probs
}
