package api

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in a currency's minor units (fils, pence, cents; yen
// have none, Bahraini dinar have thousandths), as both providers send it.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Exponent is the number of minor-unit digits of an ISO 4217 currency code
// (AED 2, JPY 0, BHD 3). An unknown code reports 2 and false.
func Exponent(code string) (int, bool) {
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 2, false
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale, true
}

// String renders the amount in major units with the currency's own exponent:
// "AED 10.50", "JPY 1050", "BHD 1.050", "GBP -3.20".
func (m Money) String() string {
	code := strings.ToUpper(m.Currency)
	return code + " " + m.Decimal()
}

// Decimal renders the amount alone, in major units with the currency's exponent.
func (m Money) Decimal() string {
	exp, _ := Exponent(m.Currency)
	neg := m.Amount < 0
	// Work on the magnitude as unsigned so that math.MinInt64 does not overflow.
	mag := uint64(m.Amount)
	if neg {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	if exp > 0 {
		if len(digits) <= exp {
			digits = strings.Repeat("0", exp-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// ParseMoney reads a decimal amount in major units ("10.50") for a currency
// into minor units. It refuses more fractional digits than the currency has.
func ParseMoney(s, code string) (Money, error) {
	exp, ok := Exponent(code)
	if !ok {
		return Money{}, fmt.Errorf("parse amount %q: unknown currency %q", s, code)
	}
	raw := strings.TrimSpace(s)
	neg := strings.HasPrefix(raw, "-")
	raw = strings.TrimPrefix(raw, "-")
	whole, frac, hasFrac := strings.Cut(raw, ".")
	if whole == "" && frac == "" || hasFrac && frac == "" {
		return Money{}, fmt.Errorf("parse amount %q: not a decimal number", s)
	}
	if len(frac) > exp {
		return Money{}, fmt.Errorf("parse amount %q: %s has %d decimal places", s, strings.ToUpper(code), exp)
	}
	frac += strings.Repeat("0", exp-len(frac))
	if whole == "" {
		whole = "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || strings.ContainsAny(whole+frac, "+-") {
		return Money{}, fmt.Errorf("parse amount %q: not a decimal number", s)
	}
	if neg {
		n = -n
	}
	return Money{Amount: n, Currency: strings.ToUpper(code)}, nil
}
