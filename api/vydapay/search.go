package vydapay

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// MaxScan is how many objects a client-side search (cardholders by free
// text or phone, cards by last four) reads at most before it stops. Vydapay
// offers neither search, so the client pages through the listing, 100 at a
// time, matching as it goes; the cap bounds what one search costs against
// the rate limit.
const MaxScan = 2000

// scan pages through path from p.After onwards with the server-side filters
// in q, keeping what match accepts, until it has want matches, has read
// MaxScan objects or the listing ends. The result is one page of matches,
// with no next or previous page: a search is read from the start (or from
// p.After) and cannot page backwards.
func scan[W, T any](ctx context.Context, c *Client, path string, q url.Values, p api.PageParams,
	id func(W) string, conv func(W) (T, error), match func(W) bool) (api.Page[T], error) {
	if err := p.Validate(); err != nil {
		return api.Page[T]{}, fmt.Errorf("%w: %w", api.ErrInvalid, err)
	}
	if p.Before != "" {
		return api.Page[T]{}, fmt.Errorf("%w: a search cannot page backwards", api.ErrInvalid)
	}
	want := p.Limit
	if want == 0 {
		want = api.MaxPageSize
	}
	page := api.Page[T]{Items: []T{}}
	cursor := p.After
	for scanned := 0; scanned < MaxScan; {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		var l List[W]
		if err := pageQuery(pq, api.PageParams{Limit: api.MaxPageSize, After: cursor}); err != nil {
			return api.Page[T]{}, err
		}
		if err := c.get(ctx, path, pq, &l); err != nil {
			return api.Page[T]{}, err
		}
		for _, w := range l.Data {
			scanned++
			if !match(w) {
				continue
			}
			item, err := conv(w)
			if err != nil {
				return api.Page[T]{}, err
			}
			page.Items = append(page.Items, item)
			if len(page.Items) >= want {
				return page, nil
			}
		}
		if !l.HasMore || len(l.Data) == 0 {
			break
		}
		cursor = id(l.Data[len(l.Data)-1])
	}
	return page, nil
}

// userMatcher matches a cardholder against a free-text query (any of
// email, first, last or full name, phone digits and id, case-insensitively,
// as substrings) and an exact phone number (compared digit by digit).
func userMatcher(query, phone string) func(Cardholder) bool {
	q := strings.ToLower(strings.TrimSpace(query))
	qDigits := ""
	if isPhoneLike(q) {
		qDigits = digits(q)
	}
	phoneDigits := digits(phone)
	return func(w Cardholder) bool {
		if phone != "" && digits(w.Phone) != phoneDigits {
			return false
		}
		if q == "" {
			return true
		}
		full := w.Name.FirstName + " " + w.Name.LastName
		for _, field := range []string{w.Email, w.Name.FirstName, w.Name.LastName, full, w.ID} {
			if strings.Contains(strings.ToLower(field), q) {
				return true
			}
		}
		return qDigits != "" && strings.Contains(digits(w.Phone), qDigits)
	}
}

// isPhoneLike says whether a query reads as (part of) a phone number:
// digits with the usual punctuation, and at least one digit.
func isPhoneLike(s string) bool {
	return digits(s) != "" && strings.Trim(s, "0123456789+-(). ") == ""
}

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
