package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// subscribeReadLimit bounds one frame: the relay closes a frame once it
// passes 1 MiB, and one record is at most a 256 KiB webhook plus its
// normalised form.
const subscribeReadLimit = 32 << 20

// run connects, streams, and reconnects with backoff until ctx is done.
func (s *Subscription) run(ctx context.Context) {
	defer func() {
		s.setState(StateOffline)
		close(s.states)
		close(s.events)
	}()
	attempt := 0
	for {
		s.setState(StateConnecting)
		liveSince, err := s.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if !liveSince.IsZero() {
			s.lostAt(time.Now())
		}
		s.setErr(err) // before the state, so that whoever sees offline sees why
		s.setState(StateOffline)
		var wait time.Duration
		if refused(err) {
			// A refusal (bad token, origin, URL) needs the operator: retry
			// slowly rather than hammer the relay.
			wait = s.cfg.MaxBackoff
		} else {
			// Forgive earlier failures once a connection has been live for
			// as long as the longest wait: a relay that accepts and then
			// drops at once keeps backing off.
			if !liveSince.IsZero() && time.Since(liveSince) >= s.cfg.MaxBackoff {
				attempt = 0
			}
			wait = backoff(s.cfg.MinBackoff, s.cfg.MaxBackoff, attempt)
			attempt++
		}
		s.log.Info("relay stream disconnected", "err", err, "last_seq", s.LastSeq(), "retry_in", wait)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// backoff is the wait before attempt n (from 0): a random duration
// between min and min·2^(n+1), capped at max.
func backoff(minWait, maxWait time.Duration, n int) time.Duration {
	ceil := maxWait
	if n < 30 {
		if d := minWait << (n + 1); d > 0 && d < maxWait {
			ceil = d
		}
	}
	if ceil <= minWait {
		return minWait
	}
	return minWait + rand.N(ceil-minWait+1)
}

// session runs one connection: dial, then read frames until it fails. It
// returns when the connection went live (zero if it never did) and why it
// ended.
func (s *Subscription) session(ctx context.Context) (liveSince time.Time, err error) {
	conn, epoch, err := s.dial(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if epoch != "" && s.Epoch() == "" {
		s.setEpoch(epoch)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	idle := s.cfg.IdleTimeout
	conn.SetReadLimit(subscribeReadLimit)
	conn.SetPingHandler(func(data string) error {
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
			return err
		}
		return nil
	})
	var buf bytes.Buffer // reused: decoded records copy what they keep
	for {
		if err := conn.SetReadDeadline(time.Now().Add(idle)); err != nil {
			return liveSince, fmt.Errorf("relay: %w", err)
		}
		typ, r, err := conn.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			return liveSince, fmt.Errorf("relay: %w: %w", errLost, err)
		}
		if typ != websocket.TextMessage {
			return liveSince, fmt.Errorf("relay: %w: not a text message", errFrame)
		}
		f, err := decodeFrame(buf.Bytes())
		if err != nil {
			return liveSince, fmt.Errorf("relay: %w", err)
		}
		switch f.Type {
		case frameEvents:
			if err := s.deliver(ctx, f.Events); err != nil {
				return liveSince, err
			}
		case frameLive:
			if liveSince.IsZero() {
				liveSince = time.Now()
			}
			s.setErr(nil)
			s.lostAt(time.Time{})
			s.setState(StateLive)
		case frameBehind:
			s.setState(StateBehind)
		case frameReset:
			s.storeChanged(f.Epoch, f.Message)
		case frameError:
			return liveSince, &closedError{printable(f.Message)}
		default:
			s.log.Debug("relay stream: ignoring unknown frame type", "type", f.Type)
		}
	}
}

// deliver hands on the records after LastSeq, waiting for the consumer.
func (s *Subscription) deliver(ctx context.Context, recs []Record) error {
	last := s.lastSeq.Load()
	epoch := s.Epoch()
	fresh := recs[:0]
	for _, r := range recs {
		if r.Seq > last { // never a duplicate, even from a confused relay
			r.Epoch = epoch
			fresh = append(fresh, r)
			last = r.Seq
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	select {
	case s.events <- fresh:
		s.lastSeq.Store(last)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dial connects with the bearer token, resuming after LastSeq of Epoch;
// it returns the epoch the relay names ("" if none).
func (s *Subscription) dial(ctx context.Context) (*websocket.Conn, string, error) {
	u, err := streamURL(s.cfg.URL, s.LastSeq(), s.Epoch())
	if err != nil {
		return nil, "", err
	}
	hdr := http.Header{}
	if s.cfg.Token != "" {
		hdr.Set("Authorization", "Bearer "+s.cfg.Token)
	}
	d := websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   64 << 10,
		WriteBufferSize:  1024,
	}
	conn, resp, err := d.DialContext(ctx, u, hdr)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, "", newStatusError(resp)
		}
		return nil, "", fmt.Errorf("relay: %w: %w", errConnect, err)
	}
	epoch, err := parseEpoch(resp.Header.Values(EpochHeader))
	if err != nil {
		conn.Close()
		return nil, "", fmt.Errorf("relay: %w: %s: %w", errFrame, EpochHeader, err)
	}
	return conn, epoch, nil
}
