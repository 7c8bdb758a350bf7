package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
		return fmt.Errorf("field %q: got JSON %s, want %s", typ.Field, typ.Value, typ.Type)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated JSON (%d bytes)", size)
	}
	return err
}
