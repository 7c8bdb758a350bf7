package live_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/live"
)

func TestLoadOrCreateTokenCreatesPrivateFileOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "state", "carddesk")
	path := filepath.Join(dir, "relay.token")
	tok, err := live.LoadOrCreateToken(path)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(tok) {
		t.Errorf("token %q is not 32 random bytes in hex", tok)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
	}
	again, err := live.LoadOrCreateToken(path)
	if err != nil || again != tok {
		t.Errorf("second load: %q, %v; want the same token", again, err)
	}
	other, err := live.LoadOrCreateToken(filepath.Join(t.TempDir(), "relay.token"))
	if err != nil || other == tok {
		t.Errorf("another state dir got %q (%v): tokens must be random", other, err)
	}
}

func TestLoadOrCreateTokenRefusesBadFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"group readable", "0123456789abcdef0123456789abcdef\n", 0o640, "chmod 600"},
		{"world readable", "0123456789abcdef0123456789abcdef\n", 0o604, "chmod 600"},
		{"empty", "\n", 0o600, "empty"},
		{"two words", "abc def\n", 0o600, "more than one"},
		{"too large", strings.Repeat("a", 5000), 0o600, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "relay.token")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			tok, err := live.LoadOrCreateToken(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, %v; want an error mentioning %q", tok, err, tt.want)
			}
		})
	}
	// A directory where the file should be is no token either.
	dir := t.TempDir()
	if _, err := live.LoadOrCreateToken(dir); err == nil {
		t.Error("a directory was taken for a token file")
	}
}

func TestLoadOrCreateTokenReadsOperatorsToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relay.token")
	if err := os.WriteFile(path, []byte("  operator-chosen-token-1234  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tok, err := live.LoadOrCreateToken(path)
	if err != nil || tok != "operator-chosen-token-1234" {
		t.Errorf("got %q, %v", tok, err)
	}
}
