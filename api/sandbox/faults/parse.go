package faults

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// Parse reads the text form of a list of rules, as `--faults` takes it:
//
//	spec   = "" | "none" | fault *("," fault)
//	fault  = kind "=" token *(":" token)
//	kind   = latency | timeout | 429 | 5xx | 500 | 502 | 503 | reset | truncate
//	token  = rate      0.05 or 5%: that share of the matching requests
//	       | count     3x: the first three matching requests
//	       | duration  300ms: latency's delay, timeout's hold, 429's Retry-After
//	       | method    GET, POST, PATCH, PUT, DELETE, HEAD
//	       | path      /cards/*/freeze (path.Match; no commas or colons)
//	       | provider  vaultspay or vydapay
//	       | after     reset, 5xx, timeout: the sandbox acts first, its answer is lost
//
// Each sort of token appears at most once in a fault. Every fault but
// latency says how often: a rate, a count, or both (50%:4x is half of the
// first four); latency may give only its delay, and then slows every
// request. For example:
//
//	latency=300ms,429=0.2,5xx=0.1,reset=0.05,truncate=0.05,timeout=0.02
//	reset=2x:POST:/cards/*/freeze:after,429=1x:45s
func Parse(spec string) ([]Rule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "none") {
		return nil, nil
	}
	var rules []Rule
	for i, item := range strings.Split(spec, ",") {
		r, err := parseRule(strings.TrimSpace(item))
		if err != nil {
			return nil, fmt.Errorf("fault %d (%q): %w", i+1, clip(strings.TrimSpace(item), 60), err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// parseRule reads one "kind=token:token…".
func parseRule(item string) (Rule, error) {
	if item == "" {
		return Rule{}, errors.New("empty; write kind=value, such as 5xx=0.1")
	}
	name, value, ok := strings.Cut(item, "=")
	if !ok {
		return Rule{}, errors.New("no '='; write kind=value, such as 5xx=0.1 or latency=300ms")
	}
	var r Rule
	switch kind := strings.ToLower(strings.TrimSpace(name)); kind {
	case "latency", "timeout", "429", "5xx", "reset", "truncate":
		r.Kind = Kind(kind)
	case "500", "502", "503":
		r.Kind = ServerError
		r.Status, _ = strconv.Atoi(kind)
	default:
		return Rule{}, fmt.Errorf("unknown fault %q: want %s", clip(strings.TrimSpace(name), 20), kindsText)
	}
	p := tokenParser{r: &r}
	for _, tok := range strings.Split(value, ":") {
		if err := p.token(strings.TrimSpace(tok)); err != nil {
			return Rule{}, err
		}
	}
	switch {
	case r.Kind == Latency && !p.delay:
		return Rule{}, errors.New("latency needs a duration, such as latency=300ms")
	case r.Kind != Latency && !p.rate && !p.count:
		return Rule{}, errors.New("say how often: a rate such as 0.1 or 10%, or a count such as 3x")
	}
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// tokenParser fills a rule from its tokens, each sort at most once.
type tokenParser struct {
	r                                          *Rule
	rate, count, delay, method, path, provider bool
}

func (p *tokenParser) token(tok string) error {
	lower := strings.ToLower(tok)
	switch {
	case tok == "":
		return errors.New("empty value; write kind=value, such as 5xx=0.1")
	case strings.ContainsAny(tok, " \t\r\n"):
		return fmt.Errorf("%q: no white space inside a value", clip(tok, 30))
	case lower == "after":
		return p.once(&p.r.After, "after")
	case lower == vaultspay.Provider || lower == vydapay.Provider:
		p.r.Provider = lower
		return p.once(&p.provider, "a provider")
	case isMethod(tok):
		p.r.Method = strings.ToUpper(tok)
		return p.once(&p.method, "a method")
	case strings.HasPrefix(tok, "/"):
		if err := checkPattern(tok); err != nil {
			return err
		}
		p.r.Path = tok
		return p.once(&p.path, "a path")
	case isCount(lower):
		n, err := strconv.Atoi(strings.TrimSuffix(lower, "x"))
		if err != nil || n < 1 || n > 1_000_000_000 {
			return fmt.Errorf("count %q: want 1x to 1000000000x", clip(tok, 20))
		}
		p.r.First = n
		return p.once(&p.count, "a count")
	case isDecimal(strings.TrimSuffix(tok, "%")):
		rate, err := parseRate(tok)
		if err != nil {
			return err
		}
		p.r.Rate = rate
		return p.once(&p.rate, "a rate")
	}
	d, err := time.ParseDuration(tok)
	if err != nil {
		return fmt.Errorf("%q is not a rate (0.1, 10%%), a count (3x), a duration (300ms), a method, a path, a provider or after", clip(tok, 30))
	}
	if d <= 0 {
		return fmt.Errorf("duration %q: must be more than zero", clip(tok, 20))
	}
	p.r.Delay = d
	return p.once(&p.delay, "a duration")
}

// once marks a sort of token as given, refusing a second one.
func (p *tokenParser) once(seen *bool, what string) error {
	if *seen {
		return fmt.Errorf("%s is given twice", what)
	}
	*seen = true
	return nil
}

// parseRate reads 0.05 or 5% as a share in (0, 1].
func parseRate(tok string) (float64, error) {
	pct := strings.HasSuffix(tok, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(tok, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("rate %q: %w", clip(tok, 20), err)
	}
	if pct {
		v /= 100
	}
	switch {
	case v <= 0:
		return 0, fmt.Errorf("rate %q: must be more than zero", clip(tok, 20))
	case v > 1 && !pct && v == float64(int64(v)):
		return 0, fmt.Errorf("rate %q is more than 1; for the first %s requests write %sx", clip(tok, 20), tok, tok)
	case v > 1:
		return 0, fmt.Errorf("rate %q is more than all requests; want 0 to 1 or 0%% to 100%%", clip(tok, 20))
	}
	return v, nil
}

// isDecimal: digits with at most one point, and at least one digit.
func isDecimal(s string) bool {
	digits, points := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// isCount: digits then x.
func isCount(s string) bool {
	n, ok := strings.CutSuffix(s, "x")
	if !ok || n == "" {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isMethod(s string) bool {
	for _, m := range methods() {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}

// Format writes rules in the form Parse reads; Parse(Format(rules))
// gives rules back (a rule with neither rate nor count comes back with
// rate 1, which means the same).
func Format(rules []Rule) string {
	parts := make([]string, 0, len(rules))
	for _, r := range rules {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ",")
}

// String is the rule in the form Parse reads.
func (r Rule) String() string {
	kind := string(r.Kind)
	if r.Kind == ServerError && r.Status != 0 {
		kind = strconv.Itoa(r.Status)
	}
	var toks []string
	if r.First > 0 {
		toks = append(toks, strconv.Itoa(r.First)+"x")
	}
	switch {
	case r.Rate != 0:
		toks = append(toks, strconv.FormatFloat(r.Rate, 'f', -1, 64))
	case r.First == 0 && r.Kind != Latency:
		toks = append(toks, "1")
	}
	if r.Delay > 0 {
		toks = append(toks, r.Delay.String())
	}
	for _, t := range []string{r.Provider, r.Method, r.Path} {
		if t != "" {
			toks = append(toks, t)
		}
	}
	if r.After {
		toks = append(toks, "after")
	}
	return kind + "=" + strings.Join(toks, ":")
}

// clip shortens outside text quoted in an error.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
