package api

import "net/http"

// minReadBuffer is the smallest read buffer bufio gives a connection.
const minReadBuffer = 16

// ownConnection returns a client that sends one request on a connection of
// its own, closed once the answer is read, and done, which lets that
// connection go. Sensitive answers (card secrets) travel this way: a
// connection net/http keeps alive holds the last answer in its read buffer
// (and, over TLS, in its record buffer) until a later answer happens to
// overwrite it, and one that was merely closed, on the client's shared
// transport, was measured still reachable a second later (the reveal test
// in tui/sshserve). On a transport of its own, the buffers are garbage as
// soon as the answer is read. A client whose transport is not an
// *http.Transport is used as it is: the request's Connection: close is
// all that can be asked of it.
func ownConnection(c *http.Client) (_ *http.Client, done func()) {
	base, ok := c.Transport.(*http.Transport)
	if c.Transport == nil {
		base, ok = http.DefaultTransport.(*http.Transport)
	}
	if !ok {
		return c, func() {}
	}
	own := base.Clone()
	own.DisableKeepAlives = true
	// The connection's read buffer keeps what it last read for as long as
	// the connection's reader lives, which is not always gone when the
	// answer is handed over: at its smallest it holds the answer's last
	// few bytes, not the secrets, and the body is read straight into the
	// caller's buffer, which is wiped.
	own.ReadBufferSize = minReadBuffer
	one := *c
	one.Transport = own
	return &one, own.CloseIdleConnections
}
