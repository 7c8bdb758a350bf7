package sandbox

import (
	"encoding/json"
	"net/http"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Error types only VaultsPay has; Vydapay words them as its own types.
const (
	typePermission  = vaultspay.ErrTypePermission
	typeIdempotency = vaultspay.ErrTypeIdempotency
)

// errorBody renders e in the provider's error shape. A path outside both
// providers gets VaultsPay's shape, which carries the request id.
func errorBody(provider, reqID string, e *apiError) any {
	if provider == vydapay.Provider {
		typ := e.typ
		switch typ {
		case typePermission:
			typ = typeAuth
		case typeIdempotency:
			typ = typeInvalid
		}
		return vydapay.ErrorBody{Error: vydapay.ErrorDetail{
			Type: typ, Code: e.code, Message: e.msg, Param: e.param, DocURL: vydapay.DocURLBase + e.code,
		}}
	}
	return vaultspay.ErrorBody{Error: vaultspay.ErrorDetail{
		Type: e.typ, Code: e.code, Message: e.msg, Param: e.param, RequestID: reqID,
	}}
}

// marshal encodes a response body; wire structs always encode.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(vaultspay.ErrorBody{Error: vaultspay.ErrorDetail{
			Type: typeAPI, Code: codeInternal, Message: "The response could not be encoded.",
		}})
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func (s *Server) writeError(w http.ResponseWriter, provider, reqID string, e *apiError) {
	writeJSON(w, e.status, marshal(errorBody(provider, reqID, e)))
}
