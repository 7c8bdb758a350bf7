package vaultspay_test

import (
	"fmt"
	"strings"
)

// Wire objects as VaultsPay sends them, for the mapping and event tests.
const (
	userJSON = `{"id":"usr_1","object":"user","first_name":"Aisha","last_name":"Khan",
		"email":"aisha@example.ae","phone":"+971501234567","date_of_birth":"1990-01-02",
		"address":{"line1":"1 Palm Way","city":"Dubai","country":"AE"},
		"kyc":{"status":"verified","session_id":"kyc_1","updated_at":"2026-04-01T10:00:00Z"},
		"metadata":{"tier":"gold"},"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-04-01T10:00:00Z"}`
	accountJSON = `{"id":"acc_1","object":"account","user_id":"usr_1","currency":"bhd","status":"active",
		"balance":{"object":"balance","account_id":"acc_1","currency":"BHD","available":1050,"pending":25},
		"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`
	cardJSON = `{"id":"card_1","object":"card","user_id":"usr_1","account_id":"acc_1","type":"physical",
		"status":"frozen","brand":"visa","currency":"AED","last_four":"4821","exp_month":7,"exp_year":2029,
		"spending_limit":{"amount":500000,"interval":"monthly"},
		"spending_controls":{"blocked_categories":["gambling"],"allowed_countries":["AE","GB"]},
		"metadata":{"team":"ops"},"termination_reason":null,
		"created_at":"2026-01-02T03:04:05.123Z","updated_at":"2026-04-24T14:52:03+04:00"}`
	txJSON = `{"id":"tx_1","object":"transaction","account_id":"acc_1","card_id":"card_1","user_id":"usr_1",
		"amount":1050,"currency":"AED","status":"declined","type":"purchase",
		"merchant":{"id":"mer_1","name":"Spinneys","category":"grocery_stores","mcc":"5411","city":"Dubai","country":"AE"},
		"decline":{"code":"mcc_blocked","message":"Merchant category blocked"},
		"created_at":"2026-04-24T14:52:03Z","settled_at":null}`
)

// eventJSON wraps data in a VaultsPay event envelope.
func eventJSON(typ, data string) string {
	return fmt.Sprintf(`{"id":"evt_1","type":%q,"timestamp":"2026-04-24T14:52:03Z","api_version":"2026-04-24","data":%s}`, typ, data)
}

// with replaces one "key":value pair of a fixture (value as JSON).
func with(fixture, key, oldValue, newValue string) string {
	old := fmt.Sprintf("%q:%s", key, oldValue)
	if !strings.Contains(fixture, old) {
		panic("fixture has no " + old)
	}
	return strings.Replace(fixture, old, fmt.Sprintf("%q:%s", key, newValue), 1)
}
