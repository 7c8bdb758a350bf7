package backend

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
	"github.com/carddesk/carddesk/live"
)

// Run consumes the relay's events — applying each to the cache, then
// handing it to every session's feed — checks the API every PingEvery
// when nothing else showed it up, and looks up the cards of live rows
// (FindCards), until ctx is done. It returns nil then, after which every feed reports
// ErrFeedClosed once drained. Run may be called once.
func (b *Backend) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("backend: Run was already called")
	}
	var wg sync.WaitGroup
	defer b.feeds.stop()
	defer wg.Wait()
	wg.Go(func() { b.pingLoop(ctx) })
	wg.Go(func() { b.findLoop(ctx) })

	var events <-chan []live.Record
	if b.relay != nil {
		events = b.relay.Events()
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case recs, ok := <-events:
			if !ok {
				// The subscription ended (its context is done); the health
				// shows the relay's state from now on.
				events = nil
				continue
			}
			b.consume(recs)
		}
	}
}

// consume applies a batch in sequence order, exactly once: a record at or
// below the last applied sequence of its store is dropped. A record from
// another store than the last one (another epoch: the relay's database
// was lost or replaced, and its sequence starts again) starts the count
// over; a record that names no store counts in the last one.
func (b *Backend) consume(recs []live.Record) {
	ups := make([]Update, 0, len(recs))
	evs := make([]api.Event, 0, len(recs))
	for _, r := range recs {
		if r.Epoch != "" && r.Epoch != b.epoch {
			if b.epoch != "" {
				b.log.Warn("the relay's store changed: its sequence starts again", slog.Uint64("last_seq", b.lastSeq))
				b.lastSeq = 0
				b.sawStoreChange()
			}
			b.epoch = r.Epoch
		}
		if r.Seq <= b.lastSeq {
			continue
		}
		b.lastSeq = r.Seq
		ev, err := r.Decode()
		if err != nil {
			b.log.Warn("relay event not readable; skipped", slog.Uint64("seq", r.Seq),
				slog.String("event_id", safetext.Safe(r.EventID)), slog.String("error", safetext.Safe(err.Error())))
			continue
		}
		// Sessions show the normalised event; the provider's own payload
		// stays in the relay's store rather than in every pending update.
		ev.Raw = nil
		evs = append(evs, ev)
		ups = append(ups, Update{Seq: r.Seq, Event: ev})
	}
	if len(ups) == 0 {
		return
	}
	for i, why := range b.cache.applyExplained(evs) {
		ups[i].Why = why
	}
	b.sawEvents(len(ups))
	b.feeds.publish(ups)
}
