package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
)

var (
	errStreamClientGone = errors.New("subscriber went away")
	errStreamShutdown   = errors.New("relay shutting down")
)

// streamSession is one subscriber's connection. Its handler goroutine is
// the only writer; a reader goroutine handles pongs and the close.
type streamSession struct {
	h        *StreamHandler
	ws       *websocket.Conn
	sub      *hubSub
	ticker   *time.Ticker
	readDone chan struct{}

	lastSent uint64 // last seq written to the subscriber
	frame    streamFrame
	spare    [][]Record
	adm      admission
}

func newStreamSession(h *StreamHandler, ws *websocket.Conn, adm admission) *streamSession {
	s := &streamSession{h: h, ws: ws, lastSent: adm.after, readDone: make(chan struct{}), adm: adm}
	s.frame.last = adm.after
	return s
}

// run streams until the subscriber goes away, ctx ends or the relay shuts
// down, then closes the connection and waits for the reader.
func (s *streamSession) run(ctx context.Context) error {
	hub := s.h.cfg.Hub
	// Subscribe first, replay second: whatever is committed from now on is
	// queued, whatever was committed before is in the store.
	s.sub = hub.subscribe(s.h.cfg.QueueSize)
	defer hub.unsubscribe(s.sub)
	s.ticker = time.NewTicker(s.h.cfg.PingInterval)
	defer s.ticker.Stop()
	go s.readLoop()
	defer func() {
		_ = s.ws.Close()
		<-s.readDone
	}()

	err := s.stream(ctx)
	switch {
	case errors.Is(err, errStreamShutdown):
		s.goodbye(websocket.CloseGoingAway, "relay shutting down")
		return nil
	case errors.Is(err, errStreamClientGone):
		return nil
	}
	return err
}

func (s *streamSession) stream(ctx context.Context) error {
	if s.adm.reset {
		epoch := s.h.cfg.Store.Epoch()
		msg := fmt.Sprintf("the relay's store is not the one this subscriber followed (epoch %s, now %s): its events are gone; resuming from the start of this one",
			s.adm.theirs, epoch)
		if err := s.write(appendResetFrame(s.frame.buf[:0], epoch, msg)); err != nil {
			return err
		}
	}
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	if err := s.writeSeqFrame(frameLive); err != nil {
		return err
	}
	for {
		select {
		case <-s.sub.ready:
			batches, overflow := s.sub.take(s.spare)
			if overflow {
				if err := s.behind(ctx); err != nil {
					return err
				}
				continue
			}
			err := s.sendBatches(batches)
			s.spare = batches
			if err != nil {
				return err
			}
		case <-s.ticker.C:
			if err := s.ping(); err != nil {
				return err
			}
		case <-s.readDone:
			return errStreamClientGone
		case <-ctx.Done():
			return ctx.Err()
		case <-s.h.done:
			return errStreamShutdown
		}
	}
}

// behind handles a live queue overflow: tell the subscriber, feed it again
// from now, catch it up from the store from its last seq, then say live.
func (s *streamSession) behind(ctx context.Context) error {
	if f := s.h.cfg.OnBehind; f != nil {
		f()
	}
	s.h.log.Debug("stream subscriber fell behind", "last_sent", s.lastSent)
	if err := s.writeSeqFrame(frameBehind); err != nil {
		return err
	}
	s.sub.reset()
	if err := s.catchUp(ctx); err != nil {
		return err
	}
	return s.writeSeqFrame(frameLive)
}

// catchUp replays from the store after lastSent until the store has no
// more. If the live queue overflowed meanwhile, it resets it and replays
// again, so that when it returns the queue holds everything after the
// replay (and perhaps some of it, which sendBatches skips).
func (s *streamSession) catchUp(ctx context.Context) error {
	for {
		if err := s.replay(ctx); err != nil {
			return err
		}
		if !s.sub.overflowed() {
			return nil
		}
		s.sub.reset()
	}
}

func (s *streamSession) replay(ctx context.Context) error {
	store := s.h.cfg.Store
	for {
		if err := s.interrupted(ctx); err != nil {
			return err
		}
		recs, err := store.After(ctx, s.lastSent, streamPageSize)
		if err != nil {
			if ctx.Err() == nil {
				s.h.log.Warn("stream: replay from store", "after", s.lastSent, "err", err)
				s.goodbye(websocket.CloseInternalServerErr, "store unavailable")
			}
			return fmt.Errorf("replay after %d: %w", s.lastSent, err)
		}
		for i := range recs {
			if err := s.add(&recs[i], false); err != nil {
				return err
			}
		}
		if err := s.flush(false); err != nil {
			return err
		}
		if len(recs) < streamPageSize {
			return nil
		}
	}
}

// interrupted checks, without waiting, whether the session must end, and
// pings when it is time: a long replay must not starve the keepalive.
func (s *streamSession) interrupted(ctx context.Context) error {
	select {
	case <-s.readDone:
		return errStreamClientGone
	case <-ctx.Done():
		return ctx.Err()
	case <-s.h.done:
		return errStreamShutdown
	case <-s.ticker.C:
		return s.ping()
	default:
		return nil
	}
}

// sendBatches writes queued live batches, coalesced into as few frames as
// the frame bounds allow, skipping what was already sent by a replay.
func (s *streamSession) sendBatches(batches [][]Record) error {
	for _, b := range batches {
		for i := range b {
			if err := s.add(&b[i], true); err != nil {
				return err
			}
		}
	}
	return s.flush(true)
}

// add puts r in the pending frame (unless its seq was already sent or
// added) and writes the frame once it is full.
func (s *streamSession) add(r *Record, live bool) error {
	if !s.frame.add(r) {
		return nil
	}
	if s.frame.full() {
		return s.flush(live)
	}
	return nil
}

// flush writes the pending frame, if any.
func (s *streamSession) flush(live bool) error {
	if s.frame.n == 0 {
		return nil
	}
	n, oldest, last := s.frame.n, s.frame.oldest, s.frame.last
	if err := s.write(s.frame.finish()); err != nil {
		return err
	}
	s.lastSent = last
	if live && s.h.cfg.OnSend != nil {
		s.h.cfg.OnSend(n, oldest)
	}
	return nil
}

func (s *streamSession) writeSeqFrame(typ string) error {
	return s.write(appendSeqFrame(s.frame.buf[:0], typ, s.lastSent))
}

func (s *streamSession) write(msg []byte) error {
	if err := s.ws.SetWriteDeadline(time.Now().Add(s.h.deadline)); err != nil {
		return fmt.Errorf("stream write: %w", err)
	}
	if err := s.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		return fmt.Errorf("stream write: %w", err)
	}
	return nil
}

func (s *streamSession) ping() error {
	if err := s.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.h.deadline)); err != nil {
		return fmt.Errorf("stream ping: %w", err)
	}
	return nil
}

// goodbye sends an error frame and a close frame, then gives the
// subscriber a moment to answer the close.
func (s *streamSession) goodbye(code int, message string) {
	deadline := time.Now().Add(streamCloseWait)
	_ = s.ws.SetWriteDeadline(deadline)
	if err := s.ws.WriteMessage(websocket.TextMessage, appendErrorFrame(nil, message)); err != nil {
		return
	}
	if err := s.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, message), deadline); err != nil {
		return
	}
	timer := time.NewTimer(streamCloseWait)
	defer timer.Stop()
	select {
	case <-s.readDone:
	case <-timer.C:
	}
}

// readLoop reads until the connection fails or closes: the subscriber
// sends nothing but pongs (which extend the read deadline) and its close.
func (s *streamSession) readLoop() {
	defer close(s.readDone)
	s.ws.SetReadLimit(4 << 10)
	_ = s.ws.SetReadDeadline(time.Now().Add(s.h.deadline))
	s.ws.SetPongHandler(func(string) error {
		return s.ws.SetReadDeadline(time.Now().Add(s.h.deadline))
	})
	for {
		if _, _, err := s.ws.NextReader(); err != nil {
			return
		}
	}
}
