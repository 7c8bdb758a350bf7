package live_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// streamAwait bounds every wait for something the stream will do: a guard
// against a hang, never an assertion about speed.
const streamAwait = 30 * time.Second

const streamToken = "stream-test-token-0123456789"

// streamFixture is a stream server over a real SQLite file and real HTTP,
// whose server-side connections the test can cut.
type streamFixture struct {
	hub     *live.Hub
	store   *sqlitestore.Store
	path    string
	handler *live.StreamHandler
	srv     *httptest.Server
	conns   *connTracker
	url     string // ws://…/v1/stream
	behind  atomic.Int64
}

type streamOptions struct {
	queueSize    int
	pingInterval time.Duration
	origins      []string
	path         string // database file, "" for a new one
	addr         string // listen address, "" for any loopback port
}

func newStreamFixture(t testing.TB, o streamOptions) *streamFixture {
	t.Helper()
	f := &streamFixture{hub: live.NewHub(), path: o.path}
	if f.path == "" {
		f.path = filepath.Join(t.TempDir(), "relay.db")
	}
	store, err := sqlitestore.Open(context.Background(), f.path, sqlitestore.Options{OnCommit: f.hub.Publish})
	if err != nil {
		t.Fatal(err)
	}
	f.store = store
	f.handler = live.NewStreamHandler(live.StreamConfig{
		Hub:            f.hub,
		Store:          store,
		Token:          streamToken,
		AllowedOrigins: o.origins,
		QueueSize:      o.queueSize,
		PingInterval:   o.pingInterval,
		OnBehind:       func() { f.behind.Add(1) },
	})
	addr := o.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f.conns = &connTracker{Listener: ln}
	f.srv = httptest.NewUnstartedServer(f.handler)
	f.srv.Listener = f.conns
	f.srv.Start()
	f.url = "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/v1/stream"
	t.Cleanup(f.close)
	return f
}

// close shuts the stream, the server and the store; it may run twice.
func (f *streamFixture) close() {
	ctx, cancel := context.WithTimeout(context.Background(), streamAwait)
	defer cancel()
	_ = f.handler.Shutdown(ctx)
	f.srv.Close()
	_ = f.store.Close()
}

func (f *streamFixture) subscribe(ctx context.Context, after uint64) *live.Subscription {
	return live.Subscribe(ctx, live.SubscribeConfig{
		URL:        f.url,
		Token:      streamToken,
		After:      after,
		MinBackoff: time.Millisecond,
		MaxBackoff: 20 * time.Millisecond,
	})
}

// appendEvents stores events from..to (inclusive, by number), batch per
// Append, calling each (if set) after every Append with the last number.
func (f *streamFixture) appendEvents(ctx context.Context, from, to, batch, size int, each func(last int)) error {
	for i := from; i <= to; i += batch {
		n := min(batch, to-i+1)
		recs := make([]live.Record, n)
		for j := range recs {
			recs[j] = streamRecord(i+j, size)
		}
		if _, err := f.store.Append(ctx, recs); err != nil {
			return fmt.Errorf("append events %d..%d: %w", i, i+n-1, err)
		}
		if each != nil {
			each(i + n - 1)
		}
	}
	return nil
}

// streamRecord is event number i, with an event body of about size bytes.
func streamRecord(i, size int) live.Record {
	ev := api.Event{
		ID:           streamEventID(i),
		Provider:     "vydapay",
		Type:         api.EventTxDeclined,
		ProviderType: "transaction.declined",
		CreatedAt:    time.Date(2026, 1, 2, 3, 4, 5, i, time.UTC),
		Transaction:  &api.Transaction{ID: fmt.Sprintf("tx_%d", i), CardID: "card_42", UserID: "user_7"},
	}
	if size > 0 {
		ev.Raw = json.RawMessage(`{"pad":"` + strings.Repeat("x", size) + `"}`)
	}
	rec, err := live.NewRecord(ev, time.Now())
	if err != nil {
		panic(err)
	}
	return rec
}

func streamEventID(i int) string { return fmt.Sprintf("evt_%07d", i) }

// streamCollect receives from sub until it has delivered seq last, checking that
// seqs run on from from+1 with no gap and no duplicate, and that seq i
// carries event number i (the fixture appends in order from one goroutine).
// onRecord, if set, runs after each record.
func streamCollect(t testing.TB, sub *live.Subscription, from, last uint64, onRecord func(seq uint64)) []live.Record {
	t.Helper()
	got, err := streamReceive(sub, from, last, onRecord)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// streamConsumers starts one consumer per subscription, as independent
// dashboards would run, each receiving up to seq last; wait reports their
// failures.
func streamConsumers(t testing.TB, subs []*live.Subscription, from, last uint64) (wait func()) {
	t.Helper()
	errs := make(chan error, len(subs))
	for _, sub := range subs {
		go func() {
			_, err := streamReceive(sub, from, last, nil)
			errs <- err
		}()
	}
	return func() {
		t.Helper()
		for range subs {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

func streamReceive(sub *live.Subscription, from, last uint64, onRecord func(seq uint64)) ([]live.Record, error) {
	var got []live.Record
	next := from + 1
	timer := time.NewTimer(streamAwait)
	defer timer.Stop()
	for next <= last {
		select {
		case batch, ok := <-sub.Events():
			if !ok {
				return got, fmt.Errorf("events closed at seq %d, want up to %d", next-1, last)
			}
			timer.Reset(streamAwait) // a guard against a stall, not a deadline
			for _, r := range batch {
				if r.Seq != next {
					return got, fmt.Errorf("got seq %d, want %d (gap or duplicate)", r.Seq, next)
				}
				if r.EventID != streamEventID(int(r.Seq)) {
					return got, fmt.Errorf("seq %d carries %s", r.Seq, r.EventID)
				}
				got = append(got, r)
				next++
				if onRecord != nil {
					onRecord(r.Seq)
				}
			}
		case <-timer.C:
			return got, fmt.Errorf("no progress at seq %d of %d (state %v, err %v)", next-1, last, sub.State(), sub.Err())
		}
	}
	return got, nil
}

// connTracker is a listener that remembers its open connections so that a
// test can cut them from the server side, websockets included.
type connTracker struct {
	net.Listener
	mu       sync.Mutex
	open     map[net.Conn]struct{}
	accepted int
}

func (l *connTracker) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	if l.open == nil {
		l.open = make(map[net.Conn]struct{})
	}
	l.open[tc] = struct{}{}
	l.accepted++
	l.mu.Unlock()
	return tc, nil
}

// cut closes every open connection and says how many.
func (l *connTracker) cut() int {
	l.mu.Lock()
	conns := make([]net.Conn, 0, len(l.open))
	for c := range l.open {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
	return len(conns)
}

func (l *connTracker) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.accepted
}

type trackedConn struct {
	net.Conn
	l    *connTracker
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.open, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
