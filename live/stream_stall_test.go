package live_test

import (
	"testing"

	"github.com/carddesk/carddesk/live"
)

// One subscriber that stops reading does not slow the others: its small
// queue overflows, the others receive every event meanwhile, and when it
// reads again it is told it fell behind and caught up from the store with
// no gap.
func TestStreamStalledSubscriberDoesNotSlowOthers(t *testing.T) {
	const total = 3000
	f := newStreamFixture(t, streamOptions{queueSize: 256})
	ctx := t.Context()

	stalled, _, err := dialStream(t, f.url+"?after=0", nil, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if fr := readStreamFrame(t, stalled); fr.Type != "live" || *fr.Seq != 0 {
		t.Fatalf("first frame %+v, want live 0", fr)
	}
	others := []*live.Subscription{f.subscribe(ctx, 0), f.subscribe(ctx, 0)}

	// 3,000 events of ~1.3 KiB are far more than the stalled socket's
	// buffers and its 256-record queue hold.
	wait := streamConsumers(t, others, 0, total)
	if err := f.appendEvents(ctx, 1, total, 5, 1024, nil); err != nil {
		t.Fatal(err)
	}
	wait()

	// Now the stalled subscriber reads: events, then "behind", then the
	// rest from the store, then "live", all contiguous.
	var (
		next       = uint64(1)
		sawBehind  bool
		liveAfter  bool
		behindSeqs []uint64
	)
	for !(liveAfter && next > total) {
		fr := readStreamFrame(t, stalled)
		switch fr.Type {
		case "events":
			for _, r := range fr.Events {
				if r.Seq != next {
					t.Fatalf("stalled subscriber got seq %d, want %d", r.Seq, next)
				}
				next++
			}
		case "behind":
			if *fr.Seq != next-1 {
				t.Fatalf("behind at %d, but last sent was %d", *fr.Seq, next-1)
			}
			sawBehind = true
			behindSeqs = append(behindSeqs, *fr.Seq)
		case "live":
			liveAfter = sawBehind
		default:
			t.Fatalf("unexpected frame %+v", fr)
		}
	}
	if !sawBehind {
		t.Fatal("stalled subscriber was never told it fell behind")
	}
	// Only the stalled one fell behind: OnBehind counts every subscriber.
	if n := f.behind.Load(); int(n) != len(behindSeqs) {
		t.Errorf("OnBehind called %d times, but the stalled subscriber saw %d behind frames", n, len(behindSeqs))
	}
	t.Logf("fell behind at %v", behindSeqs)
}
