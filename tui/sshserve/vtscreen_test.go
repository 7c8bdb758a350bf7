package sshserve

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"

	"github.com/carddesk/carddesk/api/safetext"
)

// vtScreen is what an agent's terminal shows: a session's output run
// through a terminal emulator. The renderer writes only the cells that
// change, so the byte stream alone cannot say what is on screen when
// something has gone from it.
type vtScreen struct {
	mu      sync.Mutex
	emu     *vt.Emulator
	changed chan struct{}
}

func newVTScreen(w, h int) *vtScreen {
	emu := vt.NewEmulator(w, h)
	// The emulator writes its answers to queries to a pipe, and a write
	// waits for a reader: drained, and dropped.
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	return &vtScreen{emu: emu, changed: make(chan struct{})}
}

func (s *vtScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.emu.Write(p)
	close(s.changed)
	s.changed = make(chan struct{})
	return n, err
}

// Close ends the drain of the emulator's answers.
func (s *vtScreen) Close() error {
	if c, ok := s.emu.InputPipe().(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// await waits until cond holds for the screen's text.
func (s *vtScreen) await(what string, cond func(screen string) bool) error {
	deadline := time.After(waitLimit)
	for {
		s.mu.Lock()
		text, changed := s.emu.String(), s.changed
		s.mu.Unlock()
		if cond(text) {
			return nil
		}
		select {
		case <-changed:
		case <-deadline:
			return fmt.Errorf("waited %s for %s; the screen shows (card numbers masked):\n%s", waitLimit, what, safetext.MaskPANs(text))
		}
	}
}
