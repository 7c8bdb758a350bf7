package bench

import "strings"

// The views the benchmarks wait for, as the screen shows them.

// usersListShown: the Users table with rows.
func usersListShown(s *Screen) bool {
	return s.hasRow("Name", "Email", "KYC") && s.Contains("@")
}

// liveShown: the Live table.
func liveShown(s *Screen) bool {
	return s.hasRow("Time", "Event", "Amount", "Merchant")
}

// usersLoaded: the Users list drawn with its first rows.
func usersLoaded(s *Screen) bool {
	return usersListShown(s) && !s.loading()
}

// CompleteFrame: the header's status line on the top row and the footer's
// keys on the bottom row — the first frame drawn from top to bottom.
func CompleteFrame(s *Screen) bool {
	top, bottom := s.Line(0), s.Line(s.h-1)
	return (strings.Contains(top, " TEST") || strings.Contains(top, " LIVE")) && strings.HasSuffix(bottom, "q quit")
}

// usersDrawn: a complete frame with the Users list's rows.
func usersDrawn(s *Screen) bool {
	return CompleteFrame(s) && usersLoaded(s)
}
