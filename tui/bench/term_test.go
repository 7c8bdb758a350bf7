package bench

import (
	"bytes"
	"strings"
	"testing"
)

// Frames and queries are counted once each however the stream is cut into
// writes, and every query is answered once.
func TestTermCounts(t *testing.T) {
	frame := frameStart + "\x1b[Hhello" + "\x1b[?2026l"
	tests := []struct {
		name            string
		stream          string
		frames, queries int
	}{
		{"nothing", "plain text \x1b[?2026", 0, 0},
		{"one query, two frames", syncQuery + frame + frame, 2, 1},
		{"back to back", strings.Repeat(frameStart, 3) + syncQuery + syncQuery, 3, 2},
		{"overlapping prefix", "\x1b[?2026\x1b[?2026h", 1, 0},
	}
	for _, tt := range tests {
		// Every way of cutting the stream in two, and one byte at a time.
		cuts := [][]string{}
		for i := range len(tt.stream) + 1 {
			cuts = append(cuts, []string{tt.stream[:i], tt.stream[i:]})
		}
		cuts = append(cuts, strings.Split(tt.stream, ""))
		for _, pieces := range cuts {
			var in bytes.Buffer
			term := NewTerm(&in, 20, 3)
			for _, p := range pieces {
				term.Write([]byte(p))
			}
			b, f := term.counts()
			if b != int64(len(tt.stream)) || f != int64(tt.frames) {
				t.Errorf("%s cut %q: %d bytes %d frames, want %d and %d", tt.name, pieces, b, f, len(tt.stream), tt.frames)
			}
			if want := strings.Repeat(syncReply, tt.queries); in.String() != want {
				t.Errorf("%s cut %q: answered %q, want %q", tt.name, pieces, in.String(), want)
			}
		}
	}
}

func TestWriteTable(t *testing.T) {
	var out bytes.Buffer
	if err := writeTable(&out, []string{"", "p50", "max"}, [][]string{
		{"exec → first byte", "12 ms", "15 ms"},
		{"q → exit", "7 ms", "120 ms"},
	}); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"                     p50     max\n" +
		"exec → first byte  12 ms   15 ms\n" +
		"q → exit            7 ms  120 ms\n"
	if out.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", out.String(), want)
	}
}
