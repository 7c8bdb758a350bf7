package faults

import (
	"bytes"
	"net/http"
)

// capture keeps the sandbox's answer instead of sending it, so that the
// front can lose it, hold it or cut it.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newCapture() *capture { return &capture{header: http.Header{}} }

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

// code is the status the handler answered (200 when it wrote nothing).
func (c *capture) code() int {
	if c.status == 0 {
		return http.StatusOK
	}
	return c.status
}

// replayed says the sandbox answered from its idempotency store.
func replayed(h http.Header) bool { return h.Get("Idempotent-Replayed") == "true" }

// sendCaptured sends c's answer to w, its body cut to n bytes (n < 0: all).
func sendCaptured(w http.ResponseWriter, c *capture, n int) {
	for k, vs := range c.header {
		w.Header()[k] = vs
	}
	body := c.body.Bytes()
	if n >= 0 && n < len(body) {
		body = body[:n]
		w.Header().Del("Content-Length")
	}
	w.WriteHeader(c.code())
	_, _ = w.Write(body)
}

// cutPoint is where a truncated body ends: halfway, inside the object,
// and never the whole body.
func cutPoint(size int) int {
	if size <= 1 {
		return 0
	}
	return size / 2
}

// passWriter passes the sandbox's answer straight through, noting when it
// started and what it was.
type passWriter struct {
	http.ResponseWriter
	started bool
	onStart func(status int, h http.Header)
}

func (p *passWriter) WriteHeader(code int) {
	if !p.started {
		p.started = true
		p.onStart(code, p.Header())
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *passWriter) Write(b []byte) (int, error) {
	if !p.started {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (p *passWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
