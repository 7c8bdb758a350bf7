package backend

import (
	"strconv"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api"
)

// Cache and flight keys: the method and its exact arguments, each quoted so
// that no two argument lists read the same.

func keyOf(method string, args ...string) string {
	var sb strings.Builder
	sb.WriteString(method)
	for _, a := range args {
		sb.WriteByte(' ')
		sb.WriteString(strconv.Quote(a))
	}
	return sb.String()
}

func pageArgs(p api.PageParams) []string {
	return []string{strconv.Itoa(p.Limit), p.After, p.Before}
}

func userListKey(f api.UserFilter) string {
	return keyOf("ListUsers", append([]string{f.Query, f.Email, f.Phone}, pageArgs(f.Page)...)...)
}

func cardListKey(f api.CardFilter) string {
	return keyOf("ListCards", append([]string{f.UserID, string(f.Status), string(f.Type), f.LastFour}, pageArgs(f.Page)...)...)
}

func txListKey(f api.TxFilter) string {
	args := []string{f.CardID, f.UserID, f.AccountID, string(f.Status), string(f.Type),
		optInt(f.MinAmount), optInt(f.MaxAmount), stamp(f.CreatedAfter), stamp(f.CreatedBefore)}
	return keyOf("ListTransactions", append(args, pageArgs(f.Page)...)...)
}

func optInt(p *int64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatInt(*p, 10)
}

// stamp names an instant whatever its location or year.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return strconv.FormatInt(t.Unix(), 10) + "." + strconv.Itoa(t.Nanosecond())
}
