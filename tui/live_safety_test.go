package tui

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/tui/monitor"
)

// sgr matches the colour and attribute sequences the theme itself draws.
func sgr() *regexp.Regexp { return regexp.MustCompile(`\x1b\[[0-9;:]*m`) }

// unsafeRune reports a rune that must never reach the terminal from
// outside: a control (C0, DEL, C1) or a bidi control.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// checkClean fails when out, once the theme's own styling is removed,
// holds anything but printable text and newlines.
func checkClean(t *testing.T, what, out string) {
	t.Helper()
	plain := sgr().ReplaceAllString(out, "")
	if !utf8.ValidString(plain) {
		t.Errorf("%s: invalid UTF-8 reached the screen", what)
	}
	for i, r := range plain {
		if unsafeRune(r) {
			t.Errorf("%s: %U at byte %d reached the screen:\n%q", what, r, i, plain)
			return
		}
	}
}

// hostileEvent is a decline at a merchant named name in a city named city.
func hostileEvent(name, city string) api.Event {
	tx := &api.Transaction{ID: "tx_evil", CardID: "card_evil", Status: api.TxDeclined,
		Amount:   api.Money{Amount: 999, Currency: "GBP"},
		Merchant: api.Merchant{Name: name, City: city, Country: "GB"},
		Decline:  &api.Decline{Reason: api.DeclineSuspectedFraud}, CreatedAt: liveNow()}
	return api.Event{ID: "evt_evil", Type: api.EventTxDeclined, CreatedAt: liveNow(), Transaction: tx}
}

// TestLiveHostileMerchants: merchant names and places are outside input;
// whatever they carry, the Live and Declines views draw plain text, and a
// card number in them is masked.
func TestLiveHostileMerchants(t *testing.T) {
	tests := []struct {
		name, merchant, city string
		want                 string // what is left to read
		gone                 []string
	}{
		{"OSC 52 clipboard write", "\x1b]52;c;ZXZpbA==\x07EVIL SHOP", "London", "EVIL SHOP", []string{"52;c", "ZXZpbA"}},
		{"cursor moves and clear", "\x1b[2J\x1b[1;1HPWNED\x1b[10A", "Leeds", "PWNED", []string{"[2J", "1;1H"}},
		{"title set", "\x1b]0;owned\x1b\\CAFE", "Bath", "CAFE", []string{"owned"}},
		{"bidi override", "\u202eGNIRTS\u202c MART", "\u2066Dubai\u2069", "GNIRTS MART", nil},
		{"8-bit CSI", "\u009b31mRED\u009b0m SHOP", "York", "RED SHOP", []string{"31m"}},
		{"NUL, BEL and newline", "A\x00B\x07C\nD", "Hull\r", "ABC D", nil},
		{"card number in the name", "REFUND 4111 1111 1111 1111 SHOP", "Ely", "•••• 1111 SHOP", []string{"4111 1111"}},
		{"invalid UTF-8", "BAD\xff\xfeNAME", "Ayr", "BAD", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newLiveContext(nil, 0)
			feedLive(ctx, []api.Event{hostileEvent(tt.merchant, tt.city)})
			live := NewLive(ctx).View(ctx, 120, 20)
			declines := NewDeclines(ctx).View(ctx, 120, 30)
			for view, out := range map[string]string{"live": live, "declines": declines} {
				checkClean(t, view, out)
				plain := ansi.Strip(out)
				if !strings.Contains(plain, tt.want) {
					t.Errorf("%s: %q does not show:\n%s", view, tt.want, plain)
				}
				for _, g := range tt.gone {
					if strings.Contains(plain, g) {
						t.Errorf("%s: %q reached the screen:\n%s", view, g, plain)
					}
				}
			}
		})
	}
}

// FuzzLiveRow: a Live row and the Declines lists draw only printable text
// in exactly their cells, whatever the merchant, place and card id carry.
func FuzzLiveRow(f *testing.F) {
	f.Add("SPINNEYS", "Dubai", "AE", "card_123")
	f.Add("\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\u202e", "card_\x1b[31m")
	f.Add("4111-1111-1111-1111", "\u009b1m", "\x00", "")
	f.Add(strings.Repeat("W", 300), "日本語の街", "🇯🇵", strings.Repeat("c", 200))
	f.Add("\xff\xfe", "\t\r\n", "\x7f", "\u2066card\u2069")
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;"+strings.Repeat("A", 104)+"\x07"+"4929 5801 7316 0424", "4929\u200b5801\u200b7316\u200b0424", "\u2066AE\u2069", "card_\u009b2J")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f", "\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f", "\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f", "\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Fuzz(func(t *testing.T, name, city, country, cardID string) {
		ctx := newLiveContext(nil, 0)
		ev := hostileEvent(name, city)
		ev.Transaction.Merchant.Country = country
		ev.Transaction.CardID = cardID
		feedLive(ctx, []api.Event{ev, {ID: "evt_c", Type: api.EventCardFrozen, CreatedAt: liveNow(),
			Card: &api.Card{ID: cardID, LastFour: name, Status: api.CardStatus(city)}}})
		s := NewLive(ctx)
		s.Update(ctx, EventsMsg{})
		for _, size := range [][2]int{{80, 10}, {120, 12}} {
			for view, out := range map[string]string{
				"live":     s.View(ctx, size[0], size[1]),
				"declines": NewDeclines(ctx).View(ctx, size[0], size[1]+12),
			} {
				checkClean(t, view, out)
				for i, l := range strings.Split(out, "\n") {
					if w := ansi.StringWidth(l); w != size[0] {
						t.Fatalf("%s %v: line %d is %d cells wide:\n%q", view, size, i, w, l)
					}
				}
			}
		}
		if row := s.row(monitor.Row{Tx: ev.Transaction, CardID: cardID, Type: api.EventTxDeclined}); len(row.Cells) != len(liveColumns()) {
			t.Fatalf("a row has %d cells for %d columns", len(row.Cells), len(liveColumns()))
		}
	})
}
