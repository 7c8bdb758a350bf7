package vaultspay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/carddesk/carddesk/api"
)

var _ api.WebhookScheme = (*Verifier)(nil)

// objectKind is the object an event's data holds, as its object field
// names it; kindNone is an event without data.
type objectKind string

const (
	kindNone        objectKind = ""
	kindUser        objectKind = "user"
	kindAccount     objectKind = "account"
	kindCard        objectKind = "card"
	kindTransaction objectKind = "transaction"
)

// eventKind maps a VaultsPay event type onto the normalised type and the
// object its data holds. Types without a normalised twin map onto the
// nearest one and keep their own name in Event.ProviderType:
// user.deleted is a user update, account.created and account.closed are
// account updates, card.converted_to_physical is a card update. Unknown
// types are api.EventUnknown and their data is left in Raw.
func eventKind(t string) (api.EventType, objectKind) {
	switch t {
	case EventUserCreated:
		return api.EventUserCreated, kindUser
	case EventUserUpdated, EventUserDeleted:
		return api.EventUserUpdated, kindUser
	case EventUserKYCUpdated:
		return api.EventUserKYCUpdated, kindUser
	case EventAccountCreated, EventAccountClosed:
		return api.EventAccountUpdated, kindAccount
	case EventCardCreated:
		return api.EventCardCreated, kindCard
	case EventCardActivated:
		return api.EventCardActivated, kindCard
	case EventCardUpdated, EventCardConverted:
		return api.EventCardUpdated, kindCard
	case EventCardFrozen:
		return api.EventCardFrozen, kindCard
	case EventCardUnfrozen:
		return api.EventCardUnfrozen, kindCard
	case EventCardTerminated:
		return api.EventCardTerminated, kindCard
	case EventTxAuthorized:
		return api.EventTxAuthorized, kindTransaction
	case EventTxDeclined:
		return api.EventTxDeclined, kindTransaction
	case EventTxSettled:
		return api.EventTxSettled, kindTransaction
	case EventTxReversed:
		return api.EventTxReversed, kindTransaction
	case EventTxRefunded:
		return api.EventTxRefunded, kindTransaction
	case EventWebhookTest:
		return api.EventWebhookTest, kindNone
	}
	return api.EventUnknown, kindNone
}

// Parse decodes a verified webhook body into an api.Event, keeping the body
// in Raw. Only a broken envelope — not a JSON object, no id, no type, no
// timestamp — fails, with an error wrapping api.ErrPayloadInvalid that says
// what is wrong: the relay keeps every event whose envelope and signature
// are good (DESIGN §3). An event of a type carddesk does not know carries
// its data's object when that names itself a user, account, card or
// transaction; data that cannot be read leaves the event without an
// object and says why in DataError.
func (v *Verifier) Parse(body []byte) (api.Event, error) {
	return ParseEvent(body)
}

// ParseEvent is Parse without a Verifier, for bodies verified elsewhere.
func ParseEvent(body []byte) (api.Event, error) {
	var w Event
	if err := decodeStrictObject(body, &w); err != nil {
		return api.Event{}, fmt.Errorf("%w: vaultspay event: %v", api.ErrPayloadInvalid, err)
	}
	if w.ID == "" {
		return api.Event{}, fmt.Errorf("%w: vaultspay event: id is missing", api.ErrPayloadInvalid)
	}
	if w.Type == "" {
		return api.Event{}, fmt.Errorf("%w: vaultspay event %s: type is missing", api.ErrPayloadInvalid, shownID(w.ID))
	}
	created, err := parseTime("event", w.ID, "timestamp", w.Timestamp, true)
	if err != nil {
		return api.Event{}, fmt.Errorf("%w: vaultspay %v", api.ErrPayloadInvalid, err)
	}
	typ, kind := eventKind(w.Type)
	if typ == api.EventUnknown {
		kind = dataKind(w.Data)
	}
	ev := api.Event{
		ID:           w.ID,
		Provider:     Provider,
		Type:         typ,
		ProviderType: w.Type,
		CreatedAt:    created,
		Raw:          bytes.Clone(body),
	}
	if kind == kindNone {
		return ev, nil
	}
	if err := decodeData(&ev, kind, w.Data); err != nil {
		ev.User, ev.Account, ev.Card, ev.Transaction = nil, nil, nil, nil
		ev.DataError = err.Error()
	}
	return ev, nil
}

// dataKind is the object an unknown event's data names, when carddesk has
// a place for it; kindNone otherwise.
func dataKind(data json.RawMessage) objectKind {
	var head struct {
		Object string `json:"object"`
	}
	if json.Unmarshal(data, &head) != nil {
		return kindNone
	}
	switch k := objectKind(head.Object); k {
	case kindUser, kindAccount, kindCard, kindTransaction:
		return k
	}
	return kindNone
}

// decodeData decodes data as the object kind names and maps it onto ev.
func decodeData(ev *api.Event, kind objectKind, data json.RawMessage) error {
	var err error
	switch kind {
	case kindUser:
		ev.User, err = decodeObject(data, kind, func(w *User) string { return w.Object }, mapUser)
	case kindAccount:
		ev.Account, err = decodeObject(data, kind, func(w *Account) string { return w.Object }, mapAccount)
	case kindCard:
		ev.Card, err = decodeObject(data, kind, func(w *Card) string { return w.Object }, mapCard)
	case kindTransaction:
		ev.Transaction, err = decodeObject(data, kind, func(w *Transaction) string { return w.Object }, mapTransaction)
	}
	return err
}

// decodeObject decodes data into the wire type W and maps it.
//
// data is decoded once, into W, and its object field checked after. Only
// when that decode fails is the object field read on its own, so that a
// misplaced object is named as such rather than by the first of its fields
// that does not fit.
func decodeObject[W, A any](data json.RawMessage, kind objectKind, object func(*W) string, toAPI func(W) (A, error)) (*A, error) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, errors.New("data is missing")
	}
	if t[0] != '{' {
		return nil, errors.New("data: not a JSON object")
	}
	var w W
	var got string
	if err := json.Unmarshal(data, &w); err != nil {
		var head struct {
			Object string `json:"object"`
		}
		if herr := json.Unmarshal(t, &head); herr != nil {
			return nil, fmt.Errorf("data: %v", api.DescribeJSON(herr, len(t)))
		}
		if head.Object == "" || head.Object == string(kind) {
			return nil, fmt.Errorf("data: %v", api.DescribeJSON(err, len(data)))
		}
		got = head.Object
	} else {
		got = object(&w)
	}
	if got != "" && got != string(kind) {
		return nil, fmt.Errorf("data is a %q, want a %q", clip(got), string(kind))
	}
	a, err := toAPI(w)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// decodeStrictObject wants exactly one JSON object in b.
func decodeStrictObject(b []byte, out any) error {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return errors.New("empty")
	}
	if trimmed[0] != '{' {
		return errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(out); err != nil {
		return api.DescribeJSON(err, len(trimmed))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}
