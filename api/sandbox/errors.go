package sandbox

import (
	"fmt"
	"net/http"
)

// apiError is a refusal in provider-neutral terms; each face renders it in
// its provider's error shape. The issuer core returns it too, so that a
// state conflict reads the same from the simulator and over HTTP.
type apiError struct {
	status int
	typ    string
	code   string
	msg    string
	param  string
}

func (e *apiError) Error() string {
	if e.param != "" {
		return fmt.Sprintf("%d %s: %s (param %s)", e.status, e.code, e.msg, e.param)
	}
	return fmt.Sprintf("%d %s: %s", e.status, e.code, e.msg)
}

// Error types both providers share (VaultsPay adds permission_error and
// idempotency_error, chosen in the faces).
const (
	typeInvalid = "invalid_request_error"
	typeAuth    = "authentication_error"
	typeRate    = "rate_limit_error"
	typeCard    = "card_error"
	typeAPI     = "api_error"
)

// Error codes.
const (
	codeBodyInvalid       = "body_invalid"
	codeParamUnknown      = "parameter_unknown"
	codeParamInvalid      = "parameter_invalid"
	codeParamMissing      = "parameter_missing"
	codeResourceMissing   = "resource_missing"
	codeRouteNotFound     = "route_not_found"
	codeMethodNotAllowed  = "method_not_allowed"
	codeKeyMissing        = "api_key_missing"
	codeKeyInvalid        = "api_key_invalid"
	codeForbidden         = "insufficient_permissions"
	codeRateLimited       = "rate_limited"
	codeIdemReused        = "idempotency_key_reused"
	codeIdemInUse         = "idempotency_key_in_use"
	codeTooLarge          = "body_too_large"
	codeMediaType         = "unsupported_media_type"
	codeAPIVersion        = "invalid_api_version"
	codeInternal          = "internal_error"
	codeInvalidCardState  = "invalid_card_state"
	codeCardCancelled     = "card_cancelled"
	codeCardNotFrozen     = "card_not_frozen"
	codeCardAlreadyFrozen = "card_already_frozen"
	codeUserHasCards      = "user_has_active_cards"
	codeAccountNotEmpty   = "account_balance_not_zero"
	codeAccountClosed     = "account_closed"
	codeKYCRequired       = "kyc_not_verified"
	codeAccountMismatch   = "account_user_mismatch"
	codePINInvalid        = "pin_invalid"
	codePINTokenInvalid   = "pin_token_invalid"
	codeAddressRequired   = "address_required"
	codeTxState           = "transaction_state"
	codeUnsupported       = "not_supported"
)

func errInvalid(code, param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typeInvalid, code: code, param: param, msg: fmt.Sprintf(format, args...)}
}

func errMissing(param string) *apiError {
	return errInvalid(codeParamMissing, param, "Missing required parameter: %s.", param)
}

func errNotFound(kind, id, param string) *apiError {
	return &apiError{status: http.StatusNotFound, typ: typeInvalid, code: codeResourceMissing, param: param,
		msg: fmt.Sprintf("No such %s: %q.", kind, clip(id, 64))}
}

func errConflict(typ, code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, typ: typ, code: code, msg: fmt.Sprintf(format, args...)}
}

func errUnprocessable(code, param, format string, args ...any) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, typ: typeInvalid, code: code, param: param, msg: fmt.Sprintf(format, args...)}
}

// clip shortens outside input quoted in a message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
