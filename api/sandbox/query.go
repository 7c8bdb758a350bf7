package sandbox

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// query holds a request's query parameters once they have been checked
// against the ones an endpoint accepts.
type query struct {
	vals url.Values
}

// parseQuery refuses a malformed query string, a parameter the endpoint
// does not accept and a parameter given twice.
func parseQuery(raw string, allowed []string) (query, *apiError) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return query{}, errInvalid(codeParamInvalid, "", "The query string is malformed.")
	}
	for k, vs := range vals {
		if !contains(allowed, k) {
			return query{}, errInvalid(codeParamUnknown, clip(k, 64), "Received unknown parameter: %s.", clip(k, 64))
		}
		if len(vs) > 1 {
			return query{}, errInvalid(codeParamInvalid, k, "Parameter %s was given more than once.", k)
		}
	}
	return query{vals: vals}, nil
}

// get is a parameter's value; "" when absent or empty.
func (q query) get(name string) string { return q.vals.Get(name) }

// intRange reads an integer in [lo, hi], def when absent.
func (q query) intRange(name string, lo, hi, def int) (int, *apiError) {
	s := q.get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errInvalid(codeParamInvalid, name, "Invalid %s: must be an integer between %d and %d.", name, lo, hi)
	}
	return n, nil
}

// amount reads a non-negative amount in minor units; nil when absent.
func (q query) amount(name string) (*int64, *apiError) {
	s := q.get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return nil, errInvalid(codeParamInvalid, name, "Invalid %s: must be a non-negative integer amount in minor units.", name)
	}
	return &n, nil
}

// enum reads one of values; "" when absent.
func (q query) enum(name string, values ...string) (string, *apiError) {
	s := q.get(name)
	if s != "" && !contains(values, s) {
		return "", errInvalid(codeParamInvalid, name, "Invalid %s: must be one of %s.", name, strings.Join(values, ", "))
	}
	return s, nil
}

// time reads an ISO 8601 timestamp (RFC 3339, or a date meaning its UTC
// midnight); zero when absent.
func (q query) time(name string) (time.Time, *apiError) {
	s := q.get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, errInvalid(codeParamInvalid, name, "Invalid %s: must be an ISO 8601 timestamp such as 2026-04-24T14:52:03Z.", name)
}

// timeRange reads created_after and created_before.
func (q query) timeRange() (after, before time.Time, e *apiError) {
	if after, e = q.time("created_after"); e != nil {
		return
	}
	before, e = q.time("created_before")
	return
}

// amountRange reads min_amount and max_amount.
func (q query) amountRange() (lo, hi *int64, e *apiError) {
	if lo, e = q.amount("min_amount"); e != nil {
		return
	}
	if hi, e = q.amount("max_amount"); e != nil {
		return
	}
	if lo != nil && hi != nil && *hi < *lo {
		return nil, nil, errInvalid(codeParamInvalid, "max_amount", "Invalid max_amount: must not be below min_amount.")
	}
	return
}

// pageParams is a parsed page request: a limit, and an anchor id with the
// direction to read from it.
type pageParams struct {
	limit  int
	anchor string
	dir    direction
	param  string // the parameter the anchor came in, for errors
}

const (
	defaultPageSize = 25
	maxPageSize     = 100
)

// VaultsPay cursors are base64url of a direction letter and an object id.
func encodeCursor(dir direction, id string) *string {
	d := "n"
	if dir == newer {
		d = "p"
	}
	s := base64.RawURLEncoding.EncodeToString([]byte(d + ":" + id))
	return &s
}

func decodeCursor(s string) (direction, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return 0, "", false
	}
	d, id, ok := strings.Cut(string(raw), ":")
	if !ok || id == "" {
		return 0, "", false
	}
	switch d {
	case "n":
		return older, id, true
	case "p":
		return newer, id, true
	}
	return 0, "", false
}

// vpPageParams reads VaultsPay's limit and cursor.
func vpPageParams(q query) (pageParams, *apiError) {
	limit, e := q.intRange("limit", 1, maxPageSize, defaultPageSize)
	if e != nil {
		return pageParams{}, e
	}
	p := pageParams{limit: limit, param: "cursor"}
	if c := q.get("cursor"); c != "" {
		dir, id, ok := decodeCursor(c)
		if !ok {
			return pageParams{}, errInvalid(codeParamInvalid, "cursor", "Invalid cursor: use next_cursor or prev_cursor from a previous page.")
		}
		p.dir, p.anchor = dir, id
	}
	return p, nil
}

// vyPageParams reads Vydapay's limit, starting_after and ending_before.
func vyPageParams(q query) (pageParams, *apiError) {
	limit, e := q.intRange("limit", 1, maxPageSize, defaultPageSize)
	if e != nil {
		return pageParams{}, e
	}
	after, before := q.get("starting_after"), q.get("ending_before")
	p := pageParams{limit: limit}
	switch {
	case after != "" && before != "":
		return pageParams{}, errInvalid(codeParamInvalid, "ending_before", "Use either starting_after or ending_before, not both.")
	case after != "":
		p.anchor, p.dir, p.param = after, older, "starting_after"
	case before != "":
		p.anchor, p.dir, p.param = before, newer, "ending_before"
	}
	return p, nil
}
