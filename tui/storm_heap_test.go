package tui

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// ringWatch is the session's Ring as last seen from inside the program's
// loop, for a goroutine outside it to read.
type ringWatch struct {
	len, cap atomic.Int64
	total    atomic.Uint64
}

// watch registers a condition that never holds and runs after every
// message the session handles, noting the Ring.
func (w *ringWatch) watch(s *session) {
	s.tm.Send(awaitMsg[*model]{waiter[*model]{done: make(chan struct{}), cond: func(m *model) bool {
		w.len.Store(int64(m.ctx.Ring.Len()))
		w.cap.Store(int64(m.ctx.Ring.Cap()))
		w.total.Store(m.ctx.Ring.Total())
		return false
	}}})
}

// heapSample is the live heap, after a collection, at one moment of a run.
type heapSample struct {
	at        time.Duration // since sampling began
	heap      uint64        // runtime.MemStats.HeapAlloc after runtime.GC()
	ringLen   int64
	ringCap   int64
	ringTotal uint64
}

// heapSampler samples the heap every interval while a storm runs, and ends
// the storm: after its planned length, once it holds minSamples samples,
// so that a machine on which each collection takes long (the race
// detector, a starved box) still samples every third of the storm. Its
// samples are allocated up front.
type heapSampler struct {
	ring       *ringWatch
	every      time.Duration
	span       time.Duration
	minSamples int
	samples    []heapSample
	over       chan struct{} // closed when the storm is to end
	done       chan struct{}
}

func startHeapSampler(ring *ringWatch, every, span time.Duration, minSamples int) *heapSampler {
	h := &heapSampler{ring: ring, every: every, span: span, minSamples: minSamples,
		samples: make([]heapSample, 0, 4096), over: make(chan struct{}), done: make(chan struct{})}
	go h.run()
	return h
}

// stormOver is closed when the storm is to end.
func (h *heapSampler) stormOver() <-chan struct{} { return h.over }

func (h *heapSampler) run() {
	defer close(h.done)
	start := time.Now()
	tick := time.NewTicker(h.every)
	defer tick.Stop()
	for range tick.C {
		h.sample(start)
		if time.Since(start) >= h.span && len(h.samples) >= h.minSamples {
			close(h.over)
			h.sample(start) // the end of the storm
			return
		}
	}
}

// sample notes HeapAlloc after a collection, at the time it was asked for.
func (h *heapSampler) sample(start time.Time) {
	at := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if len(h.samples) == cap(h.samples) {
		return
	}
	h.samples = append(h.samples, heapSample{
		at: at, heap: ms.HeapAlloc,
		ringLen: h.ring.len.Load(), ringCap: h.ring.cap.Load(), ringTotal: h.ring.total.Load(),
	})
}

// finish waits for the last sample and returns them all.
func (h *heapSampler) finish() []heapSample {
	<-h.done
	return h.samples
}

// heapVerdict compares the heap over the last third of a storm with the
// heap at the end of its first third. The samples are taken while the
// storm runs, so each holds, besides what is live, what the other
// goroutines allocated during and since the collection: under the race
// detector, where a collection takes a good part of a second, one sample
// can be half again the next. That noise only ever adds, so each part is
// measured by its floor, the smallest of its samples, which a leak raises
// with every sample. The Ring is full before the storm begins, so the
// heap by the end of the first third is the floor of the samples in
// (0, T/3]; the last third is the samples in [2T/3, T], T being when the
// last sample was taken, at the end of the storm.
type heapVerdict struct {
	firstEnd, lastThird []heapSample
	firstFloor          uint64
	lastFloor, lastMax  uint64
	ratio               float64 // lastFloor / firstFloor
}

// judgeHeap splits samples into thirds of the storm.
func judgeHeap(samples []heapSample) (heapVerdict, error) {
	var v heapVerdict
	if len(samples) == 0 {
		return v, fmt.Errorf("no heap samples")
	}
	span := samples[len(samples)-1].at
	for _, s := range samples {
		switch {
		case s.at <= span/3:
			v.firstEnd = append(v.firstEnd, s)
		case s.at >= 2*span/3:
			v.lastThird = append(v.lastThird, s)
		}
	}
	if len(v.firstEnd) < 2 || len(v.lastThird) < 2 {
		return v, fmt.Errorf("too few heap samples in the thirds of %v: %s", span, samplesText(samples))
	}
	v.firstFloor = slices.MinFunc(v.firstEnd, byHeap).heap
	v.lastFloor = slices.MinFunc(v.lastThird, byHeap).heap
	v.lastMax = slices.MaxFunc(v.lastThird, byHeap).heap
	v.ratio = float64(v.lastFloor) / float64(v.firstFloor)
	return v, nil
}

func byHeap(a, b heapSample) int { return cmp.Compare(a.heap, b.heap) }

// samplesText lists samples as "0.2s 41.3MB ring 2000/2000 (3,120)".
func samplesText(samples []heapSample) string {
	var b strings.Builder
	for i, s := range samples {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%.1fs %.1fMB ring %d/%d (%s)", s.at.Seconds(), float64(s.heap)/(1<<20), s.ringLen, s.ringCap, thousands(s.ringTotal))
	}
	return b.String()
}
