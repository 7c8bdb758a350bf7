package live_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// TestIntakeRefusesHostileIDs: an id the relay keeps as a column (the
// event's, its card's, its user's) is checked at intake: a control, an
// escape, a space or an overlong id is a 400 that says which id and what is
// wrong, and nothing of it reaches the file, where an operator's sqlite3
// would print it.
func TestIntakeRefusesHostileIDs(t *testing.T) {
	f := newRelayFixture(t)
	osc52 := "evt_1\x1b]52;c;SEVJU1Q=\x07"
	long := "evt_" + strings.Repeat("a", 200)
	vp := func(id, body string) reply {
		b := []byte(body)
		return f.post(t, http.MethodPost, vaultspay.Provider, vaultspayHeaders(t, f.vpKeys[1:], "msg_"+id, time.Now(), b), b)
	}
	vy := func(body string) reply { return f.postVydapay(t, []byte(body)) }
	tests := []struct {
		name string
		post func() reply
		want string // in the answer
	}{
		{"vydapay event id with OSC 52", func() reply {
			return vy(strings.Replace(string(vydapayBody("X")), `"X"`, `"evt_1\u001b]52;c;SEVJU1Q=\u0007"`, 1))
		}, "event id: character 0x1b at byte 5"},
		{"vaultspay event id with OSC 52", func() reply {
			return vp("1", strings.Replace(string(vaultspayBody("X")), `"X"`, jsonQuote(t, osc52), 1))
		}, "event id: character 0x1b at byte 5"},
		{"event id with a space", func() reply { return vy(string(vydapayBody("evt 2"))) }, "event id: character 0x20 at byte 3"},
		{"event id too long", func() reply { return vy(string(vydapayBody(long))) }, "event id: 204 bytes, at most 128"},
		{"event id not ASCII", func() reply { return vy(string(vydapayBody("evt_é"))) }, "event id: character 0xc3 at byte 4"},
		{"vydapay card id with BEL", func() reply {
			return vy(strings.Replace(string(vydapayBody("evt_6")), `"card_id":"card_9"`, `"card_id":"card_9\u0007"`, 1))
		}, "card id: character 0x07 at byte 6"},
		{"vaultspay user id with CSI", func() reply {
			return vp("7", strings.Replace(string(vaultspayBody("evt_7")), `"user_id":"usr_1"`, `"user_id":"usr_1\u009b2J"`, 1))
		}, "user id: character 0xc2 at byte 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.post()
			if r.Status != http.StatusBadRequest || !strings.Contains(r.Error, tt.want) {
				t.Fatalf("answer %d %q, want 400 with %q", r.Status, r.Error, tt.want)
			}
		})
	}
	if rows := fileRows(t, f.path); len(rows) != 0 {
		t.Fatalf("%d refused events are in the file: %q", len(rows), rows[0].EventID)
	}
	// The same ids, well formed, are stored: the check refuses only what
	// it must.
	for _, r := range []reply{vy(string(vydapayBody("evt_ok-1.a:b"))), vp("8", string(vaultspayBody("evt_ok_2")))} {
		if r.Status != http.StatusOK {
			t.Fatalf("well-formed ids: answer %d %q", r.Status, r.Error)
		}
	}
	if rows := fileRows(t, f.path); len(rows) != 2 {
		t.Fatalf("%d events in the file, want 2", len(rows))
	}
}
