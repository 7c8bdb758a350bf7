package tui

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// nolossProxy is a TCP proxy between the dashboard's subscriber and the
// relay that can cut every live connection at once: both sockets are
// closed wherever the stream happens to be, mid-frame or not. It dials
// the relay anew for each connection, so it follows the relay across
// restarts on the same address; while the relay is down it accepts and
// hangs up at once, as a load balancer in front of a dead backend would.
type nolossProxy struct {
	ln     net.Listener
	target string
	sig    nolossSignal
	wg     sync.WaitGroup

	mu       sync.Mutex
	closed   bool // at cleanup: no new pairs
	pairs    map[*nolossPair]struct{}
	accepted int // connections accepted
	linked   int // of which reached the relay
	cut      int // connections cut by the test
}

// nolossPair is one proxied connection.
type nolossPair struct {
	client, relay net.Conn
	once          sync.Once
}

func (p *nolossPair) close() {
	p.once.Do(func() {
		_ = p.client.Close()
		_ = p.relay.Close()
	})
}

// startNolossProxy listens on loopback and forwards to target until the
// test ends.
func startNolossProxy(t *testing.T, target string) *nolossProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: listen: %v", err)
	}
	p := &nolossProxy{ln: ln, target: target, pairs: map[*nolossPair]struct{}{}}
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		_ = ln.Close()
		p.mu.Lock()
		p.closed = true
		for pair := range p.pairs {
			pair.close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

// URL is the stream URL through the proxy.
func (p *nolossProxy) URL() string { return "ws://" + p.ln.Addr().String() + "/v1/stream" }

func (p *nolossProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed at cleanup
		}
		p.mu.Lock()
		p.accepted++
		p.mu.Unlock()
		p.wg.Go(func() { p.link(c) })
	}
}

// link dials the relay and copies both ways until either side ends or the
// test cuts the pair.
func (p *nolossProxy) link(c net.Conn) {
	r, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close() // the relay is down
		return
	}
	pair := &nolossPair{client: c, relay: r}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		pair.close()
		return
	}
	p.pairs[pair] = struct{}{}
	p.linked++
	p.mu.Unlock()
	p.sig.notify()

	var copies sync.WaitGroup
	copies.Go(func() { _, _ = io.Copy(r, c); pair.close() })
	copies.Go(func() { _, _ = io.Copy(c, r); pair.close() })
	copies.Wait()

	p.mu.Lock()
	delete(p.pairs, pair)
	p.mu.Unlock()
}

// cutAll waits until at least one connection is linked to the relay, then
// cuts every linked connection. It says how many it cut.
func (p *nolossProxy) cutAll(ctx context.Context) (int, error) {
	for {
		err := nolossAwait(ctx, &p.sig, func() bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return len(p.pairs) > 0
		})
		if err != nil {
			return 0, fmt.Errorf("wait for a subscriber connection to cut: %w", err)
		}
		if n := p.cutLinked(); n > 0 {
			return n, nil
		}
		// The connection ended on its own in between: wait for the next.
	}
}

func (p *nolossProxy) cutLinked() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for pair := range p.pairs {
		pair.close()
		delete(p.pairs, pair)
		n++
	}
	p.cut += n
	return n
}

// stats reports connections accepted, linked to the relay, and cut.
func (p *nolossProxy) stats() (accepted, linked, cut int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted, p.linked, p.cut
}
