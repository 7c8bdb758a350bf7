package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
)

// bench relay takes its secrets from the flag, its file, or else the
// environment the relay reads them from (the first of a list).
func TestSecretOrEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{"CARDDESK_VYDAPAY_WEBHOOK_SECRETS": " first , second"})
	tests := []struct {
		args   []string
		getenv func(string) string
		want   string
	}{
		{[]string{"--vydapay-secret", "from-flag"}, env, "from-flag"},
		{[]string{"--vydapay-secret-file", file}, env, "from-file"},
		{nil, env, "first"},
		{nil, noEnv, ""},
	}
	for _, tt := range tests {
		s := SecretFlag{Name: "vydapay-secret", Env: "CARDDESK_VYDAPAY_WEBHOOK_SECRETS"}
		fl := pflag.NewFlagSet("bench relay", pflag.ContinueOnError)
		s.Bind(fl)
		if err := fl.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		if got, err := SecretOrEnv(fl, &s, tt.getenv); err != nil || got != tt.want {
			t.Errorf("%v: %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}
