package backend

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

var (
	viewer     = Actor{Agent: "vera", Fingerprint: "SHA256:viewer", Session: "s1", Role: RoleViewer}
	agent      = Actor{Agent: "amir", Fingerprint: "SHA256:agent", Session: "s2", Role: RoleAgent}
	supervisor = Actor{Agent: "sofia", Fingerprint: "SHA256:super", Session: "s3", Role: RoleSupervisor}
)

// One card's story through the roles, against the sandbox: each attempt
// is refused before the provider hears of it, in one audit line, or done,
// in two: the attempt before the call and its outcome after.
func TestActionsEnforceRolesAndAudit(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	audit := &memAudit{}
	b := New(Config{Client: e.client, Audit: audit})
	ctx := context.Background()
	card := e.card(t, api.CardActive)
	// The session shows the card before acting on it, so it is cached and
	// the state checks below cost the provider nothing.
	if _, err := b.GetCard(ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	var revealed string

	steps := []struct {
		name     string
		do       func() error
		wantErr  error  // nil: done
		wantWhy  string // in the error and the outcome
		provider bool   // whether the provider is asked for the action
		after    api.CardStatus
	}{
		{"viewer cannot freeze", func() error { _, err := b.Freeze(ctx, viewer, card.ID); return err },
			ErrNotAllowed, "your role (viewer) cannot freeze cards", false, api.CardActive},
		{"agent cannot unfreeze an active card", func() error { _, err := b.Unfreeze(ctx, agent, card.ID); return err },
			ErrNotAllowed, "card is not frozen", false, api.CardActive},
		{"agent freezes", func() error {
			c, err := b.Freeze(ctx, agent, card.ID)
			if err == nil && c.Status != api.CardFrozen {
				t.Errorf("Freeze returned a %s card", c.Status)
			}
			return err
		}, nil, "", true, api.CardFrozen},
		{"agent cannot freeze a frozen card", func() error { _, err := b.Freeze(ctx, agent, card.ID); return err },
			ErrNotAllowed, "card is already frozen", false, api.CardFrozen},
		{"agent unfreezes", func() error { _, err := b.Unfreeze(ctx, agent, card.ID); return err },
			nil, "", true, api.CardActive},
		{"agent cannot terminate", func() error { _, err := b.Terminate(ctx, agent, card.ID, api.TerminateLost); return err },
			ErrNotAllowed, "your role (agent) cannot terminate cards", false, api.CardActive},
		{"agent cannot reveal", func() error { _, err := b.Reveal(ctx, agent, card.ID, "caller verified"); return err },
			ErrNotAllowed, "your role (agent) cannot reveal card numbers", false, api.CardActive},
		{"reveal needs a reason", func() error { _, err := b.Reveal(ctx, supervisor, card.ID, "  "); return err },
			ErrReasonRequired, "a reason is required", false, api.CardActive},
		{"supervisor reveals", func() error {
			s, err := b.Reveal(ctx, supervisor, card.ID, "cardholder verified on call")
			if err != nil {
				return err
			}
			revealed = string(s.Number)
			if !strings.HasSuffix(revealed, card.LastFour) || len(revealed) < 13 {
				t.Errorf("revealed number does not end in %s", card.LastFour)
			}
			s.Wipe()
			return nil
		}, nil, "", true, api.CardActive},
		{"terminate needs a known reason", func() error { _, err := b.Terminate(ctx, supervisor, card.ID, "bored"); return err },
			ErrReasonRequired, "pick a termination reason", false, api.CardActive},
		{"supervisor terminates", func() error { _, err := b.Terminate(ctx, supervisor, card.ID, api.TerminateStolen); return err },
			nil, "", true, api.CardTerminated},
		{"nothing more on a terminated card", func() error { _, err := b.Unfreeze(ctx, supervisor, card.ID); return err },
			ErrNotAllowed, "card is terminated", false, api.CardTerminated},
	}
	lines := 0
	for _, s := range steps {
		before := e.requests.Load()
		err := s.do()
		asked := e.requests.Load() - before
		switch {
		case s.wantErr == nil && err != nil:
			t.Fatalf("%s: %v", s.name, err)
		case s.wantErr != nil && !errors.Is(err, s.wantErr):
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		case s.wantErr != nil && !strings.Contains(err.Error(), s.wantWhy):
			t.Errorf("%s: err %q does not say %q", s.name, err, s.wantWhy)
		}
		if s.provider && asked != 1 {
			t.Errorf("%s: the provider saw %d requests, want the action alone", s.name, asked)
		}
		if !s.provider && asked != 0 {
			t.Errorf("%s: the provider saw %d requests, want none", s.name, asked)
		}
		lines++
		if s.provider {
			lines++
		}
		entries := audit.all()
		if len(entries) != lines {
			t.Fatalf("%s: %d audit lines, want %d", s.name, len(entries), lines)
		}
		got := entries[lines-1]
		if s.provider {
			if at := entries[lines-2]; at.Outcome != OutcomePending || at.Attempt == "" || at.Attempt != got.Attempt ||
				at.RequestID != "" || at.CardID != card.ID || at.Agent != got.Agent {
				t.Errorf("%s: attempt line %+v does not pair with outcome %+v", s.name, at, got)
			}
		} else if got.Attempt != "" {
			t.Errorf("%s: a refusal carries attempt id %q", s.name, got.Attempt)
		}
		wantOutcome := "ok"
		if s.wantErr != nil {
			wantOutcome = "refused: " + s.wantWhy
		}
		if !strings.HasPrefix(got.Outcome, wantOutcome) {
			t.Errorf("%s: outcome %q, want %q", s.name, got.Outcome, wantOutcome)
		}
		if got.CardID != card.ID || got.LastFour != card.LastFour || got.Agent == "" || got.Time.IsZero() {
			t.Errorf("%s: entry does not say who did what to which card: %+v", s.name, got)
		}
		// An action the provider answered carries its request id; a
		// refusal never reached it.
		if s.provider && !strings.HasPrefix(got.RequestID, "req_") {
			t.Errorf("%s: request id %q, want the provider's", s.name, got.RequestID)
		}
		if !s.provider && got.RequestID != "" {
			t.Errorf("%s: request id %q on a refusal that sent nothing", s.name, got.RequestID)
		}
		now, err := e.client.GetCard(ctx, card.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.Status != s.after {
			t.Errorf("%s: the sandbox has the card %s, want %s", s.name, now.Status, s.after)
		}
	}
	if revealed == "" {
		t.Fatal("nothing was revealed")
	}
	entries := audit.all()
	noLeak(t, "the audit log", entries, revealed)
	for _, want := range []struct {
		i      int
		actor  Actor
		reason string
	}{{10, supervisor, "cardholder verified on call"}, {13, supervisor, "stolen"}} {
		got := entries[want.i]
		if got.Agent != want.actor.Agent || got.Fingerprint != want.actor.Fingerprint || got.Session != want.actor.Session || got.Reason != want.reason {
			t.Errorf("entry %d: %+v, want agent %s with reason %q", want.i, got, want.actor.Agent, want.reason)
		}
	}
}

func TestActionRefusedByCapability(t *testing.T) {
	e := newEnv(t, vydapay.Provider)
	audit := &memAudit{}
	b := New(Config{Client: e.client, Audit: audit})
	card := e.card(t, api.CardActive)
	for _, tc := range []struct {
		name string
		do   func() error
		why  string
	}{
		{"reveal", func() error {
			_, err := b.Reveal(context.Background(), supervisor, card.ID, "verified")
			return err
		}, "Vydapay has no card reveal"},
		{"activate", func() error {
			_, err := b.Activate(context.Background(), supervisor, card.ID)
			return err
		}, "Vydapay has no card activation"},
	} {
		before := e.requests.Load()
		err := tc.do()
		if !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.why)
		}
		if n := e.requests.Load() - before; n != 0 {
			t.Errorf("%s: the provider saw %d requests", tc.name, n)
		}
	}
	if entries := audit.all(); len(entries) != 2 || entries[0].Outcome != "refused: Vydapay has no card reveal" {
		t.Errorf("audit: %+v", entries)
	}
}

// A provider's refusal is the outcome, in its words, with its request id.
func TestActionProviderErrorAudited(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	readOnly := e.newClient(t, vaultspay.Provider, e.cfg.VaultsPayReadOnlyKey)
	audit := &memAudit{}
	b := New(Config{Client: readOnly, Audit: audit})
	card := e.card(t, api.CardActive)
	_, err := b.Freeze(context.Background(), agent, card.ID)
	if !errors.Is(err, api.ErrForbidden) {
		t.Fatalf("err = %v, want forbidden", err)
	}
	entries := audit.all()
	if len(entries) != 2 || entries[0].Outcome != OutcomePending || entries[0].Attempt != entries[1].Attempt {
		t.Fatalf("audit %+v, want the attempt and its outcome", entries)
	}
	if got := entries[1]; !strings.HasPrefix(got.Outcome, "error: ") || got.RequestID == "" || got.LastFour != card.LastFour {
		t.Errorf("entry %+v: want an error outcome with the provider's request id", got)
	}
	if c, err := e.client.GetCard(context.Background(), card.ID); err != nil || c.Status != api.CardActive {
		t.Errorf("card after a refused freeze: %v %v", c.Status, err)
	}
}

// When the audit log cannot record an attempt, nothing is sent and the
// agent is told; when it cannot record the outcome of a call already made,
// the action stands and the agent is told, and revealed details are
// withheld.
func TestAuditFailure(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	b := New(Config{Client: e.client, Audit: &memAudit{fail: errDiskFull}})
	ctx := context.Background()
	card := e.card(t, api.CardActive)

	c, err := b.Freeze(ctx, agent, card.ID)
	if !errors.Is(err, ErrAuditFailed) || c.ID != "" {
		t.Errorf("freeze: card %+v, err %v; want no card and ErrAuditFailed", c, err)
	}
	if now, err := e.client.GetCard(ctx, card.ID); err != nil || now.Status != api.CardActive {
		t.Errorf("the card after an unrecorded freeze: %s, %v; want it active", now.Status, err)
	}
	s, err := b.Reveal(ctx, supervisor, card.ID, "verified")
	if !errors.Is(err, ErrAuditFailed) || s != nil {
		t.Errorf("reveal: secrets %v, err %v; want none and ErrAuditFailed", s, err)
	}
	_, err = b.Freeze(ctx, viewer, card.ID)
	if !errors.Is(err, ErrNotAllowed) || !errors.Is(err, ErrAuditFailed) {
		t.Errorf("refused freeze: err %v; want ErrNotAllowed and ErrAuditFailed", err)
	}

	// The attempt is on record, its outcome is not.
	audit := &memAudit{failOutcomes: errDiskFull}
	b = New(Config{Client: e.client, Audit: audit})
	c, err = b.Freeze(ctx, agent, card.ID)
	if !errors.Is(err, ErrAuditFailed) || c.Status != api.CardFrozen {
		t.Errorf("freeze: card %s, err %v; want the frozen card and ErrAuditFailed", c.Status, err)
	}
	s, err = b.Reveal(ctx, supervisor, card.ID, "verified")
	if !errors.Is(err, ErrAuditFailed) || s != nil {
		t.Errorf("reveal: secrets %v, err %v; want none and ErrAuditFailed", s, err)
	}
	if got := audit.all(); len(got) != 2 || got[0].Outcome != OutcomePending || got[1].Outcome != OutcomePending {
		t.Errorf("audit %+v, want the two attempts", got)
	}
}

func TestActionOnMissingCard(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	audit := &memAudit{}
	b := New(Config{Client: e.client, Audit: audit})
	missing := e.card(t, api.CardActive).ID + "0"
	_, err := b.Freeze(context.Background(), agent, missing)
	if !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("err = %v, want not found", err)
	}
	if entries := audit.all(); len(entries) != 1 || !strings.HasPrefix(entries[0].Outcome, "error: ") {
		t.Errorf("audit: %+v", entries)
	}

	// An agent who types a card number where a card id belongs does not put
	// it in the audit log.
	const pan = "4111111111111111"
	if _, err := b.Freeze(context.Background(), agent, pan); err == nil {
		t.Fatal("froze a card number")
	}
	if _, err := b.Reveal(context.Background(), supervisor, "card_x", "caller read out "+pan); err == nil {
		t.Fatal("revealed a card that does not exist")
	}
	noLeak(t, "the audit log", audit.all(), pan)
}
