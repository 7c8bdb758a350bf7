package api

import (
	"math"
	"testing"
)

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{1050, "AED"}, "AED 10.50"},
		{Money{1050, "JPY"}, "JPY 1050"},
		{Money{1050, "BHD"}, "BHD 1.050"},
		{Money{5, "GBP"}, "GBP 0.05"},
		{Money{5, "BHD"}, "BHD 0.005"},
		{Money{0, "EUR"}, "EUR 0.00"},
		{Money{-320, "gbp"}, "GBP -3.20"},
		{Money{4599, "USD"}, "USD 45.99"},
		{Money{123456789, "KWD"}, "KWD 123456.789"},
		{Money{math.MinInt64, "JPY"}, "JPY -9223372036854775808"},
		{Money{1050, "XXQ"}, "XXQ 10.50"}, // unknown code: two places
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestExponent(t *testing.T) {
	tests := []struct {
		code string
		want int
		ok   bool
	}{
		{"AED", 2, true}, {"GBP", 2, true}, {"JPY", 0, true}, {"BHD", 3, true},
		{"KWD", 3, true}, {"EUR", 2, true}, {"usd", 2, true}, {"", 2, false}, {"ZZZZ", 2, false},
	}
	for _, tt := range tests {
		got, ok := Exponent(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Exponent(%q) = %d, %v; want %d, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in, code string
		want     int64
		wantErr  bool
	}{
		{"10.50", "AED", 1050, false},
		{"10.5", "AED", 1050, false},
		{"10", "AED", 1000, false},
		{"1050", "JPY", 1050, false},
		{"1.050", "BHD", 1050, false},
		{".5", "GBP", 50, false},
		{"-3.20", "GBP", -320, false},
		{"10.505", "AED", 0, true},
		{"1.5", "JPY", 0, true},
		{"abc", "AED", 0, true},
		{"", "AED", 0, true},
		{"1.", "AED", 0, true},
		{"1.+5", "AED", 0, true},
		{"10", "NOPE", 0, true},
		{"99999999999999999999", "AED", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in, tt.code)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseMoney(%q, %q) error = %v, wantErr %v", tt.in, tt.code, err, tt.wantErr)
			continue
		}
		if err == nil && got.Amount != tt.want {
			t.Errorf("ParseMoney(%q, %q) = %d, want %d", tt.in, tt.code, got.Amount, tt.want)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"10.50", "1050", "1.050", "-0.01", ".5", "1e5", "+1", "--1", "١٢"} {
		f.Add(s, "AED")
		f.Add(s, "JPY")
		f.Add(s, "BHD")
	}
	// Hostile seeds: escapes, bidi and invisible characters, card numbers,
	// huge numbers, deep nesting.
	f.Add("4929580173160424.5", "GBP")
	f.Add("99999999999999999999", "JPY")
	f.Add("\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f", "AED")
	f.Add("1", "\x1b]52;c;SEVJU1Q=\x07\x1b]52;c;SEVJU1Q=\x1b\\\u009b2J\u009d52;c;eA==\x07\x1b[2J\x1b[H\x1b[10;10H\x1bPq\x1b\\\x1b_a\x1b\\\x1b^p\x1b\\\x1bXs\x1b\\\u202e\u2066\u200b\u200d\ufeff\r\b\x7f")
	f.Fuzz(func(t *testing.T, s, code string) {
		m, err := ParseMoney(s, code)
		if err != nil {
			return
		}
		// Whatever parses must print back to a value that parses to the same amount.
		again, err := ParseMoney(m.Decimal(), code)
		if err != nil || again.Amount != m.Amount {
			t.Fatalf("ParseMoney(%q) = %d, but its rendering %q parses to %d, %v", s, m.Amount, m.Decimal(), again.Amount, err)
		}
	})
}
