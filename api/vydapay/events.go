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
// in Raw. Transaction events carry the transaction, card events and
// spending_limit.reached the card. receipt.matched carries a receipt, which
// api.Event has no place for: the receipt is checked and left in Raw. An
// unknown type is api.EventUnknown with its ProviderType and Raw, its data
// unread. Anything malformed is an error wrapping api.ErrPayloadInvalid
// that says what is wrong.
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
	var w Event
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
	if err := decodeData(&ev, w.Data.Object); err != nil {
		return api.Event{}, fmt.Errorf("event %q (%s): field data.object: %w", shownID(w.ID), clip(w.Type), err)
	}
	return ev, nil
}

// decodeData decodes data.object into the api object the event type calls for.
func decodeData(ev *api.Event, raw json.RawMessage) error {
	var err error
	switch ev.Type {
	case api.EventUnknown:
	case api.EventTxAuthorized, api.EventTxSettled, api.EventTxDeclined, api.EventTxRefunded:
		ev.Transaction, err = decodeObject(raw, "transaction", func(w *Transaction) string { return w.Object }, txFromWire)
	case api.EventReceiptMatched:
		_, err = decodeObject(raw, "receipt", func(w *Receipt) string { return w.Object }, checkReceipt)
	default:
		ev.Card, err = decodeObject(raw, "card", func(w *Card) string { return w.Object }, cardFromWire)
	}
	return err
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
