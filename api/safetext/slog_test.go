package safetext

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testPAN = "4111111111111111"

type account struct {
	Holder string
	PAN    string
}

type panValuer struct{}

func (panValuer) LogValue() slog.Value { return slog.StringValue("card " + testPAN) }

type failing struct{ msg string }

func (f *failing) Error() string { return f.msg }

func TestMaskingHandler(t *testing.T) {
	var nilErr *failing
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want []string // substrings of the JSON line
	}{
		{"message", func(l *slog.Logger) { l.Info("declined " + testPAN + " \x1b]52;c;eA==\a") },
			[]string{`"msg":"declined •••• 1111 "`}},
		{"string attribute", func(l *slog.Logger) { l.Info("x", "merchant", "\x1b[2JEVIL "+testPAN) },
			[]string{`"merchant":"EVIL •••• 1111"`}},
		{"attribute key", func(l *slog.Logger) { l.Info("x", "k\x1b[2J", "v") },
			[]string{`"k":"v"`}},
		{"nested groups", func(l *slog.Logger) {
			l.Info("x", slog.Group("card", slog.Group("secret", slog.String("pan", testPAN))))
		}, []string{`"card":{"secret":{"pan":"•••• 1111"}}`}},
		{"WithAttrs", func(l *slog.Logger) { l.With("pan", testPAN).Info("x") },
			[]string{`"pan":"•••• 1111"`}},
		{"WithGroup", func(l *slog.Logger) { l.WithGroup("g\u202E").Info("x", "pan", testPAN) },
			[]string{`"g":{"pan":"•••• 1111"}`}},
		{"error", func(l *slog.Logger) { l.Info("x", "err", errors.New("card "+testPAN+" frozen")) },
			[]string{`"err":"card •••• 1111 frozen"`}},
		{"nil error pointer", func(l *slog.Logger) { l.Info("x", "err", nilErr) },
			[]string{`"err":"!PANIC: `}},
		{"stringer", func(l *slog.Logger) { l.Info("x", "s", stringer("\x1b[31m"+testPAN)) },
			[]string{`"s":"•••• 1111"`}},
		{"bytes", func(l *slog.Logger) { l.Info("x", "body", []byte(testPAN)) },
			[]string{`"body":"•••• 1111"`}},
		{"integer card number", func(l *slog.Logger) { l.Info("x", "n", int64(4111111111111111)) },
			[]string{`"n":"•••• 1111"`}},
		{"unsigned card number", func(l *slog.Logger) { l.Info("x", "n", uint64(4111111111111111)) },
			[]string{`"n":"•••• 1111"`}},
		{"ordinary integer kept", func(l *slog.Logger) { l.Info("x", "n", 1234567890123) },
			[]string{`"n":1234567890123`}},
		{"struct holding a card number", func(l *slog.Logger) { l.Info("x", "a", account{"Ali", testPAN}) },
			[]string{`"a":"{Holder:Ali PAN:•••• 1111}"`}},
		{"clean struct keeps its shape", func(l *slog.Logger) { l.Info("x", "a", account{"Ali", "none"}) },
			[]string{`"a":{"Holder":"Ali","PAN":"none"}`}},
		{"LogValuer", func(l *slog.Logger) { l.Info("x", "v", panValuer{}) },
			[]string{`"v":"card •••• 1111"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(slog.New(NewMaskingHandler(slog.NewJSONHandler(&buf, nil))))
			line := buf.String()
			if !json.Valid([]byte(line)) {
				t.Fatalf("not one JSON line: %q", line)
			}
			if strings.Contains(line, testPAN) || strings.Contains(line, `\u001b`) || strings.Contains(line, "\u202E") {
				t.Errorf("log line leaks a card number or an escape: %s", line)
			}
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("log line %s does not contain %s", line, w)
				}
			}
		})
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestMaskingHandlerText(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(NewMaskingHandler(slog.NewTextHandler(&buf, nil)))
	l.Info("card "+testPAN, "merchant", "\x1b]0;pwned\aSHOP", "n", fmt.Sprint(testPAN))
	got := buf.String()
	for _, w := range []string{`msg="card •••• 1111"`, "merchant=SHOP", `n="•••• 1111"`} {
		if !strings.Contains(got, w) {
			t.Errorf("text log %q does not contain %q", got, w)
		}
	}
	if strings.Contains(got, testPAN) || strings.Contains(got, "pwned") {
		t.Errorf("text log leaks: %q", got)
	}
}

func TestMaskingHandlerEnabled(t *testing.T) {
	h := NewMaskingHandler(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tests := []struct {
		level slog.Level
		want  bool
	}{
		{slog.LevelDebug, false},
		{slog.LevelInfo, false},
		{slog.LevelWarn, true},
		{slog.LevelError, true},
	}
	for _, tt := range tests {
		if got := h.Enabled(context.Background(), tt.level); got != tt.want {
			t.Errorf("Enabled(%v) = %v, want %v", tt.level, got, tt.want)
		}
	}
}
