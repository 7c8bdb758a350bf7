package faults

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec string
		want []Rule
	}{
		{"", nil},
		{" none ", nil},
		{"latency=300ms,429=0.2,5xx=0.1,reset=0.05,truncate=0.05,timeout=0.02", []Rule{
			{Kind: Latency, Delay: 300 * time.Millisecond},
			{Kind: RateLimit, Rate: 0.2},
			{Kind: ServerError, Rate: 0.1},
			{Kind: Reset, Rate: 0.05},
			{Kind: Truncate, Rate: 0.05},
			{Kind: Timeout, Rate: 0.02},
		}},
		{"reset=2x:POST:/cards/*/freeze:after", []Rule{{Kind: Reset, First: 2, Method: "POST", Path: "/cards/*/freeze", After: true}}},
		{"429=1x:45s, 503=50%:4x:vydapay", []Rule{
			{Kind: RateLimit, First: 1, Delay: 45 * time.Second},
			{Kind: ServerError, Status: 503, Rate: 0.5, First: 4, Provider: "vydapay"},
		}},
		{"LATENCY=0.5:2s:get", []Rule{{Kind: Latency, Rate: 0.5, Delay: 2 * time.Second, Method: "GET"}}},
		{"timeout=1:15s:after:VaultsPay", []Rule{{Kind: Timeout, Rate: 1, Delay: 15 * time.Second, After: true, Provider: "vaultspay"}}},
		{"500=3X", []Rule{{Kind: ServerError, Status: 500, First: 3}}},
		{"truncate=100%", []Rule{{Kind: Truncate, Rate: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := Parse(tt.spec)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse = %+v\nwant    %+v", got, tt.want)
			}
			again, err := Parse(Format(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("Format %q parses back as %+v, %v", Format(got), again, err)
			}
		})
	}
}

func TestParseRefusesWithAReason(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"latency", `fault 1 ("latency"): no '='`},
		{"429=0.2,,reset=1", `fault 2 (""): empty`},
		{"bogus=1", `unknown fault "bogus": want latency, timeout, 429, 5xx`},
		{"429=1.5", `rate "1.5" is more than all requests`},
		{"reset=3", `rate "3" is more than 1; for the first 3 requests write 3x`},
		{"reset=0", `rate "0": must be more than zero`},
		{"reset=0x", `count "0x": want 1x to 1000000000x`},
		{"reset=", "empty value"},
		{"reset=POST", "say how often"},
		{"latency=0.5", "latency needs a duration"},
		{"latency=-1s", `duration "-1s": must be more than zero`},
		{"timeout=1:0s", "must be more than zero"},
		{"5xx=0.1:GET:POST", "a method is given twice"},
		{"5xx=0.1:0.2", "a rate is given twice"},
		{"reset=1:/cards/[", "syntax error in pattern"},
		{"reset=1:after", ""},
		{"truncate=1:after", "after applies to reset, 5xx and timeout, not truncate"},
		{"429=1:after", "after applies to reset, 5xx and timeout, not 429"},
		{"reset=1:5s", "a duration means nothing to reset"},
		{"reset=1:nan", `"nan" is not a rate`},
		{"reset=1:1e-3", `"1e-3" is not a rate`},
		{"reset=1 x", "no white space inside a value"},
		{"reset=1:" + strings.Repeat("z", 100), "…"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := Parse(tt.spec)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse(%q) = %v, want it accepted", tt.spec, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse(%q) = %v, want an error saying %q", tt.spec, err, tt.want)
			}
		})
	}
}

func TestValidateRulesBuiltInGo(t *testing.T) {
	tests := []struct {
		rule Rule
		want string
	}{
		{Rule{Kind: Reset}, ""},
		{Rule{Kind: "boom"}, "unknown fault"},
		{Rule{Kind: Reset, Rate: 1.1}, "rate"},
		{Rule{Kind: Reset, First: -1}, "negative"},
		{Rule{Kind: Latency}, "needs a duration"},
		{Rule{Kind: ServerError, Status: 404}, "status 404"},
		{Rule{Kind: Reset, Status: 500}, "only 5xx"},
		{Rule{Kind: Reset, Method: "post"}, "method"},
		{Rule{Kind: Reset, Provider: "acme"}, "provider"},
		{Rule{Kind: Reset, Path: "cards"}, "must start with /"},
		{Rule{Kind: Reset, Path: "/a,b"}, "commas"},
	}
	for _, tt := range tests {
		err := tt.rule.Validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: Validate = %v, want %q", tt.rule, err, tt.want)
		}
	}
	if got := (Rule{Kind: Reset}).String(); got != "reset=1" {
		t.Errorf("a rule with neither rate nor count formats as %q, want reset=1", got)
	}
}

// FuzzParse: no input panics the parser; what it accepts validates, formats
// to text that parses back to the same rules, and formats the same again.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "none", "latency=300ms,429=0.2,5xx=0.1,reset=0.05,truncate=0.05,timeout=0.02",
		"reset=2x:POST:/cards/*/freeze:after", "429=1x:45s,503=50%:4x:vydapay", "latency=0.5:2s:get",
		"timeout=1:15s:after", "500=3X", "502=1", "truncate=100%", "reset=1:/cards/[a-z]*", "reset=1:/cards/\\*",
		"latency", "=", "==", ",", "reset=", "reset=:", "reset=1::", "429=1.5", "reset=3", "reset=0x", "latency=-1s",
		"reset=1:/cards/[", "reset=1:nan", "reset=1:1e-3", "reset=99999999999x", "latency=9999999999h",
		"latency=1ns", "reset=0.000000000000000000001", "reset=1%:1%", "reset=1\x00", "reset=1:\u00e9",
		"reset = 1 : POST", "reset=.5", "reset=5.", "reset=..", "429=1:1.5s", "reset=1:/a:b", "5xx=1:after:after",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		rules, err := Parse(spec)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for _, r := range rules {
			if verr := r.Validate(); verr != nil {
				t.Fatalf("Parse(%q) accepted %+v, which does not validate: %v", spec, r, verr)
			}
		}
		text := Format(rules)
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) → Format %q does not parse: %v", spec, text, err)
		}
		if !reflect.DeepEqual(again, rules) && !(len(again) == 0 && len(rules) == 0) {
			t.Fatalf("Parse(%q) = %+v; Format %q parses as %+v", spec, rules, text, again)
		}
		if Format(again) != text {
			t.Fatalf("Format is not stable: %q then %q", text, Format(again))
		}
	})
}
