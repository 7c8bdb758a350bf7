package vydapay

import (
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestKeyMode(t *testing.T) {
	tests := []struct {
		key  string
		want api.Mode
		err  string // a part of the error; "" for success
	}{
		{"sk_test_abc123", api.ModeTest, ""},
		{"sk_live_abc123def456", api.ModeLive, ""},
		{"pk_test_abc123", "", "a publishable key (pk_) cannot act on cards; configure a secret key (sk_test_ or sk_live_)"},
		{"pk_live_abc123", "", "publishable key (pk_)"},
		{"", "", "no API key"},
		{"sk_test_", "", "only the sk_test_ prefix"},
		{"sk_live_", "", "only the sk_live_ prefix"},
		{" sk_test_abc", "", "whitespace"},
		{"sk_test_abc\n", "", "whitespace"},
		{"vp_test_abc123", "", `starting "vp_test_" is not a Vydapay secret key; want sk_test_ or sk_live_`},
		{"rk_live_abc", "", "want sk_test_ or sk_live_"},
		{"SK_TEST_abc", "", "sk_test_ or sk_live_"},
		{"abcdef", "", "want one starting sk_test_ or sk_live_"},
	}
	for _, tt := range tests {
		got, err := KeyMode(tt.key)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("KeyMode(%q) = %q, %v; want %q", tt.key, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("KeyMode(%q) error %v; want it to say %q", tt.key, err, tt.err)
		}
		if len(tt.key) > 8 && strings.Contains(err.Error(), tt.key) {
			t.Errorf("KeyMode(%q) error quotes the key: %v", tt.key, err)
		}
	}
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		err  string
	}{
		{"defaults", Config{Key: "sk_live_x"}, ""},
		{"loopback http", Config{Key: "sk_test_x", BaseURL: "http://127.0.0.1:8080/vydapay/v1"}, ""},
		{"localhost http", Config{Key: "sk_test_x", BaseURL: "http://localhost:8080/v1"}, ""},
		{"ipv6 loopback http", Config{Key: "sk_test_x", BaseURL: "http://[::1]:8080/v1"}, ""},
		{"https elsewhere", Config{Key: "sk_test_x", BaseURL: "https://sandbox.example.com/v1/"}, ""},
		{"publishable key", Config{Key: "pk_test_x"}, "publishable key"},
		{"plain http elsewhere", Config{Key: "sk_test_x", BaseURL: "http://api.vydapay.com/v1"}, "plain http"},
		{"other scheme", Config{Key: "sk_test_x", BaseURL: "ftp://api.vydapay.com/v1"}, "scheme must be https"},
		{"relative", Config{Key: "sk_test_x", BaseURL: "/v1"}, "not an absolute URL"},
		{"credentials", Config{Key: "sk_test_x", BaseURL: "https://u:secretpw@api.vydapay.com/v1"}, "credentials"},
		{"query", Config{Key: "sk_test_x", BaseURL: "https://api.vydapay.com/v1?x=1"}, "query"},
	}
	for _, tt := range tests {
		c, err := New(tt.cfg)
		if tt.err == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: New = %v, %v; want an error saying %q", tt.name, c, err, tt.err)
		}
		if err != nil && strings.Contains(err.Error(), "secretpw") {
			t.Errorf("%s: error shows the URL's password: %v", tt.name, err)
		}
	}
}

func TestClientDescribesItself(t *testing.T) {
	c, err := New(Config{Key: "sk_live_abc"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider() != "vydapay" || c.Mode() != api.ModeLive {
		t.Errorf("provider %q mode %q", c.Provider(), c.Mode())
	}
	want := api.Capabilities{GlobalTransactions: true, UserTransactions: true}
	if c.Capabilities() != want {
		t.Errorf("capabilities %+v, want %+v", c.Capabilities(), want)
	}
	if c.RateLimit().Known() {
		t.Error("rate limit known before any request")
	}
}

func TestSafeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"card_abc123", `"card_abc123"`},
		{"4111111111111111", `"••••••••••••1111"`},
		{"card_4111 1111 1111 1111", `"card_•••• •••• •••• 1111"`},
		{"4111-1111-1111-1111 ", `"••••-••••-••••-1111 "`},
		{"ch_12 34", `"ch_12 34"`},
		{"x4111111111111111y", `"x••••••••••••1111y"`},
		{"12345678", `"12345678"`},
		{"a\x1b[31m", `"a\x1b[31m"`},
		{strings.Repeat("a", 70), `"` + strings.Repeat("a", 64) + `…"`},
	}
	for _, tt := range tests {
		if got := safeID(tt.in); got != tt.want {
			t.Errorf("safeID(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
