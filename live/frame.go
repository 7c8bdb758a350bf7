package live

import (
	"errors"
	"fmt"
)

// Frame types of the stream protocol (server → client, JSON text frames).
const (
	frameEvents = "events" // {"type":"events","events":[Record, ...]}, ascending seq
	frameLive   = "live"   // {"type":"live","seq":N}: replay done, N = last seq sent
	frameBehind = "behind" // {"type":"behind","seq":N}: fell behind, catching up from N
	frameError  = "error"  // {"type":"error","message":"..."}: before a close
	// {"type":"reset","seq":0,"epoch":"...","message":"..."}: first, when
	// the subscriber resumed from another store than the relay's (see
	// Store.Epoch); the events that follow start at seq 1 of this one.
	frameReset = "reset"
)

// frame is one decoded stream message.
type frame struct {
	Type    string   `json:"type"`
	Events  []Record `json:"events"`
	Seq     *uint64  `json:"seq"`
	Message string   `json:"message"`
	Epoch   string   `json:"epoch"`
}

// errFrame marks a message that is not a valid stream frame.
var errFrame = errors.New("malformed stream frame")

// decodeFrame parses one message strictly for the types it knows: an
// events frame must carry at least one record, each with a sequence number;
// live and behind frames must carry seq, a reset frame an epoch. A frame of another type decodes
// without error so that the caller can ignore it (newer servers may add
// types). A key given twice is an error; keys otherwise match as
// encoding/json matches them (exactly, else case-insensitively), and
// unknown ones are skipped.
func decodeFrame(data []byte) (frame, error) {
	s := jsonScanner{data: data}
	var f frame
	err := s.frame(&f)
	if err == nil {
		err = s.end()
	}
	if err != nil {
		return frame{}, fmt.Errorf("%w: %w", errFrame, err)
	}
	switch f.Type {
	case "":
		return frame{}, fmt.Errorf("%w: no type", errFrame)
	case frameEvents:
		if len(f.Events) == 0 {
			return frame{}, fmt.Errorf("%w: events frame without events", errFrame)
		}
		for i, r := range f.Events {
			if r.Seq == 0 {
				return frame{}, fmt.Errorf("%w: event %d has no seq", errFrame, i)
			}
		}
	case frameLive, frameBehind:
		if f.Seq == nil {
			return frame{}, fmt.Errorf("%w: %s frame without seq", errFrame, f.Type)
		}
	case frameReset:
		if f.Epoch == "" {
			return frame{}, fmt.Errorf("%w: reset frame without epoch", errFrame)
		}
	}
	return f, nil
}
