package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/live/loadtest"
)

// Frames and queries are counted once each however the stream is cut into
// writes, and every query is answered once.
func TestBenchTermCounts(t *testing.T) {
	frame := benchFrameStart + "\x1b[Hhello" + "\x1b[?2026l"
	tests := []struct {
		name            string
		stream          string
		frames, queries int
	}{
		{"nothing", "plain text \x1b[?2026", 0, 0},
		{"one query, two frames", benchSyncQuery + frame + frame, 2, 1},
		{"back to back", strings.Repeat(benchFrameStart, 3) + benchSyncQuery + benchSyncQuery, 3, 2},
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
			term := newBenchTerm(&in, 20, 3)
			for _, p := range pieces {
				term.Write([]byte(p))
			}
			b, f := term.counts()
			if b != int64(len(tt.stream)) || f != int64(tt.frames) {
				t.Errorf("%s cut %q: %d bytes %d frames, want %d and %d", tt.name, pieces, b, f, len(tt.stream), tt.frames)
			}
			if want := strings.Repeat(benchSyncReply, tt.queries); in.String() != want {
				t.Errorf("%s cut %q: answered %q, want %q", tt.name, pieces, in.String(), want)
			}
		}
	}
}

func TestSpreadOf(t *testing.T) {
	tests := []struct {
		in            []int
		p50, p99, max int
	}{
		{nil, 0, 0, 0},
		{[]int{7}, 7, 7, 7},
		{[]int{3, 1, 2}, 2, 3, 3},
		{[]int{10, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5, 10, 10},
	}
	for _, tt := range tests {
		got := loadtest.Summarize(tt.in)
		if got.P50 != tt.p50 || got.P99 != tt.p99 || got.Max != tt.max {
			t.Errorf("loadtest.Summarize(%v) = %+v, want p50 %d p99 %d max %d", tt.in, got, tt.p50, tt.p99, tt.max)
		}
	}
}

func TestWriteBenchTable(t *testing.T) {
	var out bytes.Buffer
	if err := writeBenchTable(&out, []string{"", "p50", "max"}, [][]string{
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
