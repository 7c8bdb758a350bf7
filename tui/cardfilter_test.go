package tui

import (
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestParseCardQuery(t *testing.T) {
	tests := []struct {
		in      string
		want    CardQuery
		wantErr string
	}{
		{"", CardQuery{}, ""},
		{"status:frozen type:virtual user:usr_123 4821",
			CardQuery{Status: api.CardFrozen, Type: api.CardVirtual, UserID: "usr_123", LastFour: "4821"}, ""},
		{"  4821  ", CardQuery{LastFour: "4821"}, ""},
		{"frozen physical", CardQuery{Status: api.CardFrozen, Type: api.CardPhysical}, ""},
		{"STATUS:Cancelled", CardQuery{Status: api.CardTerminated}, ""},
		{"s:active t:virtual u:ch_9", CardQuery{Status: api.CardActive, Type: api.CardVirtual, UserID: "ch_9"}, ""},
		{"status:lost", CardQuery{}, `filter status "lost": want inactive, active, frozen or terminated`},
		{"type:plastic", CardQuery{}, `filter type "plastic"`},
		{"user:", CardQuery{}, `filter user ""`},
		{"user:a/b", CardQuery{}, `filter user "a/b"`},
		{"482", CardQuery{}, `filter term "482"`},
		{"48211", CardQuery{}, `filter term "48211"`},
		{"colour:red", CardQuery{}, `filter term "colour:red"`},
		{"frozen status:active", CardQuery{}, "status given twice"},
		{"4821 1234", CardQuery{}, "last four given twice"},
		{"user:" + strings.Repeat("x", 65), CardQuery{}, "want a user id"},
		{"\xff", CardQuery{}, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCardQuery(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCardQuery(%q) = %+v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseCardQuery(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

// FuzzParseCardQuery: never a panic; a parsed query only holds valid
// values, and its String parses back to itself.
func FuzzParseCardQuery(f *testing.F) {
	for _, s := range []string{"", "status:frozen type:virtual user:usr_123 4821", "4821", "frozen", "virtual",
		"status:", "user:a b", "::::", "status:frozen status:frozen", "\x1b[2J", "４８２１", "user:usr_\u202e"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Add("user:" + "4929580173160424")
	f.Add("4929 5801 7316 0424")
	f.Fuzz(func(t *testing.T, in string) {
		q, err := ParseCardQuery(in)
		if err != nil {
			return
		}
		switch q.Status {
		case "", api.CardInactive, api.CardActive, api.CardFrozen, api.CardTerminated:
		default:
			t.Fatalf("status %q", q.Status)
		}
		switch q.Type {
		case "", api.CardVirtual, api.CardPhysical:
		default:
			t.Fatalf("type %q", q.Type)
		}
		if q.LastFour != "" && !isLastFour(q.LastFour) {
			t.Fatalf("last four %q", q.LastFour)
		}
		if q.UserID != "" && userID(q.UserID) == "" {
			t.Fatalf("user %q", q.UserID)
		}
		again, err := ParseCardQuery(q.String())
		if err != nil || again != q {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", q.String(), again, err, q)
		}
	})
}
