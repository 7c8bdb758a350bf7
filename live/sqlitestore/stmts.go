package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// writeStmts are the writer's prepared statements, bound to its connection.
type writeStmts struct {
	insert, lookup, tombstone, setLast, health *sql.Stmt
	// begin and commit are prepared too: a statement run as text is
	// compiled afresh every time, and they run once per batch.
	begin, commit *sql.Stmt
}

func (w *writeStmts) prepare(ctx context.Context, c *sql.Conn) error {
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		// Neither a stored event nor a pruned one is stored again.
		{&w.insert, `INSERT INTO events (seq, provider, event_id, type, card_id, user_id, occurred_at, received_at, event)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
			WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE provider = ? AND event_id = ?)
			ON CONFLICT (provider, event_id) DO NOTHING`},
		{&w.lookup, `SELECT seq FROM events WHERE provider = ? AND event_id = ?
			UNION ALL SELECT seq FROM tombstones WHERE provider = ? AND event_id = ? LIMIT 1`},
		{&w.tombstone, `INSERT INTO tombstones (provider, event_id, seq, until) VALUES (?, ?, ?, ?)
			ON CONFLICT (provider, event_id) DO UPDATE SET until = MAX(until, excluded.until)`},
		{&w.setLast, `UPDATE meta SET value = ? WHERE key = 'last_seq'`},
		{&w.health, `UPDATE meta SET value = value + 1 WHERE key = 'health_check'`},
		{&w.begin, `BEGIN IMMEDIATE`},
		{&w.commit, `COMMIT`},
	} {
		st, err := c.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.sql, err)
		}
		*p.dst = st
	}
	return nil
}

func (w *writeStmts) close() []error {
	return closeAll(w.insert, w.lookup, w.tombstone, w.setLast, w.health, w.begin, w.commit)
}

// readStmts are the read pool's prepared statements.
type readStmts struct {
	after, lastEventAt *sql.Stmt
}

func (r *readStmts) prepare(ctx context.Context, db *sql.DB) error {
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&r.after, `SELECT ` + recordColumns + ` FROM events WHERE seq > ? ORDER BY seq LIMIT ?`},
		{&r.lastEventAt, `SELECT MAX(received_at) FROM events`},
	} {
		st, err := db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.sql, err)
		}
		*p.dst = st
	}
	return nil
}

func (r *readStmts) close() []error {
	return closeAll(r.after, r.lastEventAt)
}

func closeAll(stmts ...*sql.Stmt) []error {
	var errs []error
	for _, st := range stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errs
}
