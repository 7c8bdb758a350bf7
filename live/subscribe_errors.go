package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/carddesk/carddesk/api/safetext"
)

// StatusError is the relay's refusal of a stream request, such as a 401
// for a wrong token.
type StatusError struct {
	Code   int
	Reason string // the relay's JSON reason, if it gave one
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("relay: %d %s", e.Code, strings.ToLower(http.StatusText(e.Code)))
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// errStreamURL marks a subscription URL that cannot work.
var errStreamURL = errors.New("bad stream URL")

func newStatusError(resp *http.Response) *StatusError {
	e := &StatusError{Code: resp.StatusCode}
	var body struct {
		Error string `json:"error"`
	}
	if resp.Body != nil {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		if json.Unmarshal(data, &body) == nil {
			e.Reason = printable(body.Error)
		}
	}
	return e
}

// refused says whether err needs the operator rather than time: a 4xx
// answer or a URL that cannot work.
func refused(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500
	}
	return errors.Is(err, errStreamURL)
}

// streamURL is the stream URL resuming after seq of the store epoch names
// (when known): http(s) becomes ws(s), an empty path /v1/stream, and after
// and epoch are set.
func streamURL(raw string, after uint64, epoch string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("relay: %w %q: %w", errStreamURL, raw, err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("relay: %w %q: scheme must be ws or wss", errStreamURL, raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("relay: %w %q: no host", errStreamURL, raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/stream"
	}
	q := u.Query()
	q.Set("after", strconv.FormatUint(after, 10))
	q.Del("epoch")
	if epoch != "" {
		q.Set("epoch", epoch)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// printable makes text from the relay safe for a terminal header and a
// log: whole escape sequences, controls, bidi controls and invisible
// characters removed, line breaks turned to spaces, card numbers masked;
// at most 200 characters.
func printable(s string) string {
	return safetext.Clip(s, 200)
}
