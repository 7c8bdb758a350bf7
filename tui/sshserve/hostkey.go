package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/carddesk/carddesk/api/secretfile"
)

// LoadOrCreateHostKey returns the PEM of the server's ed25519 host key at
// path, creating it (mode 0600, its directory 0700) on first start. An
// existing key readable by others is refused.
func LoadOrCreateHostKey(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err == nil {
		fi, serr := os.Stat(path)
		if serr != nil {
			return nil, fmt.Errorf("host key %s: %w", path, serr)
		}
		if err := secretfile.CheckPrivate(path, fi); err != nil {
			return nil, fmt.Errorf("host key: %w", err)
		}
		if _, perr := gossh.ParsePrivateKey(raw); perr != nil {
			return nil, fmt.Errorf("host key %s: %w", path, perr)
		}
		return raw, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "carddesk host key")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	out := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("host key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create host key %s: %w", path, err)
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write host key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write host key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write host key %s: %w", path, err)
	}
	return out, nil
}
