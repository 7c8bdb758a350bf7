package vydapay

import (
	"testing"

	"github.com/carddesk/carddesk/api"
)

func TestMakePage(t *testing.T) {
	items := []Card{{ID: "card_a"}, {ID: "card_b"}, {ID: "card_c"}}
	conv := func(w Card) (string, error) { return w.ID, nil }
	tests := []struct {
		name             string
		data             []Card
		hasMore          bool
		p                api.PageParams
		next, prev       string
		hasNext, hasPrev bool
	}{
		{"first page, more", items, true, api.PageParams{}, "card_c", "card_a", true, false},
		{"first page, all", items, false, api.PageParams{}, "card_c", "card_a", false, false},
		{"forward, more", items, true, api.PageParams{After: "card_0"}, "card_c", "card_a", true, true},
		{"forward, last", items, false, api.PageParams{After: "card_0"}, "card_c", "card_a", false, true},
		{"backward, more", items, true, api.PageParams{Before: "card_d"}, "card_c", "card_a", true, true},
		{"backward, first", items, false, api.PageParams{Before: "card_d"}, "card_c", "card_a", true, false},
		{"empty", nil, false, api.PageParams{}, "", "", false, false},
	}
	for _, tt := range tests {
		page, err := makePage(List[Card]{Object: "list", Data: tt.data, HasMore: tt.hasMore}, tt.p, cardID, conv)
		if err != nil {
			t.Fatal(err)
		}
		if page.Next != tt.next || page.Prev != tt.prev || page.HasNext != tt.hasNext || page.HasPrev != tt.hasPrev ||
			len(page.Items) != len(tt.data) {
			t.Errorf("%s: %+v", tt.name, page)
		}
	}
	if _, err := makePage(List[Card]{Object: "card"}, api.PageParams{}, cardID, conv); err == nil {
		t.Error("a non-list was accepted")
	}
}
