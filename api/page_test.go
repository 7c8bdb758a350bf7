package api

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

// numbers serves 0..n-1 in pages, cursors being the last index served.
func numbers(n int, failAt int) PageFunc[int] {
	return func(_ context.Context, p PageParams) (Page[int], error) {
		if err := p.Validate(); err != nil {
			return Page[int]{}, err
		}
		start := 0
		if p.After != "" {
			last, _ := strconv.Atoi(p.After)
			start = last + 1
		}
		if failAt >= 0 && start >= failAt {
			return Page[int]{}, errors.New("boom")
		}
		limit := p.Limit
		if limit == 0 {
			limit = 25
		}
		var page Page[int]
		for i := start; i < n && len(page.Items) < limit; i++ {
			page.Items = append(page.Items, i)
		}
		if len(page.Items) > 0 {
			page.Next = strconv.Itoa(page.Items[len(page.Items)-1])
		}
		page.HasNext = start+len(page.Items) < n
		return page, nil
	}
}

func TestAll(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		limit   int
		failAt  int
		max     int
		want    int
		wantErr bool
	}{
		{"several pages", 250, 100, -1, 0, 250, false},
		{"exact pages", 200, 100, -1, 0, 200, false},
		{"empty", 0, 10, -1, 0, 0, false},
		{"default limit", 60, 0, -1, 0, 60, false},
		{"consumer stops early", 250, 10, -1, 15, 15, false},
		{"error midway keeps what came before", 250, 100, 100, 0, 100, true},
		{"bad limit", 10, 101, -1, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Collect(All(context.Background(), PageParams{Limit: tt.limit}, numbers(tt.n, tt.failAt)), tt.max)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != tt.want {
				t.Fatalf("got %d items, want %d", len(got), tt.want)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("item %d = %d: gap or duplicate", i, v)
				}
			}
		})
	}
}

func TestPageParamsValidate(t *testing.T) {
	for _, p := range []PageParams{{Limit: -1}, {Limit: 101}, {After: "a", Before: "b"}} {
		if p.Validate() == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	for _, p := range []PageParams{{}, {Limit: 1}, {Limit: 100, After: "x"}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v refused: %v", p, err)
		}
	}
}
