package secretfile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/secretfile"
)

// writeSecret writes content at mode into a fresh directory.
func writeSecret(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func TestRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	const secret = "whsec_c2VjcmV0LXZhbHVlLW5vdC10by1iZS1zaG93bg=="
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string // the secret, or a substring of the error
		wantErr bool
	}{
		{"one line", secret + "\n", 0o600, secret, false},
		{"no final newline", secret, 0o600, secret, false},
		{"CRLF and spaces around", "  " + secret + " \r\n\n", 0o400, secret, false},
		{"group readable", secret + "\n", 0o640, "is readable by group or others (mode 0640); run: chmod 600 ", true},
		{"world readable", secret + "\n", 0o644, "is readable by group or others (mode 0644); run: chmod 600 ", true},
		{"group writable", secret + "\n", 0o620, "is writable by group or others (mode 0620); run: chmod 600 ", true},
		{"empty", "", 0o600, "is empty", true},
		{"only a newline", " \n", 0o600, "is empty", true},
		{"two lines", secret + "\n" + secret + "\n", 0o600, "holds more than one line", true},
		{"too large", strings.Repeat("a", secretfile.MaxSize+1), 0o600, "larger than", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeSecret(t, tt.content, tt.mode)
			got, err := secretfile.Read(path)
			if !tt.wantErr {
				if err != nil || got != tt.want {
					t.Fatalf("Read = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Read = %q, %v; want an error naming the file and saying %q", got, err, tt.want)
			}
			if strings.Contains(err.Error(), "whsec_") || strings.Contains(err.Error(), "aaaa") {
				t.Errorf("the error quotes the file: %v", err)
			}
		})
	}
}

func TestReadLines(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string // the secrets joined by |, or a substring of the error
		wantErr bool
	}{
		{"one", "old\n", 0o600, "old", false},
		{"a rotation, blank lines and CRLF", "old\r\n\n  new  \n", 0o600, "old|new", false},
		{"world readable", "old\nnew\n", 0o604, "chmod 600", true},
		{"blank", "\n\n \n", 0o600, "is empty", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := secretfile.ReadLines(writeSecret(t, tt.content, tt.mode))
			if !tt.wantErr {
				if err != nil || strings.Join(got, "|") != tt.want {
					t.Fatalf("ReadLines = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadLines = %q, %v; want an error saying %q", got, err, tt.want)
			}
			if strings.Contains(err.Error(), "old") {
				t.Errorf("the error quotes the file: %v", err)
			}
		})
	}
}

func TestReadRefusesWhatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := secretfile.Read(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v", err)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := secretfile.Read(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing file: %v", err)
	}
}
