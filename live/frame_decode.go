package live

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/carddesk/carddesk/api/safetext"
)

// The stream's frames, decoded with jsonScanner: the frame object, its
// records, and the typed values in them, each as encoding/json would
// decode it into frame.

var frameKeys = []string{"type", "events", "seq", "message", "epoch"}

func (s *jsonScanner) frame(f *frame) error {
	if s.peek() != '{' {
		return s.wrongType("an object")
	}
	var seen uint8
	return s.object(1, func(key []byte) error {
		k := matchKey(key, frameKeys)
		if k < 0 {
			return s.skip(1)
		}
		if seen&(1<<k) != 0 {
			return fmt.Errorf("key %q given twice", key)
		}
		seen |= 1 << k
		switch k {
		case 0:
			return s.stringInto(&f.Type)
		case 1:
			return s.records(&f.Events)
		case 2:
			if s.null() {
				f.Seq = nil
				return nil
			}
			var n uint64
			if err := s.uintInto(&n); err != nil {
				return err
			}
			f.Seq = &n
			return nil
		case 3:
			return s.stringInto(&f.Message)
		default:
			return s.stringInto(&f.Epoch)
		}
	})
}

func (s *jsonScanner) records(dst *[]Record) error {
	switch c := s.peek(); {
	case c == '[':
		recs := []Record{}
		err := s.array(2, func() error {
			recs = append(recs, Record{})
			return s.record(&recs[len(recs)-1])
		})
		*dst = recs
		return err
	case s.null():
		*dst = nil
		return nil
	}
	return s.wrongType("an array")
}

var recordKeys = []string{"seq", "provider", "event_id", "type", "card_id", "user_id", "occurred_at", "received_at", "event"}

func (s *jsonScanner) record(r *Record) error {
	if s.null() {
		return nil
	}
	if s.peek() != '{' {
		return s.wrongType("an object")
	}
	var seen uint16
	return s.object(3, func(key []byte) error {
		k := matchKey(key, recordKeys)
		if k < 0 {
			return s.skip(3)
		}
		if seen&(1<<k) != 0 {
			return fmt.Errorf("key %q given twice", key)
		}
		seen |= 1 << k
		switch k {
		case 0:
			return s.uintInto(&r.Seq)
		case 1:
			return s.stringInto(&r.Provider)
		case 2:
			return s.stringInto(&r.EventID)
		case 3:
			return s.stringInto((*string)(&r.Type))
		case 4:
			return s.stringInto(&r.CardID)
		case 5:
			return s.stringInto(&r.UserID)
		case 6, 7:
			raw, err := s.rawValue(3)
			if err != nil {
				return err
			}
			t := &r.OccurredAt
			if k == 7 {
				t = &r.ReceivedAt
			}
			// null leaves it alone, as in encoding/json. time's error quotes
			// the value, which may hold anything: it is not passed on.
			if t.UnmarshalJSON(raw) != nil {
				return fmt.Errorf("%s is not an RFC 3339 time", recordKeys[k])
			}
			return nil
		default:
			raw, err := s.rawValue(3)
			if err != nil {
				return err
			}
			r.Event = bytes.Clone(raw)
			return nil
		}
	})
}

// matchKey finds key in names as encoding/json matches a field name:
// exactly, else case-insensitively.
func matchKey(key []byte, names []string) int {
	for i, n := range names {
		if string(key) == n {
			return i
		}
	}
	for i, n := range names {
		if bytes.EqualFold(key, []byte(n)) {
			return i
		}
	}
	return -1
}

// stringInto decodes a string value into dst as encoding/json does for a
// string field: null leaves dst alone, another type is an error.
func (s *jsonScanner) stringInto(dst *string) error {
	switch c := s.peek(); {
	case c == '"':
		raw, simple, err := s.str()
		if err != nil {
			return err
		}
		if simple {
			*dst = string(raw)
		} else {
			*dst = string(unquoteJSON(raw))
		}
		return nil
	case s.null():
		return nil
	}
	return s.wrongType("a string")
}

// uintInto decodes an unsigned integer as encoding/json does for a uint64
// field: null leaves dst alone.
func (s *jsonScanner) uintInto(dst *uint64) error {
	switch c := s.peek(); {
	case c == '-' || (c >= '0' && c <= '9'):
		lit, err := s.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseUint(string(lit), 10, 64)
		if err != nil {
			return fmt.Errorf("%w: %s is not a sequence number", errJSONType, safetext.Clip(string(lit), 32))
		}
		*dst = n
		return nil
	case s.null():
		return nil
	}
	return s.wrongType("a number")
}

// rawValue returns the next value's text, validated.
func (s *jsonScanner) rawValue(depth int) ([]byte, error) {
	s.ws()
	start := s.pos
	if err := s.skip(depth); err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

// wrongType reports a valid value of the wrong type: the value is checked
// first so that a syntax error is reported as one.
func (s *jsonScanner) wrongType(want string) error {
	if err := s.skip(0); err != nil {
		return err
	}
	return fmt.Errorf("%w: want %s", errJSONType, want)
}
