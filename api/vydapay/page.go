package vydapay

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/carddesk/carddesk/api"
)

// Vydapay pages with object ids: starting_after fetches the page after an
// id, ending_before the page before one, and has_more says whether more lie
// in the direction of travel. So Page.Next is the last item's id and
// Page.Prev the first item's. A forward (or first) page has a next page when
// has_more says so and a previous one when it started after a cursor; a
// backward page has a previous page when has_more says so, and always a next
// one (the page it was fetched from).

// pageQuery adds limit and the cursor to q, refusing bad page parameters.
func pageQuery(q url.Values, p api.PageParams) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%w: %w", api.ErrInvalid, err)
	}
	if p.After != "" {
		if err := checkID("cursor", p.After); err != nil {
			return err
		}
		q.Set("starting_after", p.After)
	}
	if p.Before != "" {
		if err := checkID("cursor", p.Before); err != nil {
			return err
		}
		q.Set("ending_before", p.Before)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return nil
}

// makePage maps a list's wire items and sets the cursors as above.
func makePage[W, T any](l List[W], p api.PageParams, id func(W) string, conv func(W) (T, error)) (api.Page[T], error) {
	if l.Object != "" && l.Object != "list" {
		return api.Page[T]{}, fmt.Errorf("field object: %q is not a list", clip(l.Object))
	}
	page := api.Page[T]{Items: make([]T, 0, len(l.Data))}
	for _, w := range l.Data {
		item, err := conv(w)
		if err != nil {
			return api.Page[T]{}, err
		}
		page.Items = append(page.Items, item)
	}
	if len(l.Data) > 0 {
		page.Prev = id(l.Data[0])
		page.Next = id(l.Data[len(l.Data)-1])
	}
	if p.Before != "" {
		page.HasPrev = l.HasMore
		page.HasNext = true
	} else {
		page.HasNext = l.HasMore
		page.HasPrev = p.After != ""
	}
	return page, nil
}

// list fetches one page of path with q and the page parameters.
func list[W, T any](ctx context.Context, c *Client, path string, q url.Values, p api.PageParams,
	id func(W) string, conv func(W) (T, error)) (api.Page[T], error) {
	if err := pageQuery(q, p); err != nil {
		return api.Page[T]{}, err
	}
	var l List[W]
	if err := c.get(ctx, path, q, &l); err != nil {
		return api.Page[T]{}, err
	}
	return makePage(l, p, id, conv)
}

func cardholderID(w Cardholder) string   { return w.ID }
func cardID(w Card) string               { return w.ID }
func transactionID(w Transaction) string { return w.ID }
