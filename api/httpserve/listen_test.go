package httpserve

import "testing"

func TestCheckListenAddr(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:8780", false, true},
		{"localhost:0", false, true},
		{"[::1]:8780", false, true},
		{"127.9.9.9:1", false, true},
		{"0.0.0.0:8780", false, false},
		{":8780", false, false},
		{"10.0.0.5:8780", false, false},
		{"0.0.0.0:8780", true, true},
		{"no-port", false, false},
	}
	for _, tt := range tests {
		if err := CheckListenAddr(tt.addr, tt.remote); (err == nil) != tt.ok {
			t.Errorf("CheckListenAddr(%q, %v) = %v, want ok=%v", tt.addr, tt.remote, err, tt.ok)
		}
	}
}
