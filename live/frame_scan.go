package live

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// jsonScanner reads JSON text in one pass. The stream client decodes every
// record of every frame, and encoding/json scans each value about three
// times (a validity check, the decode, and a skip for each raw event):
// this is the client's hot path. What the scanner accepts is exactly what
// json.Valid accepts, and a value it decodes equals what encoding/json
// decodes (both are checked by fuzz targets).
type jsonScanner struct {
	data []byte
	pos  int
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

var errJSONType = errors.New("wrong JSON type")

func (s *jsonScanner) syntax(what string) error {
	return fmt.Errorf("offset %d: %s", s.pos, what)
}

func (s *jsonScanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, 0 at the end.
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// end checks that only whitespace is left.
func (s *jsonScanner) end() error {
	s.ws()
	if s.pos < len(s.data) {
		return s.syntax("data after the value")
	}
	return nil
}

// skip validates the value at pos and moves past it; depth is the number
// of objects and arrays around it.
func (s *jsonScanner) skip(depth int) error {
	switch c := s.peek(); {
	case c == '{':
		return s.object(depth+1, func([]byte) error { return s.skip(depth + 1) })
	case c == '[':
		return s.array(depth+1, func() error { return s.skip(depth + 1) })
	case c == '"':
		_, _, err := s.strSpan()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := s.number()
		return err
	case c == 0 && s.pos >= len(s.data):
		return s.syntax("unexpected end of JSON")
	}
	return s.syntax("invalid character")
}

// object reads an object, calling field for each key with pos at its value;
// field must consume the value. The key is unescaped.
func (s *jsonScanner) object(depth int, field func(key []byte) error) error {
	if depth > maxJSONDepth {
		return s.syntax("exceeded max depth")
	}
	s.pos++ // '{'
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.syntax("want an object key")
		}
		raw, simple, err := s.str()
		if err != nil {
			return err
		}
		key := raw
		if !simple {
			key = unquoteJSON(raw)
		}
		if s.peek() != ':' {
			return s.syntax("want ':' after an object key")
		}
		s.pos++
		if err := field(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.syntax("want ',' or '}' in an object")
		}
	}
}

// array reads an array, calling elem with pos at each element.
func (s *jsonScanner) array(depth int, elem func() error) error {
	if depth > maxJSONDepth {
		return s.syntax("exceeded max depth")
	}
	s.pos++ // '['
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.syntax("want ',' or ']' in an array")
		}
	}
}

func (s *jsonScanner) literal(lit string) error {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(lit)) {
		return s.syntax("invalid literal")
	}
	s.pos += len(lit)
	return nil
}

// null consumes a null literal if one is next.
func (s *jsonScanner) null() bool {
	if s.peek() == 'n' && s.literal("null") == nil {
		return true
	}
	return false
}

// str reads a string with pos at its opening quote. raw is its content,
// still escaped; simple says raw needs no unquoting (no escape and valid
// UTF-8).
func (s *jsonScanner) str() (raw []byte, simple bool, err error) {
	raw, escaped, err := s.strSpan()
	if err != nil {
		return nil, false, err
	}
	return raw, !escaped && utf8.Valid(raw), nil
}

// strSpan validates a string with pos at its opening quote and moves past
// it. It works on locals: this loop is where the client spends its time.
func (s *jsonScanner) strSpan() (raw []byte, escaped bool, err error) {
	d := s.data
	start := s.pos + 1
	i := start
	for {
		for i < len(d) {
			if c := d[i]; c < 0x20 || c == '"' || c == '\\' {
				break
			}
			i++
		}
		if i >= len(d) {
			s.pos = i
			return nil, false, s.syntax("unexpected end of JSON in a string")
		}
		switch d[i] {
		case '"':
			s.pos = i + 1
			return d[start:i], escaped, nil
		case '\\':
			escaped = true
			i++
			if i >= len(d) {
				s.pos = i
				return nil, false, s.syntax("unexpected end of JSON in a string")
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+4 >= len(d) || hex4(d[i+1:i+5]) < 0 {
					s.pos = i
					return nil, false, s.syntax("invalid \\u escape")
				}
				i += 5
			default:
				s.pos = i
				return nil, false, s.syntax("invalid escape")
			}
		default:
			s.pos = i
			return nil, false, s.syntax("control character in a string")
		}
	}
}

// number reads a number literal by the JSON grammar.
func (s *jsonScanner) number() ([]byte, error) {
	start := s.pos
	d := s.data
	if d[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(d) && d[s.pos] == '0':
		s.pos++
	case s.pos < len(d) && d[s.pos] >= '1' && d[s.pos] <= '9':
		s.digits()
	default:
		return nil, s.syntax("invalid number")
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return nil, s.syntax("invalid number")
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return nil, s.syntax("invalid number")
		}
	}
	return d[start:s.pos], nil
}

func (s *jsonScanner) digits() int {
	n := 0
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}
