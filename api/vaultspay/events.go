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

// objectKind is what an event's data holds.
type objectKind int

const (
	kindNone objectKind = iota
	kindUser
	kindAccount
	kindCard
	kindTransaction
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

func (k objectKind) object() string {
	switch k {
	case kindUser:
		return "user"
	case kindAccount:
		return "account"
	case kindCard:
		return "card"
	case kindTransaction:
		return "transaction"
	}
	return ""
}

// Parse decodes a verified webhook body into an api.Event, keeping the body
// in Raw. A body that is not a VaultsPay event fails with an error wrapping
// api.ErrPayloadInvalid that says what is wrong.
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
		return api.Event{}, fmt.Errorf("%w: vaultspay event %s: type is missing", api.ErrPayloadInvalid, clip(w.ID))
	}
	created, err := parseTime("event", w.ID, "timestamp", w.Timestamp, true)
	if err != nil {
		return api.Event{}, fmt.Errorf("%w: vaultspay %v", api.ErrPayloadInvalid, err)
	}
	typ, kind := eventKind(w.Type)
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
		return api.Event{}, fmt.Errorf("%w: vaultspay event %s (%s): %v", api.ErrPayloadInvalid, w.ID, w.Type, err)
	}
	return ev, nil
}

// decodeData decodes data as the object kind names and maps it.
//
// data is decoded once, into the kind's wire type, and its object field
// checked after. Only when that decode fails is the object field read on
// its own, so that a misplaced object is named as such rather than by the
// first of its fields that does not fit.
func decodeData(ev *api.Event, kind objectKind, data json.RawMessage) error {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return errors.New("data is missing")
	}
	if t[0] != '{' {
		return errors.New("data: not a JSON object")
	}
	var (
		user    User
		account Account
		card    Card
		tx      Transaction
		w       any
		object  *string
	)
	switch kind {
	case kindUser:
		w, object = &user, &user.Object
	case kindAccount:
		w, object = &account, &account.Object
	case kindCard:
		w, object = &card, &card.Object
	case kindTransaction:
		w, object = &tx, &tx.Object
	default:
		return nil
	}
	if err := decodeInto(data, w); err != nil {
		var head struct {
			Object string `json:"object"`
		}
		if herr := json.Unmarshal(t, &head); herr != nil {
			return fmt.Errorf("data: %v", describeJSON(herr, len(t)))
		}
		if head.Object == "" || head.Object == kind.object() {
			return err
		}
		*object = head.Object
	}
	if *object != "" && *object != kind.object() {
		return fmt.Errorf("data is a %q, want a %q", clip(*object), kind.object())
	}
	var err error
	switch kind {
	case kindUser:
		var u api.User
		u, err = mapUser(user)
		ev.User = &u
	case kindAccount:
		var a api.Account
		a, err = mapAccount(account)
		ev.Account = &a
	case kindCard:
		var c api.Card
		c, err = mapCard(card)
		ev.Card = &c
	case kindTransaction:
		var tr api.Transaction
		tr, err = mapTransaction(tx)
		ev.Transaction = &tr
	}
	if err != nil {
		ev.User, ev.Account, ev.Card, ev.Transaction = nil, nil, nil, nil
		return err
	}
	return nil
}

func decodeInto(data json.RawMessage, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("data: %v", describeJSON(err, len(data)))
	}
	return nil
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
		return describeJSON(err, len(trimmed))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// describeJSON says where and how JSON failed without quoting it.
func describeJSON(err error, size int) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		if syn.Offset >= int64(size) {
			return fmt.Errorf("truncated JSON (%d bytes)", size)
		}
		return fmt.Errorf("malformed JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("field %q: got JSON %s, want %s", typ.Field, typ.Value, typ.Type)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated JSON (%d bytes)", size)
	}
	return err
}
