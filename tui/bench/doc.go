// Package bench holds the engines of the dashboard's benchmarks, `carddesk
// bench ssh`, `agents`, `start` and `budget`: each starts the in-process
// stack (tui/stack) with the SSH server over it, or the demo in a
// pseudo-terminal, drives real sessions through a terminal emulator that
// reads the screen as an agent sees it, and reports what it measured as a
// table. The relay's own load engine is live/loadtest.
//
// Its terminal driver (Term, Screen, CompleteFrame) also serves the
// command's end-to-end tests, which wait for a demo's first frame.
package bench
