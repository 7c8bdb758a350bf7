package secretfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// MaxSize caps what Read and ReadLines read: a list of secrets during a
// rotation is a few lines, never a file this large.
const MaxSize = 64 << 10

// Read returns the one secret in the file at path, without the white
// space around it (an editor's final newline). A file that is empty, holds
// more than one line, or is not private (CheckPrivate) is an error; no
// error quotes the file's contents.
func Read(path string) (string, error) {
	raw, err := readPrivate(path)
	if err != nil {
		return "", err
	}
	secret := strings.TrimSpace(raw)
	switch {
	case secret == "":
		return "", fmt.Errorf("%s is empty: want the secret on its one line", path)
	case strings.ContainsAny(secret, "\r\n"):
		return "", fmt.Errorf("%s holds more than one line: want one secret", path)
	}
	return secret, nil
}

// ReadLines returns the secrets in the file at path, one a line (several
// during a rotation), each without the white space around it; blank lines
// are skipped. A file with no secret, or one that is not private
// (CheckPrivate), is an error; no error quotes the file's contents.
func ReadLines(path string) ([]string, error) {
	raw, err := readPrivate(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for line := range strings.Lines(raw) {
		if s := strings.TrimSpace(line); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is empty: want one secret a line", path)
	}
	return out, nil
}

// readPrivate reads the file at path once its mode has been checked on the
// same open file, so that a file swapped in between is not read unchecked.
// A named pipe is accepted beside a regular file, so that a secret can come
// from a password manager without touching the disk: --token-file <(pass relay).
func readPrivate(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err // "open PATH: no such file or directory", and the like
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("stat %s: %w", path, err)
	}
	if mode := info.Mode(); !mode.IsRegular() && mode.Type() != fs.ModeNamedPipe {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	if err := CheckPrivate(path, info); err != nil {
		return "", err
	}
	buf, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if len(buf) > MaxSize {
		return "", fmt.Errorf("%s is larger than %d bytes: want a secret, one a line", path, MaxSize)
	}
	return string(buf), nil
}
