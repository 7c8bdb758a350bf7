//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package demodir

import (
	"io/fs"
	"os"
)

// Without flock there is no telling a killed run from a live one, so no
// directory is ever judged stale here: a killed demo's directory stays
// until the system empties its temporary directory.

func lockFile(*os.File) error { return nil }

func tryLock(*os.File) bool { return false }

func ownedByMe(fs.FileInfo) bool { return false }

func openNoFollow(path string) (*os.File, error) { return os.Open(path) }
