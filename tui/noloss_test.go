package tui

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
	"github.com/carddesk/carddesk/tui/monitor"
)

var (
	nolossLong = flag.Bool("noloss.long", false, "also run the long no-loss variant: a minute of traffic at a higher rate, more restarts and cuts")
	nolossSeed = flag.Uint64("noloss.seed", 0, "seed of a no-loss run's traffic and disruptions, to replay a failure (0: a new one, logged)")
)

// nolossRun shapes one end-to-end run.
type nolossRun struct {
	name     string
	long     bool          // only with -noloss.long
	duration time.Duration // of traffic under disruption
	rate     float64       // simulated authorisations per second, per provider
	restarts int           // relay restarts
	cuts     int           // cuts of the subscriber's connection
	capacity int           // the Live ring's capacity: more than the run's events
	wait     time.Duration // bound of each wait for the pipeline to catch up
}

// nolossDeliveryBackoff is the sandbox's first webhook retry delay (its
// default is 1s). Its delivery makes 8 attempts, doubling the delay each
// time (±20%), so it gives an event up once the relay has been unreachable
// for about 127 of these (10 s at the least); an outage of these runs
// lasts a small fraction of that, and the test says so if an event was
// given up on all the same.
const nolossDeliveryBackoff = 100 * time.Millisecond

// nolossOutageEvents is how many events of each provider the sandbox emits
// while the relay is down, before it comes back.
const nolossOutageEvents = 5

// TestNoLoss runs the sandbox's simulator, delivering signed webhooks of
// both providers, into a relay on a SQLite file while the relay is
// restarted (same file, same address) and the dashboard's subscription is
// cut at random moments, and proves that every event the relay
// acknowledged reaches the dashboard's model exactly once, in sequence:
// the Live ring holds seq 1, 2, 3, … with no gap and no duplicate, one row
// per acknowledged event; and that the sandbox gave up on no event.
func TestNoLoss(t *testing.T) {
	runs := []nolossRun{
		{name: "short", duration: 3 * time.Second, rate: 100, restarts: 2, cuts: 6, capacity: DefaultLiveCapacity, wait: 2 * time.Minute},
		{name: "long", long: true, duration: time.Minute, rate: 150, restarts: 8, cuts: 60, capacity: 1 << 20, wait: 10 * time.Minute},
	}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			if run.long && !*nolossLong {
				t.Skip("the long variant runs with -noloss.long")
			}
			testNoLoss(t, run)
		})
	}
}

func testNoLoss(t *testing.T, run nolossRun) {
	seed := *nolossSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (replay with -noloss.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x6e6f6c6f7373))
	plan := nolossPlan(rng, run.duration, run.restarts, run.cuts)
	t.Logf("plan: %v", plan)

	setup := time.Now()
	rig := newNolossRig(t, run, seed)
	ctx, cancel := context.WithTimeout(context.Background(), run.duration+run.wait)
	defer cancel()
	chaos := &nolossChaos{relay: rig.relay, proxy: rig.proxy, witness: rig.witness,
		outageEvents: nolossOutageEvents, providers: []string{vaultspay.Provider, vydapay.Provider}}
	began := time.Now()
	rep, err := chaos.run(ctx, plan, run.duration)
	if err != nil {
		t.Fatalf("after %d restarts and %d cuts: %v (subscriber %v, err %v)", rep.restarts, rep.cuts, err, rig.sub.State(), rig.sub.Err())
	}
	chaosDone := time.Now()
	emitted := rig.witness.counts()
	rig.awaitAcked(run.wait)
	ackedDone := time.Now()

	// Freeze what the relay acknowledged and stored, then stop the
	// traffic: later deliveries are refused and die with the sandbox.
	rig.relay.acks.close()
	rig.halt()
	recs, err := rig.relay.records(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("the relay stored nothing")
	}
	acked := rig.relay.acks.snapshot()
	problems, kept := nolossCheckStore(recs, acked, rig.relay.acks.gone())
	if len(kept) > 0 {
		t.Logf("%s", nolossList(nil, "events stored, unacknowledged, after their sender hung up (the relay may keep those; counted below)", kept)[0])
	}

	rows, total := rig.awaitModel(recs, run.wait)
	t.Logf("the sandbox emitted %d events in the first %v (%.0f/s)", emitted[vaultspay.Provider]+emitted[vydapay.Provider],
		chaosDone.Sub(began).Round(time.Millisecond), float64(emitted[vaultspay.Provider]+emitted[vydapay.Provider])/chaosDone.Sub(began).Seconds())
	t.Logf("set up %v; traffic under disruption %v; until the relay had acknowledged every event emitted by then %v; "+
		"until the model had every stored event %v", began.Sub(setup).Round(time.Millisecond), chaosDone.Sub(began).Round(time.Millisecond),
		ackedDone.Sub(chaosDone).Round(time.Millisecond), time.Since(ackedDone).Round(time.Millisecond))
	problems = append(problems, nolossCheckRows(rows, total, recs)...)
	if len(rows) != len(acked)+len(kept) {
		problems = append(problems, fmt.Sprintf("the model holds %d rows; the relay acknowledged %d events (and kept %d whose sender hung up)",
			len(rows), len(acked), len(kept)))
	}
	problems = append(problems, nolossCheckRun(rig.relay, rig.witness, rep, rows)...)
	accepted, linked, cut := rig.proxy.stats()
	refused, duplicates, _ := rig.relay.acks.summary()
	t.Logf("%d events acknowledged, %d stored, %d rows in the model (%v); %d restarts (longest outage %v, %d events emitted meanwhile), "+
		"%d connections cut; subscriber connections: %d accepted, %d reached the relay; relay answers refused: %v, duplicates: %d",
		len(acked), len(recs), len(rows), nolossByProvider(rows), rep.restarts, rep.longest.Round(time.Millisecond), len(rep.outage),
		cut, accepted, linked, refused, duplicates)
	if len(problems) > 0 {
		t.Fatalf("seed %d:\n%s", seed, strings.Join(problems, "\n"))
	}
}

// nolossCheckRun checks the run itself: both providers in it, every
// restart and outage done, no delivery the relay or the witness could not
// take, and the events emitted during the outages acknowledged.
func nolossCheckRun(relay *nolossRelay, witness *nolossWitness, rep nolossChaosReport, rows []monitor.Row) []string {
	var problems []string
	by := nolossByProvider(rows)
	for _, p := range []string{vaultspay.Provider, vydapay.Provider} {
		if by[p] == 0 {
			problems = append(problems, fmt.Sprintf("no %s event reached the model", p))
		}
	}
	if want := 2 * nolossOutageEvents * rep.restarts; len(rep.outage) < want {
		problems = append(problems, fmt.Sprintf("%d events emitted while the relay was down, want at least %d", len(rep.outage), want))
	}
	acked := relay.acks.snapshot()
	var lost []string
	for k := range rep.outage {
		if _, ok := acked[k]; !ok {
			lost = append(lost, k.String())
		}
	}
	slices.Sort(lost)
	problems = nolossList(problems, "events emitted while the relay was down never acknowledged", lost)
	refused, _, contradictions := relay.acks.summary()
	for r, n := range refused {
		if r.status != http.StatusServiceUnavailable {
			problems = append(problems, fmt.Sprintf("the relay refused %d deliveries with %v", n, r))
		}
	}
	problems = nolossList(problems, "contradictory relay answers", contradictions)
	problems = nolossList(problems, "deliveries the witness could not verify", witness.trouble())
	return problems
}

// nolossByProvider counts rows by provider.
func nolossByProvider(rows []monitor.Row) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r.Provider]++
	}
	return out
}
