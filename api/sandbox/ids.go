package sandbox

import (
	"math/rand/v2"
	"strconv"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID is prefix followed by n characters drawn from r.
func randomID(r *rand.Rand, prefix string, n int) string {
	b := make([]byte, len(prefix)+n)
	copy(b, prefix)
	for i := len(prefix); i < len(b); i++ {
		b[i] = idAlphabet[r.IntN(len(idAlphabet))]
	}
	return string(b)
}

// luhnDigit is the check digit that makes digits+check Luhn-valid.
func luhnDigit(digits string) byte {
	sum := 0
	double := true // the digit left of the check digit is doubled
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// luhnValid reports whether a card number passes the Luhn check.
func luhnValid(number string) bool {
	if len(number) < 2 {
		return false
	}
	return luhnDigit(number[:len(number)-1]) == number[len(number)-1]
}

// cardNumber draws a 16-digit Luhn-valid number under a brand's sandbox BIN.
func cardNumber(r *rand.Rand, brand string) string {
	bin := "453978" // visa
	if brand == "mastercard" {
		bin = []string{"532610", "545720", "222300"}[r.IntN(3)]
	}
	b := []byte(bin)
	for len(b) < 15 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(append(b, luhnDigit(string(b))))
}

// iban builds a valid UAE IBAN (AE, 2 check digits, 3-digit bank code,
// 16-digit account number) for the sandbox bank.
func iban(r *rand.Rand) string {
	bban := make([]byte, 0, 19)
	bban = append(bban, "086"...) // the sandbox bank's code
	for len(bban) < 19 {
		bban = append(bban, byte('0'+r.IntN(10)))
	}
	// ISO 13616: move the country and "00" to the end, letters as numbers, mod 97.
	num := string(bban) + "1014" + "00" // A=10, E=14
	rem := 0
	for _, c := range num {
		rem = (rem*10 + int(c-'0')) % 97
	}
	check := 98 - rem
	cs := strconv.Itoa(check)
	if check < 10 {
		cs = "0" + cs
	}
	return "AE" + cs + string(bban)
}

// ibanValid checks an IBAN's mod-97 checksum.
func ibanValid(s string) bool {
	if len(s) < 5 {
		return false
	}
	re := s[4:] + s[:4]
	rem := 0
	for _, c := range re {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}
