// Package sqlitestore is the relay's durable event store: a live.Store on a
// single SQLite file (modernc.org/sqlite, pure Go) in WAL mode.
//
// One writer goroutine owns the only write connection and turns whatever
// appends are queued when it is free into one transaction and one fsync
// (group commit), so durability does not cost throughput. Reads go through
// a separate pool of read-only connections that WAL lets run beside the
// writer. Sequence numbers are assigned by the writer, contiguous, and never
// reused: the high-water mark is kept in the meta table and survives pruning.
package sqlitestore
