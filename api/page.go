package api

import (
	"context"
	"fmt"
	"iter"
)

// MaxPageSize is the largest page either provider serves.
const MaxPageSize = 100

// PageParams asks for one page. After and Before are opaque cursors taken
// from a previous Page's Next and Prev; at most one is set.
type PageParams struct {
	Limit  int
	After  string
	Before string
}

// Validate refuses a limit outside 1..100 (0 means the provider default) and
// both cursors at once.
func (p PageParams) Validate() error {
	if p.Limit < 0 || p.Limit > MaxPageSize {
		return fmt.Errorf("page limit %d: must be between 1 and %d", p.Limit, MaxPageSize)
	}
	if p.After != "" && p.Before != "" {
		return fmt.Errorf("page: set either after or before, not both")
	}
	return nil
}

// Page is one page of a list, with cursors to its neighbours.
type Page[T any] struct {
	Items   []T
	HasNext bool
	HasPrev bool
	// Next and Prev are cursors for PageParams.After and PageParams.Before.
	Next string
	Prev string
}

// PageFunc fetches one page.
type PageFunc[T any] func(ctx context.Context, p PageParams) (Page[T], error)

// All iterates over every item from the page p onwards, fetching pages of
// p.Limit (the provider default when 0) as it goes. It stops at the first
// error, which it yields once, and when the consumer stops.
func All[T any](ctx context.Context, p PageParams, fetch PageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p.Before = ""
		for {
			page, err := fetch(ctx, p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			if !page.HasNext || page.Next == "" || len(page.Items) == 0 {
				return
			}
			p.After = page.Next
		}
	}
}

// Collect gathers up to max items of an iterator (all of them when max <= 0).
func Collect[T any](seq iter.Seq2[T, error], max int) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
		if max > 0 && len(out) >= max {
			break
		}
	}
	return out, nil
}
