package backend

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/safetext"
)

// maxAuditText bounds the free text an agent or a provider puts in an
// entry.
const maxAuditText = 500

// newAttempt starts the audit entry of one action attempt.
func (b *Backend) newAttempt(actor Actor, a Action, cardID, reason string) *AuditEntry {
	return &AuditEntry{
		Agent:       actor.Agent,
		Fingerprint: actor.Fingerprint,
		Session:     actor.Session,
		Action:      a,
		CardID:      auditText(cardID),
		Reason:      auditText(reason),
	}
}

// auditText makes free text fit for the log: no escapes, no card number,
// bounded.
func auditText(s string) string {
	s = safetext.Safe(strings.TrimSpace(s))
	if len(s) <= maxAuditText {
		return s
	}
	cut := maxAuditText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// begin records the attempt before the provider is called, so that no
// action happens unrecorded: a crash during the call leaves the attempt in
// the log. When it cannot be written, the provider must not be called; the
// error says so and matches ErrAuditFailed.
func (b *Backend) begin(ctx context.Context, at *AuditEntry) error {
	at.Attempt = attemptID()
	at.Outcome = OutcomePending
	if err := b.record(ctx, at); err != nil {
		return fmt.Errorf("%s card %s not sent to the provider: %w", at.Action, at.CardID, err)
	}
	b.underWay.start(at.Attempt)
	return nil
}

// attemptID is a fresh id pairing an attempt's two lines. It is made of
// letters only: the log refuses a line holding what looks like a card
// number, and a run of random digits could.
func attemptID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b[:])
}

// refuse records a refusal and returns it as a *RefusedError.
func (b *Backend) refuse(ctx context.Context, at *AuditEntry, why string, kind error) error {
	refusal := &RefusedError{Action: at.Action, CardID: at.CardID, Why: why, kind: kind}
	at.Outcome = "refused: " + auditText(why)
	return withAudit(refusal, b.record(ctx, at))
}

// fail records a failed call and returns err with the audit's failure, if
// any.
func (b *Backend) fail(ctx context.Context, at *AuditEntry, err error) error {
	if apiErr, ok := api.AsError(err); ok && apiErr.RequestID != "" {
		at.RequestID = auditText(apiErr.RequestID)
	}
	at.Outcome = "error: " + auditText(err.Error())
	return withAudit(err, b.record(ctx, at))
}

// withAudit adds the audit log's failure, if any, to err.
func withAudit(err, auditErr error) error {
	if auditErr == nil {
		return err
	}
	return errors.Join(err, auditErr)
}

// succeed records a success; the error is the audit's failure, if any.
func (b *Backend) succeed(ctx context.Context, at *AuditEntry) error {
	at.Outcome = OutcomeOK
	if err := b.record(ctx, at); err != nil {
		return fmt.Errorf("%s card %s succeeded, but %w", at.Action, at.CardID, err)
	}
	return nil
}

// record writes the entry, timed now (durably, before anyone is told the
// outcome or the provider is called), and logs it. A session that has gone
// away still gets its attempt recorded.
func (b *Backend) record(ctx context.Context, at *AuditEntry) error {
	e := *at
	e.Time = b.now()
	b.log.LogAttrs(ctx, slog.LevelInfo, "card action",
		slog.String("agent", e.Agent), slog.String("session", e.Session),
		slog.String("action", string(e.Action)), slog.String("card", e.CardID),
		slog.String("attempt", e.Attempt), slog.String("outcome", e.Outcome))
	if b.audit == nil {
		return nil
	}
	if err := b.audit.Record(context.WithoutCancel(ctx), e); err != nil {
		b.log.Error("audit log not written", slog.String("action", string(e.Action)),
			slog.String("card", e.CardID), slog.String("error", safetext.Safe(err.Error())))
		return fmt.Errorf("%w: %v", ErrAuditFailed, err)
	}
	return nil
}
