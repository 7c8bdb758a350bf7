package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// readBody reads a capped body and checks its media type.
func readBody(w http.ResponseWriter, r *http.Request, multipartOK bool) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, typ: typeInvalid, code: codeTooLarge,
				msg: fmt.Sprintf("The request body is larger than %d bytes.", maxBody)}
		}
		return nil, errInvalid(codeBodyInvalid, "", "The request body could not be read.")
	}
	if len(body) == 0 {
		return body, nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mt == "application/json":
	case err == nil && mt == "multipart/form-data" && multipartOK:
	default:
		want := "application/json"
		if multipartOK {
			want += " or multipart/form-data"
		}
		return nil, &apiError{status: http.StatusUnsupportedMediaType, typ: typeInvalid, code: codeMediaType,
			msg: fmt.Sprintf("Unsupported Content-Type %q: send %s.", clip(r.Header.Get("Content-Type"), 60), want)}
	}
	return body, nil
}
