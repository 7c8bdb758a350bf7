package demodir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Prefix starts the name of every run's directory.
const Prefix = "carddesk-demo-"

// lockName is the file in a run's directory that the run holds locked.
const lockName = ".lock"

// createAttempts bounds how often Open starts over when a run starting at
// the same moment took its new directory for a stale one.
const createAttempts = 5

// errGone says a new directory was removed before its lock was held.
var errGone = errors.New("removed by another run starting at the same moment")

// Dir is one run's directory, locked until Close.
type Dir struct {
	path string
	lock *os.File
}

// Path is the directory's path.
func (d *Dir) Path() string { return d.path }

// Close removes the directory, then lets go of its lock.
func (d *Dir) Close() error {
	err := os.RemoveAll(d.path)
	if cerr := d.lock.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("remove demo directory: %w", err)
	}
	return nil
}

// Open removes from parent (the system's temporary directory when empty)
// the directories of runs that are gone, and creates a fresh one (mode
// 0700) for this run, locked until Close. It returns the paths it removed.
func Open(parent string) (*Dir, []string, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	removed, err := removeStale(parent)
	if err != nil {
		return nil, nil, err
	}
	for range createAttempts {
		d, err := create(parent)
		if errors.Is(err, errGone) {
			continue
		}
		return d, removed, err
	}
	return nil, removed, fmt.Errorf("create demo directory in %s: %w, %d times", parent, errGone, createAttempts)
}

// create makes a directory, then creates and locks its lock file. Between
// the two, a run cleaning up may find the directory empty or its lock free
// and remove it: then the lock file is no longer the one at its path, and
// the caller starts over.
func create(parent string) (*Dir, error) {
	path, err := os.MkdirTemp(parent, Prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("create demo directory: %w", err)
	}
	lockPath := filepath.Join(path, lockName)
	lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errGone
	}
	if err != nil {
		_ = os.RemoveAll(path)
		return nil, fmt.Errorf("create demo directory lock: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		_ = os.RemoveAll(path)
		return nil, fmt.Errorf("lock demo directory: %w", err)
	}
	held, err := lock.Stat()
	if err != nil {
		lock.Close()
		_ = os.RemoveAll(path)
		return nil, fmt.Errorf("lock demo directory: %w", err)
	}
	if now, err := os.Lstat(lockPath); err != nil || !os.SameFile(held, now) {
		lock.Close()
		return nil, errGone
	}
	return &Dir{path: path, lock: lock}, nil
}

// removeStale removes the run directories in parent that are this user's
// and whose lock nobody holds, and returns their paths. One it cannot
// judge or remove stays: cleaning up after others must not stop a demo.
func removeStale(parent string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, fmt.Errorf("look for earlier demos' directories: %w", err)
	}
	var removed []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), Prefix) || !e.IsDir() { // IsDir: a symlink is not followed
			continue
		}
		path := filepath.Join(parent, e.Name())
		if removeIfStale(path) {
			removed = append(removed, path)
		}
	}
	return removed, nil
}

// removeIfStale removes path if it is this user's and its run is gone:
// its lock file is free. A directory with no lock file is left alone
// unless empty, since it may be a run's in the moment before it locks, or
// another program's.
func removeIfStale(path string) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.IsDir() || !ownedByMe(info) {
		return false
	}
	lock, err := openNoFollow(filepath.Join(path, lockName))
	if errors.Is(err, fs.ErrNotExist) {
		return os.Remove(path) == nil // only if empty
	}
	if err != nil {
		return false
	}
	defer lock.Close()
	if !tryLock(lock) {
		return false // its run is alive
	}
	return os.RemoveAll(path) == nil
}
