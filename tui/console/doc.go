// Package console runs the dashboard in this process's own terminal, as
// `carddesk` and `carddesk demo` do: one Bubble Tea program over the
// backend, which runs beside it and stops with it, for the person at the
// terminal (sshserve runs one such program per SSH session instead).
package console
