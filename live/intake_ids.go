package live

import (
	"fmt"

	"github.com/carddesk/carddesk/api"
)

// MaxIDLen bounds an id the relay keeps as a column of its store.
const MaxIDLen = 128

// checkIDs says what is wrong with the ids of ev that the relay keeps as
// columns (the event's, its card's, its user's), or "" when they are fit to
// keep. The store is read by operators with sqlite3 and its columns are
// indexed and compared: an id is ASCII letters, digits and _ - . : only, at
// most MaxIDLen bytes, so that nothing in it can act on a terminal or
// pass for another id. Ids are not masked: they must stay what the
// provider calls the object.
func checkIDs(ev api.Event) string {
	for _, id := range []struct{ field, value string }{
		{"event id", ev.ID},
		{"card id", ev.CardID()},
		{"user id", ev.UserID()},
	} {
		if msg := checkID(id.field, id.value); msg != "" {
			return msg
		}
	}
	return ""
}

// checkID checks one id; an empty one is absent, which is the dialect's to
// refuse where it must not be.
func checkID(field, id string) string {
	for i := 0; i < len(id); i++ {
		if !idByte(id[i]) {
			return fmt.Sprintf("%s: character 0x%02x at byte %d is not allowed (letters, digits and _ - . : only)", field, id[i], i)
		}
	}
	if len(id) > MaxIDLen {
		return fmt.Sprintf("%s: %d bytes, at most %d", field, len(id), MaxIDLen)
	}
	return ""
}

func idByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '_' || c == '-' || c == '.' || c == ':'
}
