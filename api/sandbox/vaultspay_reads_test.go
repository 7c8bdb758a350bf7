package sandbox

import (
	"strings"
	"testing"

	"github.com/carddesk/carddesk/api/vaultspay"
)

func TestVaultsPayReads(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Seed: 22})
	c, _ := clients(t, s)
	acct := s.vp.accounts.order[0]
	var card *card
	for _, cd := range s.vp.cards.order {
		if len(s.vp.cardTx[cd.id]) > 5 {
			card = cd
			break
		}
	}
	u, _ := s.vp.users.get(card.userID)

	var ping vaultspay.Ping
	r := c.do("GET", "/ping", nil, vaultspay.VersionHeader, vaultspay.APIVersion)
	r.decode(t, &ping)
	if !ping.OK || ping.Livemode || r.header.Get(vaultspay.VersionHeader) != vaultspay.APIVersion {
		t.Errorf("ping %s", r.body)
	}

	var bal vaultspay.Balance
	c.do("GET", "/accounts/"+acct.id+"/balance", nil).decode(t, &bal)
	if bal.AccountID != acct.id || bal.Currency != acct.currency {
		t.Errorf("balance %+v", bal)
	}
	var ib vaultspay.IBAN
	c.do("GET", "/accounts/"+acct.id+"/iban", nil).decode(t, &ib)
	if !ibanValid(ib.IBAN) || ib.HolderName == "" || ib.BIC == "" {
		t.Errorf("iban %+v", ib)
	}

	lists := []struct {
		path  string
		check func(vaultspay.List[map[string]any]) bool
	}{
		{"/users?email=" + strings.ToUpper(u.email), func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) == 1 && l.Data[0]["id"] == u.id
		}},
		{"/users?query=" + strings.ToLower(u.last[:3]), func(l vaultspay.List[map[string]any]) bool { return len(l.Data) > 0 }},
		{"/users?phone=" + strings.ReplaceAll(u.phone, "+", "%2B"), func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) >= 1 && l.Data[0]["phone"] == u.phone
		}},
		{"/users?kyc_status=rejected&limit=100", func(l vaultspay.List[map[string]any]) bool {
			for _, d := range l.Data {
				if d["kyc"].(map[string]any)["status"] != "rejected" {
					return false
				}
			}
			return len(l.Data) > 0
		}},
		{"/accounts?user_id=" + u.id + "&status=active", func(l vaultspay.List[map[string]any]) bool {
			for _, d := range l.Data {
				if d["user_id"] != u.id {
					return false
				}
			}
			return len(l.Data) > 0
		}},
		{"/accounts?currency=JPY&limit=100", func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) > 0 && l.Data[0]["currency"] == "JPY"
		}},
		{"/cards?last_four=" + card.lastFour(), func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) >= 1 && l.Data[0]["last_four"] == card.lastFour()
		}},
		{"/cards?user_id=" + u.id + "&type=" + string(card.typ), func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) >= 1
		}},
		{"/cards?status=terminated&limit=100", func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) > 0 && l.Data[0]["termination_reason"] != nil
		}},
		{"/cards/" + card.id + "/transactions?limit=100", func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) == len(s.vp.cardTx[card.id]) && l.Data[0]["card_id"] == card.id
		}},
		{"/cards/" + card.id + "/transactions?status=settled&min_amount=100&max_amount=100000000", func(l vaultspay.List[map[string]any]) bool {
			for _, d := range l.Data {
				if d["status"] != "settled" || d["amount"].(float64) < 100 {
					return false
				}
			}
			return true
		}},
		{"/accounts/" + card.accountID + "/transactions?type=purchase&created_after=2000-01-01T00:00:00Z", func(l vaultspay.List[map[string]any]) bool {
			for _, d := range l.Data {
				if d["type"] != "purchase" || d["account_id"] != card.accountID {
					return false
				}
			}
			return len(l.Data) > 0
		}},
		{"/cards/" + card.id + "/transactions?created_before=2000-01-01", func(l vaultspay.List[map[string]any]) bool {
			return len(l.Data) == 0 && !l.HasMore && l.NextCursor == nil && l.PrevCursor == nil
		}},
	}
	for _, l := range lists {
		r := c.do("GET", l.path, nil)
		var list vaultspay.List[map[string]any]
		r.decode(t, &list)
		if r.status != 200 || list.Object != "list" || list.Data == nil || !l.check(list) {
			t.Errorf("GET %s: %d %.300s", l.path, r.status, r.body)
		}
	}
	// A declined transaction carries its decline.
	r = c.do("GET", "/cards/"+card.id+"/transactions?status=declined&limit=1", nil)
	var txs vaultspay.List[vaultspay.Transaction]
	r.decode(t, &txs)
	for _, tx := range txs.Data {
		if tx.Decline == nil || tx.Decline.Code == "" || tx.Merchant == nil {
			t.Errorf("declined transaction %+v", tx)
		}
	}
}
