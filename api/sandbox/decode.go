package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// decodeBody decodes a JSON object into dst, a pointer to a wire struct.
// It checks the body's shape against dst first, so that an unknown field
// or a wrong type is reported with its full path ("spending_limit.amount")
// rather than the standard library's partial one. An empty body is {}.
func decodeBody(body []byte, dst any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return errInvalid(codeBodyInvalid, "", "The request body is not valid JSON: %s.", describeJSON(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errInvalid(codeBodyInvalid, "", "The request body has data after its JSON value.")
	}
	if _, ok := v.(map[string]any); !ok {
		return errInvalid(codeBodyInvalid, "", "The request body must be a JSON object.")
	}
	if e := checkShape(v, reflect.TypeOf(dst).Elem(), ""); e != nil {
		return e
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errInvalid(codeParamInvalid, te.Field, "Invalid value for parameter %s.", te.Field)
		}
		return errInvalid(codeBodyInvalid, "", "The request body could not be decoded.")
	}
	return nil
}

func describeJSON(err error) string {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of input"
	}
	return "malformed input"
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonKind names the JSON type of a decoded value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

func wrongType(path, want string, v any) *apiError {
	return errInvalid(codeParamInvalid, path, "Invalid type for parameter %s: expected %s, got %s.", path, want, jsonKind(v))
}

// checkShape walks a decoded JSON value against the Go type it will be
// decoded into. null is accepted anywhere (it means "absent").
func checkShape(v any, t reflect.Type, path string) *apiError {
	if v == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongType(path, "an object", v)
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				return errInvalid(codeParamUnknown, joinPath(path, k), "Received unknown parameter: %s.", joinPath(path, clip(k, 64)))
			}
			if e := checkShape(obj[k], ft, joinPath(path, k)); e != nil {
				return e
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongType(path, "an object", v)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if e := checkShape(obj[k], t.Elem(), joinPath(path, k)); e != nil {
				return e
			}
			if obj[k] == nil {
				return wrongType(joinPath(path, k), "a string", nil)
			}
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return wrongType(path, "an array", v)
		}
		for i, item := range arr {
			p := path + "[" + strconv.Itoa(i) + "]"
			if item == nil {
				return wrongType(p, "a string", nil)
			}
			if e := checkShape(item, t.Elem(), p); e != nil {
				return e
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrongType(path, "a string", v)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrongType(path, "a boolean", v)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(path, "an integer", v)
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || t.Kind() == reflect.Int32 && (i > math.MaxInt32 || i < math.MinInt32) {
			return errInvalid(codeParamInvalid, path, "Invalid value for parameter %s: expected an integer in range.", path)
		}
	}
	return nil
}

// jsonFields maps a struct's JSON names to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
