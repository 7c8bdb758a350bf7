// Package secretfile reads secrets — API keys, webhook secrets, stream
// tokens — from files, and decides in one place whether a file is private
// enough to hold one: a secret on a command line is readable by every
// local user (ps, /proc), and so is one in a file its group or others may
// read.
package secretfile
