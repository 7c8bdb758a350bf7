package sandbox

import (
	"crypto/sha256"
	"slices"
	"sync"
	"time"
)

// Idempotency keys are kept this long, and at most this many at once:
// beyond the cap (reached only by a client minting keys in bulk) the
// soonest-expiring half of the finished entries is forgotten.
const (
	idemTTL        = 24 * time.Hour
	idemMaxEntries = 200_000
)

// idemStore remembers the response to each (API key, Idempotency-Key).
type idemStore struct {
	mu        sync.Mutex
	entries   map[string]*idemEntry
	lastSweep time.Time
}

type idemEntry struct {
	fingerprint [sha256.Size]byte
	inFlight    bool
	status      int
	body        []byte
	expires     time.Time
}

func newIdemStore() *idemStore {
	return &idemStore{entries: map[string]*idemEntry{}}
}

type idemOutcome int

const (
	idemNew      idemOutcome = iota // go ahead; the key is now in flight
	idemReplay                      // answer with the stored response
	idemMismatch                    // the key was used for another request
	idemInFlight                    // the same request is still running
)

func idemSlot(apiKey, idemKey string) string { return apiKey + "\x00" + idemKey }

func fingerprint(method, target string, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(target))
	h.Write([]byte{0})
	h.Write(body)
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// begin claims slot for a request, or says how to answer it.
func (st *idemStore) begin(slot string, fp [sha256.Size]byte, now time.Time) (idemOutcome, int, []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if now.Sub(st.lastSweep) > time.Minute {
		for k, e := range st.entries {
			if !e.inFlight && now.After(e.expires) {
				delete(st.entries, k)
			}
		}
		st.lastSweep = now
	}
	if len(st.entries) >= idemMaxEntries {
		st.shed()
	}
	e := st.entries[slot]
	if e != nil && !e.inFlight && now.After(e.expires) {
		e = nil
	}
	switch {
	case e == nil:
		st.entries[slot] = &idemEntry{fingerprint: fp, inFlight: true}
		return idemNew, 0, nil
	case e.fingerprint != fp:
		return idemMismatch, 0, nil
	case e.inFlight:
		return idemInFlight, 0, nil
	}
	return idemReplay, e.status, e.body
}

// finish stores the response for slot, or forgets the slot when the
// response must not be replayed (a server error, card secrets).
func (st *idemStore) finish(slot string, fp [sha256.Size]byte, status int, body []byte, keep bool, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !keep {
		delete(st.entries, slot)
		return
	}
	st.entries[slot] = &idemEntry{
		fingerprint: fp, status: status, body: body, expires: now.Add(idemTTL),
	}
}

// shed forgets the finished entries that expire soonest, half the cap.
func (st *idemStore) shed() {
	type aged struct {
		slot    string
		expires time.Time
	}
	var done []aged
	for k, e := range st.entries {
		if !e.inFlight {
			done = append(done, aged{k, e.expires})
		}
	}
	slices.SortFunc(done, func(a, b aged) int { return a.expires.Compare(b.expires) })
	for _, d := range done[:min(len(done), idemMaxEntries/2)] {
		delete(st.entries, d.slot)
	}
}
