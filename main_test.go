package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestCommandLogsAreMaskedAndClean(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, slog.LevelInfo)
	log.Info("declined 4111 1111 1111 1111\x1b]52;c;ZXZpbA==\a", "merchant", "ACME\x1b[2J", "pan", "5555555555554444")
	out := buf.String()
	for _, bad := range []string{"4111 1111 1111 1111", "5555555555554444", "\x1b", "\a"} {
		if strings.Contains(out, bad) {
			t.Errorf("log line carries %q: %q", bad, out)
		}
	}
	if !strings.Contains(out, "1111") || !strings.Contains(out, "4444") {
		t.Errorf("the last four should remain: %q", out)
	}
}
