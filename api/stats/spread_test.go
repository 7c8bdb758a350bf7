package stats

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	var samples []time.Duration
	for i := 100; i >= 1; i-- {
		samples = append(samples, time.Duration(i)*time.Millisecond)
	}
	got := Summarize(samples)
	want := Latency{N: 100, P50: 50 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if got := Summarize[time.Duration](nil); got != (Latency{}) {
		t.Errorf("Summarize(nil) = %+v", got)
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
		got := Summarize(tt.in)
		if got.P50 != tt.p50 || got.P99 != tt.p99 || got.Max != tt.max {
			t.Errorf("Summarize(%v) = %+v, want p50 %d p99 %d max %d", tt.in, got, tt.p50, tt.p99, tt.max)
		}
	}
}
