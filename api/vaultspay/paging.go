package vaultspay

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// VaultsPay cursors are opaque and carry their own direction, so
// PageParams.After (a next_cursor) and PageParams.Before (a prev_cursor) are
// both sent as cursor.

// pageQuery starts a list query from p, refusing a limit outside 0..100
// and both cursors at once before anything is sent.
func pageQuery(p api.PageParams) (url.Values, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	switch {
	case p.After != "":
		q.Set("cursor", p.After)
	case p.Before != "":
		q.Set("cursor", p.Before)
	}
	return q, nil
}

// toPage maps a wire list onto an api.Page with mapOne.
func toPage[W, T any](l List[W], mapOne func(W) (T, error)) (api.Page[T], error) {
	page := api.Page[T]{Items: make([]T, 0, len(l.Data))}
	for _, w := range l.Data {
		item, err := mapOne(w)
		if err != nil {
			return api.Page[T]{}, err
		}
		page.Items = append(page.Items, item)
	}
	if l.NextCursor != nil {
		page.HasNext, page.Next = true, *l.NextCursor
	}
	if l.PrevCursor != nil {
		page.HasPrev, page.Prev = true, *l.PrevCursor
	}
	return page, nil
}

// same is the identity mapping, for wire objects returned as they are.
func same[T any](w T) (T, error) { return w, nil }

// checkID refuses an id that is empty or would change the request path
// (a slash, a dot segment, control characters) before anything is sent.
func checkID(kind, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%s id is empty", kind)
	case len(id) > 255:
		return fmt.Errorf("%s id is longer than 255 bytes", kind)
	case id == "." || id == "..":
		return fmt.Errorf("%s id %q is not an id", kind, id)
	case strings.ContainsAny(id, "/\\"):
		return fmt.Errorf("%s id %q contains a slash", kind, clip(id))
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("%s id %q contains a space or control character", kind, clip(id))
		}
	}
	if safetext.Clean(id) != id {
		// An id is printed in errors and logs: nothing in it may act on
		// a terminal or hide in it.
		return fmt.Errorf("%s id %q contains escape, bidi or invisible characters", kind, clip(id))
	}
	return nil
}
