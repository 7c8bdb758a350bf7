package vydapay

import (
	"context"
	"fmt"
	"testing"

	"github.com/carddesk/carddesk/api"
)

func cardholders(n int) []Cardholder {
	out := make([]Cardholder, n)
	for i := range out {
		out[i] = Cardholder{
			ID: fmt.Sprintf("ch_%05d", i), Email: fmt.Sprintf("user%d@example.com", i),
			Name:  Name{FirstName: "Ann", LastName: fmt.Sprintf("Lee%d", i)},
			Phone: fmt.Sprintf("+4477009%05d", i), CreatedAt: "2025-12-02T10:30:00Z",
		}
	}
	return out
}

func TestSearchScans(t *testing.T) {
	f, c := newFake(t)
	f.cardholders = cardholders(2500)
	f.cardholders[7].Name = Name{FirstName: "Sarah", LastName: "Mitchell"}
	f.cardholders[1500].Email = "SARAH.M@corp.example"
	f.cardholders[2100].Name = Name{FirstName: "Sarah", LastName: "Beyond"}
	ctx := context.Background()
	tests := []struct {
		name     string
		f        api.UserFilter
		want     []string
		requests int
	}{
		{"name and email, case-insensitive, stops at the scan cap", api.UserFilter{Query: "SARAH"}, []string{"ch_00007", "ch_01500"}, 20},
		{"full name", api.UserFilter{Query: "sarah mitchell"}, []string{"ch_00007"}, 20},
		{"limit stops early", api.UserFilter{Query: "sarah", Page: api.PageParams{Limit: 1}}, []string{"ch_00007"}, 1},
		{"id", api.UserFilter{Query: "ch_00042"}, []string{"ch_00042"}, 20},
		{"phone digits in a query", api.UserFilter{Query: "7700 9 00042"}, []string{"ch_00042"}, 20},
		{"exact phone", api.UserFilter{Phone: "+44 7700 900 123"}, []string{"ch_00123"}, 20},
		{"phone and query together", api.UserFilter{Phone: "+447700900007", Query: "mitchell"}, []string{"ch_00007"}, 20},
		{"starting after a cursor", api.UserFilter{Query: "sarah", Page: api.PageParams{After: "ch_01000"}}, []string{"ch_01500", "ch_02100"}, 15},
		{"nothing", api.UserFilter{Query: "nobody"}, nil, 20},
	}
	for _, tt := range tests {
		before := f.count()
		page, err := c.ListUsers(ctx, tt.f)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, u := range page.Items {
			got = append(got, u.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || page.HasNext {
			t.Errorf("%s: %v (has next %v), want %v", tt.name, got, page.HasNext, tt.want)
		}
		if n := f.count() - before; n != tt.requests {
			t.Errorf("%s: %d requests, want %d", tt.name, n, tt.requests)
		}
	}
}

func TestLastFourScan(t *testing.T) {
	f, c := newFake(t)
	for i := range 250 {
		w := wireCard()
		w.ID = fmt.Sprintf("card_%04d", i)
		w.LastFour = fmt.Sprintf("%04d", i%100)
		f.cards = append(f.cards, w)
	}
	page, err := c.ListCards(context.Background(), api.CardFilter{LastFour: "0042"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, card := range page.Items {
		got = append(got, card.ID)
	}
	if fmt.Sprint(got) != "[card_0042 card_0142 card_0242]" || page.HasNext {
		t.Errorf("matches %v (has next %v)", got, page.HasNext)
	}
	if f.count() != 3 {
		t.Errorf("%d requests, want 3", f.count())
	}
}
