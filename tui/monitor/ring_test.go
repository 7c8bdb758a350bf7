package monitor

import (
	"slices"
	"strings"
	"testing"
)

func TestRingWrap(t *testing.T) {
	tests := []struct {
		name      string
		capacity  int
		appends   int
		wantLen   int
		wantTotal uint64
		want      []uint64 // newest first
	}{
		{"empty", 3, 0, 0, 0, nil},
		{"partly filled", 3, 2, 2, 2, []uint64{2, 1}},
		{"exactly full", 3, 3, 3, 3, []uint64{3, 2, 1}},
		{"wrapped once", 3, 4, 3, 4, []uint64{4, 3, 2}},
		{"wrapped many times", 3, 11, 3, 11, []uint64{11, 10, 9}},
		{"capacity one", 1, 5, 1, 5, []uint64{5}},
		{"grows past the first allocation", 200, 150, 150, 150, seqRange(150, 1)},
		{"grows then wraps", 100, 250, 100, 250, seqRange(250, 151)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.capacity)
			for _, row := range pattern(strings.Repeat("a", tt.appends)) {
				r.Append(row)
			}
			if r.Len() != tt.wantLen || r.Total() != tt.wantTotal || r.Cap() != tt.capacity {
				t.Fatalf("Len %d Total %d Cap %d; want %d %d %d", r.Len(), r.Total(), r.Cap(), tt.wantLen, tt.wantTotal, tt.capacity)
			}
			got := []uint64{}
			for i := range r.Len() {
				got = append(got, r.At(i).Seq)
			}
			if !sameSeqs(got, tt.want) {
				t.Fatalf("rows %v, want %v", got, tt.want)
			}
			if !sameSeqs(seqsOf(r.All()), tt.want) {
				t.Fatalf("All() %v, want %v", seqsOf(r.All()), tt.want)
			}
			for _, i := range []int{-1, r.Len(), r.Len() + 10} {
				if row := r.At(i); row.Seq != 0 || row.Tx != nil {
					t.Errorf("At(%d) = %+v, want the zero row", i, row)
				}
			}
		})
	}
}

func TestNewRingDefaultCapacity(t *testing.T) {
	for _, c := range []int{0, -5} {
		if got := NewRing(c).Cap(); got != DefaultCapacity {
			t.Errorf("NewRing(%d).Cap() = %d, want %d", c, got, DefaultCapacity)
		}
	}
}

func TestDeclinesIndex(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		pattern  string // oldest first; 'd' declined
		want     []uint64
	}{
		{"none", 5, "aaaa", nil},
		{"all", 5, "ddd", []uint64{3, 2, 1}},
		{"mixed", 10, "adaadd", []uint64{6, 5, 2}},
		{"oldest decline overwritten", 4, "daaaa", nil},
		{"some declines overwritten", 4, "ddadad", []uint64{6, 4}},
		{"all declines wrapped", 3, "dddddddd", []uint64{8, 7, 6}},
		{"approved rows overwritten, declines kept", 4, "aadda", []uint64{4, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.capacity)
			for _, row := range pattern(tt.pattern) {
				r.Append(row)
			}
			v := r.Declines()
			if got := seqsOf(v); !sameSeqs(got, tt.want) {
				t.Fatalf("declines %v, want %v", got, tt.want)
			}
			for i := range v.Len() {
				if row, _ := v.At(i); !row.Declined() {
					t.Errorf("row %d of the declines view is not declined", i)
				}
			}
			if _, ok := v.At(v.Len()); ok {
				t.Error("At(Len) reported a row")
			}
		})
	}
}

func TestSnapshot(t *testing.T) {
	tests := []struct {
		name      string
		capacity  int
		before    string // appended before the snapshot
		after     string // appended after it
		declines  bool
		want      []uint64
		wantNewer uint64
	}{
		{"nothing after", 5, "aaa", "", false, []uint64{3, 2, 1}, 0},
		{"later rows invisible", 5, "aa", "aa", false, []uint64{2, 1}, 2},
		{"overwritten rows gone, the rest keep their places", 4, "aaaa", "aa", false, []uint64{4, 3}, 2},
		{"everything overwritten", 3, "aaa", "aaaa", false, []uint64{}, 4},
		{"declines frozen", 6, "dad", "dd", true, []uint64{3, 1}, 2},
		{"frozen declines overwritten", 4, "dadd", "aa", true, []uint64{4, 3}, 0},
		{"empty ring", 3, "", "aa", false, []uint64{}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.capacity)
			rows := pattern(tt.before + tt.after)
			for _, row := range rows[:len(tt.before)] {
				r.Append(row)
			}
			v := r.Snapshot()
			if tt.declines {
				v = v.Declines()
			}
			for _, row := range rows[len(tt.before):] {
				r.Append(row)
			}
			if !v.Frozen() || v.DeclinesOnly() != tt.declines {
				t.Fatalf("Frozen %v DeclinesOnly %v", v.Frozen(), v.DeclinesOnly())
			}
			if got := seqsOf(v); !sameSeqs(got, tt.want) {
				t.Fatalf("snapshot %v, want %v", got, tt.want)
			}
			if v.Newer() != tt.wantNewer {
				t.Errorf("Newer = %d, want %d", v.Newer(), tt.wantNewer)
			}
			if _, ok := v.At(v.Len()); ok {
				t.Error("At(Len) reported a row")
			}
		})
	}
}

func TestSnapshotSwitchesFilterAtTheSameMoment(t *testing.T) {
	r := NewRing(10)
	rows := pattern("adadad")
	for _, row := range rows[:4] {
		r.Append(row)
	}
	paused := r.Snapshot()
	for _, row := range rows[4:] {
		r.Append(row)
	}
	if got := seqsOf(paused.Declines()); !slices.Equal(got, []uint64{4, 2}) {
		t.Errorf("paused declines %v, want [4 2]", got)
	}
	if got := seqsOf(paused.Declines().All()); !slices.Equal(got, []uint64{4, 3, 2, 1}) {
		t.Errorf("paused all %v, want [4 3 2 1]", got)
	}
	if live := r.All(); live.Frozen() || live.Newer() != 0 || live.Len() != 6 {
		t.Errorf("live view: frozen %v newer %d len %d", live.Frozen(), live.Newer(), live.Len())
	}
}

func TestZeroView(t *testing.T) {
	var v View
	if v.Len() != 0 || v.Newer() != 0 || len(Window(v, 0, 10)) != 0 {
		t.Error("the zero view is not empty")
	}
	if _, ok := v.At(0); ok {
		t.Error("the zero view has a row")
	}
}

func TestAppendDoesNotAllocateWhenFull(t *testing.T) {
	r := NewRing(100)
	rows := pattern("adaaadaaad")
	for range 20 {
		for _, row := range rows {
			r.Append(row)
		}
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		r.Append(rows[i%len(rows)])
		i++
	})
	if allocs != 0 {
		t.Errorf("Append on a full ring allocates %.1f times", allocs)
	}
}
