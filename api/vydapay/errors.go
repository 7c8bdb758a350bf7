package vydapay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// errorEnvelope is ErrorBody plus a request_id, which Vydapay does not
// document in the body but which is read when present.
type errorEnvelope struct {
	Error *struct {
		ErrorDetail
		RequestID string `json:"request_id,omitempty"`
	} `json:"error"`
}

// DecodeError is the api.ErrorDecoder for Vydapay: it reads the documented
// {"error": {type, code, message, param, doc_url}} body into an *api.Error,
// with the request id from the body or the X-Request-Id header. A body of
// any other shape still yields an *api.Error with the status and a message
// saying what came instead. It never fails and never panics.
func DecodeError(status int, header http.Header, body []byte) *api.Error {
	e := &api.Error{Provider: Provider, Status: status, RequestID: header.Get("X-Request-Id")}
	var env errorEnvelope
	err := json.Unmarshal(body, &env)
	if err == nil && env.Error != nil && (env.Error.Type != "" || env.Error.Code != "" || env.Error.Message != "") {
		d := env.Error
		e.Type, e.Code, e.Message, e.Param, e.DocURL = d.Type, d.Code, d.Message, d.Param, d.DocURL
		if d.RequestID != "" {
			e.RequestID = d.RequestID
		}
		return e.MakeSafe("Vydapay")
	}
	e.Message = fmt.Sprintf("Vydapay answered %d %s with a body that is not the documented error shape (%s)",
		status, http.StatusText(status), describeBody(header, body, err))
	return e.MakeSafe("Vydapay")
}

// describeBody says what an undocumented error body was, without quoting it.
func describeBody(header http.Header, body []byte, jsonErr error) string {
	trimmed := bytes.TrimSpace(body)
	ct := header.Get("Content-Type")
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	isSyntax := errors.As(jsonErr, &syn)
	switch {
	case len(trimmed) == 0:
		return "empty body"
	case strings.Contains(ct, "html") || bytes.HasPrefix(trimmed, []byte("<")):
		return fmt.Sprintf("HTML, %d bytes", len(body))
	case isSyntax && trimmed[0] != '{' && trimmed[0] != '[':
		return fmt.Sprintf("%d bytes that are not JSON", len(body))
	case errors.Is(jsonErr, io.ErrUnexpectedEOF), isSyntax && strings.Contains(syn.Error(), "unexpected end"):
		return fmt.Sprintf("truncated JSON, %d bytes", len(body))
	case isSyntax:
		return fmt.Sprintf("malformed JSON at byte %d of %d", syn.Offset, len(body))
	case errors.As(jsonErr, &typ) && typ.Field == "":
		return fmt.Sprintf("a JSON %s instead of an object", api.JSONKind(typ))
	case typ != nil:
		return fmt.Sprintf("JSON whose field %q is of the wrong type (a %s)", typ.Field, api.JSONKind(typ))
	case jsonErr != nil:
		return fmt.Sprintf("JSON that does not decode, %d bytes", len(body))
	}
	return fmt.Sprintf("JSON without an error object, %d bytes", len(body))
}
