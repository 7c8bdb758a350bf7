package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/carddesk/carddesk/api/safetext"
	"github.com/carddesk/carddesk/api/secretfile"
)

// ErrAuditCardNumber: an entry holds what looks like a card number (a
// Luhn-valid run of 13 to 19 digits); it is refused, never written.
var ErrAuditCardNumber = errors.New("audit entry holds a card number")

// ErrAuditLogClosed: Record on a closed AuditLog.
var ErrAuditLogClosed = errors.New("audit log closed")

// AuditLog is the file-backed Auditor and AuditReader: one JSON line per
// entry (a refusal; an attempt, then its outcome), appended and synced to
// disk before Record returns. It is safe for
// concurrent use; Records are serialised.
type AuditLog struct {
	path string
	mu   sync.Mutex
	f    *os.File // nil once closed
	// sync makes the written line durable; (*os.File).Sync unless a test
	// replaces it.
	sync func(*os.File) error
}

// OpenAuditLog opens the audit log at path for appending, creating it with
// mode 0600 (and its directory with mode 0700) when missing. An existing
// file that other users may read or write is refused. A torn last line (a
// crash mid-write) is ended with a newline so that the next entry starts on
// a line of its own; ReadAuditLog skips the torn line and says so.
func OpenAuditLog(path string) (*AuditLog, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	l := &AuditLog{path: path, f: f, sync: (*os.File).Sync}
	if err := l.prepare(dir); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open audit log %s: %w", path, err)
	}
	return l, nil
}

// prepare checks the file's mode, ends a torn last line, and makes the
// file's creation durable.
func (l *AuditLog) prepare(dir string) error {
	info, err := l.f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("not a regular file (%s)", info.Mode().Type())
	}
	if err := secretfile.CheckPrivate(l.path, info); err != nil {
		return err
	}
	if info.Size() > 0 {
		torn, err := endsTorn(l.path, info.Size())
		if err != nil {
			return err
		}
		if torn {
			if _, err := l.f.Write([]byte("\n")); err != nil {
				return fmt.Errorf("end the torn last line: %w", err)
			}
		}
	}
	if err := l.sync(l.f); err != nil {
		return err
	}
	return syncDir(dir)
}

// endsTorn reports whether the file's last byte is not a newline.
func endsTorn(path string, size int64) (bool, error) {
	r, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer r.Close()
	last := make([]byte, 1)
	if _, err := r.ReadAt(last, size-1); err != nil {
		return false, fmt.Errorf("read the last line: %w", err)
	}
	return last[0] != '\n', nil
}

// syncDir makes a new directory entry durable. Not every platform can sync
// a directory; that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// Path is the file the log writes to.
func (l *AuditLog) Path() string { return l.path }

// Record appends e as one JSON line and syncs it to disk before it
// returns. An entry whose text holds a card number is refused with
// ErrAuditCardNumber and nothing is written.
func (l *AuditLog) Record(ctx context.Context, e AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("audit %s card %s: %w", e.Action, e.CardID, err)
	}
	if field, ok := holdsCardNumber(e); ok {
		return fmt.Errorf("audit %s card %s: %w in its %s", e.Action, safetext.Safe(e.CardID), ErrAuditCardNumber, field)
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit %s card %s: encode: %w", e.Action, e.CardID, err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("audit %s card %s: %w", e.Action, e.CardID, ErrAuditLogClosed)
	}
	if _, err := l.f.Write(line); err != nil {
		return fmt.Errorf("audit %s card %s: write %s: %w", e.Action, e.CardID, l.path, err)
	}
	if err := l.sync(l.f); err != nil {
		return fmt.Errorf("audit %s card %s: sync %s: %w", e.Action, e.CardID, l.path, err)
	}
	return nil
}

// holdsCardNumber names the first field of e that holds a card number.
func holdsCardNumber(e AuditEntry) (string, bool) {
	for _, f := range []struct{ name, text string }{
		{"reason", e.Reason}, {"outcome", e.Outcome}, {"card id", e.CardID},
		{"agent", e.Agent}, {"session", e.Session}, {"fingerprint", e.Fingerprint},
		{"request id", e.RequestID}, {"last four", e.LastFour}, {"action", string(e.Action)},
	} {
		if safetext.MaskPANs(f.text) != f.text {
			return f.name, true
		}
	}
	return "", false
}

// Close closes the file; later Records fail with ErrAuditLogClosed.
// Closing twice is harmless.
func (l *AuditLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("close audit log %s: %w", l.path, err)
	}
	return nil
}
