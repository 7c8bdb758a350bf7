package tui

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CommandKind is what a command line asks for.
type CommandKind int

// Commands of the command line.
const (
	CmdUsers CommandKind = iota + 1
	CmdCards
	CmdLive
	CmdDeclines
	CmdUser     // Arg: a search (email, name, phone, id or last four)
	CmdCard     // Arg: a card id or its last four
	CmdAudit    // the audit log (supervisors only)
	CmdMessages // the session's failures and outcomes, in full
	CmdQuit
)

// Command is a parsed command line.
type Command struct {
	Kind CommandKind
	Arg  string
}

// maxCommandLen caps a command line; nothing sensible is longer.
const maxCommandLen = 256

// errUnknownCommand is matched by the footer to say so plainly.
var errUnknownCommand = errors.New("unknown command")

// ParseCommand reads a command line such as ":user alice@example.com" (the
// leading colon is optional). It is pure: the root runs what it returns.
func ParseCommand(line string) (Command, error) {
	if len(line) > maxCommandLen {
		return Command{}, fmt.Errorf("command is longer than %d bytes", maxCommandLen)
	}
	if !utf8.ValidString(line) {
		return Command{}, errors.New("command is not valid UTF-8")
	}
	for _, r := range line {
		if unicode.IsControl(r) && r != '\t' {
			return Command{}, errors.New("command contains control characters")
		}
	}
	s := strings.TrimPrefix(strings.TrimSpace(line), ":")
	if strings.TrimSpace(s) == "" {
		return Command{}, errors.New("empty command")
	}
	fields := strings.Fields(s)
	verb, arg := fields[0], strings.Join(fields[1:], " ")
	kind, takesArg, ok := commandVerb(strings.ToLower(verb))
	if !ok {
		return Command{}, fmt.Errorf("%w :%s", errUnknownCommand, printable(verb))
	}
	switch {
	case takesArg && arg == "":
		return Command{}, fmt.Errorf(":%s needs an argument (%s)", verb, argHint(kind))
	case !takesArg && arg != "":
		return Command{}, fmt.Errorf(":%s takes no argument", verb)
	}
	return Command{Kind: kind, Arg: arg}, nil
}

// commandVerb maps a verb (and its short forms) to its command.
func commandVerb(v string) (kind CommandKind, takesArg, ok bool) {
	switch v {
	case "users":
		return CmdUsers, false, true
	case "cards":
		return CmdCards, false, true
	case "live":
		return CmdLive, false, true
	case "declines":
		return CmdDeclines, false, true
	case "user", "u":
		return CmdUser, true, true
	case "card", "c":
		return CmdCard, true, true
	case "audit":
		return CmdAudit, false, true
	case "messages", "msg":
		return CmdMessages, false, true
	case "q", "quit":
		return CmdQuit, false, true
	}
	return 0, false, false
}

func argHint(k CommandKind) string {
	if k == CmdUser {
		return "an email, name, phone, id or last four"
	}
	return "a card id or its last four"
}

// commandHelp lists the commands for the help screen.
func commandHelp() [][2]string {
	return [][2]string{
		{":users", "users"},
		{":cards", "cards"},
		{":live", "live stream"},
		{":declines", "declines"},
		{":user <query>", "find a user"},
		{":card <id|last4>", "open a card"},
		{":audit", "audit log (supervisors)"},
		{":messages", "messages, in full"},
		{":q", "quit"},
	}
}
