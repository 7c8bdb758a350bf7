package tui

import (
	"context"
	"flag"
	"log/slog"
	"testing"
	"time"

	"github.com/carddesk/carddesk/live"
	"github.com/carddesk/carddesk/tui/backend"
	"github.com/carddesk/carddesk/tui/monitor"
)

var stormFull = flag.Bool("storm.full", false, "run TestDeclineStorm at full scale: 5,000 events/s for 30 s")

// stormScale is the size of a storm run.
type stormScale struct {
	rate     float64       // storm events offered a second
	duration time.Duration // of the storm
	// baseline is the number of events of the quiet hour before, sent
	// first, as fast as they go: at least ringCap, so that the Ring is at
	// its capacity all through the storm.
	baseline int
	ringCap  int           // the Live ring's capacity
	conns    int           // POSTing connections
	keyWait  time.Duration // the most a key may take to show its change
	drain    time.Duration // the most the last events may take to reach the dashboard
}

// stormEvents is how many events the storm offers in its planned length.
func (sc stormScale) stormEvents() int { return int(sc.rate * sc.duration.Seconds()) }

// events is the most events a run sends: a slow machine may stretch the
// storm (see heapSampler), to at most four times its planned length at
// the full rate.
func (sc stormScale) events() int { return sc.baseline + 4*sc.stormEvents() }

// minHeapSamples is how many heap samples the storm lasts for, at least.
const minHeapSamples = 12

// maxHeapGrowth bounds the heap of the last third of the storm against the
// heap at the end of its first.
const maxHeapGrowth = 1.25

// TestDeclineStorm floods a running dashboard with a decline storm: signed
// VaultsPay and Vydapay webhooks POSTed to a real relay (SQLite file,
// hub, websocket stream), offered at 5,000 events a second for the
// storm's length (what a slow machine cannot send in time is not sent),
// after a quiet hour that fills the Live ring; streamed by live.Subscribe
// into a backend and the dashboard at 120×40, wired as `carddesk` wires
// them, over a sandbox issuer on HTTP for the cards. It shows that:
//
//   - the heap of the last third of the storm stays under maxHeapGrowth
//     times the heap at the end of the first third (see heapVerdict), and
//     the Ring stays at its capacity;
//   - keys keep working: every key of a cycle over the views, the help,
//     moving, declines only and pause shows its change on the terminal;
//   - the Declines view raises the spike alert;
//   - nothing is lost: every acknowledged event is in the store, at the
//     seq it was acknowledged with, seqs contiguous; the subscription
//     passed every seq on exactly once; the dashboard's Ring took every
//     event (its feed skipped none) and its Stats counted every attempt
//     and decline.
//
// The storm runs in a process of its own (see runStormChild). By default
// it storms for 2.5 s, longer only where fewer than minHeapSamples heap
// samples fit in that (the race detector slows every collection tenfold);
// -storm.full storms for 30 s, after a quiet hour that fills a Ring of the
// default capacity:
//
//	go test ./tui -run TestDeclineStorm -storm.full -v
func TestDeclineStorm(t *testing.T) {
	if !inStormChild() {
		runStormChild(t)
		return
	}
	sc := stormScale{rate: 5000, duration: 2500 * time.Millisecond, baseline: 1500, ringCap: 1000, conns: 128,
		keyWait: time.Minute, drain: 2 * time.Minute}
	if *stormFull {
		sc.duration, sc.baseline, sc.ringCap, sc.keyWait, sc.drain = 30*time.Second, DefaultLiveCapacity, DefaultLiveCapacity, 2*time.Minute, 5*time.Minute
	}
	total := sc.events()

	relay := startStormRelay(t)
	book := newLiveBook(t)
	gen := &stormGen{vpSecret: relay.vpSecret, vySecret: relay.vySecret, cards: book.cards, baseline: sc.baseline, start: time.Now()}

	// The dashboard as `carddesk` wires it: a subscription to the relay,
	// a backend over the provider's client fed by it, and one session.
	subCtx, stopSub := context.WithCancel(context.Background())
	t.Cleanup(stopSub)
	sub := live.Subscribe(subCtx, live.SubscribeConfig{URL: relay.streamURL, Token: relay.token})
	feed := newCountingFeed(subCtx, sub, total)
	be := backend.New(backend.Config{Client: book.client, Relay: feed, Logger: slog.New(slog.DiscardHandler)})
	s := startStormSession(t, be, sc.ringCap)
	awaitRelayLive(t, sub)
	states := watchStates(sub)

	ring := &ringWatch{}
	ring.watch(s)
	poster := newStormPoster(gen, relay.url, total, sc.conns)
	defer poster.close()

	// The quiet hour before, as fast as it goes, until the Ring is full;
	// then the storm, with keys pressed all through it.
	baseStart := time.Now()
	poster.post(t.Context(), 0, sc.baseline, sc.conns, 0, nil)
	if msg := poster.failure(); msg != "" {
		t.Fatalf("baseline: %s", msg)
	}
	awaitStorm(t, s, "the baseline in the Ring", sc.drain, func(m *model) bool { return m.ctx.Ring.Total() >= uint64(sc.baseline) })
	baseTook := time.Since(baseStart)

	sampler := startHeapSampler(ring, sc.duration/30, sc.duration, minHeapSamples)
	stormStart := time.Now()
	stormDone := make(chan struct{})
	go func() {
		defer close(stormDone)
		poster.post(t.Context(), sc.baseline, total, sc.conns, sc.rate, sampler.stormOver())
	}()
	keys := pressThroughStorm(t, s, stormDone, sc.keyWait)
	<-stormDone
	stormTook := time.Since(stormStart)
	samples := sampler.finish()

	// Nothing lost: the relay's store, the subscription, the dashboard.
	if msg := poster.failure(); msg != "" {
		t.Errorf("storm: %s", msg)
	}
	if d := poster.duplicates.Load(); d != 0 {
		t.Errorf("%d POSTs were answered as duplicates", d)
	}
	sent := int(poster.sent.Load())
	acked, wantDeclines := poster.acked()
	stored, err := relay.checkStore(t.Context(), poster.acks)
	if err != nil {
		t.Fatal(err)
	}
	if stored.records != acked || stored.lastSeq != uint64(acked) {
		t.Fatalf("the store holds %d records up to seq %d for %d acknowledged events", stored.records, stored.lastSeq, acked)
	}
	want := make([]uint64, acked)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	counts := feed.await(t.Context(), want, sc.drain)
	switch {
	case len(counts.missing) > 0:
		t.Fatalf("after %v the subscription had passed on %d of %d seqs; missing %v…", sc.drain, counts.distinct, acked, counts.missing)
	case counts.distinct != acked || counts.repeated != 0 || counts.outOfRange != 0 || counts.outOfOrder != 0:
		t.Fatalf("the subscription passed on %d distinct seqs of %d, %d repeated, %d out of range, %d out of order",
			counts.distinct, acked, counts.repeated, counts.outOfRange, counts.outOfOrder)
	}
	var ringTotal uint64
	var top monitor.Ranking
	awaitStorm(t, s, "every event in the dashboard's Ring and Stats", sc.drain, func(m *model) bool {
		ringTotal, top = m.ctx.Ring.Total(), m.ctx.Stats.Top(m.ctx.now(), 10)
		return ringTotal >= uint64(acked) && top.Attempts >= acked
	})
	if ringTotal != uint64(acked) {
		t.Errorf("the Ring took %d events of %d: the session's feed skipped %d", ringTotal, acked, int64(acked)-int64(ringTotal))
	}
	if acked != sent {
		t.Errorf("%d events acknowledged of %d sent", acked, sent)
	}
	if top.Attempts != acked || top.Declines != wantDeclines {
		t.Errorf("the Declines stats counted %d attempts and %d declines, want %d and %d", top.Attempts, top.Declines, acked, wantDeclines)
	}

	// The spike, on the Declines view.
	spike := showSpike(t, s, sc.keyWait, acked, wantDeclines)

	// The heap over the storm, and the Ring at its capacity all through it.
	verdict, err := judgeHeap(samples)
	if err != nil {
		t.Fatal(err)
	}
	for _, smp := range samples {
		if smp.ringLen != smp.ringCap || smp.ringCap != int64(sc.ringCap) {
			t.Errorf("at %.1fs the Ring held %d rows of %d (capacity %d)", smp.at.Seconds(), smp.ringLen, smp.ringCap, sc.ringCap)
		}
	}
	if verdict.ratio >= maxHeapGrowth {
		t.Errorf("the heap grew %.2f× from the end of the first third of the storm (at least %.1f MB) to its last third (at least %.1f MB), %.2f× or more; samples: %s",
			verdict.ratio, mb(verdict.firstFloor), mb(verdict.lastFloor), maxHeapGrowth, samplesText(samples))
	}

	logStorm(t, stormReport{sc: sc, baseTook: baseTook, stormTook: stormTook, sent: sent, failed: int(poster.failed.Load()), acked: acked,
		stored: stored, counts: counts, states: states, ringTotal: ringTotal, top: top, keys: keys, verdict: verdict, samples: samples, spike: spike})
}

// stormReport is what a storm run measured.
type stormReport struct {
	sc                  stormScale
	baseTook, stormTook time.Duration
	sent, failed, acked int
	stored              storeCheck
	counts              feedCounts
	states              *stateCounts
	ringTotal           uint64
	top                 monitor.Ranking
	keys                keyRun
	verdict             heapVerdict
	samples             []heapSample
	spike               string
}

// logStorm logs the figures of a run for its report.
func logStorm(t *testing.T, r stormReport) {
	t.Helper()
	n := func(i int) string { return thousands(uint64(i)) }
	sc := r.sc
	stormSent := r.sent - sc.baseline
	t.Logf("baseline: %s events in %.2fs; storm: offered at %s/s for %v (%s events), lasted %.2fs: %s sent (%s/s) over %d connections",
		n(sc.baseline), r.baseTook.Seconds(), n(int(sc.rate)), sc.duration, n(sc.stormEvents()),
		r.stormTook.Seconds(), n(stormSent), n(int(float64(stormSent)/r.stormTook.Seconds())), sc.conns)
	t.Logf("relay: %s acknowledged of %s sent, %d failed, store seqs 1…%s contiguous; subscription: %s distinct seqs in %s batches, %d repeated, behind %d times, reconnecting %d times",
		n(r.acked), n(r.sent), r.failed, thousands(r.stored.lastSeq), n(r.counts.distinct), n(r.counts.batches), r.counts.repeated,
		r.states.behind.Load(), r.states.dropped.Load())
	t.Logf("dashboard: Ring took %s events (capacity %s); Stats %s attempts, %s declines (%s merchants' and %s cards' declines counted as other)",
		thousands(r.ringTotal), n(sc.ringCap), n(r.top.Attempts), n(r.top.Declines), n(r.top.OtherMerchants), n(r.top.OtherCards))
	p50, most := quantiles(r.keys.latencies)
	t.Logf("keys: %d pressed (%d while the storm was sent), key→frame p50 %v, max %v",
		len(r.keys.latencies), r.keys.during, p50.Round(time.Millisecond), most.Round(time.Millisecond))
	v := r.verdict
	t.Logf("heap: end of the first third at least %.1f MB (%d samples), last third at least %.1f MB, at most %.1f MB (%d samples): %.2f×",
		mb(v.firstFloor), len(v.firstEnd), mb(v.lastFloor), mb(v.lastMax), len(v.lastThird), v.ratio)
	t.Logf("heap samples: %s", samplesText(r.samples))
	t.Logf("declines view: %s", r.spike)
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
