package sandbox

import (
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	t.Parallel()
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config()
	for _, k := range []struct{ got, prefix string }{
		{c.VaultsPayKey, "vp_test_"}, {c.VaultsPayReadOnlyKey, "vp_test_ro_"}, {c.VydapayKey, "sk_test_"},
		{c.VydapayPublishableKey, "pk_test_"}, {c.VaultsPayWebhookSecret, "whsec_"}, {c.VydapayWebhookSecret, "whsec_"},
	} {
		if !strings.HasPrefix(k.got, k.prefix) || len(k.got) < len(k.prefix)+16 {
			t.Errorf("generated %q, want %s…", k.got, k.prefix)
		}
	}
	if c.RateLimit != 100 || c.DeliveryBackoff != time.Second || c.Logger == nil {
		t.Errorf("defaults %+v", c)
	}
	c.VaultsPayWebhookURLs = append(c.VaultsPayWebhookURLs, "http://changed")
	if len(s.Config().VaultsPayWebhookURLs) != 0 {
		t.Error("Config shares its slices")
	}
	live, err := New(Config{VaultsPayKey: "vp_live_abc", VydapayKey: "sk_live_abc", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !live.keys["vp_live_abc"].live || live.Config().RateLimit != -1 {
		t.Error("live key or unlimited rate")
	}

	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"negative rate", Config{Rate: -1}, "rate"},
		{"wrong VaultsPay prefix", Config{VaultsPayKey: "sk_test_abc"}, "VaultsPay key"},
		{"bare prefix", Config{VydapayKey: "sk_test_"}, "Vydapay key"},
		{"secret as publishable", Config{VydapayPublishableKey: "sk_test_x"}, "publishable"},
		{"same key twice", Config{VaultsPayKey: "vp_test_same", VaultsPayReadOnlyKey: "vp_test_same"}, "same"},
		{"key with a space", Config{VaultsPayKey: "vp_test_a b"}, "white space"},
		{"bad webhook secret", Config{VaultsPayWebhookSecret: "whsec_!!!"}, "webhook secret"},
		{"relative webhook URL", Config{VydapayWebhookURLs: []string{"/hooks"}}, "webhook URL"},
		{"ftp webhook URL", Config{VaultsPayWebhookURLs: []string{"ftp://example.com/x"}}, "webhook URL"},
		{"negative backoff", Config{DeliveryBackoff: -time.Second}, "backoff"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"4242424242424242", "5555555555554444", "4539780000000009"} {
		if !luhnValid(n) {
			t.Errorf("%s should be Luhn-valid", n)
		}
	}
	if luhnValid("4242424242424241") || luhnValid("") {
		t.Error("invalid number accepted")
	}
	if !ibanValid("GB82WEST12345698765432") || ibanValid("GB82WEST12345698765433") {
		t.Error("IBAN check")
	}
	if got := maskKey("sk_test_abcdefghijkl"); got != "sk_test_****ijkl" {
		t.Errorf("mask %q", got)
	}
	for _, tc := range []struct {
		minor int64
		from  string
		to    string
		want  int64
	}{{1000, "USD", "USD", 1000}, {367, "AED", "USD", 100}, {1000, "USD", "JPY", 1500}, {1000, "USD", "BHD", 3760}} {
		if got := convert(tc.minor, tc.from, tc.to); got != tc.want {
			t.Errorf("convert %d %s→%s = %d, want %d", tc.minor, tc.from, tc.to, got, tc.want)
		}
	}
}
