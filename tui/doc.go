// Package tui is carddesk's dashboard: a Bubble Tea program per agent with
// the Users, Cards, Live and Declines views, detail panes, card actions
// behind confirmation dialogs, a header that says what the agent is
// connected to, and a help screen built from the live keymap. All I/O runs
// in commands through the shared backend (tui/backend); views only render.
package tui
