package demodir_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/tui/demodir"
)

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestOpenAndClose(t *testing.T) {
	parent := t.TempDir()
	d, removed, err := demodir.Open(parent)
	if err != nil || len(removed) != 0 {
		t.Fatalf("Open: %v, removed %v", err, removed)
	}
	info, err := os.Stat(d.Path())
	if err != nil || !info.IsDir() || filepath.Dir(d.Path()) != parent || !strings.HasPrefix(filepath.Base(d.Path()), demodir.Prefix) {
		t.Fatalf("directory %s: %v", d.Path(), err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o700 {
		t.Errorf("mode %04o, want 0700", info.Mode().Perm())
	}
	if err := os.WriteFile(filepath.Join(d.Path(), "relay.db"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if left := names(t, parent); len(left) != 0 {
		t.Errorf("left after Close: %v", left)
	}
}

// Two runs at once keep their directories; a run that is gone loses its
// own at the next Open; what is not a run's directory stays.
func TestOpenRemovesOnlyWhatIsStale(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: nothing is ever judged stale")
	}
	parent := t.TempDir()
	alive, _, err := demodir.Open(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer alive.Close()

	// A run killed before it could clean up: its lock file is there, held
	// by nobody.
	killed := filepath.Join(parent, demodir.Prefix+"killed")
	mustMkdir(t, killed)
	mustWrite(t, filepath.Join(killed, ".lock"), "")
	mustWrite(t, filepath.Join(killed, "demo_agent_ed25519"), "private key")
	// What Open must leave alone: a directory with content and no lock (an
	// older carddesk's, or someone else's), a symlink to a directory, a
	// file, and a directory not named like a run's.
	older := filepath.Join(parent, demodir.Prefix+"123456")
	mustMkdir(t, older)
	mustWrite(t, filepath.Join(older, "relay.db"), "x")
	target := t.TempDir()
	mustWrite(t, filepath.Join(target, ".lock"), "")
	if err := os.Symlink(target, filepath.Join(parent, demodir.Prefix+"link")); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(parent, demodir.Prefix+"file"), "")
	mustMkdir(t, filepath.Join(parent, "other"))
	mustWrite(t, filepath.Join(parent, "other", ".lock"), "")

	next, removed, err := demodir.Open(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if !slices.Equal(removed, []string{killed}) {
		t.Errorf("removed %v, want only %s", removed, killed)
	}
	want := []string{filepath.Base(alive.Path()), filepath.Base(next.Path()), filepath.Base(older),
		demodir.Prefix + "file", demodir.Prefix + "link", "other"}
	slices.Sort(want)
	if got := names(t, parent); !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	if got := names(t, target); len(got) != 1 {
		t.Errorf("the symlink's target lost its files: %v", got)
	}
}

func mustMkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Runs starting and ending at the same moment never remove each other's
// directories: each finds its own file in its own directory until it
// closes it.
func TestOpenConcurrently(t *testing.T) {
	parent := t.TempDir()
	const runs = 16
	errs := make(chan error, runs)
	for i := range runs {
		go func() {
			d, _, err := demodir.Open(parent)
			if err != nil {
				errs <- err
				return
			}
			path := filepath.Join(d.Path(), "audit.log")
			if err := os.WriteFile(path, []byte{byte(i)}, 0o600); err != nil {
				d.Close()
				errs <- err
				return
			}
			// Another run comes and goes meanwhile, cleaning up as it starts.
			other, _, err := demodir.Open(parent)
			if err == nil {
				err = other.Close()
			}
			if err != nil {
				d.Close()
				errs <- err
				return
			}
			b, err := os.ReadFile(path)
			if err == nil && (len(b) != 1 || b[0] != byte(i)) {
				err = os.ErrInvalid
			}
			if cerr := d.Close(); err == nil {
				err = cerr
			}
			errs <- err
		}()
	}
	for range runs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if left := names(t, parent); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
}
