package live

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carddesk/carddesk/api/safetext/safetexttest"
)

// frameServer is a stream endpoint that sends, on each connection, the
// messages registered for its case= query parameter, then closes.
type frameServer struct {
	url   string
	mu    sync.Mutex
	cases map[string][][]byte
	next  atomic.Int64
}

func newFrameServer(tb testing.TB) *frameServer {
	fs := &frameServer{cases: map[string][][]byte{}}
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("case")
		fs.mu.Lock()
		msgs := fs.cases[id]
		delete(fs.cases, id)
		fs.mu.Unlock()
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for _, m := range msgs {
			if c.WriteMessage(websocket.TextMessage, m) != nil {
				return
			}
		}
		_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	}))
	tb.Cleanup(srv.Close)
	fs.url = "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/stream"
	return fs
}

// add registers msgs and returns the URL that gets them.
func (fs *frameServer) add(msgs [][]byte) string {
	id := strconv.FormatInt(fs.next.Add(1), 10)
	fs.mu.Lock()
	fs.cases[id] = msgs
	fs.mu.Unlock()
	return fs.url + "?case=" + id
}

// FuzzSubscribeFrames feeds one connection of a subscription any sequence
// of messages (one per line of the input) from a relay, or whatever
// answers in its place: the subscription never panics, delivers only
// records after its resume point in strictly ascending sequence, and
// whatever error it ends with is text fit for the dashboard's header — no
// escape, control, bidi or invisible character, and no card number.
func FuzzSubscribeFrames(f *testing.F) {
	var sf streamFrame
	r1, r2 := frameTestRecord(1), frameTestRecord(2)
	sf.add(&r1)
	sf.add(&r2)
	events := sf.finish()
	join := func(msgs ...[]byte) []byte { return bytes.Join(msgs, []byte("\n")) }
	f.Add(uint8(0), join(events, appendSeqFrame(nil, frameLive, 2)))
	f.Add(uint8(1), join(appendSeqFrame(nil, frameLive, 0), events, events))
	f.Add(uint8(0), join(appendSeqFrame(nil, frameBehind, 1), appendErrorFrame(nil, "relay shutting down")))
	f.Add(uint8(0), appendErrorFrame(nil, safetexttest.Inject()+"relay "+safetexttest.PAN(1)+" \u202edetsop"))
	f.Add(uint8(0), []byte(`{"type":"error","message":"\u001b]52;c;SEVJU1Q=\u0007\u009b2J\u202e4929 5801 7316 0424"}`))
	f.Add(uint8(0), []byte(`{"type":"live","seq":4929580173160424.5}`))
	f.Add(uint8(0), []byte(`{"type":"live","seq":18446744073709551616}`))
	f.Add(uint8(0), []byte(`{"type":"events","events":[{"seq":3},{"seq":3},{"seq":2}]}`))
	f.Add(uint8(0), []byte(`{"type":"\u001b[2J","seq":1}`))
	f.Add(uint8(0), []byte(`{"type":"events","type":"live"}`))
	f.Add(uint8(0), []byte(strings.Repeat(`{"type":[`, 2000)))
	f.Add(uint8(0), []byte("\xff\xfe\x1b]52;c;eA==\x07"))

	fs := newFrameServer(f)
	f.Fuzz(func(t *testing.T, after uint8, input []byte) {
		msgs := bytes.Split(input, []byte("\n"))
		if len(msgs) > 64 {
			msgs = msgs[:64]
		}
		s := &Subscription{
			cfg:    SubscribeConfig{URL: fs.add(msgs), After: uint64(after), IdleTimeout: 5 * time.Second},
			log:    slog.New(slog.DiscardHandler),
			events: make(chan []Record),
			states: make(chan State, 1),
		}
		s.lastSeq.Store(uint64(after))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var got []uint64
		done := make(chan struct{})
		go func() {
			defer close(done)
			for batch := range s.events {
				for _, r := range batch {
					got = append(got, r.Seq)
				}
			}
		}()
		_, err := s.session(ctx)
		close(s.events)
		<-done
		if ctx.Err() != nil {
			t.Fatalf("the session did not end on its own: %v", err)
		}
		last := uint64(after)
		for _, seq := range got {
			if seq <= last {
				t.Fatalf("delivered seq %d after %d (resume point %d): %v", seq, last, after, got)
			}
			last = seq
		}
		if err != nil {
			if p := append(safetexttest.Controls(err.Error()), safetexttest.CardNumbers(err.Error(), nil)...); len(p) > 0 {
				t.Fatalf("the session's error %q: %v", err, p)
			}
		}
	})
}
