package vydapay

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/carddesk/carddesk/api"
)

// fake is a scripted Vydapay: it records every request and serves
// cardholders and cards from slices, paged by starting_after.
type fake struct {
	mu          sync.Mutex
	requests    []*http.Request
	bodies      []string
	cardholders []Cardholder
	cards       []Card
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_fake")
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/v1/cardholders":
		writeList(w, f.cardholders, q, cardholderID)
	case r.URL.Path == "/v1/cards":
		writeList(w, f.cards, q, cardID)
	case r.URL.Path == "/v1/transactions":
		writeList(w, []Transaction{}, q, transactionID)
	case strings.HasPrefix(r.URL.Path, "/v1/cards/"):
		c := wireCard()
		c.Status = "frozen"
		_ = json.NewEncoder(w).Encode(c)
	case r.URL.Path == "/v1/account/balance":
		_ = json.NewEncoder(w).Encode(Balance{Object: "balance", Available: Amount{100, "GBP"}, Pending: Amount{5, "GBP"}})
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such object"}}`)
	}
}

func writeList[T any](w http.ResponseWriter, all []T, q url.Values, id func(T) string) {
	start := 0
	if after := q.Get("starting_after"); after != "" {
		for i, item := range all {
			if id(item) == after {
				start = i + 1
			}
		}
	}
	limit := 25
	if l, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = l
	}
	end := min(start+limit, len(all))
	_ = json.NewEncoder(w).Encode(List[T]{Object: "list", Data: all[start:end], HasMore: end < len(all), URL: "/v1/x"})
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fake) last() (*http.Request, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[len(f.requests)-1], f.bodies[len(f.bodies)-1]
}

func newFake(t *testing.T) (*fake, *Client) {
	t.Helper()
	f := &fake{}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	c, err := New(Config{BaseURL: ts.URL + "/v1", Key: "sk_test_unit", Tuning: api.Tuning{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}
