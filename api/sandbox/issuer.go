package sandbox

// The issuer core, as the simulator, webhook delivery and tests use it.
// Everything below takes the issuer's lock itself and emits its events to
// the hooks after releasing it; provider is vaultspay.Provider or
// vydapay.Provider.
//
//	Authorize(provider, AuthRequest) (AuthResult, error)
//	    the whole authorisation decision (see decide in issuer_decide.go
//	    for the order of checks), recording the transaction (pending or
//	    declined) and emitting transaction.authorized / transaction.created
//	    or transaction.declined (+ spending_limit.reached on Vydapay).
//	Settle(provider, txID) error     pending → settled (Vydapay "completed")
//	Refund(provider, txID) error     settled → refunded, money back
//	Reverse(provider, txID) error    pending → reversed (VaultsPay only;
//	                                 Vydapay has no reversal: errors)
//	TopUp(provider, accountID, amount) (txID, error)
//	    VaultsPay: an incoming transfer to an account (transaction.settled);
//	    Vydapay: accountID "" funds the program balance (GBP), no event.
//	    The simulator calls it so that balances do not drain for ever.
//	Merchants() []Merchant, Categories() []string   the catalogue
//	s.sampleCard(provider, r, anyState) (CardSample, bool)
//	    a card drawn with r: anyState false draws among cards that can pay
//	    (active, not expired), true among all cards. CardSample holds what
//	    a terminal would present (id, CVC, expiry, currency).
//	s.sampleMerchant(r) Merchant         weighted by category
//	sampleAmount(r, Merchant, currency) int64   minor units, realistic
//	s.freezeFromApp / s.unfreezeFromApp(provider, cardID) error
//	    a cardholder freezing or unfreezing from their app (card events).
//	s.addEventHook(fn), s.eventByID(provider, id), s.events(provider)
//	iss.newEvent(type, object) Event / iss.emit(type, object)
//	    build (and log and dispatch) an event in the provider's shape.
//
// One mutex per issuer guards its whole book.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// maxTransactions bounds each book: beyond it the oldest transactions go.
const maxTransactions = 1_000_000

// Vydapay's program balance is held in pounds.
const programCurrency = "GBP"

type issuer struct {
	provider string
	mu       sync.Mutex
	rng      *rand.Rand
	clock    func() time.Time
	log      *eventLog
	bus      *eventBus

	users    table[*user]
	accounts table[*account]
	cards    table[*card]
	txs      table[*tx]
	// per-object transaction indexes, ascending like txs.order
	cardTx map[string][]*tx
	acctTx map[string][]*tx
	userTx map[string][]*tx

	numbers   map[string]bool // card numbers issued
	sessions  map[string]*kycSession
	documents map[string]*document
	pinTokens map[string]*pinToken
	receipts  map[string]*receipt

	programAvailable int64 // Vydapay, GBP minor units
	programPending   int64

	merchants  []Merchant
	merchantBy map[string]Merchant
	evtSeq     int
	// drift, when set, rewrites every event as a provider that has moved
	// on from its reference would send it (see drift.go).
	drift *drift
}

func newIssuer(provider string, seed uint64, clock func() time.Time, bus *eventBus) *issuer {
	stream := uint64(0x7661756c74737061) // "vaultspa"
	if provider == vydapay.Provider {
		stream = 0x7679646170617921 // "vydapay!"
	}
	iss := &issuer{
		provider:   provider,
		rng:        rand.New(rand.NewPCG(seed, stream)),
		clock:      clock,
		log:        newEventLog(),
		bus:        bus,
		users:      newTable[*user](),
		accounts:   newTable[*account](),
		cards:      newTable[*card](),
		txs:        newTable[*tx](),
		cardTx:     map[string][]*tx{},
		acctTx:     map[string][]*tx{},
		userTx:     map[string][]*tx{},
		numbers:    map[string]bool{},
		sessions:   map[string]*kycSession{},
		documents:  map[string]*document{},
		pinTokens:  map[string]*pinToken{},
		receipts:   map[string]*receipt{},
		merchants:  Merchants(),
		merchantBy: map[string]Merchant{},
	}
	for _, m := range iss.merchants {
		iss.merchantBy[m.ID] = m
	}
	return iss
}

func (iss *issuer) vaultspay() bool { return iss.provider == vaultspay.Provider }

// now is the issuer's clock in UTC whole seconds.
func (iss *issuer) now() time.Time { return iss.clock().UTC().Truncate(time.Second) }

// newID draws an id with prefix that no object of the issuer holds yet.
func (iss *issuer) newID(prefix string, taken func(string) bool) string {
	for {
		id := randomID(iss.rng, prefix, 14)
		if !taken(id) {
			return id
		}
	}
}

func (iss *issuer) userTaken(id string) bool    { _, ok := iss.users.get(id); return ok }
func (iss *issuer) accountTaken(id string) bool { _, ok := iss.accounts.get(id); return ok }
func (iss *issuer) cardTaken(id string) bool    { _, ok := iss.cards.get(id); return ok }
func (iss *issuer) txTaken(id string) bool      { _, ok := iss.txs.get(id); return ok }

// newCardNumber draws a number no card of the issuer has.
func (iss *issuer) newCardNumber(brand string) string {
	for {
		n := cardNumber(iss.rng, brand)
		if !iss.numbers[n] {
			iss.numbers[n] = true
			return n
		}
	}
}

// addTx records a transaction in every index, dropping the oldest beyond
// maxTransactions.
func (iss *issuer) addTx(t *tx) {
	iss.txs.add(t)
	if t.cardID != "" {
		iss.cardTx[t.cardID] = insertSorted(iss.cardTx[t.cardID], t)
	}
	if t.accountID != "" {
		iss.acctTx[t.accountID] = insertSorted(iss.acctTx[t.accountID], t)
	}
	iss.userTx[t.userID] = insertSorted(iss.userTx[t.userID], t)
	for iss.txs.len() > maxTransactions {
		iss.dropOldestTx()
	}
}

func (iss *issuer) dropOldestTx() {
	old := iss.txs.order[0]
	iss.txs.order[0] = nil
	iss.txs.order = iss.txs.order[1:]
	delete(iss.txs.byID, old.id)
	popFront := func(m map[string][]*tx, k string) {
		if s := m[k]; len(s) > 0 && s[0] == old {
			m[k] = s[1:]
			if len(m[k]) == 0 {
				delete(m, k)
			}
		}
	}
	popFront(iss.cardTx, old.cardID)
	popFront(iss.acctTx, old.accountID)
	popFront(iss.userTx, old.userID)
	if old.receipt != nil {
		delete(iss.receipts, old.receipt.id)
	}
}

// newEvent builds an event of the issuer's provider about obj (a wire
// object). It must be called under the issuer's lock.
func (iss *issuer) newEvent(typ string, obj any) Event {
	data, err := json.Marshal(obj)
	if err != nil {
		// Wire structs always marshal; this is a programming error.
		panic(fmt.Sprintf("sandbox: marshal %s event: %v", typ, err))
	}
	now := iss.now()
	iss.evtSeq++
	id := fmt.Sprintf("evt_%s%06d", randomID(iss.rng, "", 10), iss.evtSeq%1_000_000)
	for iss.log.has(id) {
		id = "evt_" + randomID(iss.rng, "", 20)
	}
	var payload []byte
	if iss.vaultspay() {
		payload, err = json.Marshal(vaultspay.Event{
			ID: id, Type: typ, Timestamp: stamp(now), APIVersion: vaultspay.APIVersion, Data: data,
		})
	} else {
		payload, err = json.Marshal(vydapay.Event{
			ID: id, Object: "event", Type: typ, CreatedAt: stamp(now), Data: vydapay.EventData{Object: data},
		})
	}
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal %s event: %v", typ, err))
	}
	if iss.drift != nil {
		payload = iss.drift.rewrite(iss.provider, payload)
	}
	return Event{Provider: iss.provider, ID: id, Type: typ, CreatedAt: now, Payload: payload}
}

// emit logs an event and queues it for the hooks. It must be called under
// the issuer's lock; the hooks run once the lock is released.
func (iss *issuer) emit(typ string, obj any) Event {
	e := iss.newEvent(typ, obj)
	iss.log.add(e)
	iss.bus.enqueue(e)
	if iss.drift != nil {
		for _, x := range iss.drift.extraEvents(e, obj) {
			iss.emit(x.typ, x.obj)
		}
	}
	return e
}

// stamp renders a time as the wire does: RFC 3339, UTC, whole seconds.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func stampPtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}

// issuer returns the issuer of a provider.
func (s *Server) issuer(provider string) (*issuer, error) {
	switch provider {
	case vaultspay.Provider:
		return s.vp, nil
	case vydapay.Provider:
		return s.vy, nil
	}
	return nil, fmt.Errorf("sandbox: unknown provider %q", provider)
}

// locked runs fn under the issuer's lock, then hands the events fn emitted
// to the hooks.
func (s *Server) locked(iss *issuer, fn func() error) error {
	err := func() error {
		iss.mu.Lock()
		defer iss.mu.Unlock()
		return fn()
	}()
	s.bus.dispatch()
	return err
}

// CardSample is a card as a terminal would present it.
type CardSample struct {
	ID       string
	CVC      string
	ExpMonth int
	ExpYear  int
	Currency string
}

// sampleCard draws a card with r: among the cards that can pay (active and
// unexpired), or among all cards when anyState.
func (s *Server) sampleCard(provider string, r *rand.Rand, anyState bool) (CardSample, bool) {
	iss, err := s.issuer(provider)
	if err != nil {
		return CardSample{}, false
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	cards := iss.cards.order
	if len(cards) == 0 {
		return CardSample{}, false
	}
	now := iss.now()
	if !anyState {
		// Draw a few times rather than filter: most cards can pay.
		for range 64 {
			c := cards[r.IntN(len(cards))]
			if c.status == api.CardActive && !c.expired(now) {
				return sampleOf(c), true
			}
		}
		return CardSample{}, false
	}
	return sampleOf(cards[r.IntN(len(cards))]), true
}

func sampleOf(c *card) CardSample {
	return CardSample{ID: c.id, CVC: c.cvc, ExpMonth: c.expMonth, ExpYear: c.expYear, Currency: c.currency}
}

// sampleMerchant draws a merchant from the catalogue, weighted by category.
func (s *Server) sampleMerchant(r *rand.Rand) Merchant {
	return sampleMerchant(r, s.vp.merchants)
}
