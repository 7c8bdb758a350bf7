package sqlitestore

import (
	"context"
	"time"
)

// Checkpoints. SQLite's own automatic checkpoint runs inside the commit
// that crosses its threshold, so one batch in a few hundred would wait for
// megabytes of pages to be copied and the database file fsynced: the writer
// turns it off (wal_autocheckpoint=0) and checkpoints itself, between
// transactions and only after the commit's waiters have their answers.
//
// The checkpoint runs on the writer's own connection on purpose. A
// checkpoint that runs beside a busy writer (on another connection) never
// catches up with it: new frames land behind it, so the WAL is never wholly
// copied, SQLite never starts it over, and under a steady load it grows
// without end, every commit extending the file and so waiting for the file
// system's journal as well as for its own data. Between the writer's
// transactions, a PASSIVE checkpoint copies the whole WAL (unless a replay
// is still reading an older snapshot, and then the next one does), and the
// next write starts the WAL over from its beginning, in place.

// Checkpoint after this many commits or records.
const (
	checkpointCommits = 64
	checkpointRecords = 2048
)

// afterCommit counts a commit of n new records toward the next checkpoint,
// and runs the checkpoint when one is due. It runs on the writer's
// goroutine, outside any transaction, after the commit's waiters have been
// answered.
func (s *Store) afterCommit(n int) {
	s.sinceCommits++
	s.sinceRecords += n
	if s.sinceCommits < checkpointCommits && s.sinceRecords < checkpointRecords {
		return
	}
	s.sinceCommits, s.sinceRecords = 0, 0
	start := time.Now()
	defer func() { s.checkpointNanos.Add(int64(time.Since(start))) }()
	var busy, frames, copied int
	err := s.conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	if err != nil {
		// Nothing is lost: the WAL keeps the commits, and the next
		// checkpoint copies them.
		s.log.Warn("relay store: checkpoint", "err", err)
		return
	}
	s.checkpoints.Add(1)
}
