package sshserve

import (
	"net"
	"slices"
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

// admit takes a pre-authentication slot for c, or says why not. When every
// slot is taken, the connection that has waited longest in its handshake
// gives its slot up and is returned to be closed: whoever fills the slots
// must then keep doing it faster than a real agent authenticates (a
// fraction of a second), from more addresses than the per-address cap and
// rate allow, rather than once per handshake timeout. A slot taken is
// given back with release.
func (g *gate) admit(c *conn) (evicted *conn, why refusal, ok bool) {
	addr := c.host
	g.mu.Lock()
	defer g.mu.Unlock()
	lim, found := g.limiters.Get(addr)
	if !found {
		lim = rate.NewLimiter(g.rate, g.burst)
		g.limiters.Add(addr, lim)
	}
	if !lim.Allow() {
		return nil, refusedRate, false
	}
	if g.perAddr[addr] >= g.maxPerAddr {
		return nil, refusedAddrCap, false
	}
	if g.preauth >= g.maxTotal {
		if evicted = g.evictLocked(); evicted == nil {
			return nil, refusedCap, false
		}
	}
	c.slot.Store(true)
	g.preauth++
	g.perAddr[addr]++
	g.pending[c.RemoteAddr().String()] = c
	return evicted, "", true
}

// evictLocked takes the slot of the connection that has waited longest,
// or returns nil when none can give it up now.
func (g *gate) evictLocked() *conn {
	var victims []*conn
	for _, p := range g.pending {
		victims = append(victims, p)
	}
	slices.SortFunc(victims, func(a, b *conn) int { return a.accepted.Compare(b.accepted) })
	for _, v := range victims {
		if v.slot.CompareAndSwap(true, false) {
			g.forgetLocked(v)
			return v
		}
	}
	return nil
}

// release gives back the pre-authentication slot of c, if it still holds
// one: it authenticated, it closed, or it was evicted.
func (g *gate) release(c *conn) {
	if !c.slot.CompareAndSwap(true, false) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.forgetLocked(c)
}

func (g *gate) forgetLocked(c *conn) {
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
