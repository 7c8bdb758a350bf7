package sqlitestore

import (
	"context"
	"database/sql"
)

// SQLite's own automatic checkpoint runs inside the commit that crosses
// its threshold, so one batch in a few hundred would wait for megabytes of
// pages to be copied and the database file fsynced. The writer turns it
// off (wal_autocheckpoint=0) and kicks this goroutine instead, which
// checkpoints on a connection of its own while appends go on: a PASSIVE
// checkpoint waits for no reader or writer.

// Kick the checkpointer after this many commits or records.
const (
	checkpointCommits = 64
	checkpointRecords = 2048
)

// checkpointer copies the WAL into the database file when kicked, until
// stop is closed.
func (s *Store) checkpointer(conn *sql.Conn, kick <-chan struct{}, stop <-chan struct{}) {
	defer close(s.ckDone)
	for {
		select {
		case <-stop:
			return
		case <-kick:
		}
		var busy, frames, copied int
		err := conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		if err != nil {
			s.log.Warn("relay store: checkpoint", "err", err)
			continue
		}
		s.checkpoints.Add(1)
	}
}

// afterCommit counts a commit of n new records toward the next checkpoint.
// It runs on the writer's goroutine.
func (s *Store) afterCommit(n int) {
	s.sinceCommits++
	s.sinceRecords += n
	if s.sinceCommits < checkpointCommits && s.sinceRecords < checkpointRecords {
		return
	}
	s.sinceCommits, s.sinceRecords = 0, 0
	select {
	case s.ckKick <- struct{}{}:
	default: // one is already due
	}
}
