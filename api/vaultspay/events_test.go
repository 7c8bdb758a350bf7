package vaultspay_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func TestParseEveryEventType(t *testing.T) {
	tests := []struct {
		typ    string
		data   string
		want   api.EventType
		object string // which of Card, Transaction, User, Account is set
	}{
		{vaultspay.EventUserCreated, userJSON, api.EventUserCreated, "user"},
		{vaultspay.EventUserUpdated, userJSON, api.EventUserUpdated, "user"},
		{vaultspay.EventUserDeleted, userJSON, api.EventUserUpdated, "user"},
		{vaultspay.EventUserKYCUpdated, userJSON, api.EventUserKYCUpdated, "user"},
		{vaultspay.EventAccountCreated, accountJSON, api.EventAccountUpdated, "account"},
		{vaultspay.EventAccountClosed, with(accountJSON, "status", `"active"`, `"closed"`), api.EventAccountUpdated, "account"},
		{vaultspay.EventCardCreated, cardJSON, api.EventCardCreated, "card"},
		{vaultspay.EventCardActivated, cardJSON, api.EventCardActivated, "card"},
		{vaultspay.EventCardUpdated, cardJSON, api.EventCardUpdated, "card"},
		{vaultspay.EventCardConverted, cardJSON, api.EventCardUpdated, "card"},
		{vaultspay.EventCardFrozen, cardJSON, api.EventCardFrozen, "card"},
		{vaultspay.EventCardUnfrozen, cardJSON, api.EventCardUnfrozen, "card"},
		{vaultspay.EventCardTerminated, cardJSON, api.EventCardTerminated, "card"},
		{vaultspay.EventTxAuthorized, txJSON, api.EventTxAuthorized, "transaction"},
		{vaultspay.EventTxDeclined, txJSON, api.EventTxDeclined, "transaction"},
		{vaultspay.EventTxSettled, txJSON, api.EventTxSettled, "transaction"},
		{vaultspay.EventTxReversed, txJSON, api.EventTxReversed, "transaction"},
		{vaultspay.EventTxRefunded, txJSON, api.EventTxRefunded, "transaction"},
		{vaultspay.EventWebhookTest, `{"message":"hello"}`, api.EventWebhookTest, ""},
		// A type carddesk does not know carries the object its data names.
		{"card.teleported", cardJSON, api.EventUnknown, "card"},
		{"transaction.disputed", txJSON, api.EventUnknown, "transaction"},
		{"payout.created", `{"anything":[1,2,3]}`, api.EventUnknown, ""},
		{"balance.updated", `{"object":"balance","currency":"AED","available":1}`, api.EventUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			body := []byte(eventJSON(tt.typ, tt.data))
			ev, err := vaultspay.ParseEvent(body)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if ev.Type != tt.want || ev.ProviderType != tt.typ || ev.ID != "evt_1" || ev.Provider != vaultspay.Provider {
				t.Errorf("got type %q provider type %q id %q provider %q", ev.Type, ev.ProviderType, ev.ID, ev.Provider)
			}
			if want := time.Date(2026, 4, 24, 14, 52, 3, 0, time.UTC); !ev.CreatedAt.Equal(want) {
				t.Errorf("CreatedAt %v, want %v", ev.CreatedAt, want)
			}
			if !bytes.Equal(ev.Raw, body) {
				t.Errorf("Raw is not the body")
			}
			set := map[string]bool{"card": ev.Card != nil, "transaction": ev.Transaction != nil, "user": ev.User != nil, "account": ev.Account != nil}
			for name, isSet := range set {
				if isSet != (name == tt.object) {
					t.Errorf("%s set = %v, want only %q", name, isSet, tt.object)
				}
			}
			switch tt.object {
			case "card":
				if ev.Card.ID != "card_1" || ev.Card.Status != api.CardFrozen || ev.CardID() != "card_1" || ev.UserID() != "usr_1" {
					t.Errorf("card %+v", ev.Card)
				}
			case "transaction":
				if ev.Transaction.Decline == nil || ev.Transaction.Decline.Reason != api.DeclineCategoryBlocked || ev.CardID() != "card_1" {
					t.Errorf("transaction %+v", ev.Transaction)
				}
			case "user":
				if ev.User.ID != "usr_1" || ev.User.KYC != api.KYCVerified {
					t.Errorf("user %+v", ev.User)
				}
			case "account":
				if ev.Account.ID != "acc_1" || ev.Account.Available != (api.Money{Amount: 1050, Currency: "BHD"}) {
					t.Errorf("account %+v", ev.Account)
				}
			}
		})
	}
}

func TestParseKeepsACopyOfTheBody(t *testing.T) {
	body := []byte(eventJSON(vaultspay.EventCardFrozen, cardJSON))
	ev, err := vaultspay.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	clear(body)
	if !strings.Contains(string(ev.Raw), `"card.frozen"`) {
		t.Fatal("Raw shares the caller's buffer")
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, body, want string // want: a part of the message
	}{
		{"empty", ``, "empty"},
		{"spaces", "  \n", "empty"},
		{"not JSON", `<html>`, "not a JSON object"},
		{"array", `[1,2]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"truncated", eventJSON(vaultspay.EventCardFrozen, cardJSON)[:80], "truncated JSON"},
		{"bad syntax", `{"id":"evt_1",,}`, "malformed JSON at byte"},
		{"trailing data", eventJSON(vaultspay.EventCardFrozen, cardJSON) + `{}`, "trailing data"},
		{"id wrong type", `{"id":12,"type":"card.frozen","timestamp":"2026-04-24T14:52:03Z","data":{}}`, `field "id"`},
		{"no id", `{"type":"card.frozen","timestamp":"2026-04-24T14:52:03Z","data":{}}`, "id is missing"},
		{"no type", `{"id":"evt_1","timestamp":"2026-04-24T14:52:03Z","data":{}}`, "type is missing"},
		{"no timestamp", `{"id":"evt_1","type":"card.frozen","data":{}}`, "timestamp is missing"},
		{"bad timestamp", `{"id":"evt_1","type":"card.frozen","timestamp":"24/04/2026","data":{}}`, `timestamp "24/04/2026" is not an RFC 3339 time`},
		{"unix timestamp", `{"id":"evt_1","type":"card.frozen","timestamp":1714000000,"data":{}}`, `field "timestamp"`},
	}
	v, err := vaultspay.NewVerifier(vaultspay.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := v.Parse([]byte(tt.body))
			if !errors.Is(err, api.ErrPayloadInvalid) {
				t.Fatalf("Parse: %v (event %+v), want ErrPayloadInvalid", err, ev)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// An event whose envelope is good is kept whatever its data holds: data
// that cannot be read leaves it without an object, saying why, so that the
// relay stores it rather than refusing it for ever.
func TestParseUnreadableData(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"no data", `{"id":"evt_1","type":"card.frozen","timestamp":"2026-04-24T14:52:03Z"}`, "data is missing"},
		{"null data", eventJSON(vaultspay.EventCardFrozen, `null`), "data is missing"},
		{"data not an object", eventJSON(vaultspay.EventCardFrozen, `"card_1"`), "not a JSON object"},
		{"data of the wrong object", eventJSON(vaultspay.EventCardFrozen, txJSON), `data is a "transaction", want a "card"`},
		{"card with bad created_at", eventJSON(vaultspay.EventCardFrozen, with(cardJSON, "created_at", `"2026-01-02T03:04:05.123Z"`, `"yesterday"`)), "created_at"},
		{"card with wrong field type", eventJSON(vaultspay.EventCardFrozen, with(cardJSON, "exp_month", `7`, `"07"`)), `field "exp_month"`},
		{"transaction with no currency", eventJSON(vaultspay.EventTxSettled, with(txJSON, "currency", `"AED"`, `""`)), "currency is missing"},
		{"user without id", eventJSON(vaultspay.EventUserCreated, with(userJSON, "id", `"usr_1"`, `""`)), "id is missing"},
	}
	v, err := vaultspay.NewVerifier(vaultspay.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := v.Parse([]byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: %v, want the event kept", err)
			}
			if ev.ID != "evt_1" || ev.ProviderType == "" || len(ev.Raw) == 0 {
				t.Errorf("envelope lost: %+v", ev)
			}
			if ev.Card != nil || ev.Transaction != nil || ev.User != nil || ev.Account != nil {
				t.Errorf("an object from unreadable data: %+v", ev)
			}
			if !strings.Contains(ev.DataError, tt.want) {
				t.Errorf("DataError %q, want it to say %q", ev.DataError, tt.want)
			}
		})
	}
}

// Words VaultsPay sends that carddesk does not know are kept as sent.
func TestParseKeepsUnknownWords(t *testing.T) {
	card, err := vaultspay.ParseEvent([]byte(eventJSON(vaultspay.EventCardUpdated, with(cardJSON, "status", `"frozen"`, `"suspended_by_bank"`))))
	if err != nil || card.Card == nil || card.Card.Status != "suspended_by_bank" || card.Card.Status.Known() {
		t.Errorf("card: %+v, %v", card.Card, err)
	}
	acct, err := vaultspay.ParseEvent([]byte(eventJSON(vaultspay.EventAccountClosed, with(accountJSON, "status", `"active"`, `"dormant"`))))
	if err != nil || acct.Account == nil || acct.Account.Status != "dormant" {
		t.Errorf("account: %+v, %v", acct.Account, err)
	}
	tx, err := vaultspay.ParseEvent([]byte(eventJSON(vaultspay.EventTxDeclined,
		with(with(txJSON, "type", `"purchase"`, `"fee"`), "decline", `{"code":"mcc_blocked","message":"Merchant category blocked"}`,
			`{"code":"velocity_exceeded","message":"Too many attempts"}`))))
	if err != nil || tx.Transaction == nil || tx.Transaction.Type != "fee" {
		t.Fatalf("transaction: %+v, %v", tx.Transaction, err)
	}
	if d := tx.Transaction.Decline; d == nil || *d != (api.Decline{Reason: api.DeclineOther, Code: "velocity_exceeded", Message: "Too many attempts"}) {
		t.Errorf("decline %+v", d)
	}
}
