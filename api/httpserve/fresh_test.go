package httpserve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A connection that never sends a request would hold http.Server.Shutdown
// for five seconds; the tracker closes it at once, while a request in
// flight still finishes.
func TestFreshConnsShutdown(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	var hooked atomic.Int32
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			_, _ = io.WriteString(w, "done")
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ConnState:         func(net.Conn, http.ConnState) { hooked.Add(1) },
	}
	fresh := TrackFresh(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	silent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-entered

	// Shorter than the five seconds the server would wait on the silent
	// connection by itself.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- fresh.Shutdown(ctx) }()
	close(release)
	if err := <-shut; err != nil {
		t.Fatalf("shutdown: %v (a connection that sent nothing held it)", err)
	}
	if got := <-answer; got != "done" {
		t.Errorf("request in flight at shutdown got %q, want it to finish with %q", got, "done")
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
	_ = silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := silent.Read(make([]byte, 1)); err == nil || strings.Contains(err.Error(), "timeout") {
		t.Errorf("silent connection: read %v, want it closed by the server", err)
	}
	if hooked.Load() == 0 {
		t.Error("the server's own ConnState hook was not kept")
	}
}
