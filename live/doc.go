// Package live owns the relay: webhook intake and verification, the durable
// event store, the hub that fans committed events out, the websocket stream
// server, and the reconnecting subscriber client that dashboards use.
//
// An event travels: provider POST → intake (verify, parse) → Store.Append
// (durable, sequenced; the store's commit hook hands each committed batch to
// the hub in sequence order) → hub → every stream subscriber. A subscriber
// that reconnects asks for the events after its last sequence number and
// misses nothing.
package live
