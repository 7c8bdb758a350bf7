package backend

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// An action key the backend refuses is recorded once per press, in the
// words Available gives, with no request to the provider; one it allows is
// not recorded by Refuse (its own call records it).
func TestRefuseRecordsEachPress(t *testing.T) {
	vp := newEnv(t, vaultspay.Provider)
	vy := newEnv(t, vydapay.Provider)
	active, frozen := vp.card(t, api.CardActive), vp.card(t, api.CardFrozen)
	terminated := active
	terminated.Status = api.CardTerminated
	tests := []struct {
		name  string
		env   *env
		actor Actor
		a     Action
		card  api.Card
		why   string // "" → allowed
	}{
		{"viewer freeze", vp, viewer, ActionFreeze, active, "your role (viewer) cannot freeze cards"},
		{"viewer unfreeze", vp, viewer, ActionUnfreeze, frozen, "your role (viewer) cannot unfreeze cards"},
		{"viewer activate", vp, viewer, ActionActivate, active, "your role (viewer) cannot activate cards"},
		{"agent reveal", vp, agent, ActionReveal, active, "your role (agent) cannot reveal card numbers"},
		{"agent terminate", vp, agent, ActionTerminate, active, "your role (agent) cannot terminate cards"},
		{"agent unfreeze an active card", vp, agent, ActionUnfreeze, active, "card is not frozen"},
		{"supervisor freeze a frozen card", vp, supervisor, ActionFreeze, frozen, "card is already frozen"},
		{"supervisor on a terminated card", vp, supervisor, ActionReveal, terminated, "card is terminated"},
		{"no reveal at Vydapay", vy, supervisor, ActionReveal, active, "Vydapay has no card reveal"},
		{"agent freeze is allowed", vp, agent, ActionFreeze, active, ""},
		{"supervisor terminate is allowed", vp, supervisor, ActionTerminate, frozen, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, path := openTestLog(t)
			b := New(Config{Client: tt.env.client, Audit: log})
			before := tt.env.requests.Load()
			if ok, why := b.Available(tt.actor, tt.a, tt.card); ok != (tt.why == "") || why != tt.why {
				t.Fatalf("Available = %v %q, want %q", ok, why, tt.why)
			}
			for press := 1; press <= 2; press++ {
				err := b.Refuse(context.Background(), tt.actor, tt.a, tt.card)
				lines := fileLines(t, path)
				if tt.why == "" {
					if err != nil || len(lines) != 0 {
						t.Fatalf("an allowed action: err %v, %d lines", err, len(lines))
					}
					continue
				}
				var refused *RefusedError
				if !errors.As(err, &refused) || !errors.Is(err, ErrNotAllowed) || refused.Why != tt.why {
					t.Fatalf("press %d: err = %v, want the refusal %q", press, err, tt.why)
				}
				if len(lines) != press {
					t.Fatalf("after %d presses, %d lines", press, len(lines))
				}
				got := lines[press-1]
				for k, v := range map[string]string{
					"agent": tt.actor.Agent, "fingerprint": tt.actor.Fingerprint, "session": tt.actor.Session,
					"action": string(tt.a), "card_id": tt.card.ID, "last_four": tt.card.LastFour, "outcome": "refused: " + tt.why,
				} {
					if got[k] != v {
						t.Errorf("press %d: %s = %q, want %q", press, k, got[k], v)
					}
				}
				if got["attempt"] != "" {
					t.Errorf("a refusal is one line, yet it has attempt id %q", got["attempt"])
				}
			}
			if n := tt.env.requests.Load() - before; n != 0 {
				t.Errorf("the provider saw %d requests", n)
			}
		})
	}
}

// countingLog is the real audit log, counting how often it is read.
type countingLog struct {
	*AuditLog
	reads atomic.Int32
}

func (c *countingLog) Read(ctx context.Context, limit int) ([]AuditEntry, error) {
	c.reads.Add(1)
	return c.AuditLog.Read(ctx, limit)
}

// Only supervisors read the audit log: the backend refuses the others
// before reading, and records the refusal; without a log to read it says
// so.
func TestReadAuditEnforcesRole(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	ctx := context.Background()
	log, path := openTestLog(t)
	cl := &countingLog{AuditLog: log}
	b := New(Config{Client: e.client, Audit: cl})
	for _, tt := range []struct {
		actor Actor
		why   string
	}{
		{viewer, "your role (viewer) cannot read the audit log"},
		{agent, "your role (agent) cannot read the audit log"},
	} {
		if ok, why := b.AuditAvailable(tt.actor); ok || why != tt.why {
			t.Errorf("%s: AuditAvailable = %v %q", tt.actor.Role, ok, why)
		}
		before := len(fileLines(t, path))
		es, err := b.ReadAudit(ctx, tt.actor, 10)
		var refused *RefusedError
		if es != nil || !errors.As(err, &refused) || refused.Why != tt.why || !errors.Is(err, ErrNotAllowed) {
			t.Errorf("%s: ReadAudit = %v, %v; want the refusal %q", tt.actor.Role, es, err, tt.why)
		}
		lines := fileLines(t, path)[before:]
		if len(lines) != 1 || lines[0]["action"] != "audit" || lines[0]["outcome"] != "refused: "+tt.why ||
			lines[0]["agent"] != tt.actor.Agent || lines[0]["fingerprint"] != tt.actor.Fingerprint || lines[0]["session"] != tt.actor.Session {
			t.Errorf("%s: the log gained %v, want the refusal", tt.actor.Role, lines)
		}
	}
	if n := cl.reads.Load(); n != 0 {
		t.Errorf("the log was read %d times for roles that may not", n)
	}
	if ok, why := b.AuditAvailable(supervisor); !ok {
		t.Errorf("supervisor: AuditAvailable says %q", why)
	}
	es, err := b.ReadAudit(ctx, supervisor, 10)
	if err != nil || len(es) != 2 || es[0].Agent != agent.Agent || es[1].Agent != viewer.Agent {
		t.Errorf("supervisor: %+v, %v; want the two refusals, newest first", es, err)
	}
	if n := cl.reads.Load(); n != 1 {
		t.Errorf("the log was read %d times, want 1", n)
	}

	for name, audit := range map[string]Auditor{"no audit log": nil, "one that cannot be read": &memAudit{}} {
		b := New(Config{Client: e.client, Audit: audit})
		if ok, why := b.AuditAvailable(supervisor); ok || why != "the audit log is not available here" {
			t.Errorf("%s: AuditAvailable = %v %q", name, ok, why)
		}
		if _, err := b.ReadAudit(ctx, supervisor, 10); !errors.Is(err, ErrAuditUnavailable) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// An attempt whose call is in flight reads as under way in the process
// making it, and as having no outcome anywhere else (a process that
// restarted, or another one on the same file); once it ends, as its
// outcome.
func TestReadAuditShowsUnderWay(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	ctx := context.Background()
	log, path := openTestLog(t)
	b := New(Config{Client: e.client, Audit: log})
	card := e.card(t, api.CardActive)
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.setHold(func(r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, card.ID) {
			once.Do(func() { close(entered) })
			<-release
		}
	})
	done := make(chan error, 1)
	go func() { _, err := b.Freeze(ctx, agent, card.ID); done <- err }()
	<-entered

	outcome := func(b *Backend) string {
		t.Helper()
		es, err := b.ReadAudit(ctx, supervisor, 10)
		if err != nil || len(es) != 1 {
			t.Fatalf("ReadAudit: %+v, %v", es, err)
		}
		return es[0].Outcome
	}
	if got := outcome(b); got != OutcomeUnderWay {
		t.Errorf("in flight, this process reads %q", got)
	}
	other, err := OpenAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	if got := outcome(New(Config{Client: e.client, Audit: other})); got != OutcomeMissing {
		t.Errorf("in flight, another process reads %q", got)
	}

	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := outcome(b); got != OutcomeOK {
		t.Errorf("once done, %q", got)
	}
}
