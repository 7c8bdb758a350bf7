package loadtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/live/sqlitestore"
)

// Target is a relay started in-process on loopback for a load run.
type Target struct {
	URL           string
	Token         string
	VydapaySecret string

	srv    *http.Server
	relay  *live.Relay
	sqlite *sqlitestore.Store // nil over the no-op store
	served chan error
}

// Note describes the store's group commits so far ("" for the no-op
// store), for the report.
func (t *Target) Note() string {
	if t.sqlite == nil {
		return ""
	}
	st := t.sqlite.Stats()
	if st.Commits == 0 {
		return "no commits"
	}
	return fmt.Sprintf("%d commits, %.1f appends per commit, %d checkpoints; writer busy %s in commits, %s in checkpoints",
		st.Commits, float64(st.Appends)/float64(st.Commits), st.Checkpoints,
		st.CommitTime.Round(time.Millisecond), st.CheckpointTime.Round(time.Millisecond))
}

// StartRelay starts a relay on 127.0.0.1 with a fresh token and Vydapay
// secret: over a SQLite database in dir when durable, else over the no-op
// store. Close stops it.
func StartRelay(ctx context.Context, dir string, durable bool, log *slog.Logger) (*Target, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	hub := live.NewHub()
	var (
		store  live.Store
		sqlite *sqlitestore.Store
	)
	if durable {
		s, err := sqlitestore.Open(ctx, filepath.Join(dir, "bench-relay.db"), sqlitestore.Options{OnCommit: hub.Publish, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("start bench relay: %w", err)
		}
		store, sqlite = s, s
	} else {
		store = live.NewNopStore(hub.Publish)
	}
	secret := vydapay.NewSecret()
	scheme, err := vydapay.NewVerifier(secret)
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("start bench relay: %w", err)
	}
	t := &Target{Token: live.NewToken(), VydapaySecret: secret, sqlite: sqlite, served: make(chan error, 1)}
	t.relay, err = live.NewRelay(live.RelayConfig{
		Store: store, Hub: hub, Token: t.Token, Logger: log,
		Schemes: map[string]api.WebhookScheme{vydapay.Provider: scheme},
	})
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("start bench relay: %w", err)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("start bench relay: %w", err)
	}
	t.URL = "http://" + ln.Addr().String()
	t.srv = &http.Server{Handler: t.relay.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() { t.served <- t.srv.Serve(ln) }()
	return t, nil
}

// Close drains and stops the relay and closes its store.
func (t *Target) Close(ctx context.Context) error {
	err := t.srv.Shutdown(ctx)
	if serr := <-t.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return errors.Join(err, t.relay.Shutdown(ctx))
}
