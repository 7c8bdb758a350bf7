package bench

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
)

// callCustomer is a customer the scripted agent looks up: one with a
// single card, active, so that the card they open is the one frozen.
type callCustomer struct {
	user api.User
	card api.Card
}

// pickCallCustomers finds up to n customers with one card, active, and an
// email to search by: the whole card list, and the users' list.
func pickCallCustomers(ctx context.Context, c api.Client, n int) ([]callCustomer, error) {
	cards := map[string][]api.Card{}
	for card, err := range api.Cards(ctx, c, api.CardFilter{Page: api.PageParams{Limit: api.MaxPageSize}}) {
		if err != nil {
			return nil, fmt.Errorf("pick customers: %w", err)
		}
		cards[card.UserID] = append(cards[card.UserID], card)
	}
	var out []callCustomer
	for u, err := range api.Users(ctx, c, api.UserFilter{Page: api.PageParams{Limit: api.MaxPageSize}}) {
		if err != nil {
			return nil, fmt.Errorf("pick customers: %w", err)
		}
		if cs := cards[u.ID]; len(cs) == 1 && cs[0].Status == api.CardActive && u.Email != "" && cs[0].LastFour != "" {
			out = append(out, callCustomer{user: u, card: cs[0]})
		}
		if len(out) == n {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New("pick customers: the sandbox has no customer with one active card and an email")
	}
	return out, nil
}

// callScript is one customer call: find the customer, open them, open
// their card, freeze it, unfreeze it, and back to the Users list.
func callScript(c callCustomer) []scriptStep {
	u, number := c.user, "•••• "+c.card.LastFour
	row := []string{runePrefix(u.Name(), 12), runePrefix(u.Email, 18)}
	users := func(s *Screen) bool { return usersLoaded(s) && s.Contains("/ to filter") }
	found := func(s *Screen) bool {
		return s.Contains("filter "+u.Email) && s.hasRow(row...) && !s.loading() && !s.Contains("Since")
	}
	customer := func(s *Screen) bool {
		return s.Contains(u.ID) && s.Contains("Since") && s.Contains(number) && !s.loading() && !s.Contains("Controls")
	}
	// An action's outcome is the footer's flash: done, or not, in words.
	outcome := func(done string) func(*Screen) bool {
		return func(s *Screen) bool {
			return s.Contains("Card "+number+" "+done) || s.Contains("Card "+number+" not")
		}
	}
	return []scriptStep{
		{"1", "the Users list", users},
		{"/" + u.Email + "\r", "the search for " + u.Email, found},
		{"\r", "the customer " + u.Name(), customer},
		{"\r", "the card " + number, func(s *Screen) bool {
			return s.Contains("Card "+number) && s.Contains("Transactions") && s.Contains("Controls") && !s.loading()
		}},
		{"f", "the freeze dialog", func(s *Screen) bool { return s.Contains("Freeze card " + number + "?") }},
		{"y", "the card frozen", outcome("frozen")},
		{"u", "the unfreeze dialog", func(s *Screen) bool { return s.Contains("Unfreeze card " + number + "?") }},
		{"y", "the card unfrozen", outcome("unfrozen")},
		{"\x1b", "the customer again", customer},
		{"\x1b", "the search results again", found},
		{"\x1b", "the unfiltered Users list", users},
	}
}

// customerCall runs one call and returns each step's latency: from its
// keys to the screen showing what they lead to. An action that was not
// done ends the call with what the footer said.
func customerCall(ctx context.Context, t *sshSession, c callCustomer) ([]time.Duration, error) {
	var took []time.Duration
	for _, st := range callScript(c) {
		start := time.Now()
		if err := t.press(st.keys); err != nil {
			return took, err
		}
		step, cancel := context.WithTimeout(ctx, stepWait)
		err := t.Await(step, st.what, st.shown)
		cancel()
		if err != nil {
			return took, err
		}
		took = append(took, time.Since(start))
		if t.shows(func(s *Screen) bool { return s.Contains("Card •••• " + c.card.LastFour + " not") }) {
			return took, fmt.Errorf("%s: the action was not done; the screen shows:\n%s", st.what, t.ScreenText())
		}
	}
	return took, nil
}

var (
	liveRow = regexp.MustCompile(`^\d\d:\d\d:\d\d `)
	// liveCard is a row's card shown; liveNoCard, one not known yet.
	liveCard    = regexp.MustCompile(`•••• \d{4}`)
	liveNoCard  = regexp.MustCompile(`lookup…|queued|not found|failed|•••• …`)
	headerLeft  = regexp.MustCompile(`rl (\d+)/\d+`)
	sampleEvery = time.Second
)

// sampleLive reads the Live agent's screen every second until until: the
// fewest requests the header shows left, and from from on, the rows of
// events with a card and those that show it.
func sampleLive(ctx context.Context, t *sshSession, from, until time.Time, run *budgetResult) error {
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			if !now.Before(until) {
				return nil
			}
			text := t.ScreenText()
			lines := strings.Split(text, "\n")
			if m := headerLeft.FindStringSubmatch(lines[0]); m != nil {
				if left, err := strconv.Atoi(m[1]); err == nil && (run.leastLeft < 0 || left < run.leastLeft) {
					run.leastLeft = left
				}
			}
			if !t.shows(liveShown) {
				return fmt.Errorf("the Live agent's screen left Live:\n%s", text)
			}
			if now.Before(from) {
				continue
			}
			run.samples++
			// A row of an event without a card (an account's) has none to
			// show.
			for _, l := range lines {
				switch {
				case !liveRow.MatchString(l):
				case liveCard.MatchString(l):
					run.rows++
					run.shown++
				case liveNoCard.MatchString(l):
					run.rows++
				}
			}
		}
	}
}
