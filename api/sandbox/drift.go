package sandbox

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"

	"github.com/carddesk/carddesk/api/vaultspay"
)

// drift makes the sandbox answer and deliver as a provider that has moved
// on from its reference (Config.Drift, `--drift`): words the reference does
// not have (a card suspended_by_bank, a transaction of type fee, a status
// reversed, a decline code velocity_exceeded, events of new types), fields
// it does not list, and optional fields left out. It rewrites the JSON the
// sandbox would send, object by object as each names itself ("object":
// "card"), deciding from the seed and the object's id alone, so that a
// card drifts the same way in a list, in its detail and in a webhook, on
// every run with the same seed. The book itself does not drift: a card
// shown as suspended_by_bank is active in the book, and acts as one.
type drift struct {
	seed uint64
}

// Drifted words, one set per provider where the reference has its own.
const (
	driftCardStatusVP = "suspended_by_bank"
	driftCardStatusVY = "suspended"
	driftCardType     = "single_use"
	driftInterval     = "fortnightly"
	driftTxType       = "fee"
	driftTxStatusVP   = "disputed"
	driftTxStatusVY   = "reversed"
	driftTxPending    = "on_hold"
	driftKYC          = "manual_review"
	driftAccount      = "dormant"
	driftDeclineCode  = "velocity_exceeded"
	driftDeclineMsg   = "Too many payments in a short time."
	// driftTxEvent is the type of the extra event that follows some
	// transaction events, carrying the same transaction; driftPayoutEvent
	// carries an object carddesk has no place for.
	driftTxEvent     = "transaction.updated"
	driftPayoutEvent = "payout.paid"
)

// pick is a number from the seed, the object's kind and its id: the same
// object always draws the same.
func (d *drift) pick(kind, id string) uint64 {
	h := fnv.New64a()
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], d.seed)
	h.Write(seed[:])
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}

// rewrite drifts a JSON body: a list, an object, or an event. A body that
// is not JSON, or holds nothing that drifts, comes back unchanged.
func (d *drift) rewrite(provider string, body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // amounts stay exact
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if !d.walk(provider, v) {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

// walk drifts every object in v, depth first; it reports whether anything
// changed.
func (d *drift) walk(provider string, v any) bool {
	changed := false
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			changed = d.walk(provider, e) || changed
		}
	case map[string]any:
		for _, e := range x {
			changed = d.walk(provider, e) || changed
		}
		changed = d.object(provider, x) || changed
	}
	return changed
}

// object drifts one object by what it names itself.
func (d *drift) object(provider string, m map[string]any) bool {
	kind, _ := m["object"].(string)
	id, _ := m["id"].(string)
	if isEvent(m) {
		// Fields the reference's envelope does not have.
		m["livemode"] = false
		m["request"] = map[string]any{"id": nil, "idempotency_key": nil}
		return true
	}
	if id == "" {
		if kind == "list" {
			m["livemode"] = false
			return true
		}
		return false
	}
	vp := provider == vaultspay.Provider
	n := d.pick(kind, id)
	switch kind {
	case "card":
		d.card(m, n, vp)
	case "transaction":
		d.transaction(m, n, vp)
	case "user", "cardholder":
		if vp && n%10 == 0 {
			if kyc, ok := m["kyc"].(map[string]any); ok {
				kyc["status"] = driftKYC
			}
		}
		if n%5 == 1 {
			delete(m, "phone")
			delete(m, "metadata")
			delete(m, "address")
			delete(m, "billing_address")
		}
		m["preferred_language"] = "en"
	case "account":
		if m["status"] == "active" && n%10 == 0 {
			m["status"] = driftAccount
		}
		m["overdraft"] = map[string]any{"enabled": false}
	default:
		return false
	}
	return true
}

func (d *drift) card(m map[string]any, n uint64, vp bool) {
	switch n % 10 {
	case 0:
		if m["status"] == "active" {
			m["status"] = driftCardStatusVY
			if vp {
				m["status"] = driftCardStatusVP
			}
		}
	case 1:
		m["type"] = driftCardType
	case 2:
		if l, ok := m["spending_limit"].(map[string]any); ok {
			l["interval"] = driftInterval
		}
	}
	if n/10%5 == 3 {
		delete(m, "metadata")
		delete(m, "brand")
		delete(m, "updated_at")
	}
	m["wallets"] = map[string]any{"apple_pay": n%2 == 0, "google_pay": false}
	m["risk_level"] = "low"
}

func (d *drift) transaction(m map[string]any, n uint64, vp bool) {
	switch n % 10 {
	case 0:
		if m["type"] == "purchase" {
			m["type"] = driftTxType
		}
	case 1:
		if m["status"] == "settled" || m["status"] == "completed" {
			m["status"] = driftTxStatusVY
			if vp {
				m["status"] = driftTxStatusVP
			}
		}
	case 3:
		if m["status"] == "pending" {
			m["status"] = driftTxPending
		}
	}
	if vp && m["status"] == "declined" {
		switch n / 10 % 4 {
		case 2: // a code carddesk does not know
			m["decline"] = map[string]any{"code": driftDeclineCode, "message": driftDeclineMsg}
		case 3: // no reason at all
			delete(m, "decline")
		}
	}
	if n/10%5 == 4 {
		if merch, ok := m["merchant"].(map[string]any); ok {
			delete(merch, "city")
			delete(merch, "category_code")
			delete(merch, "mcc")
		}
		delete(m, "receipt")
		delete(m, "settled_at")
	}
	m["network"] = map[string]any{"name": "mastercard", "trace_id": "tr_" + idSuffix(n)}
}

// isEvent says whether m is a webhook's envelope: VaultsPay's has a type,
// a timestamp and data; Vydapay's names itself an event.
func isEvent(m map[string]any) bool {
	if m["object"] == "event" {
		return true
	}
	_, typ := m["type"].(string)
	_, ts := m["timestamp"].(string)
	_, data := m["data"]
	return typ && ts && data
}

// idSuffix renders n as a short id tail.
func idSuffix(n uint64) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	for i := range b {
		b[i] = alphabet[n%uint64(len(alphabet))]
		n /= uint64(len(alphabet))
	}
	return string(b)
}

// extraEvents are the events of types the reference does not list that
// follow a transaction event: now and then the same transaction as
// transaction.updated, and a payout, an object carddesk has no place for.
// It is called under the issuer's lock with the event just built.
func (d *drift) extraEvents(e Event, obj any) []extraEvent {
	if len(e.Type) < len("transaction.") || e.Type[:len("transaction.")] != "transaction." || e.Type == driftTxEvent {
		return nil
	}
	n := d.pick("event", e.ID)
	var out []extraEvent
	if n%6 == 0 {
		out = append(out, extraEvent{typ: driftTxEvent, obj: obj})
	}
	if n%25 == 1 {
		out = append(out, extraEvent{typ: driftPayoutEvent, obj: map[string]any{
			"id": "po_" + idSuffix(n), "object": "payout", "status": "paid", "arrival_date": e.CreatedAt.Format("2006-01-02"),
		}})
	}
	return out
}

// extraEvent is one event drift adds.
type extraEvent struct {
	typ string
	obj any
}
