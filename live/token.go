package live

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/carddesk/carddesk/api/secretfile"
)

// tokenBytes is the entropy of a generated stream token.
const tokenBytes = 32

// maxTokenFile caps what LoadOrCreateToken reads.
const maxTokenFile = 4096

// LoadOrCreateToken returns the stream bearer token kept at path, creating
// it (32 random bytes, hex) with mode 0600 in a 0700 directory on first
// use. A token file that group or others may read is refused: the token
// lets anyone read every event.
func LoadOrCreateToken(path string) (string, error) {
	tok, err := readToken(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return tok, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create relay token directory: %w", err)
	}
	tok = NewToken()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readToken(path) // another process created it first
	}
	if err != nil {
		return "", fmt.Errorf("create relay token %s: %w", path, err)
	}
	_, werr := f.WriteString(tok + "\n")
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		return "", fmt.Errorf("write relay token %s: %w", path, werr)
	}
	return tok, nil
}

// NewToken is a fresh stream bearer token: 32 random bytes, hex.
func NewToken() string {
	var b [tokenBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return hex.EncodeToString(b[:])
}

// ReadToken reads the token a relay keeps at path, refusing a file that
// group or others can read (as ssh refuses such a private key). A missing
// file is an error that matches fs.ErrNotExist.
func ReadToken(path string) (string, error) { return readToken(path) }

// readToken reads an existing token file, checking its mode first.
func readToken(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		return "", fmt.Errorf("read relay token: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("read relay token: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("relay token %s is not a regular file", path)
	}
	if err := secretfile.CheckPrivate(path, st); err != nil {
		return "", fmt.Errorf("relay token %w", err)
	}
	buf, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return "", fmt.Errorf("read relay token %s: %w", path, err)
	}
	if len(buf) > maxTokenFile {
		return "", fmt.Errorf("relay token %s is larger than %d bytes", path, maxTokenFile)
	}
	tok := strings.TrimSpace(string(buf))
	if tok == "" {
		return "", fmt.Errorf("relay token %s is empty; delete it to generate a new one", path)
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("relay token %s holds more than one line or word", path)
	}
	return tok, nil
}
