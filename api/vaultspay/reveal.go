package vaultspay

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// cardSecrets decodes a reveal answer straight into wipeable bytes; the
// card number and CVC never exist as Go strings.
type cardSecrets struct {
	Object   string     `json:"object"`
	CardID   string     `json:"card_id"`
	Number   api.Secret `json:"number"`
	CVC      api.Secret `json:"cvc"`
	ExpMonth int        `json:"exp_month"`
	ExpYear  int        `json:"exp_year"`
}

func (s *cardSecrets) wipe() {
	clear(s.Number)
	clear(s.CVC)
	s.Number, s.CVC = nil, nil
}

// RevealCard returns the card's full number, CVC and expiry. VaultsPay
// requires a reason, which it records. The caller owns the secrets and must
// Wipe them; no error this returns contains them.
func (c *Client) RevealCard(ctx context.Context, id string, reason string) (*api.CardSecrets, error) {
	if err := checkID("card", id); err != nil {
		return nil, fmt.Errorf("reveal card: %w", err)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, fmt.Errorf("reveal card %s: a reason is required", id)
	}
	var s cardSecrets
	req := api.Request{
		Method:    http.MethodPost,
		Path:      "/cards/" + id + "/reveal",
		Body:      RevealRequest{Reason: reason},
		Sensitive: true,
	}
	if _, err := c.t.Do(ctx, req, &s); err != nil {
		s.wipe()
		return nil, fmt.Errorf("reveal card %s: %w", id, err)
	}
	if err := checkSecrets(&s); err != nil {
		s.wipe()
		return nil, fmt.Errorf("reveal card %s: %w", id, err)
	}
	return &api.CardSecrets{Number: s.Number, CVC: s.CVC, ExpMonth: s.ExpMonth, ExpYear: s.ExpYear}, nil
}

// checkSecrets describes what is wrong with a reveal answer by length and
// range only, never by value.
func checkSecrets(s *cardSecrets) error {
	switch {
	case len(s.Number) < 12 || len(s.Number) > 19:
		return fmt.Errorf("revealed number has %d digits, want 12 to 19", len(s.Number))
	case len(s.CVC) < 3 || len(s.CVC) > 4:
		return fmt.Errorf("revealed CVC has %d digits, want 3 or 4", len(s.CVC))
	case s.ExpMonth < 1 || s.ExpMonth > 12:
		return fmt.Errorf("revealed exp_month %d is not a month", s.ExpMonth)
	case s.ExpYear < 2000 || s.ExpYear > 9999:
		return fmt.Errorf("revealed exp_year %d is not a four-digit year", s.ExpYear)
	}
	return nil
}
