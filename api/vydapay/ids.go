package vydapay

import (
	"fmt"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// maxIDLen bounds an object id; Vydapay's are far shorter.
const maxIDLen = 255

// checkID refuses an id that could not name a Vydapay object, before it
// reaches a URL path. Vydapay ids are letters, digits, '_' and '-'.
func checkID(kind, id string) error {
	if id == "" {
		return fmt.Errorf("%w: %s id is empty", api.ErrInvalid, kind)
	}
	if len(id) > maxIDLen {
		return fmt.Errorf("%w: %s id is longer than %d characters", api.ErrInvalid, kind, maxIDLen)
	}
	if len(id) >= 12 && len(id) <= 19 && digits(id) == id {
		return fmt.Errorf("%w: %s id looks like a card number; find the card by its last four instead", api.ErrInvalid, kind)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("%w: %s id may hold only letters, digits, '_' and '-'", api.ErrInvalid, kind)
		}
	}
	return nil
}

// safeID renders an id for an error message. An agent may paste a card
// number where an id belongs, so in any run of digits (with spaces or
// dashes between them) holding 9 or more digits, all but the last four are
// masked. The result is quoted and bounded.
func safeID(id string) string {
	suffix := ""
	if len(id) > 64 {
		id, suffix = id[:64], "…"
	}
	var b strings.Builder
	for i := 0; i < len(id); {
		j := i
		n := 0
		for j < len(id) && (isDigit(id[j]) || n > 0 && (id[j] == ' ' || id[j] == '-')) {
			if isDigit(id[j]) {
				n++
			}
			j++
		}
		if n == 0 {
			b.WriteByte(id[i])
			i++
			continue
		}
		seen := 0
		for k := i; k < j; k++ {
			if isDigit(id[k]) {
				seen++
				if n >= 9 && seen <= n-4 {
					b.WriteString("•")
					continue
				}
			}
			b.WriteByte(id[k])
		}
		i = j
	}
	return fmt.Sprintf("%q", b.String()+suffix)
}

// clip is how an error quotes a value from outside (a field of a body, a
// header): made safe for a terminal and a log, card numbers masked, and
// cut to 40 characters.
func clip(s string) string { return safetext.Clip(s, 40) }

// shownID is how an error names an object by an id from outside: made safe
// like clip, and long enough for any real id.
func shownID(id string) string { return safetext.Clip(id, 64) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
