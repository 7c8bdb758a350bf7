package live

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// Frames are encoded by hand into a reused buffer: the stream writes every
// record once per subscriber, and encoding/json would re-validate and copy
// each record's event JSON every time. The output is what encoding/json
// gives for the same values, except that no HTML characters are escaped.

// appendEventsHead starts an events frame; records follow, separated by
// commas, and appendEventsTail ends it.
func appendEventsHead(b []byte) []byte {
	return append(b, `{"type":"events","events":[`...)
}

func appendEventsTail(b []byte) []byte {
	return append(b, "]}"...)
}

// appendSeqFrame encodes a live or behind frame.
func appendSeqFrame(b []byte, typ string, seq uint64) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	return append(b, '}')
}

// appendResetFrame encodes a reset frame: the stream that follows starts
// at seq 0 of the store whose epoch it names.
func appendResetFrame(b []byte, epoch, message string) []byte {
	b = append(b, `{"type":"reset","seq":0,"epoch":`...)
	b = appendJSONString(b, epoch)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, message)
	return append(b, '}')
}

// appendErrorFrame encodes an error frame.
func appendErrorFrame(b []byte, message string) []byte {
	b = append(b, `{"type":"error","message":`...)
	b = appendJSONString(b, message)
	return append(b, '}')
}

// appendRecord encodes r as encoding/json would. r.Event is written as is:
// it was produced by json.Marshal at intake (NewRecord), so it is valid.
func appendRecord(b []byte, r *Record) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b = append(b, `,"provider":`...)
	b = appendJSONString(b, r.Provider)
	b = append(b, `,"event_id":`...)
	b = appendJSONString(b, r.EventID)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(r.Type))
	if r.CardID != "" {
		b = append(b, `,"card_id":`...)
		b = appendJSONString(b, r.CardID)
	}
	if r.UserID != "" {
		b = append(b, `,"user_id":`...)
		b = appendJSONString(b, r.UserID)
	}
	b = append(b, `,"occurred_at":`...)
	b = appendJSONTime(b, r.OccurredAt)
	b = append(b, `,"received_at":`...)
	b = appendJSONTime(b, r.ReceivedAt)
	b = append(b, `,"event":`...)
	if len(r.Event) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, r.Event...)
	}
	return append(b, '}')
}

func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped as encoding/json does. DEL and the C1 controls, which
// encoding/json writes raw, are escaped too (they read back the same), so
// that no terminal showing the JSON acts on them.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		case r >= 0x80 && r <= 0x9f:
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
