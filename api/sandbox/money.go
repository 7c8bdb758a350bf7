package sandbox

import (
	"math"
	"math/rand/v2"

	"github.com/carddesk/carddesk/api"
)

// Currencies each provider's issuer holds.
func vaultspayCurrencies() []string { return []string{"AED", "GBP", "EUR", "USD", "BHD", "JPY"} }
func vydapayCurrencies() []string   { return []string{"GBP", "EUR", "USD"} }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// perUSD is how many major units of cur one US dollar buys (fixed rates;
// the sandbox has no FX market).
func perUSD(cur string) float64 {
	switch cur {
	case "AED":
		return 3.6725
	case "GBP":
		return 0.79
	case "EUR":
		return 0.92
	case "BHD":
		return 0.376
	case "JPY":
		return 150
	}
	return 1
}

func pow10(n int) float64 { return math.Pow(10, float64(n)) }

// fromUSD converts a dollar amount into minor units of cur, rounded the
// way prices in cur are (whole yen, 5 fils).
func fromUSD(usd float64, cur string) int64 {
	exp, _ := api.Exponent(cur)
	minor := usd * perUSD(cur) * pow10(exp)
	switch cur {
	case "BHD":
		return max(int64(math.Round(minor/5))*5, 5)
	default:
		return max(int64(math.Round(minor)), 1)
	}
}

// toUSD converts minor units of cur into dollars.
func toUSD(minor int64, cur string) float64 {
	exp, _ := api.Exponent(cur)
	return float64(minor) / pow10(exp) / perUSD(cur)
}

// convert converts minor units between currencies at the fixed rates.
func convert(minor int64, from, to string) int64 {
	if from == to {
		return minor
	}
	exp, _ := api.Exponent(to)
	return int64(math.Round(toUSD(minor, from) * perUSD(to) * pow10(exp)))
}

// categoryRange is the usual spend at a category, in dollars.
func categoryRange(c string) (lo, hi float64) {
	switch c {
	case "groceries":
		return 6, 180
	case "restaurants":
		return 8, 160
	case "fuel":
		return 25, 120
	case "airlines":
		return 90, 1600
	case "hotels":
		return 80, 1100
	case "car_rental":
		return 45, 700
	case "office_supplies":
		return 8, 350
	case "software_services":
		return 5, 400
	case "advertising":
		return 40, 2500
	case "gambling":
		return 10, 900
	case "atm":
		return 20, 500
	case "adult_entertainment":
		return 8, 150
	}
	return 5, 100
}

// sampleAmount draws a realistic amount at m in minor units of cur:
// log-uniform over the category's range, ATM withdrawals in round notes.
func sampleAmount(r *rand.Rand, m Merchant, cur string) int64 {
	lo, hi := categoryRange(m.Category)
	usd := math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo)))
	if m.Category != "atm" {
		return fromUSD(usd, cur)
	}
	exp, _ := api.Exponent(cur)
	note := 20 * pow10(exp)
	if cur == "JPY" {
		note = 1000
	}
	major := math.Round(usd*perUSD(cur)*pow10(exp)/note) * note
	return max(int64(major), int64(note))
}

// sampleMerchant draws a merchant, categories weighted by how often cards
// are used there.
func sampleMerchant(r *rand.Rand, merchants []Merchant) Merchant {
	total := 0
	for _, m := range merchants {
		total += categoryWeight(m.Category)
	}
	n := r.IntN(total)
	for _, m := range merchants {
		n -= categoryWeight(m.Category)
		if n < 0 {
			return m
		}
	}
	return merchants[len(merchants)-1]
}
