package live

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api/safetext"
)

// The body a record keeps is read outside the dashboard too: by an
// operator running sqlite3 on the store, by whatever tails the stream. So
// before it is stored every JSON string in it (keys and values, of the
// normalised event and of the provider's payload) has its card numbers
// masked as safetext.MaskPANs masks them, and characters a terminal acts
// on that JSON allows raw (DEL, the C1 controls, invalid UTF-8) are
// written as \u escapes, which decode to the same text. Three things are
// left alone, because the dashboard needs them exact: ids (the values of
// "id" and "…_id" keys, which look objects up), numbers (amounts), and the
// document's shape. A card number written as a JSON number is therefore
// not masked: changing it would change its type.

// minPANDigits is the fewest digits a string needs before it is worth
// decoding and masking: a card number has at least 13.
const minPANDigits = 13

// errMaskShape marks a body the masker cannot walk: not the JSON NewRecord
// produces.
var errMaskShape = errors.New("event body is not a JSON document")

// maskStored returns body as it is stored: its strings masked and made
// inert as described above. body must be valid JSON; it is returned
// itself when nothing in it changes.
func maskStored(body []byte) ([]byte, error) {
	var (
		out  []byte // nil until the first change
		last int    // body[:last] is already in out
		// keys[d] is the key whose value is being read at depth d, obj[d]
		// whether depth d is an object; the arrays hold an event's depth.
		keyBuf [16][]byte
		objBuf [16]bool
		keys   = keyBuf[:0]
		obj    = objBuf[:0]
		// key says the next string is an object's key.
		key bool
	)
	for i := 0; i < len(body); {
		switch c := body[i]; c {
		case '{', '[':
			var parent []byte
			if n := len(keys); n > 0 {
				parent = keys[n-1]
			}
			// An array's strings belong to the key that holds the array.
			keys, obj = append(keys, parent), append(obj, c == '{')
			key = c == '{'
			i++
		case '}', ']':
			if len(obj) == 0 {
				return nil, errMaskShape
			}
			keys, obj = keys[:len(keys)-1], obj[:len(obj)-1]
			key = false
			i++
		case ',':
			key = len(obj) > 0 && obj[len(obj)-1]
			i++
		case ':':
			key = false
			i++
		case '"':
			end := stringEnd(body, i)
			if end < 0 {
				return nil, errMaskShape
			}
			raw := body[i+1 : end-1]
			isKey := key && len(obj) > 0 && obj[len(obj)-1]
			if isKey {
				keys[len(keys)-1] = keyText(raw)
			}
			isID := !isKey && len(keys) > 0 && idKey(keys[len(keys)-1])
			if worthMasking(raw) {
				text := decodeJSONString(raw)
				stored := text
				if !isID {
					stored = safetext.MaskPANs(text)
				}
				if stored != text || !inert(raw) {
					out = append(out, body[last:i]...)
					out = appendJSONString(out, stored)
					last = end
				}
			}
			i = end
		default:
			i++
		}
	}
	if len(obj) != 0 {
		return nil, errMaskShape
	}
	if out == nil {
		return body, nil
	}
	return append(out, body[last:]...), nil
}

// stringEnd is the index just after the string literal that starts at
// body[start], or -1 if it does not end.
func stringEnd(body []byte, start int) int {
	for i := start + 1; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// decodeJSONString is the text of a string literal's contents.
func decodeJSONString(raw []byte) string {
	for _, c := range raw {
		if c == '\\' || c >= utf8.RuneSelf {
			return string(unquoteJSON(raw))
		}
	}
	return string(raw)
}

// keyText is a key's text, for idKey: the literal itself unless it has
// escapes.
func keyText(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	return unquoteJSON(raw)
}

// idKey says whether a key's values are ids: "id" or "…_id".
func idKey(k []byte) bool {
	return string(k) == "id" || bytes.HasSuffix(k, []byte("_id"))
}

// worthMasking says whether a literal's contents may need a change: a run
// of at least minPANDigits ASCII digits (joined, as card numbers are
// written, by single spaces or dashes), or anything beyond printable
// ASCII (escapes, non-ASCII digits and separators, C1 controls), which the
// slow path decodes and looks at properly.
func worthMasking(raw []byte) bool {
	run := 0
	for i, c := range raw {
		switch {
		case c == '\\' || c >= utf8.RuneSelf || c == 0x7f:
			return true
		case '0' <= c && c <= '9':
			if run++; run >= minPANDigits {
				return true
			}
		case (c == ' ' || c == '-') && run > 0 && i+1 < len(raw) && '0' <= raw[i+1] && raw[i+1] <= '9':
		default:
			run = 0
		}
	}
	return false
}

// inert says whether a literal's contents, written as they are, hold
// nothing a terminal would act on: no DEL, no C1 control, valid UTF-8.
// (JSON already forbids raw C0 controls.)
func inert(raw []byte) bool {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 || r >= 0x80 && r <= 0x9f {
			return false
		}
		i += size
	}
	return true
}
