package sandbox

import (
	"net/http"
	"strings"
	"time"

	"github.com/carddesk/carddesk/api/vaultspay"
)

func vpAddressIn(a *vaultspay.Address, param string) (*address, *apiError) {
	if a == nil {
		return nil, nil
	}
	return checkAddress(a.Line1, a.Line2, a.City, a.PostalCode, a.Country, param)
}

// checkBirthDate accepts YYYY-MM-DD from 1900 until today.
func checkBirthDate(s string, now time.Time) *apiError {
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 1900 || d.After(now) {
		return errInvalid(codeParamInvalid, "date_of_birth", "Invalid date_of_birth: want a past date as YYYY-MM-DD.")
	}
	return nil
}

func vpCreateUser(c *call) (int, any, *apiError) {
	var in vaultspay.UserCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	for _, f := range []struct{ v, name string }{{in.FirstName, "first_name"}, {in.LastName, "last_name"}} {
		if e := checkText(f.v, f.name, true); e != nil {
			return 0, nil, e
		}
	}
	if e := checkEmail(in.Email, "email", true); e != nil {
		return 0, nil, e
	}
	if e := checkPhone(in.Phone, "phone"); e != nil {
		return 0, nil, e
	}
	iss := c.iss
	now := iss.now()
	if e := checkBirthDate(in.DateOfBirth, now); e != nil {
		return 0, nil, e
	}
	addr, e := vpAddressIn(in.Address, "address")
	if e != nil {
		return 0, nil, e
	}
	if e := checkMetadata(in.Metadata, "metadata"); e != nil {
		return 0, nil, e
	}
	u := &user{
		id: iss.newID("usr_", iss.userTaken), first: in.FirstName, last: in.LastName, email: in.Email,
		phone: in.Phone, dob: in.DateOfBirth, addr: addr, kyc: "not_started", metadata: metadataOf(in.Metadata),
		created: now, updated: now,
	}
	iss.users.add(u)
	out := vpUser(u)
	iss.emit(vaultspay.EventUserCreated, out)
	return http.StatusCreated, out, nil
}

// userMatches is the free-text search: id, email, names and phone digits.
func userMatches(u *user, q string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	full := strings.ToLower(u.first + " " + u.last)
	if strings.Contains(strings.ToLower(u.email), q) || strings.Contains(full, q) || strings.Contains(strings.ToLower(u.id), q) {
		return true
	}
	digits := strings.TrimPrefix(strings.ReplaceAll(q, " ", ""), "+")
	return len(digits) >= 3 && allDigits(digits) && strings.Contains(u.phone, digits)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func vpListUsers(c *call) (int, any, *apiError) {
	q := c.q
	kyc, e := q.enum("kyc_status", "not_started", "pending", "verified", "rejected")
	if e != nil {
		return 0, nil, e
	}
	text, email, phone := q.get("query"), q.get("email"), q.get("phone")
	if len(text) > maxText {
		return 0, nil, errInvalid(codeParamInvalid, "query", "Invalid query: at most %d characters.", maxText)
	}
	// A "+" left unencoded in a query string arrives as a space.
	phone = strings.TrimSpace(phone)
	if phone != "" && !strings.HasPrefix(phone, "+") {
		phone = "+" + phone
	}
	match := func(u *user) bool {
		return !u.deleted && (kyc == "" || u.kyc == kyc) &&
			(email == "" || strings.EqualFold(u.email, email)) &&
			(phone == "" || u.phone == phone) && userMatches(u, text)
	}
	return vpList(c, c.iss.users.order, c.iss.users.get, match, vpUser)
}

func vpGetUser(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vpUser(u), nil
}

func vpUpdateUser(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in vaultspay.UserUpdate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	for _, f := range []struct {
		v    *string
		name string
	}{{in.FirstName, "first_name"}, {in.LastName, "last_name"}} {
		if f.v != nil {
			if e := checkText(*f.v, f.name, true); e != nil {
				return 0, nil, e
			}
		}
	}
	if in.Email != nil {
		if e := checkEmail(*in.Email, "email", true); e != nil {
			return 0, nil, e
		}
	}
	if in.Phone != nil {
		if e := checkPhone(*in.Phone, "phone"); e != nil {
			return 0, nil, e
		}
	}
	addr, e := vpAddressIn(in.Address, "address")
	if e != nil {
		return 0, nil, e
	}
	if e := checkMetadata(in.Metadata, "metadata"); e != nil {
		return 0, nil, e
	}
	meta, e := mergeMetadata(u.metadata, in.Metadata, "metadata")
	if e != nil {
		return 0, nil, e
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&u.first, in.FirstName)
	set(&u.last, in.LastName)
	set(&u.email, in.Email)
	set(&u.phone, in.Phone)
	if addr != nil {
		u.addr = addr
	}
	u.metadata = meta
	u.updated = c.iss.now()
	out := vpUser(u)
	c.iss.emit(vaultspay.EventUserUpdated, out)
	return http.StatusOK, out, nil
}

func vpDeleteUser(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	var in struct{}
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	n := 0
	for _, cd := range c.iss.cards.order {
		if cd.userID == u.id && cd.status != "terminated" {
			n++
		}
	}
	if n > 0 {
		return 0, nil, errConflict(typeInvalid, codeUserHasCards,
			"User %s has %d card(s) that are not terminated; terminate them before deleting the user.", u.id, n)
	}
	u.deleted = true
	u.updated = c.iss.now()
	c.iss.emit(vaultspay.EventUserDeleted, vpUser(u))
	return http.StatusOK, vaultspay.Deleted{ID: u.id, Object: "user", Deleted: true}, nil
}
