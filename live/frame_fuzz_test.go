package live

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeFrame: any message decodes or fails with errFrame, never
// panics; what decodes is valid JSON, decodes the same with encoding/json,
// and is well formed.
func FuzzDecodeFrame(f *testing.F) {
	var sf streamFrame
	r := frameTestRecord(1)
	sf.add(&r)
	r2 := frameTestRecord(2)
	r2.Event = json.RawMessage(`{"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00"],"b":{}}`)
	sf.add(&r2)
	f.Add(sf.finish())
	f.Add(appendSeqFrame(nil, frameLive, 12))
	f.Add(appendSeqFrame(nil, frameBehind, 0))
	f.Add(appendErrorFrame(nil, "relay shutting down"))
	f.Add(appendResetFrame(nil, "0123456789abcdef0123456789abcdef", "the relay's store is not the one this subscriber followed"))
	f.Add([]byte(`{"type":"reset","seq":0}`))
	f.Add([]byte(`{"type":"events","events":[{"seq":0}]}`))
	f.Add([]byte(`{"type":"events","events":null}`))
	f.Add([]byte(`{"type":"events","events":[null,{"seq":3,"event":null,"occurred_at":null}]}`))
	f.Add([]byte(`{"type":"live","seq":18446744073709551616}`))
	f.Add([]byte(`{"TYPE":"live","sEq":1,"seq":2}`))
	f.Add([]byte(`{"type":"nope","message":"\ud800x"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte("\xff"))
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`{"type":"events","events":[{"seq":1,"occurred_at":"2026 03026103 04"}]}`))
	f.Add([]byte(`{"type":"error","message":"\u001b]52;c;eA==\u0007\u009b2J\u202e` + "4929 5801 7316 0424" + `"}`))
	f.Add([]byte(`{"type":"live","seq":4929580173160424.5}`))
	f.Add([]byte(strings.Repeat(`{"type":[`, 3000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := decodeFrame(data)
		if err != nil {
			if !errors.Is(err, errFrame) {
				t.Fatalf("error %v does not wrap errFrame", err)
			}
			return
		}
		var std frame
		if err := json.Unmarshal(data, &std); err != nil {
			t.Fatalf("decoded %q, which encoding/json refuses: %v", data, err)
		}
		if !reflect.DeepEqual(fr, std) {
			t.Fatalf("decoded %q as\n%#v\nencoding/json as\n%#v", data, fr, std)
		}
		switch fr.Type {
		case "":
			t.Fatal("decoded a frame without type")
		case frameEvents:
			if len(fr.Events) == 0 {
				t.Fatal("decoded an events frame without events")
			}
			for _, r := range fr.Events {
				if r.Seq == 0 {
					t.Fatal("decoded an event without seq")
				}
			}
		case frameLive, frameBehind:
			if fr.Seq == nil {
				t.Fatal("decoded a seq frame without seq")
			}
		case frameReset:
			if fr.Epoch == "" {
				t.Fatal("decoded a reset frame without epoch")
			}
		}
	})
}

// FuzzJSONValid: the scanner accepts exactly what json.Valid accepts.
func FuzzJSONValid(f *testing.F) {
	for _, s := range []string{
		"", " ", "0", "-0", "01", "1.", "1.5e", "1E+2", "-", "true", "tru", "nul", "null ",
		`"a\u00e9"`, `"\u12"`, `"\x"`, "\"\x01\"", "\"\xff\"", `[1,2,]`, `[,]`, `{"a":1,}`,
		`{"a" 1}`, `{1:2}`, `[[[]]]`, `{"a":{"b":[{"c":null}]}}`, "[1] [2]", "\t\n\r[ ]", "0\x00",
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)))
	f.Add([]byte(strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1)))
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(strings.Repeat("[", 5000) + strings.Repeat("]", 5000)))
	f.Add([]byte(`[1e999999999,-0.0e-400,4929580173160424]`))
	f.Add([]byte(`"\u001b]52;c;eA==\u0007\ud800"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := jsonScanner{data: data}
		err := s.skip(0)
		if err == nil {
			err = s.end()
		}
		if got, want := err == nil, json.Valid(data); got != want {
			t.Fatalf("scanner valid = %v (%v), json.Valid = %v for %q", got, err, want, data)
		}
	})
}

// FuzzJSONString: a string value decodes as encoding/json decodes it into
// a string field, null and wrong types included.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{
		`"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u2028"`, `"\ud83d\ude00"`, `"\ud83d"`,
		`"\ude00\ud83d"`, `"\ud83dx"`, `"\ud83d\u0041"`, "\"\xff\xfe\"", "\"\xc3\"", `null`, `1`, `[]`, `"`, "\"\"\x00",
	} {
		f.Add([]byte(s))
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add([]byte(`"\u001b]52;c;eA==\u0007\u202e\u009b2J"`))
	f.Add([]byte("\"\x1b[2J\xff\""))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got string
		s := jsonScanner{data: data}
		err := s.stringInto(&got)
		if err == nil {
			err = s.end()
		}
		var want string
		stdErr := json.Unmarshal(data, &want)
		if (err == nil) != (stdErr == nil) {
			t.Fatalf("%q: scanner error %v, encoding/json error %v", data, err, stdErr)
		}
		if err == nil && got != want {
			t.Fatalf("%q: scanner %q, encoding/json %q", data, got, want)
		}
	})
}

// FuzzAppendJSONString: the hand quoting reads back as encoding/json's.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `"\`, "\x00\x1f\n\r\t", "é\u2028\u2029", "\xff\xfe", "<&>", "a\xc3"} {
		f.Add(s)
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Add("\u2028\u2029\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		enc := appendJSONString(nil, s)
		if err := json.Unmarshal(enc, &got); err != nil {
			t.Fatalf("appendJSONString(%q) = %s: not JSON: %v", s, enc, err)
		}
		std, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("appendJSONString(%q) reads back %q, encoding/json's %q", s, got, want)
		}
	})
}
