package monitor

import (
	"math"
	"testing"
)

func TestWindow(t *testing.T) {
	r := NewRing(10)
	for _, row := range pattern("adaadaadaadad") { // 13 rows: 4..13 retained
		r.Append(row)
	}
	tests := []struct {
		name   string
		view   View
		offset int
		n      int
		want   []uint64
	}{
		{"top of the screen", r.All(), 0, 3, []uint64{13, 12, 11}},
		{"scrolled", r.All(), 4, 3, []uint64{9, 8, 7}},
		{"last rows", r.All(), 8, 5, []uint64{5, 4}},
		{"past the end", r.All(), 10, 3, nil},
		{"negative offset", r.All(), -4, 2, []uint64{13, 12}},
		{"no rows asked", r.All(), 0, 0, nil},
		{"negative rows asked", r.All(), 0, -1, nil},
		{"more than retained", r.All(), 0, 100, seqRange(13, 4)},
		{"huge numbers", r.All(), 2, math.MaxInt, seqRange(11, 4)},
		{"huge offset", r.All(), math.MaxInt, math.MaxInt, nil},
		{"declines", r.Declines(), 0, 3, []uint64{13, 11, 8}},
		{"declines scrolled", r.Declines(), 2, 3, []uint64{8, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rowSeqs(Window(tt.view, tt.offset, tt.n)); !sameSeqs(got, tt.want) {
				t.Errorf("Window = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAppendWindowReusesItsSlice(t *testing.T) {
	r := NewRing(1000)
	for range 5 {
		for _, row := range pattern("aadaadaaaadaaaaddaaaa") {
			r.Append(row)
		}
	}
	buf := make([]Row, 0, 40)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendWindow(buf[:0], r.Declines(), 3, 40)
	})
	if allocs != 0 {
		t.Errorf("AppendWindow allocates %.1f times with room in dst", allocs)
	}
}

func TestClampOffset(t *testing.T) {
	r := NewRing(10)
	for _, row := range pattern("aaaaaaaaaa") {
		r.Append(row)
	}
	tests := []struct {
		offset, n, want int
	}{
		{0, 4, 0}, {3, 4, 3}, {6, 4, 6}, {7, 4, 6}, {100, 4, 6}, {-3, 4, 0}, {5, 20, 0}, {12, 0, 9},
	}
	for _, tt := range tests {
		if got := ClampOffset(r.All(), tt.offset, tt.n); got != tt.want {
			t.Errorf("ClampOffset(%d, %d) = %d, want %d", tt.offset, tt.n, got, tt.want)
		}
	}
	if got := ClampOffset(View{}, 5, 3); got != 0 {
		t.Errorf("ClampOffset on an empty view = %d", got)
	}
}
