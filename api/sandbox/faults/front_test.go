package faults_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/sandbox/faults"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// upstreamBody is what the stub upstream answers.
const upstreamBody = `{"id":"card_1","object":"card","status":"frozen","last_four":"4821"}` + "\n"

// stub is an upstream that counts the requests reaching it.
type stub struct{ calls atomic.Int32 }

func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	s.calls.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Idempotent-Replayed", "true")
	_, _ = io.WriteString(w, upstreamBody)
}

// serveFront runs a front with rules before a stub; cleanup ends its holds
// before the server closes.
func serveFront(t *testing.T, rules ...faults.Rule) (*faults.Front, *stub, string) {
	t.Helper()
	up := &stub{}
	f, err := faults.New(up, faults.Config{Rules: rules, Seed: 1, RateLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	t.Cleanup(f.Close)
	return f, up, ts.URL
}

type answer struct {
	status int
	header http.Header
	body   string
	err    error
}

func send(ctx context.Context, client *http.Client, method, url string) answer {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(`{"reason":"lost"}`))
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Idempotency-Key", "key-1")
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b), err: err}
}

// decoder reads an error body in a provider's shape.
func decoder(provider string) api.ErrorDecoder {
	if provider == vydapay.Provider {
		return vydapay.DecodeError
	}
	return vaultspay.DecodeError
}

func TestFrontAnswersInEachProvidersShape(t *testing.T) {
	for _, provider := range []string{vaultspay.Provider, vydapay.Provider} {
		tests := []struct {
			name      string
			rule      faults.Rule
			status    int
			typ, code string
			upstream  int32
		}{
			{"429", faults.Rule{Kind: faults.RateLimit, Delay: 3 * time.Second}, 429, "rate_limit_error", "rate_limited", 0},
			{"500", faults.Rule{Kind: faults.ServerError, Status: 500}, 500, "api_error", "internal_error", 0},
			{"502 after the sandbox acted", faults.Rule{Kind: faults.ServerError, Status: 502, After: true}, 502, "api_error", "bad_gateway", 1},
			{"503", faults.Rule{Kind: faults.ServerError, Status: 503}, 503, "api_error", "service_unavailable", 0},
			{"hold ends before the client gives up", faults.Rule{Kind: faults.Timeout, Delay: time.Millisecond}, 504, "api_error", "gateway_timeout", 0},
		}
		for _, tt := range tests {
			t.Run(provider+"/"+tt.name, func(t *testing.T) {
				f, up, base := serveFront(t, tt.rule)
				before := time.Now()
				a := send(context.Background(), http.DefaultClient, http.MethodPost, base+"/"+provider+"/v1/cards/card_1/freeze")
				if a.err != nil || a.status != tt.status {
					t.Fatalf("answer %d, %v; want %d", a.status, a.err, tt.status)
				}
				e := decoder(provider)(a.status, a.header, []byte(a.body))
				if e.Type != tt.typ || e.Code != tt.code || e.Message == "" || e.RequestID != "req_fault_1" {
					t.Fatalf("%s error %+v from %s", provider, e, a.body)
				}
				if provider == vydapay.Provider && e.DocURL != vydapay.DocURLBase+tt.code {
					t.Errorf("doc_url %q", e.DocURL)
				}
				if got := up.calls.Load(); got != tt.upstream {
					t.Errorf("the sandbox saw %d requests, want %d", got, tt.upstream)
				}
				if tt.status == 429 {
					reset, _ := strconv.ParseInt(a.header.Get("X-RateLimit-Reset"), 10, 64)
					if a.header.Get("Retry-After") != "3" || a.header.Get("X-RateLimit-Limit") != "100" ||
						a.header.Get("X-RateLimit-Remaining") != "0" || reset < before.Add(3*time.Second).Unix() {
						t.Errorf("429 headers %v", a.header)
					}
				}
				recs := f.Records()
				if len(recs) != 1 || recs[0].Status != tt.status || recs[0].IdempotencyKey != "key-1" || recs[0].Provider != provider ||
					recs[0].Method != http.MethodPost || recs[0].Upstream != 200*int(tt.upstream) || recs[0].Sent.Before(recs[0].At) {
					t.Errorf("records %+v", recs)
				}
			})
		}
	}
}

func TestFrontBreaksTheWire(t *testing.T) {
	tests := []struct {
		name     string
		rule     faults.Rule
		upstream int32
		check    func(t *testing.T, a answer)
	}{
		{"reset", faults.Rule{Kind: faults.Reset}, 0, func(t *testing.T, a answer) {
			if !errors.Is(a.err, syscall.ECONNRESET) {
				t.Fatalf("got %d %v, want ECONNRESET", a.status, a.err)
			}
		}},
		{"reset after the sandbox acted", faults.Rule{Kind: faults.Reset, After: true}, 1, func(t *testing.T, a answer) {
			if !errors.Is(a.err, syscall.ECONNRESET) {
				t.Fatalf("got %d %v, want ECONNRESET", a.status, a.err)
			}
		}},
		{"truncate", faults.Rule{Kind: faults.Truncate}, 1, func(t *testing.T, a answer) {
			if a.err != nil || a.status != 200 || a.body == "" || !strings.HasPrefix(upstreamBody, a.body) ||
				len(a.body) >= len(upstreamBody) || json.Valid([]byte(a.body)) {
				t.Fatalf("got %d %q %v, want 200 with the body cut short", a.status, a.body, a.err)
			}
		}},
		{"latency", faults.Rule{Kind: faults.Latency, Delay: 20 * time.Millisecond}, 1, func(t *testing.T, a answer) {
			if a.err != nil || a.status != 200 || a.body != upstreamBody {
				t.Fatalf("got %d %q %v, want the whole answer", a.status, a.body, a.err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, up, base := serveFront(t, tt.rule)
			a := send(context.Background(), http.DefaultClient, http.MethodPost, base+"/vaultspay/v1/cards/card_1/terminate")
			tt.check(t, a)
			recs, err := f.Wait(context.Background(), func(rs []faults.Record) bool { return len(rs) == 1 && rs[0].Done })
			if err != nil {
				t.Fatal(err)
			}
			r := recs[0]
			if got := up.calls.Load(); got != tt.upstream || r.Fault != tt.rule.Kind || r.After != tt.rule.After {
				t.Errorf("the sandbox saw %d requests (want %d); record %+v", got, tt.upstream, r)
			}
			if tt.upstream == 1 && (r.Upstream != 200 || !r.Replayed) {
				t.Errorf("record does not say what the sandbox answered: %+v", r)
			}
			if tt.rule.Kind == faults.Reset && (r.Status != 0 || !r.Sent.IsZero()) {
				t.Errorf("a reset request is recorded as answered: %+v", r)
			}
			// A lower bound on the front's own clock, not a timing assertion.
			if tt.rule.Kind == faults.Latency && (r.Delay != tt.rule.Delay || r.Sent.Sub(r.At) < tt.rule.Delay) {
				t.Errorf("latency record %+v", r)
			}
		})
	}
}

func TestFrontHoldsUntilTheClientGivesUp(t *testing.T) {
	for _, after := range []bool{false, true} {
		t.Run("after="+strconv.FormatBool(after), func(t *testing.T) {
			f, up, base := serveFront(t, faults.Rule{Kind: faults.Timeout, Delay: time.Hour, After: after})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan answer, 1)
			go func() { done <- send(ctx, http.DefaultClient, http.MethodPost, base+"/vydapay/v1/cards/card_1/freeze") }()
			if _, err := f.Wait(context.Background(), func(rs []faults.Record) bool { return len(rs) == 1 }); err != nil {
				t.Fatal(err)
			}
			cancel() // the client's timeout
			if a := <-done; !errors.Is(a.err, context.Canceled) {
				t.Fatalf("got %d %v", a.status, a.err)
			}
			recs, err := f.Wait(context.Background(), func(rs []faults.Record) bool { return rs[0].Done })
			if err != nil {
				t.Fatal(err)
			}
			want := int32(0)
			if after {
				want = 1
			}
			if r := recs[0]; !r.ClientGone || r.Status != 0 || up.calls.Load() != want {
				t.Fatalf("record %+v, the sandbox saw %d requests (want %d)", r, up.calls.Load(), want)
			}
		})
	}
}

func TestFrontCloseEndsHolds(t *testing.T) {
	f, _, base := serveFront(t, faults.Rule{Kind: faults.Latency, Delay: time.Hour, Method: http.MethodGet},
		faults.Rule{Kind: faults.Timeout, Delay: time.Hour, Method: http.MethodPost})
	got := make(chan answer, 2)
	go func() {
		got <- send(context.Background(), http.DefaultClient, http.MethodGet, base+"/vaultspay/v1/cards/card_1")
	}()
	go func() {
		got <- send(context.Background(), http.DefaultClient, http.MethodPost, base+"/vaultspay/v1/cards/card_1/freeze")
	}()
	if _, err := f.Wait(context.Background(), func(rs []faults.Record) bool { return len(rs) == 2 }); err != nil {
		t.Fatal(err)
	}
	f.Close()
	statuses := map[int]bool{}
	for range 2 {
		a := <-got
		if a.err != nil {
			t.Fatal(a.err)
		}
		statuses[a.status] = true
	}
	if !statuses[200] || !statuses[504] {
		t.Fatalf("after Close: %v, want the delayed request served (200) and the held one 504", statuses)
	}
}

func TestFrontKeepsTheLastRecords(t *testing.T) {
	up := &stub{}
	f, err := faults.New(up, faults.Config{Keep: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		req := httptest.NewRequest(http.MethodGet, "/vaultspay/v1/cards?n="+strconv.Itoa(i), nil)
		f.ServeHTTP(httptest.NewRecorder(), req)
	}
	recs := f.Records()
	if len(recs) != 3 || recs[0].Seq != 8 || recs[2].Seq != 10 || !recs[2].Done || recs[2].Status != 200 {
		t.Fatalf("records %+v", recs)
	}
}

func TestNewRefusesABadRule(t *testing.T) {
	if _, err := faults.New(&stub{}, faults.Config{Rules: []faults.Rule{{Kind: faults.Latency}}}); err == nil ||
		!strings.Contains(err.Error(), "rule 1 (latency=)") {
		t.Fatalf("New = %v", err)
	}
}
