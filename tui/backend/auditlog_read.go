package backend

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// ErrAuditLinesSkipped: ReadAuditLog skipped lines it could not read (a
// torn last line after a crash, or a damaged one). It comes with the
// entries that were read.
var ErrAuditLinesSkipped = errors.New("audit log lines skipped")

// AuditSkipError is ReadAuditLog's report of the lines it skipped; it
// matches ErrAuditLinesSkipped.
type AuditSkipError struct {
	Path string
	// Lines says what was wrong with each skipped line, in file order:
	// "line 12 is torn (an unfinished write)".
	Lines []string
}

func (e *AuditSkipError) Error() string {
	return fmt.Sprintf("read audit log %s: %v: %s", e.Path, ErrAuditLinesSkipped, strings.Join(e.Lines, "; "))
}

func (e *AuditSkipError) Unwrap() error { return ErrAuditLinesSkipped }

// maxAuditLine bounds one line of the log; an entry's free text is bounded
// (maxAuditText), so a longer line is damage.
const maxAuditLine = 64 << 10

// ReadAuditLog returns the entries of the last limit lines of the log at
// path, newest first. An attempt is one entry: its pending line is folded
// into the outcome that follows it, and one that no outcome followed comes
// back as OutcomeMissing. Lines it cannot read are skipped: the entries come
// back with an *AuditSkipError (matching ErrAuditLinesSkipped) that says
// which lines, so a caller can show both.
func ReadAuditLog(path string, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("read audit log %s: limit %d: want at least 1", path, limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read audit log %s: %w", path, err)
	}
	defer f.Close()
	entries, skipped, err := readAuditEntries(f, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log %s: %w", path, err)
	}
	entries = pairAttempts(entries)
	slices.Reverse(entries)
	if len(skipped) > 0 {
		return entries, &AuditSkipError{Path: path, Lines: skipped}
	}
	return entries, nil
}

// Read returns the latest entries as ReadAuditLog does; it makes the log
// an AuditReader, which Backend.ReadAudit reads through.
func (l *AuditLog) Read(ctx context.Context, limit int) ([]AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read audit log %s: %w", l.path, err)
	}
	return ReadAuditLog(l.path, limit)
}

// readAuditEntries reads every line, keeping the last limit entries (oldest
// first) and describing each line it skipped.
func readAuditEntries(r io.Reader, limit int) (entries []AuditEntry, skipped []string, err error) {
	br := bufio.NewReaderSize(r, 32<<10)
	ring := make([]AuditEntry, 0, min(limit, 1024))
	start := 0 // index of the oldest entry once the ring is full
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err == io.EOF && line == nil {
			break
		}
		if err != nil && err != io.EOF {
			return nil, nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case err == io.EOF:
			// The file does not end in a newline: a write that did not
			// finish. Record writes a line in one go, so this is the last.
			skipped = append(skipped, fmt.Sprintf("line %d is torn (an unfinished write)", n))
		case tooLong:
			skipped = append(skipped, fmt.Sprintf("line %d is longer than %d bytes", n, maxAuditLine))
		default:
			e, perr := ParseAuditLine(line)
			if perr != nil {
				skipped = append(skipped, fmt.Sprintf("line %d: %v", n, perr))
				continue
			}
			if len(ring) < limit {
				ring = append(ring, e)
			} else {
				ring[start] = e
				start = (start + 1) % limit
			}
		}
		if err == io.EOF {
			break
		}
	}
	return append(ring[start:], ring[:start]...), skipped, nil
}

// pairAttempts folds each pending line into the outcome that follows it
// and marks the rest as having none. entries are in file order; an outcome
// always follows its attempt, so an attempt among them has its outcome
// among them too, if it has one.
func pairAttempts(entries []AuditEntry) []AuditEntry {
	ended := map[string]bool{}
	for _, e := range entries {
		if e.Attempt != "" && e.Outcome != OutcomePending {
			ended[e.Attempt] = true
		}
	}
	out := entries[:0]
	for _, e := range entries {
		if e.Outcome == OutcomePending {
			if ended[e.Attempt] {
				continue
			}
			e.Outcome = OutcomeMissing
		}
		out = append(out, e)
	}
	return out
}

// readLine reads one line without its newline. A line longer than
// maxAuditLine is consumed and reported as tooLong; io.EOF with a line
// means the line had no newline.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(line)+len(chunk) > maxAuditLine+1 {
			tooLong, line = true, []byte{}
		}
		if !tooLong {
			line = append(line, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(line) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return line, tooLong, io.EOF
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, nil
	}
}

// ParseAuditLine reads one line of the audit log. An entry must say when,
// who, what and how it ended; unknown fields (from a newer carddesk) are
// ignored.
func ParseAuditLine(line []byte) (AuditEntry, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return AuditEntry{}, errors.New("empty line")
	}
	if len(line) > maxAuditLine {
		return AuditEntry{}, fmt.Errorf("line is longer than %d bytes", maxAuditLine)
	}
	var e AuditEntry
	if err := json.Unmarshal(line, &e); err != nil {
		return AuditEntry{}, fmt.Errorf("not an audit entry: %w", err)
	}
	switch {
	case e.Time.IsZero():
		return AuditEntry{}, errors.New("entry has no time")
	case e.Agent == "":
		return AuditEntry{}, errors.New("entry has no agent")
	case e.Action == "":
		return AuditEntry{}, errors.New("entry has no action")
	case e.Outcome == "":
		return AuditEntry{}, errors.New("entry has no outcome")
	}
	return e, nil
}
