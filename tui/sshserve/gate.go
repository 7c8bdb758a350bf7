package sshserve

import (
	"net"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// gate admits connections at accept time, before any SSH is spoken: a
// token bucket per remote address, and caps on the connections that have
// not authenticated yet, per address and in all. An unauthenticated
// client costs the server a file descriptor and a goroutine until its
// handshake ends; without the caps, a few hundred silent connections lock
// out everyone else.
type gate struct {
	maxTotal   int
	maxPerAddr int
	rate       rate.Limit
	burst      int
	handshake  time.Duration

	mu       sync.Mutex
	preauth  int
	perAddr  map[string]int
	pending  map[string]*conn // by remote address, until authenticated
	limiters *lru.Cache[string, *rate.Limiter]
}

// maxTrackedAddrs bounds the per-address rate limiters kept; the least
// recently seen address is forgotten first.
const maxTrackedAddrs = 4096

func newGate(cfg Config) *gate {
	limiters, _ := lru.New[string, *rate.Limiter](maxTrackedAddrs) // errs only on a size < 1
	return &gate{
		maxTotal:   cfg.MaxUnauthenticated,
		maxPerAddr: cfg.MaxUnauthenticatedPerAddr,
		rate:       rate.Limit(cfg.ConnRate),
		burst:      cfg.ConnBurst,
		handshake:  cfg.HandshakeTimeout,
		perAddr:    map[string]int{},
		pending:    map[string]*conn{},
		limiters:   limiters,
	}
}

// refusal says why a connection was not admitted.
type refusal string

const (
	refusedRate    refusal = "connection rate limit"
	refusedAddrCap refusal = "too many unauthenticated connections from this address"
	refusedCap     refusal = "too many unauthenticated connections"
)

// admit takes a pre-authentication slot for c, or says why not. A slot
// taken is given back with release.
func (g *gate) admit(c *conn) (refusal, bool) {
	addr := c.host
	g.mu.Lock()
	defer g.mu.Unlock()
	lim, ok := g.limiters.Get(addr)
	if !ok {
		lim = rate.NewLimiter(g.rate, g.burst)
		g.limiters.Add(addr, lim)
	}
	if !lim.Allow() {
		return refusedRate, false
	}
	if g.perAddr[addr] >= g.maxPerAddr {
		return refusedAddrCap, false
	}
	if g.preauth >= g.maxTotal {
		return refusedCap, false
	}
	g.preauth++
	g.perAddr[addr]++
	g.pending[c.RemoteAddr().String()] = c
	return "", true
}

// release gives back the pre-authentication slot of c: it authenticated
// or it closed.
func (g *gate) release(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.preauth--
	if g.perAddr[c.host]--; g.perAddr[c.host] <= 0 {
		delete(g.perAddr, c.host)
	}
	delete(g.pending, c.RemoteAddr().String())
}

// pendingConn is the connection from remote still in its handshake, or nil.
func (g *gate) pendingConn(remote string) *conn {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending[remote]
}

// unauthenticated is how many connections hold a pre-authentication slot.
func (g *gate) unauthenticated() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.preauth
}

// hostOf is the address part of a remote address, the unit the gate
// counts by: every port of one host is one client.
func hostOf(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
