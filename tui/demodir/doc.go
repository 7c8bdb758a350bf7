// Package demodir gives each demo run (carddesk demo, serve --demo) a
// directory of its own for its state — the relay's database and token, the
// audit log, the generated SSH keys — that does not outlive it. The run
// removes the directory when it ends; when it cannot (killed with SIGKILL,
// a crash, a power cut), the next run removes it at start. A directory
// whose run is alive holds a lock that the next run sees, so that two demos
// at once leave each other's state alone.
package demodir
