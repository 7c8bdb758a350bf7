package live

import "time"

// streamFrame builds one events frame in a buffer reused for the life of
// the connection.
type streamFrame struct {
	buf    []byte
	n      int       // records in the frame
	oldest time.Time // oldest ReceivedAt in the frame
	last   uint64    // seq of the last record added, sent or pending
}

// add appends r unless its seq is not after the last one added; it says
// whether r was added.
func (f *streamFrame) add(r *Record) bool {
	if r.Seq <= f.last {
		return false
	}
	if f.n == 0 {
		f.buf = appendEventsHead(f.buf[:0])
		f.oldest = r.ReceivedAt
	} else {
		f.buf = append(f.buf, ',')
		if r.ReceivedAt.Before(f.oldest) {
			f.oldest = r.ReceivedAt
		}
	}
	f.buf = appendRecord(f.buf, r)
	f.n++
	f.last = r.Seq
	return true
}

func (f *streamFrame) full() bool {
	return f.n >= streamFrameRecords || len(f.buf) >= streamFrameBytes
}

// finish closes the frame and returns it; the builder is empty again.
func (f *streamFrame) finish() []byte {
	f.buf = appendEventsTail(f.buf)
	f.n = 0
	return f.buf
}
