package faults

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// schedule decides, rule by rule, which requests get a fault. Each rule
// counts the requests it matches and draws from its own generator, seeded
// from the seed and the rule's place, so that the n-th request a rule
// matches meets the same fate in every run with the same seed.
type schedule struct {
	rules []ruleState
}

type ruleState struct {
	Rule
	seen int
	rng  *rand.Rand
}

func newSchedule(rules []Rule, seed int64) schedule {
	s := schedule{rules: make([]ruleState, len(rules))}
	for i, r := range rules {
		s.rules[i] = ruleState{Rule: r, rng: rand.New(rand.NewPCG(uint64(seed), 0xfa17_0000+uint64(i)))}
	}
	return s
}

// plan is what happens to one request: a delay, then at most one fault.
type plan struct {
	delay      time.Duration
	fault      Kind
	status     int           // ServerError's status
	after      bool          // the sandbox acts first
	hold       time.Duration // Timeout
	retryAfter time.Duration // RateLimit
}

// decide plans a request. Every matching latency rule counts it (and
// draws, when it has a rate) and adds its delay when it fires; the other
// rules count and draw, in order, only until one fires: that one is the
// fault, and the rules after it do not see the request, so that
// "429=1x,503=1x" gives the first request a 429 and the second a 503.
// Called under the front's lock.
func (s *schedule) decide(provider, method, sub, full string) plan {
	var p plan
	for i := range s.rules {
		rs := &s.rules[i]
		if rs.Kind != Latency && p.fault != "" || !rs.matches(provider, method, sub, full) || !rs.fires() {
			continue
		}
		switch {
		case rs.Kind == Latency:
			p.delay += rs.Delay
		default:
			p.fault, p.after = rs.Kind, rs.After
			switch rs.Kind {
			case ServerError:
				p.status = rs.Status
				if p.status == 0 {
					statuses := serverStatuses()
					p.status = statuses[rs.rng.IntN(len(statuses))]
				}
			case Timeout:
				p.hold = rs.hold()
			case RateLimit:
				p.retryAfter = rs.retryAfter()
			}
		}
	}
	return p
}

// fires counts a matching request and says whether the rule applies to it.
func (rs *ruleState) fires() bool {
	rs.seen++
	if rs.First > 0 && rs.seen > rs.First {
		return false
	}
	if rs.Rate == 0 || rs.Rate >= 1 {
		return true
	}
	return rs.rng.Float64() < rs.Rate
}

// splitPath names the provider of a sandbox path and the path below its
// API root; a path under neither root has no provider.
func splitPath(p string) (provider, sub string) {
	for _, name := range []string{vaultspay.Provider, vydapay.Provider} {
		if rest, ok := strings.CutPrefix(p, "/"+name+"/v1"); ok && (rest == "" || rest[0] == '/') {
			return name, rest
		}
	}
	return "", p
}
