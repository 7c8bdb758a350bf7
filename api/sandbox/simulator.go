package sandbox

import (
	"container/heap"
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/carddesk/carddesk/api"
)

// The simulator plays a card network: it presents purchases to the issuer
// at a steady rate, lets the issuer decide them for its real reasons, and
// later settles, reverses or refunds what was approved. Now and then a
// cardholder freezes a card from their app and unfreezes it later.

// Shares of the traffic, tuned so that about one authorisation in ten
// declines and every decline group shows up.
const (
	simAnyStateShare  = 0.05  // cards drawn regardless of state (frozen, terminated, ...)
	simCardPresent    = 0.35  // chip-and-PIN: no CVC presented
	simBadCVC         = 0.015 // a wrong CVC typed online
	simBadExpiry      = 0.005 // a wrong expiry typed online
	simRiskyShare     = 0.012 // the network flags the purchase as risky
	simReverseShare   = 0.02  // approved authorisations later reversed (VaultsPay)
	simRefundShare    = 0.01  // settled purchases later refunded
	simAppFreezeEvery = 500   // about one app freeze per this many authorisations
	simTopUpOnDecline = 0.5   // chance an insufficient-funds decline prompts a top-up
	// Cardholders mostly shop where their card works: a purchase that the
	// card's controls, limit or balance would refuse is usually not tried
	// (they pick another shop or a smaller basket). simTryAnyway is the
	// share that is tried regardless, which keeps every reason visible.
	simTryAnyway      = 0.15
	simRedraws        = 4
	simTick           = 20 * time.Millisecond
	simSettleMin      = 2 * time.Second
	simSettleSpread   = 6 * time.Second
	simUnfreezeMin    = 20 * time.Second
	simUnfreezeSpread = 40 * time.Second
	simRefundDelay    = 5 * time.Second
	simMaxDuePerTick  = 10_000
)

// simAction is something the simulator does later.
type simAction struct {
	at   time.Time
	kind int // simSettle, simReverse, simRefund, simUnfreeze
	id   string
}

const (
	simSettle = iota
	simReverse
	simRefund
	simUnfreeze
)

type simQueue []simAction

func (q simQueue) Len() int           { return len(q) }
func (q simQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q simQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)        { *q = append(*q, x.(simAction)) }
func (q *simQueue) Pop() any {
	old := *q
	a := old[len(old)-1]
	*q = old[:len(old)-1]
	return a
}

// simulator drives one provider's traffic.
type simulator struct {
	s        *Server
	provider string
	rate     float64
	r        *rand.Rand
	later    simQueue
	count    int
}

func (s *Server) newSimulator(provider string, salt uint64) *simulator {
	return &simulator{
		s:        s,
		provider: provider,
		rate:     s.cfg.Rate,
		r:        rand.New(rand.NewPCG(uint64(s.cfg.Seed), salt)),
	}
}

// run authorises at the configured rate until ctx is done. It keeps pace
// by counting what is due since it started rather than trusting the
// ticker, so a slow tick is made up on the next.
func (sim *simulator) run(ctx context.Context) {
	if sim.rate <= 0 {
		return
	}
	ticker := time.NewTicker(simTick)
	defer ticker.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			due := int(sim.rate*now.Sub(start).Seconds()) - sim.count
			for range min(due, simMaxDuePerTick) {
				sim.authorize(now)
			}
			if due > simMaxDuePerTick {
				// Far behind (a stalled machine): skip rather than burst.
				sim.count += due - simMaxDuePerTick
			}
			sim.runDue(now)
		}
	}
}

// authorize presents one purchase and schedules what follows it.
func (sim *simulator) authorize(now time.Time) {
	sim.count++
	r := sim.r
	anyway := r.Float64() < simTryAnyway
	var sample CardSample
	var req AuthRequest
	found := false
	for range simRedraws {
		var ok bool
		if sample, ok = sim.s.sampleCard(sim.provider, r, r.Float64() < simAnyStateShare); !ok {
			return
		}
		if req, found = sim.purchase(sample, anyway); found {
			break
		}
	}
	if !found {
		return
	}
	if r.Float64() >= simCardPresent {
		req.CVC, req.ExpMonth, req.ExpYear = sample.CVC, sample.ExpMonth, sample.ExpYear
		switch p := r.Float64(); {
		case p < simBadCVC:
			req.CVC = wrongDigits(r, sample.CVC)
		case p < simBadCVC+simBadExpiry:
			req.ExpYear++
		}
	}
	if r.Float64() < simRiskyShare {
		req.Risk = 70 + r.IntN(31)
	}
	res, err := sim.s.Authorize(sim.provider, req)
	if err != nil {
		sim.s.log.Debug("simulated authorisation refused", "provider", sim.provider, "err", err)
		return
	}
	switch {
	case res.Approved && r.Float64() < simReverseShare:
		sim.later.schedule(now.Add(sim.settleDelay()), simReverse, res.TransactionID)
	case res.Approved:
		sim.later.schedule(now.Add(sim.settleDelay()), simSettle, res.TransactionID)
	case res.Reason == api.DeclineInsufficient && r.Float64() < simTopUpOnDecline:
		sim.topUp(sample)
	}
	if sim.count%simAppFreezeEvery == 0 {
		sim.appFreeze(now)
	}
}

func (sim *simulator) settleDelay() time.Duration {
	return simSettleMin + time.Duration(sim.r.Int64N(int64(simSettleSpread)))
}

// purchase draws what the cardholder tries to buy: redrawn a few times
// when the card would refuse it for its controls, limit or funds. It
// reports false when every draw would be refused: a cardholder whose card
// is at its limit mostly stops trying, so another card is used instead.
func (sim *simulator) purchase(sample CardSample, anyway bool) (AuthRequest, bool) {
	r := sim.r
	var req AuthRequest
	for range simRedraws {
		m := sim.s.sampleMerchant(r)
		req = AuthRequest{
			CardID:   sample.ID,
			Amount:   sampleAmount(r, m, sample.Currency),
			Merchant: m,
			Risk:     r.IntN(40),
		}
		if anyway {
			return req, true
		}
		switch sim.s.preview(sim.provider, req).Group() {
		case api.GroupControls, api.GroupFundsLimits:
			continue
		}
		return req, true
	}
	return req, false
}

// preview is the decision the issuer would take on req now, without
// recording anything: "" when it would approve.
func (s *Server) preview(provider string, req AuthRequest) api.DeclineReason {
	iss, err := s.issuer(provider)
	if err != nil {
		return ""
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	c, ok := iss.cards.get(req.CardID)
	if !ok {
		return ""
	}
	if d := iss.decide(c, req, iss.now()); d != nil {
		return d.reason
	}
	return ""
}

// runDue carries out the scheduled actions whose time has come.
func (sim *simulator) runDue(now time.Time) {
	for sim.later.Len() > 0 && !sim.later[0].at.After(now) {
		a := heap.Pop(&sim.later).(simAction)
		var err error
		switch a.kind {
		case simSettle:
			if err = sim.s.Settle(sim.provider, a.id); err == nil && sim.r.Float64() < simRefundShare {
				sim.later.schedule(now.Add(simRefundDelay), simRefund, a.id)
			}
		case simReverse:
			err = sim.s.Reverse(sim.provider, a.id)
			if err != nil {
				// Vydapay has no reversal; settle instead.
				err = sim.s.Settle(sim.provider, a.id)
			}
		case simRefund:
			err = sim.s.Refund(sim.provider, a.id)
		case simUnfreeze:
			err = sim.s.unfreezeFromApp(sim.provider, a.id)
		}
		// An agent may have acted on the card or transaction meanwhile (a
		// terminated card, an unfreeze already done): that is not a fault.
		var apiErr *apiError
		if err != nil && !errors.As(err, &apiErr) {
			sim.s.log.Warn("simulator action failed", "provider", sim.provider, "err", err)
		}
	}
}

// appFreeze has a cardholder freeze an active card from their app, and
// unfreeze it a little later.
func (sim *simulator) appFreeze(now time.Time) {
	sample, ok := sim.s.sampleCard(sim.provider, sim.r, false)
	if !ok {
		return
	}
	if err := sim.s.freezeFromApp(sim.provider, sample.ID); err != nil {
		return
	}
	wait := simUnfreezeMin + time.Duration(sim.r.Int64N(int64(simUnfreezeSpread)))
	sim.later.schedule(now.Add(wait), simUnfreeze, sample.ID)
}

// topUp funds the account behind a card (or the program, on Vydapay) so
// that balances do not drain for ever.
func (sim *simulator) topUp(sample CardSample) {
	accountID := sim.s.cardAccount(sim.provider, sample.ID)
	exp, _ := api.Exponent(sample.Currency)
	amount := int64(500+sim.r.IntN(2000)) * pow10i(exp)
	if _, err := sim.s.TopUp(sim.provider, accountID, amount); err != nil {
		sim.s.log.Debug("simulated top-up refused", "provider", sim.provider, "err", err)
	}
}

func (q *simQueue) schedule(at time.Time, kind int, id string) {
	heap.Push(q, simAction{at: at, kind: kind, id: id})
}

// cardAccount is the account a card draws on ("" on Vydapay, whose cards
// draw on the program balance).
func (s *Server) cardAccount(provider, cardID string) string {
	iss, err := s.issuer(provider)
	if err != nil {
		return ""
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	if c, ok := iss.cards.get(cardID); ok {
		return c.accountID
	}
	return ""
}

// wrongDigits returns a code of the same length that differs from code.
func wrongDigits(r *rand.Rand, code string) string {
	b := []byte(code)
	if len(b) == 0 {
		return "000"
	}
	i := r.IntN(len(b))
	b[i] = '0' + (b[i]-'0'+1+byte(r.IntN(9)))%10
	return string(b)
}

func pow10i(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
