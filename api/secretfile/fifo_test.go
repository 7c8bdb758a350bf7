//go:build unix

package secretfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/carddesk/carddesk/api/secretfile"
)

// A named pipe carries a secret from a password manager without it
// touching the disk (--token-file <(pass relay)).
func TestReadTakesANamedPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return // Read fails, and says so
		}
		defer w.Close()
		_, _ = w.WriteString("from-the-pipe\n")
	}()
	got, err := secretfile.Read(path)
	if err != nil || got != "from-the-pipe" {
		t.Errorf("Read = %q, %v", got, err)
	}
}
