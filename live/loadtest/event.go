package loadtest

import (
	"strconv"
	"strings"
	"time"
)

// merchant is one row of the load's merchant mix.
type merchant struct {
	id, name, category, mcc, city, country, currency string
	amount                                           int64
}

var merchantMix = [...]merchant{
	{"mer_7f3a21", "Carrefour City Centre Deira", "grocery_stores_supermarkets", "5411", "Dubai", "AE", "aed", 18450},
	{"mer_91bc04", "Pret A Manger Kings Cross", "eating_places_restaurants", "5812", "London", "GB", "gbp", 865},
	{"mer_2d9e77", "Emirates Airline", "airlines_air_carriers", "4511", "Dubai", "AE", "aed", 412500},
	{"mer_5a10c3", "Amazon EU S.a.r.l.", "catalog_merchants", "5964", "Luxembourg", "LU", "eur", 4999},
	{"mer_c4e812", "Uber BV", "taxicabs_limousines", "4121", "Amsterdam", "NL", "eur", 1720},
	{"mer_0b66f9", "ENOC Service Station 1021", "service_stations", "5541", "Sharjah", "AE", "aed", 21000},
	{"mer_e83d5a", "Apple.com/bill", "digital_goods_media", "5815", "Cork", "IE", "usd", 299},
	{"mer_44f0b2", "Tesco Express Shoreditch", "grocery_stores_supermarkets", "5411", "London", "GB", "gbp", 1435},
}

// eventMaker writes realistic Vydapay transaction.created webhooks whose
// ids carry the run and the event's number, padded to about size bytes.
type eventMaker struct {
	prefix  string // "evt_<run>_"
	size    int
	created string
}

func newEventMaker(run string, size int, now time.Time) *eventMaker {
	return &eventMaker{prefix: "evt_" + run + "_", size: size, created: now.UTC().Format(time.RFC3339)}
}

// number reads n back from an event id of this run.
func (m *eventMaker) number(id string) (int64, bool) {
	rest, ok := strings.CutPrefix(id, m.prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n >= 0
}

// body appends event n's JSON body to b.
func (m *eventMaker) body(b []byte, n int64) []byte {
	mer := &merchantMix[n%int64(len(merchantMix))]
	num := strconv.FormatInt(n, 36)
	start := len(b)
	b = append(b, `{"id":"`...)
	b = append(b, m.prefix...)
	b = strconv.AppendInt(b, n, 10)
	b = append(b, `","object":"event","type":"transaction.created","api_version":"2024-06-01","created_at":"`...)
	b = append(b, m.created...)
	b = append(b, `","livemode":false,"pending_webhooks":1,"request":{"id":"req_load`...)
	b = append(b, num...)
	b = append(b, `","idempotency_key":"auth-`...)
	b = append(b, num...)
	b = append(b, `"},"data":{"object":{"id":"txn_load`...)
	b = append(b, num...)
	b = append(b, `","object":"transaction","amount":`...)
	b = strconv.AppendInt(b, mer.amount+n%97, 10)
	b = append(b, `,"currency":"`...)
	b = append(b, mer.currency...)
	b = append(b, `","status":"pending","type":"purchase","card_id":"card_load`...)
	b = strconv.AppendInt(b, n%5000, 36)
	b = append(b, `","cardholder_id":"ich_load`...)
	b = strconv.AppendInt(b, n%1200, 36)
	b = append(b, `","merchant":{"id":"`...)
	b = append(b, mer.id...)
	b = append(b, `","name":"`...)
	b = append(b, mer.name...)
	b = append(b, `","category":"`...)
	b = append(b, mer.category...)
	b = append(b, `","category_code":"`...)
	b = append(b, mer.mcc...)
	b = append(b, `","city":"`...)
	b = append(b, mer.city...)
	b = append(b, `","country":"`...)
	b = append(b, mer.country...)
	b = append(b, `"},"receipt":null,"authorization_method":"online","wallet":null,`...)
	b = append(b, `"verification_data":{"cvc_check":"match","expiry_check":"match","address_postal_code_check":"not_provided","three_d_secure":{"result":"authenticated"}},`...)
	b = append(b, `"network_data":{"acquiring_institution_id":"451239","transaction_id":"`...)
	b = strconv.AppendInt(b, 7_000_000_000+n, 10)
	b = append(b, `"},"created_at":"`...)
	b = append(b, m.created...)
	b = append(b, `","metadata":{"source":"carddesk-bench","note":"`...)
	// Pad the note so the whole body is about m.size bytes.
	const tail = `"}}}}`
	for pad := m.size - (len(b) - start) - len(tail); pad > 0; pad-- {
		b = append(b, 'a'+byte(pad%26))
	}
	return append(b, tail...)
}
