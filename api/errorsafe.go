package api

import (
	"fmt"
	"net/http"

	"github.com/carddesk/carddesk/api/safetext"
)

// Bounds of the fields of an error decoded from a provider's answer.
const (
	maxErrorMessage = 500
	maxErrorField   = 200 // type, code, param, request id, doc URL
)

// MakeSafe readies e, just decoded from a provider's answer, for error
// strings, logs and the dashboard: every field from outside is made safe
// (escapes and invisible characters gone, card numbers masked) and
// bounded, here, once. An error whose type, code and message held nothing
// readable says so, naming the provider (its display name). It returns e.
func (e *Error) MakeSafe(name string) *Error {
	e.Type = safetext.Clip(e.Type, maxErrorField)
	e.Code = safetext.Clip(e.Code, maxErrorField)
	e.Param = safetext.Clip(e.Param, maxErrorField)
	e.RequestID = safetext.Clip(e.RequestID, maxErrorField)
	e.DocURL = safetext.Clip(e.DocURL, maxErrorField)
	e.Message = safetext.Clip(e.Message, maxErrorMessage)
	if e.Type == "" && e.Code == "" && e.Message == "" {
		// All it said was escapes and controls.
		e.Message = fmt.Sprintf("%s answered %d %s with an error that says nothing readable", name, e.Status, http.StatusText(e.Status))
	}
	return e
}
