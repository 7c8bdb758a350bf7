package tui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api"
)

// CardQuery is a Cards filter: "status:frozen type:virtual user:usr_123 4821".
type CardQuery struct {
	Status   api.CardStatus
	Type     api.CardType
	UserID   string
	LastFour string
}

// Empty reports whether the query filters nothing.
func (q CardQuery) Empty() bool { return q == CardQuery{} }

// String renders the query in the syntax ParseCardQuery reads.
func (q CardQuery) String() string {
	var parts []string
	if q.Status != "" {
		parts = append(parts, "status:"+string(q.Status))
	}
	if q.Type != "" {
		parts = append(parts, "type:"+string(q.Type))
	}
	if q.UserID != "" {
		parts = append(parts, "user:"+q.UserID)
	}
	if q.LastFour != "" {
		parts = append(parts, q.LastFour)
	}
	return strings.Join(parts, " ")
}

// Filter is the query as the API asks it.
func (q CardQuery) Filter() api.CardFilter {
	return api.CardFilter{Status: q.Status, Type: q.Type, UserID: q.UserID, LastFour: q.LastFour}
}

// maxQueryLen caps a filter line.
const maxQueryLen = 256

// ParseCardQuery reads a Cards filter: space-separated terms, each
// status:<inactive|active|frozen|terminated>, type:<virtual|physical>,
// user:<id>, or four digits (the last four). Each may appear once. A bare
// status or type word ("frozen", "virtual") is accepted too.
func ParseCardQuery(s string) (CardQuery, error) {
	var q CardQuery
	if len(s) > maxQueryLen {
		return q, fmt.Errorf("filter is longer than %d bytes", maxQueryLen)
	}
	if !utf8.ValidString(s) {
		return q, errors.New("filter is not valid UTF-8")
	}
	for _, term := range strings.Fields(s) {
		k, v, hasKey := strings.Cut(term, ":")
		if !hasKey {
			k, v = bareTerm(term)
		}
		var err error
		switch strings.ToLower(k) {
		case "status", "s":
			err = setOnce(&q.Status, cardStatus(v), "status", v, "inactive, active, frozen or terminated")
		case "type", "t":
			err = setOnce(&q.Type, cardType(v), "type", v, "virtual or physical")
		case "user", "u":
			err = setOnce(&q.UserID, userID(v), "user", v, "a user id")
		case "last4":
			err = setOnce(&q.LastFour, lastFour(v), "last four", v, "four digits")
		default:
			return CardQuery{}, fmt.Errorf("filter term %q: want status:, type:, user: or four digits", printable(term))
		}
		if err != nil {
			return CardQuery{}, err
		}
	}
	return q, nil
}

// bareTerm reads a term without a key by its shape.
func bareTerm(t string) (k, v string) {
	switch {
	case isLastFour(t):
		return "last4", t
	case cardStatus(t) != "":
		return "status", t
	case cardType(t) != "":
		return "type", t
	}
	return t, ""
}

func setOnce[T ~string](dst *T, val T, name, raw, want string) error {
	if val == "" {
		return fmt.Errorf("filter %s %q: want %s", name, printable(raw), want)
	}
	if *dst != "" {
		return fmt.Errorf("filter %s given twice", name)
	}
	*dst = val
	return nil
}

func cardStatus(v string) api.CardStatus {
	switch strings.ToLower(v) {
	case "inactive":
		return api.CardInactive
	case "active":
		return api.CardActive
	case "frozen":
		return api.CardFrozen
	case "terminated", "cancelled", "canceled":
		return api.CardTerminated
	}
	return ""
}

func cardType(v string) api.CardType {
	switch strings.ToLower(v) {
	case "virtual":
		return api.CardVirtual
	case "physical":
		return api.CardPhysical
	}
	return ""
}

// userID accepts the characters provider ids are made of.
func userID(v string) string {
	if v == "" || len(v) > 64 {
		return ""
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return ""
		}
	}
	return v
}

func lastFour(v string) string {
	if isLastFour(v) {
		return v
	}
	return ""
}

// printable shortens and cleans a term for an error message.
func printable(s string) string {
	s = safe(s)
	if utf8.RuneCountInString(s) > 24 {
		r := []rune(s)
		s = string(r[:24]) + "…"
	}
	return s
}
