package sandbox

import (
	"fmt"

	"github.com/carddesk/carddesk/api"
	"github.com/carddesk/carddesk/api/vaultspay"
	"github.com/carddesk/carddesk/api/vydapay"
)

// The card state machines. VaultsPay: inactive --activate--> active
// <--freeze/unfreeze--> frozen; anything but terminated --terminate-->
// terminated (final). Vydapay: active <--> frozen, --cancel--> cancelled
// (final). A transition that changes nothing is refused too.

// cardStateError words a refused transition in the provider's terms.
func (iss *issuer) cardStateError(c *card, verb, code string) *apiError {
	if iss.vaultspay() {
		return errConflict(typeCard, codeInvalidCardState, "Card %s is %s and cannot be %s.", c.id, c.status, verb)
	}
	return errConflict(typeCard, code, "Card %s is %s and cannot be %s.", c.id, vyCardStatus(c.status), verb)
}

// cardEvent emits a card event in the provider's shape.
func (iss *issuer) cardEvent(vpType, vyType string, c *card) {
	if iss.vaultspay() {
		iss.emit(vpType, vpCard(c))
	} else if vyType != "" {
		iss.emit(vyType, vyCard(c))
	}
}

func (iss *issuer) freeze(c *card) *apiError {
	switch c.status {
	case api.CardTerminated:
		return iss.cardStateError(c, "frozen", codeCardCancelled)
	case api.CardFrozen:
		return iss.cardStateError(c, "frozen again", codeCardAlreadyFrozen)
	case api.CardInactive:
		return iss.cardStateError(c, "frozen before it is activated", codeInvalidCardState)
	}
	c.status, c.updated = api.CardFrozen, iss.now()
	iss.cardEvent(vaultspay.EventCardFrozen, vydapay.EventCardFrozen, c)
	return nil
}

func (iss *issuer) unfreeze(c *card) *apiError {
	switch c.status {
	case api.CardTerminated:
		return iss.cardStateError(c, "unfrozen", codeCardCancelled)
	case api.CardActive, api.CardInactive:
		return iss.cardStateError(c, "unfrozen", codeCardNotFrozen)
	}
	c.status, c.updated = api.CardActive, iss.now()
	iss.cardEvent(vaultspay.EventCardUnfrozen, vydapay.EventCardUnfrozen, c)
	return nil
}

func (iss *issuer) activate(c *card) *apiError {
	if c.status != api.CardInactive {
		return iss.cardStateError(c, "activated", codeInvalidCardState)
	}
	c.status, c.updated = api.CardActive, iss.now()
	iss.cardEvent(vaultspay.EventCardActivated, "", c)
	return nil
}

// terminate ends a card for good: VaultsPay terminate, Vydapay cancel.
func (iss *issuer) terminate(c *card, reason string) *apiError {
	if c.status == api.CardTerminated {
		return iss.cardStateError(c, terminatedWord(iss.vaultspay())+" again", codeCardCancelled)
	}
	c.status, c.termReason, c.updated = api.CardTerminated, reason, iss.now()
	iss.cardEvent(vaultspay.EventCardTerminated, vydapay.EventCardCancelled, c)
	return nil
}

// freezeFromApp and unfreezeFromApp are a cardholder acting from their
// app, for the simulator.
func (s *Server) freezeFromApp(provider, cardID string) error {
	return s.cardOp(provider, cardID, "freeze", (*issuer).freeze)
}

func (s *Server) unfreezeFromApp(provider, cardID string) error {
	return s.cardOp(provider, cardID, "unfreeze", (*issuer).unfreeze)
}

func (s *Server) cardOp(provider, cardID, what string, fn func(*issuer, *card) *apiError) error {
	iss, err := s.issuer(provider)
	if err != nil {
		return err
	}
	err = s.locked(iss, func() error {
		c, ok := iss.cards.get(cardID)
		if !ok {
			return errNotFound("card", cardID, "id")
		}
		if e := fn(iss, c); e != nil {
			return e
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s card %s: %w", what, cardID, err)
	}
	return nil
}
