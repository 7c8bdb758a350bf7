package vaultspay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// DecodeError is the api.ErrorDecoder for VaultsPay: it reads
// {"error": {"type", "code", "message", "param", "request_id"}} into an
// *api.Error. A body of any other shape (an HTML page from a proxy, a
// truncated or empty body) still yields an *api.Error with the status and a
// message saying so. It never quotes the body, which may belong to a reveal.
func DecodeError(status int, header http.Header, body []byte) *api.Error {
	e := &api.Error{Provider: Provider, Status: status, RequestID: header.Get("X-Request-Id")}
	d, ok := parseErrorBody(body)
	if !ok {
		e.Message = fmt.Sprintf("VaultsPay answered %d %s with a body that is not its documented error shape (%s)",
			status, http.StatusText(status), describeBody(header, body))
		return e.MakeSafe("VaultsPay")
	}
	e.Type, e.Code, e.Message, e.Param = d.Type, d.Code, d.Message, d.Param
	if d.RequestID != "" {
		e.RequestID = d.RequestID
	}
	return e.MakeSafe("VaultsPay")
}

// parseErrorBody accepts only an object whose "error" member is an object
// naming at least a type, a code or a message.
func parseErrorBody(body []byte) (ErrorDetail, bool) {
	var raw struct {
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return ErrorDetail{}, false
	}
	trimmed := bytes.TrimSpace(raw.Error)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ErrorDetail{}, false
	}
	var d ErrorDetail
	if err := json.Unmarshal(trimmed, &d); err != nil {
		return ErrorDetail{}, false
	}
	if d.Type == "" && d.Code == "" && d.Message == "" {
		return ErrorDetail{}, false
	}
	return d, true
}

func describeBody(header http.Header, body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "empty body"
	}
	ct := header.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	} else if mt, _, ok := strings.Cut(ct, ";"); ok {
		ct = strings.TrimSpace(mt)
	}
	return fmt.Sprintf("%s, %d bytes", clip(ct), len(body))
}
