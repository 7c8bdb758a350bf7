package backend

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
)

// While a change to a card is under way (its answer held at the provider),
// a second change to the same card, from this session or another, is
// refused without a request and audited; a change to another card goes
// through; once the first is done the card takes changes again.
func TestOneChangeAtATimePerCard(t *testing.T) {
	e := newEnv(t, vaultspay.Provider)
	audit := &memAudit{}
	b := New(Config{Client: e.client, Audit: audit})
	ctx := context.Background()
	page, err := e.client.ListCards(ctx, api.CardFilter{Status: api.CardActive, Page: api.PageParams{Limit: 2}})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("two active cards: %v (%d)", err, len(page.Items))
	}
	held, other := page.Items[0], page.Items[1]

	entered, release := make(chan struct{}), make(chan struct{})
	e.setHold(func(r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, held.ID) {
			close(entered)
			<-release
		}
	})
	first := make(chan error, 1)
	go func() {
		_, err := b.Freeze(ctx, supervisor, held.ID)
		first <- err
	}()
	<-entered

	before := e.requests.Load()
	for _, tc := range []struct {
		name string
		do   func() error
	}{
		{"freeze again", func() error { _, err := b.Freeze(ctx, supervisor, held.ID); return err }},
		{"terminate meanwhile", func() error {
			_, err := b.Terminate(ctx, supervisor, held.ID, api.TerminationReason("stolen"))
			return err
		}},
	} {
		err := tc.do()
		if !errors.Is(err, ErrNotAllowed) || !strings.Contains(err.Error(), "an earlier freeze of this card has not finished yet") {
			t.Errorf("%s: err = %v, want a refusal naming the freeze under way", tc.name, err)
		}
	}
	if n := e.requests.Load() - before; n != 0 {
		t.Errorf("the refused changes made %d requests", n)
	}
	if _, err := b.Freeze(ctx, supervisor, other.ID); err != nil {
		t.Errorf("freezing another card meanwhile: %v", err)
	}

	e.setHold(nil)
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("the held freeze: %v", err)
	}
	if _, err := b.Unfreeze(ctx, supervisor, held.ID); err != nil {
		t.Errorf("unfreezing after the freeze finished: %v", err)
	}
	refused := 0
	for _, a := range audit.all() {
		if strings.HasPrefix(a.Outcome, "refused: an earlier freeze") {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("audit has %d refusals for the card under way, want 2: %+v", refused, audit.all())
	}
}
