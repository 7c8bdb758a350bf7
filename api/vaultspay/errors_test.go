package vaultspay_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

func errBody(typ, code, msg, param, reqID string) string {
	s := `{"error":{"type":"` + typ + `","code":"` + code + `","message":"` + msg + `"`
	if param != "" {
		s += `,"param":"` + param + `"`
	}
	if reqID != "" {
		s += `,"request_id":"` + reqID + `"`
	}
	return s + `}}`
}

func TestDecodeErrorShapes(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		header   http.Header
		want     api.Error
		sentinel error
	}{
		{"missing parameter", 400, errBody(vaultspay.ErrTypeInvalidRequest, "parameter_missing", "reason is required", "reason", "req_1"), nil,
			api.Error{Type: "invalid_request_error", Code: "parameter_missing", Message: "reason is required", Param: "reason", RequestID: "req_1"}, api.ErrInvalid},
		{"limit out of range", 400, errBody(vaultspay.ErrTypeInvalidRequest, "parameter_invalid", "limit must be between 1 and 100", "limit", "req_2"), nil,
			api.Error{Type: "invalid_request_error", Code: "parameter_invalid", Message: "limit must be between 1 and 100", Param: "limit", RequestID: "req_2"}, api.ErrInvalid},
		{"wrong key", 401, errBody(vaultspay.ErrTypeAuthentication, "api_key_invalid", "Invalid API key", "", "req_3"), nil,
			api.Error{Type: "authentication_error", Code: "api_key_invalid", Message: "Invalid API key", RequestID: "req_3"}, api.ErrUnauthorized},
		{"read-only key", 403, errBody(vaultspay.ErrTypePermission, "insufficient_permissions", "read-only key", "", "req_4"), nil,
			api.Error{Type: "permission_error", Code: "insufficient_permissions", Message: "read-only key", RequestID: "req_4"}, api.ErrForbidden},
		{"unknown id", 404, errBody(vaultspay.ErrTypeInvalidRequest, "resource_missing", "No such card: card_x", "id", "req_5"), nil,
			api.Error{Type: "invalid_request_error", Code: "resource_missing", Message: "No such card: card_x", Param: "id", RequestID: "req_5"}, api.ErrNotFound},
		{"card state", 409, errBody(vaultspay.ErrTypeCard, "invalid_card_state", "card card_1 is terminated and cannot be unfrozen", "", "req_6"), nil,
			api.Error{Type: "card_error", Code: "invalid_card_state", Message: "card card_1 is terminated and cannot be unfrozen", RequestID: "req_6"}, api.ErrConflict},
		{"key in flight", 409, errBody(vaultspay.ErrTypeIdempotency, "idempotency_key_in_use", "in flight", "", "req_7"), nil,
			api.Error{Type: "idempotency_error", Code: "idempotency_key_in_use", Message: "in flight", RequestID: "req_7"}, api.ErrConflict},
		{"key reused", 422, errBody(vaultspay.ErrTypeIdempotency, "idempotency_key_reused", "other request", "", "req_8"), nil,
			api.Error{Type: "idempotency_error", Code: "idempotency_key_reused", Message: "other request", RequestID: "req_8"}, api.ErrInvalid},
		{"rate limited", 429, errBody(vaultspay.ErrTypeRateLimit, "rate_limited", "slow down", "", "req_9"), nil,
			api.Error{Type: "rate_limit_error", Code: "rate_limited", Message: "slow down", RequestID: "req_9"}, api.ErrRateLimited},
		{"server", 500, errBody(vaultspay.ErrTypeAPI, "internal", "oops", "", "req_10"), nil,
			api.Error{Type: "api_error", Code: "internal", Message: "oops", RequestID: "req_10"}, api.ErrServer},
		{"request id from the header", 404, errBody(vaultspay.ErrTypeInvalidRequest, "resource_missing", "gone", "", ""), http.Header{"X-Request-Id": {"req_hdr"}},
			api.Error{Type: "invalid_request_error", Code: "resource_missing", Message: "gone", RequestID: "req_hdr"}, api.ErrNotFound},
		{"body request id wins", 404, errBody(vaultspay.ErrTypeInvalidRequest, "resource_missing", "gone", "", "req_body"), http.Header{"X-Request-Id": {"req_hdr"}},
			api.Error{Type: "invalid_request_error", Code: "resource_missing", Message: "gone", RequestID: "req_body"}, api.ErrNotFound},
		{"unknown fields ignored", 400, `{"error":{"type":"invalid_request_error","code":"x","message":"m","extra":[1]},"more":true}`, nil,
			api.Error{Type: "invalid_request_error", Code: "x", Message: "m"}, api.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			e := vaultspay.DecodeError(tt.status, h, []byte(tt.body))
			tt.want.Provider, tt.want.Status = vaultspay.Provider, tt.status
			if *e != tt.want {
				t.Errorf("got  %+v\nwant %+v", *e, tt.want)
			}
			if !errors.Is(e, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) is false", e, tt.sentinel)
			}
		})
	}
}

func TestDecodeErrorUndocumentedBodies(t *testing.T) {
	tests := []struct {
		name, ctype, body, says string
		status                  int
	}{
		{"HTML from a proxy", "text/html; charset=utf-8", "<html><body>Bad Gateway</body></html>", "text/html, 37 bytes", 502},
		{"truncated JSON", "application/json", `{"error":{"type":"api_er`, "application/json, 24 bytes", 500},
		{"empty", "", "", "empty body", 503},
		{"whitespace", "application/json", " \n", "empty body", 500},
		{"error is a string", "application/json", `{"error":"nope"}`, "application/json", 400},
		{"error is empty", "application/json", `{"error":{}}`, "application/json", 400},
		{"error is null", "application/json", `{"error":null}`, "application/json", 400},
		{"an array", "application/json", `[]`, "application/json", 404},
		{"wrong field types", "application/json", `{"error":{"type":1,"code":2}}`, "application/json", 400},
		{"other JSON", "", `{"message":"Forbidden"}`, "no content type", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"X-Request-Id": {"req_x"}}
			if tt.ctype != "" {
				h.Set("Content-Type", tt.ctype)
			}
			e := vaultspay.DecodeError(tt.status, h, []byte(tt.body))
			if e == nil {
				t.Fatal("nil error")
			}
			if e.Status != tt.status || e.Provider != vaultspay.Provider || e.RequestID != "req_x" || e.Type != "" || e.Code != "" {
				t.Errorf("error %+v", *e)
			}
			if !strings.Contains(e.Message, "not its documented error shape") || !strings.Contains(e.Message, tt.says) {
				t.Errorf("message %q does not say the body was undocumented (%s)", e.Message, tt.says)
			}
			if len(tt.body) > 8 && strings.Contains(e.Error(), tt.body[:8]) {
				t.Errorf("message %q quotes the body", e.Error())
			}
		})
	}
}
