// Package sshserve serves the dashboard to support agents over SSH: one
// Bubble Tea program per session over the backend every session shares.
// Agents authenticate with the public keys the configuration lists for
// them, and nothing else; their role comes with the matched key. It limits
// idle sessions, sessions per agent and connection rate, and tells
// connected agents when the server shuts down.
package sshserve
