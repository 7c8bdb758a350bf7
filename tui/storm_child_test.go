package tui

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// stormChildEnv, set, says this process is the one a storm runs in.
const stormChildEnv = "CARDDESK_STORM_CHILD"

// inStormChild reports whether this process runs the storm itself.
func inStormChild() bool { return os.Getenv(stormChildEnv) != "" }

// runStormChild runs TestDeclineStorm again in a fresh process of this
// test binary (built the same, with or without the race detector), and
// passes its log on. The heap the storm samples is then the storm's alone:
// in a process that has run the package's other tests first, the heap
// holds whatever they left behind, hundreds of megabytes that make every
// collection slow and every sample meaningless.
func runStormChild(t *testing.T) {
	t.Helper()
	args := []string{"-test.run=^TestDeclineStorm$", "-test.count=1", "-test.v"}
	if *stormFull {
		args = append(args, "-storm.full")
	}
	if d, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
	cmd.Env = append(os.Environ(), stormChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	for line := range strings.Lines(string(bytes.TrimSpace(out))) {
		t.Log(strings.TrimRight(line, "\n"))
	}
	switch {
	case err != nil:
		t.Fatalf("the storm's process: %v", err)
	case !bytes.Contains(out, []byte("--- PASS: TestDeclineStorm")):
		t.Fatal("the storm's process did not run TestDeclineStorm")
	}
}
