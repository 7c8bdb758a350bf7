package secretfile

import (
	"fmt"
	"io/fs"
	"runtime"
)

// CheckPrivate refuses a file that its group or others may read or write,
// saying how to fix it: ssh refuses such a private key for the same
// reason. A file others may write is refused too, since whoever can
// rewrite a webhook secret or a token can forge what it guards. Windows
// has no such mode bits, so there the check passes.
func CheckPrivate(path string, info fs.FileInfo) error {
	perm := info.Mode().Perm()
	if perm&0o077 == 0 || runtime.GOOS == "windows" {
		return nil
	}
	what := "readable"
	if perm&0o044 == 0 {
		what = "writable"
	}
	return fmt.Errorf("%s is %s by group or others (mode %04o); run: chmod 600 %s", path, what, perm, path)
}
