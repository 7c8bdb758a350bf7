package vydapay

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestDecodeError(t *testing.T) {
	withID := http.Header{"X-Request-Id": {"req_hdr"}}
	tests := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		want    api.Error
		is      error
		message string // for undocumented bodies: a part of the message
	}{
		{
			name:   "reference example",
			status: 400,
			header: withID,
			body: `{"error":{"type":"invalid_request_error","code":"parameter_invalid",
				"message":"The spending_limit amount must be a positive integer.","param":"spending_limit.amount",
				"doc_url":"https://docs.vydapay.com/errors/parameter_invalid"}}`,
			want: api.Error{Type: ErrTypeInvalidRequest, Code: "parameter_invalid",
				Message: "The spending_limit amount must be a positive integer.", Param: "spending_limit.amount",
				DocURL: "https://docs.vydapay.com/errors/parameter_invalid", RequestID: "req_hdr"},
			is: api.ErrInvalid,
		},
		{
			name:   "authentication_error",
			status: 401,
			body:   `{"error":{"type":"authentication_error","code":"api_key_invalid","message":"Invalid API key provided."}}`,
			want:   api.Error{Type: ErrTypeAuthentication, Code: "api_key_invalid", Message: "Invalid API key provided."},
			is:     api.ErrUnauthorized,
		},
		{
			name:   "publishable key",
			status: 403,
			body:   `{"error":{"type":"authentication_error","code":"insufficient_permissions","message":"publishable keys cannot act"}}`,
			want:   api.Error{Type: ErrTypeAuthentication, Code: "insufficient_permissions", Message: "publishable keys cannot act"},
			is:     api.ErrForbidden,
		},
		{
			name:   "not found, request id in body wins",
			status: 404,
			header: withID,
			body:   `{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such card: card_x","param":"id","request_id":"req_body"}}`,
			want:   api.Error{Type: ErrTypeInvalidRequest, Code: "resource_missing", Message: "No such card: card_x", Param: "id", RequestID: "req_body"},
			is:     api.ErrNotFound,
		},
		{
			name:   "card_error",
			status: 409,
			body:   `{"error":{"type":"card_error","code":"card_cancelled","message":"card card_x is cancelled"}}`,
			want:   api.Error{Type: ErrTypeCard, Code: "card_cancelled", Message: "card card_x is cancelled"},
			is:     api.ErrConflict,
		},
		{
			name:   "unprocessable",
			status: 422,
			body:   `{"error":{"type":"invalid_request_error","code":"idempotency_key_reused","message":"reused"}}`,
			want:   api.Error{Type: ErrTypeInvalidRequest, Code: "idempotency_key_reused", Message: "reused"},
			is:     api.ErrInvalid,
		},
		{
			name:   "rate_limit_error",
			status: 429,
			body:   `{"error":{"type":"rate_limit_error","code":"rate_limited","message":"Too many requests"}}`,
			want:   api.Error{Type: ErrTypeRateLimit, Code: "rate_limited", Message: "Too many requests"},
			is:     api.ErrRateLimited,
		},
		{
			name:   "api_error without code",
			status: 500,
			body:   `{"error":{"type":"api_error","message":"Something went wrong"}}`,
			want:   api.Error{Type: ErrTypeAPI, Message: "Something went wrong"},
			is:     api.ErrServer,
		},
		{
			name:   "unknown fields ignored",
			status: 400,
			body:   `{"error":{"type":"invalid_request_error","code":"x","message":"m","extra":{"a":1}},"other":true}`,
			want:   api.Error{Type: ErrTypeInvalidRequest, Code: "x", Message: "m"},
			is:     api.ErrInvalid,
		},
		{name: "HTML", status: 502, header: http.Header{"Content-Type": {"text/html"}}, body: "<html><body>Bad Gateway</body></html>",
			is: api.ErrServer, message: "HTML"},
		{name: "empty", status: 503, header: withID, body: "", want: api.Error{RequestID: "req_hdr"}, is: api.ErrServer, message: "empty body"},
		{name: "truncated", status: 400, body: `{"error":{"type":"invalid_request_error","mess`, is: api.ErrInvalid, message: "truncated JSON"},
		{name: "malformed", status: 400, body: `{"error":}`, is: api.ErrInvalid, message: "malformed JSON"},
		{name: "plain text", status: 404, body: "404 page not found", is: api.ErrNotFound, message: "not JSON"},
		{name: "other JSON", status: 401, body: `{"message":"nope"}`, is: api.ErrUnauthorized, message: "without an error object"},
		{name: "error is a string", status: 400, body: `{"error":"bad"}`, is: api.ErrInvalid, message: `field "error"`},
		{name: "empty error object", status: 409, body: `{"error":{}}`, is: api.ErrConflict, message: "without an error object"},
		{name: "array", status: 500, body: `[1,2]`, is: api.ErrServer, message: "JSON array"},
		{name: "null", status: 500, body: `null`, is: api.ErrServer, message: "not the documented error shape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			got := DecodeError(tt.status, h, []byte(tt.body))
			if got == nil {
				t.Fatal("nil error")
			}
			if got.Provider != Provider || got.Status != tt.status {
				t.Errorf("provider/status = %s/%d, want %s/%d", got.Provider, got.Status, Provider, tt.status)
			}
			if !errors.Is(got, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", got, tt.is)
			}
			if tt.message != "" {
				if !strings.Contains(got.Message, tt.message) || !strings.Contains(got.Message, "not the documented error shape") {
					t.Errorf("message %q, want it to mention %q and the shape", got.Message, tt.message)
				}
				if got.RequestID != tt.want.RequestID {
					t.Errorf("request id %q, want %q", got.RequestID, tt.want.RequestID)
				}
				return
			}
			want := tt.want
			want.Provider, want.Status = Provider, tt.status
			if *got != want {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
}

// An undocumented body is described, never quoted: it may hold anything.
func TestDecodeErrorDoesNotQuoteBody(t *testing.T) {
	body := "<html>4111111111111111</html>"
	got := DecodeError(500, http.Header{}, []byte(body))
	if strings.Contains(got.Error(), "4111") {
		t.Fatalf("error quotes the body: %v", got)
	}
}
