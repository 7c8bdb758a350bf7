package sandbox

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// The seeded book. Every draw comes from the issuer's generator, and no
// number of draws depends on the clock, so that the same seed gives the
// same people, accounts, cards and transactions whenever it runs (the
// times move with the clock).

// Book sizes per provider.
const (
	bookUsers        = 240
	bookMinCards     = 440
	bookTransactions = 11_500
	bookTransfers    = 900
	bookHistory      = 90 * 24 * time.Hour
	// programFunding is the Vydapay program balance the book starts with.
	programFunding = 250_000_000
)

// seedBook fills an empty issuer. Called once, before the issuer is shared.
func (iss *issuer) seedBook(now time.Time) {
	r := iss.rng
	b := &bookBuilder{iss: iss, r: r, now: now}
	b.people()
	if iss.vaultspay() {
		b.accountsFor()
	}
	b.cardsFor()
	b.history()
	b.finish()
}

type bookBuilder struct {
	iss   *issuer
	r     *rand.Rand
	now   time.Time
	users []*user
	homes map[string]string // user id → country
	accts []*account
	byUsr map[string][]*account // active accounts per user, in creation order
	cards []*card
	txs   []*tx
}

// ago is now minus a random span between lo and hi.
func (b *bookBuilder) ago(lo, hi time.Duration) time.Time {
	return b.now.Add(-lo - time.Duration(b.r.Int64N(int64(hi-lo)+1))).Truncate(time.Second)
}

// between draws a time in [from, to].
func (b *bookBuilder) between(from, to time.Time) time.Time {
	if !to.After(from) {
		b.r.Int64() // keep the number of draws the same
		return from
	}
	return from.Add(time.Duration(b.r.Int64N(int64(to.Sub(from)) + 1))).Truncate(time.Second)
}

func weighted[T any](r *rand.Rand, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		n -= w
		if n < 0 {
			return items[i]
		}
	}
	return items[len(items)-1]
}

// asciiFold lowers a name into the letters an email address would use.
func asciiFold(s string) string {
	var sb strings.Builder
	for _, c := range strings.ToLower(s) {
		switch c {
		case 'é', 'è', 'ê', 'ë':
			c = 'e'
		case 'á', 'à', 'â', 'ä':
			c = 'a'
		case 'í', 'ì', 'î', 'ï':
			c = 'i'
		case 'ó', 'ò', 'ô', 'ö':
			c = 'o'
		case 'ú', 'ù', 'û', 'ü':
			c = 'u'
		case 'ñ':
			c = 'n'
		case 'ç':
			c = 'c'
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			sb.WriteRune(c)
		}
	}
	return sb.String()
}

func (b *bookBuilder) people() {
	r := b.r
	firsts, lasts, domains, streets, ps := firstNames(), lastNames(), emailDomains(), streetNames(), places()
	countryWeights := []int{30, 25, 8, 8, 5, 5, 5, 8, 6}
	if !b.iss.vaultspay() {
		countryWeights = []int{4, 45, 10, 10, 6, 6, 6, 12, 1}
	}
	b.homes = map[string]string{}
	emails := map[string]bool{}
	prefix := "usr_"
	if !b.iss.vaultspay() {
		prefix = "ch_"
	}
	for range bookUsers {
		p := weighted(r, ps, countryWeights)
		u := &user{first: pick(r, firsts), last: pick(r, lasts)}
		u.id = b.iss.newID(prefix, b.iss.userTaken)
		local := asciiFold(u.first) + "." + asciiFold(u.last)
		domain := pick(r, domains)
		n := r.IntN(100)
		email := local + "@" + domain
		if emails[email] || n < 30 {
			email = fmt.Sprintf("%s%d@%s", local, n+1, domain)
		}
		for emails[email] {
			n++
			email = fmt.Sprintf("%s%d@%s", local, n+1, domain)
		}
		emails[email] = true
		u.email = email
		u.phone = phoneFor(r, p.country)
		hasAddress := r.IntN(100) < 88
		addr := &address{
			line1:   fmt.Sprintf("%d %s", 1+r.IntN(240), pick(r, streets)),
			city:    pick(r, p.cities),
			postal:  postcodeFor(r, p.country),
			country: p.country,
		}
		if r.IntN(100) < 20 {
			addr.line2 = fmt.Sprintf("Apartment %d", 1+r.IntN(120))
		}
		if hasAddress || b.iss.vaultspay() {
			u.addr = addr
		}
		u.dob = fmt.Sprintf("%04d-%02d-%02d", 1952+r.IntN(53), 1+r.IntN(12), 1+r.IntN(28))
		u.created = b.ago(120*24*time.Hour, 900*24*time.Hour)
		u.updated = b.between(u.created, b.now)
		u.metadata = map[string]string{}
		if r.IntN(100) < 35 {
			u.metadata["crm_id"] = fmt.Sprintf("CRM-%05d", r.IntN(100000))
			u.metadata["segment"] = pick(r, []string{"retail", "premium", "business", "student"})
		}
		u.kyc = "verified"
		if b.iss.vaultspay() {
			u.kyc = weighted(r, []string{"verified", "pending", "not_started", "rejected"}, []int{80, 9, 6, 5})
			if u.kyc != "not_started" {
				u.kycUpdated = b.between(u.created, u.updated)
				k := &kycSession{
					id: b.iss.newID("kyc_", func(id string) bool { return b.iss.sessions[id] != nil }), userID: u.id,
					status: u.kyc, created: u.kycUpdated.Add(-time.Duration(r.IntN(3*86400)) * time.Second), updated: u.kycUpdated,
				}
				if k.created.Before(u.created) {
					k.created = u.created
				}
				b.iss.sessions[k.id] = k
				u.kycSession = k.id
			}
		}
		b.homes[u.id] = p.country
		b.users = append(b.users, u)
	}
}

// homeCurrency is the currency a person of a country banks in.
func homeCurrency(country string, vaultspay bool) string {
	switch country {
	case "AE":
		if vaultspay {
			return "AED"
		}
		return "USD"
	case "GB":
		return "GBP"
	case "US":
		return "USD"
	case "BH":
		if vaultspay {
			return "BHD"
		}
		return "USD"
	}
	return "EUR"
}

func (b *bookBuilder) accountsFor() {
	r := b.r
	b.byUsr = map[string][]*account{}
	for _, u := range b.users {
		if u.kyc != "verified" && (u.kyc != "pending" || r.IntN(2) == 0) {
			continue
		}
		currencies := []string{homeCurrency(b.homes[u.id], true)}
		for _, extra := range []string{"AED", "GBP", "EUR", "USD", "JPY", "BHD"} {
			odds := 18
			switch extra {
			case "JPY":
				odds = 4
			case "BHD":
				odds = 3
			}
			if r.IntN(100) < odds && !contains(currencies, extra) {
				currencies = append(currencies, extra)
			}
		}
		for i, cur := range currencies {
			a := &account{
				id: b.iss.newID("acc_", b.iss.accountTaken), userID: u.id, currency: cur, status: "active",
				iban: iban(r),
			}
			a.created = b.between(u.created, u.created.Add(30*24*time.Hour))
			if a.created.After(b.now) {
				a.created = b.now
			}
			a.updated = a.created
			if i == 0 {
				a.nickname = "Main"
			} else if r.IntN(2) == 0 {
				a.nickname = pick(r, []string{"Travel", "Savings", "Business", "Holidays", "Bills"})
			}
			// Balances: most comfortable, some nearly empty.
			usd := math.Exp(math.Log(50) + r.Float64()*(math.Log(40000)-math.Log(50)))
			if r.IntN(100) < 8 {
				usd = r.Float64() * 40
			}
			a.available = fromUSD(usd, cur)
			if i > 0 && r.IntN(100) < 4 {
				a.status, a.available = "closed", 0
			}
			b.accts = append(b.accts, a)
			b.iss.accounts.byID[a.id] = a
			if a.status == "active" {
				b.byUsr[u.id] = append(b.byUsr[u.id], a)
			}
		}
	}
}
