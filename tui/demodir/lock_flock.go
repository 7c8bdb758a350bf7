//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package demodir

import (
	"io/fs"
	"os"
	"syscall"
)

// lockFile takes f's exclusive lock, waiting for a run cleaning up that
// holds it for a moment. The kernel lets go of it when the process ends,
// however it ends: that is what tells the next run that this one is gone.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}

// tryLock takes f's exclusive lock if nobody holds it.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

// ownedByMe says whether the file info describes belongs to this user.
func ownedByMe(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

// openNoFollow opens path for reading, refusing a symbolic link.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
}
