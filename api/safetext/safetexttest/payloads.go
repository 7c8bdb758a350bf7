// Package safetexttest holds what carddesk's tests throw at it from
// outside — strings carrying every kind of terminal escape, bidi control
// and invisible character, and card numbers — and the checks that say
// whether any of it got through to a screen, a terminal's byte stream, a
// log line or an error message. It is for tests only.
//
// The hostile strings carry markers (SEVJU1Q, DCSMARK…) inside their
// sequences: if a sequence were cut short rather than removed whole, its
// marker would show, and the checks look for every marker.
package safetexttest

import "strings"

// Inject is every class of hostile sequence, in a form that a correct
// cleaner reduces to nothing at all:
//   - OSC 52 clipboard writes, ended by BEL and by ST, an OSC 8 hyperlink
//     and a title change;
//   - the 8-bit (C1) forms of CSI and OSC;
//   - screen clears and cursor moves, one far outside any screen, and a
//     cursor position report request;
//   - DCS, APC, PM and SOS strings;
//   - every bidi embedding, override, isolate and mark;
//   - zero width and other invisible characters;
//   - backspace, DEL, NUL and BEL.
func Inject() string {
	return "\x1b]52;c;SEVJU1Q=\x07" +
		"\x1b]52;c;SEVJU1Q=\x1b\\" +
		"\x1b]8;;https://evil.example/LINKMARK\x07" +
		"\x1b]0;TITLEMARK\x07" +
		"\u009b77;177H" +
		"\u009d52;c;C1MARK\x07" +
		"\x1b[2J\x1b[3J\x1b[H\x1b[10;10H\x1b[77;177H\x1b[6n" +
		"\x1bP1$rDCSMARK\x1b\\" +
		"\x1b_APCMARK\x1b\\" +
		"\x1b^PMMARK\x1b\\" +
		"\x1bXSOSMARK\x1b\\" +
		"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c" +
		"\u200b\u200c\u200d\u2060\ufeff\u00ad" +
		"\b\x7f\x00\x07"
}

// Markers are the texts inside Inject's sequences: none may ever be seen.
func Markers() []string {
	return []string{
		"52;c", "SEVJU1Q", "LINKMARK", "evil.example", "TITLEMARK", "C1MARK", "77;177",
		"DCSMARK", "APCMARK", "PMMARK", "SOSMARK",
	}
}

// Wrap hides Inject in the middle of word and before it, so that once
// cleaned the value reads exactly word: a test that finds word on the
// screen knows the field was drawn, and cleaned.
func Wrap(word string) string {
	mid := len(word) / 2
	for mid > 0 && mid < len(word) && word[mid]&0xc0 == 0x80 {
		mid--
	}
	return Inject() + word[:mid] + Inject() + word[mid:]
}

// Classes lists the hostile sequences one by one, each with the text a
// correct cleaner leaves of "A" + sequence + "B": for table tests.
func Classes() []struct{ Name, Seq string } {
	return []struct{ Name, Seq string }{
		{"OSC 52 with BEL", "\x1b]52;c;SEVJU1Q=\x07"},
		{"OSC 52 with ST", "\x1b]52;c;SEVJU1Q=\x1b\\"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/LINKMARK\x07"},
		{"C1 CSI", "\u009b77;177H"},
		{"C1 OSC", "\u009d52;c;C1MARK\x07"},
		{"erase display", "\x1b[2J"},
		{"cursor home", "\x1b[H"},
		{"cursor position", "\x1b[10;10H"},
		{"DCS", "\x1bP1$rDCSMARK\x1b\\"},
		{"APC", "\x1b_APCMARK\x1b\\"},
		{"PM", "\x1b^PMMARK\x1b\\"},
		{"SOS", "\x1bXSOSMARK\x1b\\"},
		{"bidi override", "\u202e"},
		{"bidi isolate", "\u2066\u2069"},
		{"zero width", "\u200b\u200d\ufeff"},
		{"backspace and DEL", "\b\x7f"},
	}
}

// Join is Inject between every part, for values made of several words.
func Join(parts ...string) string {
	return strings.Join(parts, Inject())
}
