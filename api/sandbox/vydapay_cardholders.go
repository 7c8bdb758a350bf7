package sandbox

import (
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api/vydapay"
)

func vyCreateCardholder(c *call) (int, any, *apiError) {
	var in vydapay.CardholderCreate
	if e := decodeBody(c.body, &in); e != nil {
		return 0, nil, e
	}
	if e := checkEmail(in.Email, "email", true); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Name.FirstName, "name.first_name", true); e != nil {
		return 0, nil, e
	}
	if e := checkText(in.Name.LastName, "name.last_name", true); e != nil {
		return 0, nil, e
	}
	if e := checkPhone(in.Phone, "phone"); e != nil {
		return 0, nil, e
	}
	var addr *address
	if a := in.BillingAddress; a != nil {
		var e *apiError
		if addr, e = checkAddress(a.Line1, a.Line2, a.City, a.PostalCode, a.Country, "billing_address"); e != nil {
			return 0, nil, e
		}
	}
	if e := checkMetadata(in.Metadata, "metadata"); e != nil {
		return 0, nil, e
	}
	iss := c.iss
	now := iss.now()
	u := &user{
		id: iss.newID("ch_", iss.userTaken), first: in.Name.FirstName, last: in.Name.LastName, email: in.Email,
		phone: in.Phone, addr: addr, kyc: "verified", metadata: metadataOf(in.Metadata), created: now, updated: now,
	}
	iss.users.add(u)
	return http.StatusCreated, vyCardholder(u), nil
}

func vyListCardholders(c *call) (int, any, *apiError) {
	email := c.q.get("email")
	match := func(u *user) bool { return email == "" || strings.EqualFold(u.email, email) }
	return vyList(c, "/v1/cardholders", c.iss.users.order, c.iss.users.get, match, vyCardholder)
}

func vyGetCardholder(c *call) (int, any, *apiError) {
	u, e := c.user(c.param("id"), "id")
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, vyCardholder(u), nil
}
