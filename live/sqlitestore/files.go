package sqlitestore

import (
	"errors"
	"fmt"
	"os"
)

// ErrFileGone marks a store whose database file, or its write-ahead log,
// is no longer the file at its path: deleted, or replaced by another.
// SQLite keeps writing to the file it opened, so every commit from then
// on would be lost when the relay restarts.
var ErrFileGone = errors.New("was deleted or replaced")

// openFile is a file the store has open, as it was at open.
type openFile struct {
	what string // "database file", "write-ahead log"
	path string
	info os.FileInfo
}

// noteFiles records the identity (device and inode) of the database file
// and of its write-ahead log, which exists once the writer has opened the
// database in WAL mode.
func (s *Store) noteFiles(abs string) error {
	for _, f := range []openFile{{what: "database file", path: abs}, {what: "database file's write-ahead log", path: abs + "-wal"}} {
		info, err := os.Stat(f.path)
		if err != nil {
			return fmt.Errorf("note %s: %w", f.what, err)
		}
		f.info = info
		s.files = append(s.files, f)
	}
	return nil
}

// checkFiles says, with an ErrFileGone, which file the path no longer
// names; nil while both are in place. Two stat(2) calls: it runs after
// every commit, before the commit is acknowledged, and costs a few
// microseconds beside the commit's fsync.
func (s *Store) checkFiles() error {
	for _, f := range s.files {
		now, err := os.Stat(f.path)
		if err != nil || !os.SameFile(f.info, now) {
			return fmt.Errorf("%s %w at %s", f.what, ErrFileGone, f.path)
		}
	}
	return nil
}
