package stats

import "testing"

func TestThousands(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{0, "0"}, {999.4, "999"}, {999.5, "1,000"}, {12496, "12,496"}, {1234567, "1,234,567"}}
	for _, tt := range tests {
		if got := Thousands(tt.in); got != tt.want {
			t.Errorf("Thousands(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
