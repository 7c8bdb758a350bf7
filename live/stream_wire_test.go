package live_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/carddesk/carddesk/live"
)

// streamWireFrame is a stream frame as a test client reads it.
type streamWireFrame struct {
	Type    string        `json:"type"`
	Events  []live.Record `json:"events"`
	Seq     *uint64       `json:"seq"`
	Message string        `json:"message"`
	Epoch   string        `json:"epoch"`
}

// dialStream opens a bare websocket to the stream; readBuffer, if not zero,
// shrinks the socket's receive buffer so that a client that stops reading
// holds little.
func dialStream(t testing.TB, url string, header http.Header, readBuffer int) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: streamAwait}
	if readBuffer > 0 {
		d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			var nd net.Dialer
			c, err := nd.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if err := c.(*net.TCPConn).SetReadBuffer(readBuffer); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		}
	}
	if header == nil {
		header = http.Header{"Authorization": {"Bearer " + streamToken}}
	}
	c, resp, err := d.DialContext(t.Context(), url, header)
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, resp, err
}

func readStreamFrame(t testing.TB, c *websocket.Conn) streamWireFrame {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(streamAwait)); err != nil {
		t.Fatal(err)
	}
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	var f streamWireFrame
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("frame %.200s: %v", data, err)
	}
	return f
}
