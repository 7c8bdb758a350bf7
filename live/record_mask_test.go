package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api/safetext"
)

func TestMaskStored(t *testing.T) {
	const pan, shown = "4111111111111111", "•••• 1111"
	tests := []struct {
		name, in, want string
	}{
		{"nothing to mask is kept as it is", `{"a": [1, "x", {"b": null}] , "when":"2026-12-08T00:17:52.123456789Z"}`,
			`{"a": [1, "x", {"b": null}] , "when":"2026-12-08T00:17:52.123456789Z"}`},
		{"a value", `{"name":"PRET ` + pan + `"}`, `{"name":"PRET ` + shown + `"}`},
		{"spaced and dashed", `["4111 1111 1111 1111","4111-1111-1111-1111"]`, `["` + shown + `","` + shown + `"]`},
		{"a key", `{"` + pan + `":"x"}`, `{"` + shown + `":"x"}`},
		{"escaped digits", `{"n":"\u0034111111111111111"}`, `{"n":"` + shown + `"}`},
		{"numbers are kept", `{"amount":4111111111111111,"ms":1765000000000}`, `{"amount":4111111111111111,"ms":1765000000000}`},
		{"ids are kept", `{"id":"` + pan + `","card_id":"card_` + pan + `","x":{"id":"` + pan + `"}}`,
			`{"id":"` + pan + `","card_id":"card_` + pan + `","x":{"id":"` + pan + `"}}`},
		{"the key of an id is not an id", `{"` + pan + `_id":"` + pan + `"}`, `{"` + shown + `_id":"` + pan + `"}`},
		{"after an id the next value is not one", `{"id":"` + pan + `","note":"` + pan + `"}`, `{"id":"` + pan + `","note":"` + shown + `"}`},
		{"an array of ids", `{"card_id":["` + pan + `"],"cards":["` + pan + `"]}`, `{"card_id":["` + pan + `"],"cards":["` + shown + `"]}`},
		{"a value after a nested object is its own key's", `{"id":{"a":1},"n":"` + pan + `"}`, `{"id":{"a":1},"n":"` + shown + `"}`},
		{"C1 and DEL are escaped, not removed", "{\"c\":\"a\u009b2J\x7fb\"}", `{"c":"a\u009b2J\u007fb"}`},
		{"invalid UTF-8 reads as encoding/json reads it", "{\"c\":\"a\xffb\"}", "{\"c\":\"a\ufffdb\"}"},
		{"an escaped quote does not end the string", `{"q":"\" ` + pan + `"}`, `{"q":"\" ` + shown + `"}`},
		{"a lone string", `"` + pan + `"`, `"` + shown + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := maskStored([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("maskStored(%s)\n = %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{`{"a":"b"`, `{"a":"b}`, `]`} {
		if _, err := maskStored([]byte(bad)); !errors.Is(err, errMaskShape) {
			t.Errorf("maskStored(%s): %v, want errMaskShape", bad, err)
		}
	}
}

// FuzzMaskStored: for any JSON document, the stored form is JSON of the
// same shape whose numbers, ids and other strings are unchanged but for
// masked card numbers, with no string left holding one outside an id,
// and nothing in its bytes a terminal acts on.
func FuzzMaskStored(f *testing.F) {
	for _, s := range []string{
		`{"id":"evt_1","raw":{"data":{"object":{"merchant":{"name":"PRET 4111 1111 1111 1111"},"amount":1250}}}}`,
		`{"metadata":{"4111111111111111":"k","n":"\u0034111-1111-1111-1111 123"},"card_id":"4111111111111111"}`,
		"{\"x\":\"\x1b]52;c;SEVJU1Q=\x07 \u009b2J \xff\"}",
		`[["4111111111111111"],{"ids":["x"],"a_id":[{"b":"4111111111111111"}]}]`,
		`"٤١١١١١١١١١١١١١١١"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			return
		}
		out, err := maskStored(in)
		if err != nil {
			t.Fatalf("maskStored(%q): %v", in, err)
		}
		if !json.Valid(out) {
			t.Fatalf("maskStored(%q) = %q: not JSON", in, out)
		}
		if !utf8.Valid(out) || bytes.ContainsRune(out, 0x7f) || strings.ContainsFunc(string(out), func(r rune) bool { return r >= 0x80 && r <= 0x9f }) {
			t.Fatalf("maskStored(%q) = %q: holds what a terminal acts on", in, out)
		}
		a, b := tokens(t, in), tokens(t, out)
		if len(a) != len(b) {
			t.Fatalf("maskStored(%q) = %q: %d tokens, want %d", in, out, len(b), len(a))
		}
		for i := range a {
			if a[i].id != b[i].id {
				t.Fatalf("maskStored(%q) = %q: token %d changed context", in, out, i)
			}
			s, ok := a[i].tok.(string)
			if !ok || a[i].id {
				if a[i].tok != b[i].tok {
					t.Fatalf("maskStored(%q) = %q: token %d is %v, want %v", in, out, i, b[i].tok, a[i].tok)
				}
				continue
			}
			if want := safetext.MaskPANs(s); b[i].tok != want {
				t.Fatalf("maskStored(%q) = %q: string %q, want %q", in, out, b[i].tok, want)
			}
		}
	})
}

// token is one token of a document and whether it is an id's value.
type token struct {
	tok json.Token
	id  bool
}

// tokens lists doc's tokens (numbers as json.Number), marking the strings
// that are the values of "id" and "…_id" keys, or in arrays held by them.
func tokens(t *testing.T, doc []byte) []token {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	type level struct {
		obj, wantKey bool
		key          string
	}
	var stack []level
	var out []token
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("tokens of %q: %v", doc, err)
		}
		id := false
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			switch {
			case top.obj && top.wantKey:
				if k, ok := tok.(string); ok {
					top.key, top.wantKey = k, false
					out = append(out, token{tok, false})
					continue
				}
			default:
				id = idKey([]byte(top.key))
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			key := ""
			if n := len(stack); n > 0 {
				key = stack[n-1].key
			}
			stack = append(stack, level{obj: tok == json.Delim('{'), wantKey: tok == json.Delim('{'), key: key})
			out = append(out, token{tok, false})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			id = false
		}
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
		out = append(out, token{tok, id})
	}
}
