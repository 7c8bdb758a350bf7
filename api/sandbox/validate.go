package sandbox

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
)

// Field checks shared by both faces. Each names the parameter it refuses.

const (
	maxMetadataKeys  = 20
	maxMetadataKey   = 40
	maxMetadataValue = 500
	maxText          = 200
)

func checkText(s, param string, required bool) *apiError {
	switch {
	case required && strings.TrimSpace(s) == "":
		return errMissing(param)
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxText:
		return errInvalid(codeParamInvalid, param, "Invalid %s: must be valid text of at most %d characters.", param, maxText)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return errInvalid(codeParamInvalid, param, "Invalid %s: must not contain control characters.", param)
	}
	return nil
}

func checkEmail(s, param string, required bool) *apiError {
	if s == "" {
		if required {
			return errMissing(param)
		}
		return nil
	}
	a, err := mail.ParseAddress(s)
	_, domain, _ := strings.Cut(s, "@")
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(domain, ".") || a.Name != "" {
		return errInvalid(codeParamInvalid, param, "Invalid %s: %q is not an email address.", param, clip(s, 80))
	}
	return nil
}

// checkPhone accepts E.164: a plus, then 7 to 15 digits, not starting 0.
func checkPhone(s, param string) *apiError {
	if s == "" {
		return nil
	}
	ok := len(s) >= 8 && len(s) <= 16 && s[0] == '+' && s[1] != '0'
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			ok = false
		}
	}
	if !ok {
		return errInvalid(codeParamInvalid, param, "Invalid %s: want E.164, such as +447700900123.", param)
	}
	return nil
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// checkAddress validates and converts an address given in either
// provider's shape.
func checkAddress(line1, line2, city, postal, country, param string) (*address, *apiError) {
	for _, f := range []struct {
		v, name  string
		required bool
	}{{line1, "line1", true}, {line2, "line2", false}, {city, "city", true}, {postal, "postal_code", false}, {country, "country", true}} {
		if e := checkText(f.v, param+"."+f.name, f.required); e != nil {
			return nil, e
		}
	}
	if !isCountry(country) {
		return nil, errInvalid(codeParamInvalid, param+".country", "Invalid %s.country: want an ISO 3166-1 alpha-2 code such as GB.", param)
	}
	return &address{line1: line1, line2: line2, city: city, postal: postal, country: country}, nil
}

// checkMetadata caps metadata at 20 keys of 40 characters and values of
// 500; with forPatch an empty value (a removal) is allowed.
func checkMetadata(m map[string]string, param string) *apiError {
	if len(m) > maxMetadataKeys {
		return errInvalid(codeParamInvalid, param, "Invalid %s: at most %d keys.", param, maxMetadataKeys)
	}
	for k, v := range m {
		if k == "" || utf8.RuneCountInString(k) > maxMetadataKey || !utf8.ValidString(k) {
			return errInvalid(codeParamInvalid, param, "Invalid %s: keys must be 1 to %d characters.", param, maxMetadataKey)
		}
		if utf8.RuneCountInString(v) > maxMetadataValue || !utf8.ValidString(v) {
			return errInvalid(codeParamInvalid, param+"."+clip(k, 40), "Invalid %s.%s: values must be at most %d characters.", param, clip(k, 40), maxMetadataValue)
		}
	}
	return nil
}

// mergeMetadata applies a PATCH: keys are set, an empty value removes.
func mergeMetadata(into, patch map[string]string, param string) (map[string]string, *apiError) {
	out := metadataOf(into)
	for k, v := range patch {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	if len(out) > maxMetadataKeys {
		return nil, errInvalid(codeParamInvalid, param, "Invalid %s: a card or user holds at most %d keys.", param, maxMetadataKeys)
	}
	return out, nil
}

func isInterval(s string) bool {
	switch api.Interval(s) {
	case api.PerTransaction, api.Daily, api.Weekly, api.Monthly, api.Yearly, api.AllTime:
		return true
	}
	return false
}

// checkLimit validates a spending limit.
func checkLimit(amount int64, interval string) (*limit, *apiError) {
	if amount <= 0 {
		return nil, errInvalid(codeParamInvalid, "spending_limit.amount", "The spending_limit amount must be a positive integer.")
	}
	if interval == "" {
		return nil, errMissing("spending_limit.interval")
	}
	if !isInterval(interval) {
		return nil, errInvalid(codeParamInvalid, "spending_limit.interval",
			"Invalid spending_limit.interval %q: must be one of per_transaction, daily, weekly, monthly, yearly, all_time.", clip(interval, 40))
	}
	return &limit{amount: amount, interval: api.Interval(interval)}, nil
}

// checkControls validates spending controls given as their five lists.
func checkControls(allowedCat, blockedCat, allowedCountry, blockedCountry, allowedMerchants []string) (controls, *apiError) {
	const p = "spending_controls."
	for _, l := range []struct {
		name string
		vals []string
	}{{"allowed_categories", allowedCat}, {"blocked_categories", blockedCat}} {
		for _, v := range l.vals {
			if !isCategoryName(v) {
				return controls{}, errInvalid(codeParamInvalid, p+l.name,
					"Invalid %s%s: %q is not a category name (lower-case snake_case, such as %s).", p, l.name, clip(v, 40), strings.Join(Categories()[:3], ", "))
			}
		}
	}
	for _, l := range []struct {
		name string
		vals []string
	}{{"allowed_countries", allowedCountry}, {"blocked_countries", blockedCountry}} {
		for _, v := range l.vals {
			if !isCountry(v) {
				return controls{}, errInvalid(codeParamInvalid, p+l.name, "Invalid %s%s: %q is not an ISO 3166-1 alpha-2 country code.", p, l.name, clip(v, 40))
			}
		}
	}
	for _, v := range allowedMerchants {
		if e := checkText(v, p+"allowed_merchants", true); e != nil {
			return controls{}, e
		}
	}
	for _, l := range [][]string{allowedCat, blockedCat, allowedCountry, blockedCountry, allowedMerchants} {
		if len(l) > 100 {
			return controls{}, errInvalid(codeParamInvalid, p[:len(p)-1], "Invalid spending_controls: at most 100 entries per list.")
		}
	}
	return controls{
		allowedCategories: clone(allowedCat), blockedCategories: clone(blockedCat),
		allowedCountries: clone(allowedCountry), blockedCountries: clone(blockedCountry),
		allowedMerchants: clone(allowedMerchants),
	}, nil
}

// clone copies a list, keeping nil for empty.
func clone(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append([]string(nil), s...)
}

// isCategoryName accepts a merchant category name: the documented list is
// of common categories, not all of them (the reference's own example
// allows "travel"), so any lower-case snake_case name of up to 64
// characters is taken; one no merchant has simply never matches.
func isCategoryName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
