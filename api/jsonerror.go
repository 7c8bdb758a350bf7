package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DescribeJSON says where and how decoding size bytes of JSON failed,
// without quoting any of it: a body may hold a card number.
func DescribeJSON(err error, size int) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		if syn.Offset >= int64(size) {
			return fmt.Errorf("truncated JSON (%d bytes)", size)
		}
		return fmt.Errorf("malformed JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("field %q: got JSON %s, want %s", typ.Field, JSONKind(typ), typ.Type)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated JSON (%d bytes)", size)
	}
	return err
}

// JSONKind is the kind of JSON value a type error met ("number", "string",
// "object"…) without the value itself: encoding/json puts a number that
// does not fit its field ("number 4111111111111111") in the error, and
// that number may be a card number.
func JSONKind(typ *json.UnmarshalTypeError) string {
	kind, _, _ := strings.Cut(typ.Value, " ")
	return kind
}
