package sshserve

import (
	"encoding/binary"
	"regexp"
	"runtime"
	"strconv"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// The dashboard is drawn for at most MaxColumns × MaxRows, whatever size
// the client's pty-req asked for: the renderer never addresses a cell
// beyond them.
func TestHugePtyIsClamped(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct {
		name          string
		width, height int
	}{
		{"wide and tall", 4000, 4000},
		{"wide", 1000, 30},
		{"tall", 100, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tm := openTermSized(t, e.connect(t, "alice"), tc.width, tc.height)
			tm.out.waitFor(t, 0, "Email")
			row, col := farthestCell(tm.out.raw())
			if row > MaxRows || col > MaxColumns {
				t.Errorf("the dashboard addressed row %d, column %d; want at most %d × %d", row, col, MaxColumns, MaxRows)
			}
			tm.press(t, "q")
			_ = tm.waitEnd(t)
		})
	}
}

// A window-change to a huge size is clamped like the first size: the
// dashboard redraws for at most MaxColumns × MaxRows.
func TestHugeWindowChangeIsClamped(t *testing.T) {
	if raceDetector {
		t.Skip("a window change races inside charm.land/ssh; run without -race")
	}
	e := newTestEnv(t, nil)
	tm := openTermSized(t, e.connect(t, "alice"), 80, 24)
	tm.out.waitFor(t, 0, "Email")
	m := tm.out.mark()
	if err := tm.sess.WindowChange(1024, 1024); err != nil {
		t.Fatalf("window change: %v", err)
	}
	tm.out.waitFor(t, m, "tab next view") // redrawn wider
	row, col := farthestCell(tm.out.raw()[m:])
	if row > MaxRows || col > MaxColumns {
		t.Errorf("after the window change the dashboard addressed row %d, column %d; want at most %d × %d", row, col, MaxColumns, MaxRows)
	}
}

// cursorMove matches the sequences that put the cursor on a row or a
// column: CSI row ; col H, CSI row d (line position) and CSI col G
// (column position).
var cursorMove = regexp.MustCompile(`\x1b\[(\d+)(?:;(\d+))?([HdG])`)

// farthestCell is the largest row and column the output moved the cursor
// to.
func farthestCell(raw []byte) (row, col int) {
	for _, m := range cursorMove.FindAllSubmatch(raw, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		switch string(m[3]) {
		case "H":
			row = max(row, n)
			if len(m[2]) > 0 {
				c, _ := strconv.Atoi(string(m[2]))
				col = max(col, c)
			}
		case "d":
			row = max(row, n)
		case "G":
			col = max(col, n)
		}
	}
	return row, col
}

// One session costs about the same memory at 1000 × 1000 as at the
// maximum size it is drawn for, and a bounded multiple of a common
// 120 × 40 one: the size a client asks for is not what it costs.
func TestSessionMemoryIsBounded(t *testing.T) {
	e := newTestEnv(t, nil)
	cost := func(width, height int) uint64 {
		before := heapInUse()
		tm := openTermSized(t, e.connect(t, "alice"), width, height)
		tm.out.waitFor(t, 0, "Email")
		after := heapInUse()
		t.Cleanup(func() { tm.press(t, "q"); _ = tm.waitEnd(t) })
		if after < before {
			return 0
		}
		return after - before
	}
	common := cost(120, 40)
	maximal := cost(MaxColumns, MaxRows)
	huge := cost(1000, 1000)
	t.Logf("heap per session: 120×40 %d KB, %d×%d %d KB, asked 1000×1000 %d KB",
		common>>10, MaxColumns, MaxRows, maximal>>10, huge>>10)
	if huge > 2*maximal+1<<20 {
		t.Errorf("a session asking for 1000×1000 costs %d KB, one at %d×%d %d KB: the asked size is not bounded",
			huge>>10, MaxColumns, MaxRows, maximal>>10)
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// The payload rewriters clamp the size and keep everything else.
func TestClampPayloads(t *testing.T) {
	pty := func(term string, cols, rows, wpx, hpx uint32, modes string) []byte {
		return gossh.Marshal(struct {
			Term                 string
			Cols, Rows, Wpx, Hpx uint32
			Modes                string
		}{term, cols, rows, wpx, hpx, modes})
	}
	win := func(cols, rows, wpx, hpx uint32) []byte {
		return gossh.Marshal(struct{ Cols, Rows, Wpx, Hpx uint32 }{cols, rows, wpx, hpx})
	}
	tests := []struct {
		name    string
		clamp   func([]byte) ([]byte, bool)
		in      []byte
		want    []byte
		refused bool
	}{
		{"pty within", clampPtyRequest, pty("xterm", 120, 40, 960, 640, "\x00"), pty("xterm", 120, 40, 960, 640, "\x00"), false},
		{"pty huge", clampPtyRequest, pty("xterm", 4000, 4000, 32000, 64000, "\x35\x00\x00\x00\x00\x00"),
			pty("xterm", MaxColumns, MaxRows, 4000, 3200, "\x35\x00\x00\x00\x00\x00"), false},
		{"pty max uint32", clampPtyRequest, pty("vt100", ^uint32(0), ^uint32(0), 0, 0, ""), pty("vt100", MaxColumns, MaxRows, 0, 0, ""), false},
		{"pty term too long", clampPtyRequest, pty(string(make([]byte, maxTermValue+1)), 80, 24, 0, 0, ""), nil, true},
		{"pty cut short", clampPtyRequest, pty("xterm", 80, 24, 0, 0, "")[:10], nil, true},
		{"pty empty", clampPtyRequest, nil, nil, true},
		{"window within", clampWindowChange, win(80, 24, 0, 0), win(80, 24, 0, 0), false},
		{"window huge", clampWindowChange, win(1024, 1024, 8192, 16384), win(MaxColumns, MaxRows, 4000, 3200), false},
		{"window cut short", clampWindowChange, win(80, 24, 0, 0)[:7], nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.clamp(tc.in)
			if ok == tc.refused {
				t.Fatalf("ok = %v, want %v", ok, !tc.refused)
			}
			if !tc.refused && string(got) != string(tc.want) {
				t.Errorf("got % x\nwant % x", got, tc.want)
			}
		})
	}
}

// FuzzClampPayloads: any payload a client sends is refused or comes out
// the same length with a size within the maximum.
func FuzzClampPayloads(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x05xterm\x00\x00\x0f\xa0\x00\x00\x0f\xa0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, p []byte) {
		if out, ok := clampWindowChange(p); ok {
			if len(out) != len(p) || binary.BigEndian.Uint32(out) > MaxColumns || binary.BigEndian.Uint32(out[4:]) > MaxRows {
				t.Fatalf("window-change % x became % x", p, out)
			}
		}
		if out, ok := clampPtyRequest(p); ok {
			n := binary.BigEndian.Uint32(out)
			if len(out) != len(p) || binary.BigEndian.Uint32(out[4+n:]) > MaxColumns || binary.BigEndian.Uint32(out[8+n:]) > MaxRows {
				t.Fatalf("pty-req % x became % x", p, out)
			}
		}
	})
}
