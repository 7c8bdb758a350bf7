package sshserve

import "encoding/binary"

// The largest terminal a session is drawn for. A client with a bigger
// window gets the dashboard in its top-left 500 × 200 cells; one that
// asks for more cannot make the server allocate a screen of its size
// (1000 × 1000 cost about 430 MB; 4000 × 4000, the whole server).
const (
	MaxColumns = 500
	MaxRows    = 200
)

// clampPtyRequest rewrites a pty-req payload (RFC 4254 §6.2: string TERM,
// uint32 columns, rows, pixel width, pixel height, string modes) with its
// size clamped to MaxColumns × MaxRows. ok is false for a payload too
// short to hold a size, or a TERM longer than any terminal's name.
func clampPtyRequest(p []byte) (out []byte, ok bool) {
	if len(p) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(p)
	if n > maxTermValue || len(p) < 4+int(n)+8 {
		return nil, false
	}
	out = append([]byte(nil), p...)
	clampSize(out[4+n:])
	return out, true
}

// clampWindowChange rewrites a window-change payload (RFC 4254 §6.7:
// uint32 columns, rows, pixel width, pixel height) likewise.
func clampWindowChange(p []byte) (out []byte, ok bool) {
	if len(p) < 8 {
		return nil, false
	}
	out = append([]byte(nil), p...)
	clampSize(out)
	return out, true
}

// clampSize clamps the columns and rows at the start of b in place, and
// their pixel sizes with them, in proportion.
func clampSize(b []byte) {
	cols, rows := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	binary.BigEndian.PutUint32(b, min(cols, MaxColumns))
	binary.BigEndian.PutUint32(b[4:], min(rows, MaxRows))
	if len(b) < 16 {
		return
	}
	px := func(off int, cells, limit uint32) {
		if cells > limit {
			v := uint64(binary.BigEndian.Uint32(b[off:])) * uint64(limit) / uint64(cells)
			binary.BigEndian.PutUint32(b[off:], uint32(v))
		}
	}
	px(8, cols, MaxColumns)
	px(12, rows, MaxRows)
}
