package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carddesk/carddesk/live"
)

// Shutdown tells subscribers (error frame, then close 1001), waits for
// them to go, and refuses new ones with 503.
func TestStreamShutdown(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	c, _, err := dialStream(t, f.url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fr := readStreamFrame(t, c); fr.Type != "live" {
		t.Fatalf("first frame %+v", fr)
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), streamAwait)
		defer cancel()
		shut <- f.handler.Shutdown(ctx)
	}()
	if fr := readStreamFrame(t, c); fr.Type != "error" || fr.Message != "relay shutting down" {
		t.Fatalf("frame %+v, want the shutdown error", fr)
	}
	_, _, err = c.ReadMessage() // answers the close, as clients do
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("after the error frame: %v, want close 1001", err)
	}
	if err := <-shut; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := f.hub.Subscribers(); n != 0 {
		t.Errorf("%d subscribers after Shutdown", n)
	}
	_, resp, err := dialStream(t, f.url, nil, 0)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after Shutdown: %v, %v; want 503", err, resp)
	}
}

// A subscriber that does not answer the close is cut when Shutdown's ctx
// ends.
func TestStreamShutdownDeadline(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	c, _, err := dialStream(t, f.url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	readStreamFrame(t, c) // live; then it reads no more
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.handler.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown with an ended ctx = %v, want context.Canceled", err)
	}
	if n := f.hub.Subscribers(); n != 0 {
		t.Errorf("%d subscribers after Shutdown", n)
	}
}

// The server pings; a client that answers stays, one that does not is
// dropped after 2.5 ping intervals.
func TestStreamKeepalive(t *testing.T) {
	f := newStreamFixture(t, streamOptions{pingInterval: 20 * time.Millisecond})

	answering, _, err := dialStream(t, f.url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	pings := make(chan struct{}, 100)
	def := answering.PingHandler()
	answering.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return def(data)
	})
	readErr := make(chan error, 1)
	go func() {
		for {
			if _, _, err := answering.ReadMessage(); err != nil {
				readErr <- err
				return
			}
		}
	}()
	// Ten pings answered: the connection outlives four read deadlines.
	for i := range 10 {
		select {
		case <-pings:
		case err := <-readErr:
			t.Fatalf("answering client dropped after %d pings: %v", i, err)
		case <-time.After(streamAwait):
			t.Fatalf("only %d pings", i)
		}
	}

	silent, _, err := dialStream(t, f.url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	silent.SetPingHandler(func(string) error { return nil }) // never pongs
	if err := silent.SetReadDeadline(time.Now().Add(streamAwait)); err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := silent.ReadMessage(); err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the silent client was never dropped")
			}
			break
		}
	}
	select {
	case err := <-readErr:
		t.Fatalf("answering client dropped: %v", err)
	default:
	}
}

// The relay restarts on the same database file: the subscription rides
// through, resumes after its last seq, and sequence numbers carry on.
func TestStreamRestartThenResume(t *testing.T) {
	first := newStreamFixture(t, streamOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	sub := first.subscribe(ctx, 0)
	if err := first.appendEvents(ctx, 1, 500, 50, 100, nil); err != nil {
		t.Fatal(err)
	}
	streamCollect(t, sub, 0, 500, nil)
	first.close()

	second := newStreamFixture(t, streamOptions{path: first.path, addr: first.srv.Listener.Addr().String()})
	if last, err := second.store.LastSeq(ctx); err != nil || last != 500 {
		t.Fatalf("reopened store LastSeq = %d, %v; want 500", last, err)
	}
	if err := second.appendEvents(ctx, 501, 1000, 50, 100, nil); err != nil {
		t.Fatal(err)
	}
	streamCollect(t, sub, 500, 1000, nil)
	cancel()
	for range sub.Events() {
		t.Error("an event after the last")
	}
	if got := sub.LastSeq(); got != 1000 {
		t.Errorf("final LastSeq() = %d, want 1000", got)
	}
	// A new subscriber from the start gets all 1,000 from the reopened file.
	streamCollect(t, second.subscribe(t.Context(), 0), 0, 1000, nil)
}

// The stream's frames are JSON text a browser can read; a record comes
// back as it was stored.
func TestStreamFrameContent(t *testing.T) {
	f := newStreamFixture(t, streamOptions{})
	want := streamRecord(1, 10)
	if _, err := f.store.Append(t.Context(), []live.Record{want}); err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.After(t.Context(), 0, 1)
	if err != nil || len(stored) != 1 {
		t.Fatalf("After: %v, %v", stored, err)
	}
	c, _, err := dialStream(t, f.url, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	typ, data, err := c.ReadMessage()
	if err != nil || typ != websocket.TextMessage {
		t.Fatalf("read: %v (type %d)", err, typ)
	}
	var fr struct {
		Type   string            `json:"type"`
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(data, &fr); err != nil || fr.Type != "events" || len(fr.Events) != 1 {
		t.Fatalf("frame %s: %v", data, err)
	}
	var got live.Record
	if err := json.Unmarshal(fr.Events[0], &got); err != nil {
		t.Fatal(err)
	}
	exp := stored[0]
	if got.Seq != 1 || got.EventID != exp.EventID || got.CardID != "card_42" || got.UserID != "user_7" ||
		!got.ReceivedAt.Equal(exp.ReceivedAt) || !got.OccurredAt.Equal(exp.OccurredAt) || string(got.Event) != string(exp.Event) {
		t.Errorf("streamed %+v\nstored   %+v", got, exp)
	}
	if fr := readStreamFrame(t, c); fr.Type != "live" || *fr.Seq != 1 {
		t.Errorf("then %+v, want live 1", fr)
	}
}
