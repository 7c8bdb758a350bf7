package vydapay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/carddesk/carddesk/api"
)

var _ api.WebhookScheme = (*Verifier)(nil)

// EventType maps a Vydapay event type onto api's; a type it does not know is
// api.EventUnknown. transaction.created is an authorisation, completed a
// settlement, and card.cancelled a termination.
func EventType(t string) api.EventType {
	switch t {
	case EventTxCreated:
		return api.EventTxAuthorized
	case EventTxCompleted:
		return api.EventTxSettled
	case EventTxDeclined:
		return api.EventTxDeclined
	case EventTxRefunded:
		return api.EventTxRefunded
	case EventCardCreated:
		return api.EventCardCreated
	case EventCardFrozen:
		return api.EventCardFrozen
	case EventCardUnfrozen:
		return api.EventCardUnfrozen
	case EventCardCancelled:
		return api.EventCardTerminated
	case EventReceiptMatched:
		return api.EventReceiptMatched
	case EventLimitReached:
		return api.EventLimitReached
	}
	return api.EventUnknown
}

// Parse decodes a verified webhook body into an api.Event, keeping the body
// in Raw. Only a broken envelope — not a JSON object, not an event, no id,
// no type, no created_at — is an error (wrapping api.ErrPayloadInvalid,
// saying what is wrong): the relay keeps every event whose envelope and
// signature are good (DESIGN §3). Transaction events carry the
// transaction, card events and spending_limit.reached the card;
// receipt.matched carries a receipt, which api.Event has no place for, so
// it is checked and left in Raw. An event of a type the reference does not
// list is api.EventUnknown with its ProviderType, and carries its data's
// object when that names itself a card or a transaction. Data that cannot
// be read leaves the event without an object and says why in DataError.
func (v *Verifier) Parse(body []byte) (api.Event, error) {
	ev, err := parseEvent(body)
	if err != nil {
		return api.Event{}, fmt.Errorf("vydapay event: %w: %w", api.ErrPayloadInvalid, err)
	}
	return ev, nil
}

func parseEvent(body []byte) (api.Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return api.Event{}, errors.New("empty body")
	}
	if trimmed[0] != '{' {
		return api.Event{}, errors.New("body is not a JSON object")
	}
	var w envelope
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return api.Event{}, jsonProblem(err)
	}
	switch {
	case w.Object != "" && w.Object != "event":
		return api.Event{}, fmt.Errorf("field object: %q is not an event", clip(w.Object))
	case w.ID == "":
		return api.Event{}, errors.New("field id: missing")
	case w.Type == "":
		return api.Event{}, fmt.Errorf("event %q: field type: missing", shownID(w.ID))
	}
	ev := api.Event{
		ID:           w.ID,
		Provider:     Provider,
		Type:         EventType(w.Type),
		ProviderType: w.Type,
		Raw:          json.RawMessage(bytes.Clone(trimmed)),
	}
	var err error
	if ev.CreatedAt, err = parseTime("created_at", w.CreatedAt, true); err != nil {
		return api.Event{}, fmt.Errorf("event %q: %w", shownID(w.ID), err)
	}
	if err := decodeData(&ev, w.Data); err != nil {
		ev.Card, ev.Transaction = nil, nil
		ev.DataError = fmt.Sprintf("field data.object: %v", err)
	}
	return ev, nil
}

// envelope is an Event whose data is read apart: data that does not fit
// makes the event's data unreadable, not the event invalid.
type envelope struct {
	ID        string          `json:"id"`
	Object    string          `json:"object"`
	Type      string          `json:"type"`
	CreatedAt string          `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// decodeData decodes data.object into the api object the event type calls
// for; for a type it does not know, into the object its data names, if
// carddesk has a place for it.
func decodeData(ev *api.Event, data json.RawMessage) error {
	var d EventData
	if t := bytes.TrimSpace(data); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		if t[0] != '{' {
			return errors.New("data: want an object")
		}
		if err := json.Unmarshal(t, &d); err != nil {
			return jsonProblem(err)
		}
	}
	raw := d.Object
	var err error
	switch ev.Type {
	case api.EventUnknown:
		switch objectKind(raw) {
		case "transaction":
			ev.Transaction, err = decodeObject(raw, "transaction", func(w *Transaction) string { return w.Object }, txFromWire)
		case "card":
			ev.Card, err = decodeObject(raw, "card", func(w *Card) string { return w.Object }, cardFromWire)
		}
	case api.EventTxAuthorized, api.EventTxSettled, api.EventTxDeclined, api.EventTxRefunded:
		ev.Transaction, err = decodeObject(raw, "transaction", func(w *Transaction) string { return w.Object }, txFromWire)
	case api.EventReceiptMatched:
		_, err = decodeObject(raw, "receipt", func(w *Receipt) string { return w.Object }, checkReceipt)
	default:
		ev.Card, err = decodeObject(raw, "card", func(w *Card) string { return w.Object }, cardFromWire)
	}
	return err
}

// objectKind is the object field of raw, "" when it has none or raw is not
// an object.
func objectKind(raw json.RawMessage) string {
	var k struct {
		Object string `json:"object"`
	}
	if json.Unmarshal(raw, &k) != nil {
		return ""
	}
	return k.Object
}

// decodeObject decodes raw into the wire type W, whose object field must be
// want or empty, and maps it.
//
// One decode into W; its object field is checked after. Only when that
// decode fails is the object field read alone, so that a misplaced object
// is named as such rather than by the first field that does not fit.
func decodeObject[W, A any](raw json.RawMessage, want string, object func(*W) string, toAPI func(W) (A, error)) (*A, error) {
	obj := bytes.TrimSpace(raw)
	if len(obj) == 0 {
		return nil, errors.New("missing")
	}
	if obj[0] != '{' {
		return nil, fmt.Errorf("want a %s object", want)
	}
	var (
		w    W
		kind string
	)
	if err := json.Unmarshal(obj, &w); err != nil {
		var k struct {
			Object string `json:"object"`
		}
		if kerr := json.Unmarshal(obj, &k); kerr != nil {
			return nil, jsonProblem(kerr)
		}
		if k.Object == "" || k.Object == want {
			return nil, jsonProblem(err)
		}
		kind = k.Object
	} else if kind = object(&w); kind == "" || kind == want {
		a, err := toAPI(w)
		if err != nil {
			return nil, err
		}
		return &a, nil
	}
	return nil, fmt.Errorf("a %q where a %s belongs", clip(kind), want)
}

// checkReceipt checks a receipt, which api.Event has no place for.
func checkReceipt(w Receipt) (struct{}, error) {
	if w.ID == "" {
		return struct{}{}, errors.New("receipt: field id: missing")
	}
	if _, err := parseTime("created_at", w.CreatedAt, false); err != nil {
		return struct{}{}, fmt.Errorf("receipt %s: %w", shownID(w.ID), err)
	}
	return struct{}{}, nil
}

// jsonProblem says what is wrong with JSON without quoting it.
func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("field %s: got a JSON %s, want %s", typ.Field, api.JSONKind(typ), typ.Type)
	case typ != nil:
		return fmt.Errorf("got a JSON %s, want an object", api.JSONKind(typ))
	}
	return err
}
