package live

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"relay shutting down", "relay shutting down"},
		{"red \x1b[31malert\x07", "red alert"},
		{"\x1b]52;c;aGk=\x07copied", "copied"},
		{"line\nbreak\r", "line break "},
		{strings.Repeat("é", 205), strings.Repeat("é", 200) + "…"},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRefused(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&StatusError{Code: 401}, true},
		{fmt.Errorf("dial: %w", &StatusError{Code: 403}), true},
		{&StatusError{Code: 400, Reason: "after 9 is beyond the relay's last seq 3"}, true},
		{&StatusError{Code: 503}, false},
		{errors.New("connection refused"), false},
		{fmt.Errorf("relay: %w", errStreamURL), true},
	}
	for _, tt := range tests {
		if got := refused(tt.err); got != tt.want {
			t.Errorf("refused(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	if got, want := (&StatusError{Code: 401, Reason: "wrong bearer token"}).Error(), "relay: 401 unauthorized: wrong bearer token"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestStreamURL(t *testing.T) {
	tests := []struct {
		in    string
		after uint64
		epoch string
		want  string
	}{
		{"ws://127.0.0.1:8781/v1/stream", 0, "", "ws://127.0.0.1:8781/v1/stream?after=0"},
		{"http://relay:8781", 42, "", "ws://relay:8781/v1/stream?after=42"},
		{"https://relay.example.com/", 7, "", "wss://relay.example.com/v1/stream?after=7"},
		{"wss://relay/v1/stream?after=3&x=1", 9, "", "wss://relay/v1/stream?after=9&x=1"},
		{"ws://relay/v1/stream", 9, "0a1b", "ws://relay/v1/stream?after=9&epoch=0a1b"},
		{"ws://relay/v1/stream?epoch=old", 9, "", "ws://relay/v1/stream?after=9"},
	}
	for _, tt := range tests {
		got, err := streamURL(tt.in, tt.after, tt.epoch)
		if err != nil || got != tt.want {
			t.Errorf("streamURL(%q, %d, %q) = %q, %v; want %q", tt.in, tt.after, tt.epoch, got, err, tt.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	const minWait, maxWait = 250 * time.Millisecond, 10 * time.Second
	for n := range 40 {
		ceil := maxWait
		if n < 5 {
			ceil = minWait << (n + 1)
		}
		for range 200 {
			d := backoff(minWait, maxWait, n)
			if d < minWait || d > ceil {
				t.Fatalf("backoff(attempt %d) = %v, want within [%v, %v]", n, d, minWait, ceil)
			}
		}
	}
	if d := backoff(time.Second, time.Second, 3); d != time.Second {
		t.Errorf("backoff with min = max = 1s gave %v", d)
	}
}
