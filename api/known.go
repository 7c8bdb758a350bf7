package api

// The tolerant reader (DESIGN §3): a dialect maps every value it knows onto
// the constants of this package and keeps any other as the provider sent it,
// so that a status, type or interval a provider adds one day is shown as is
// rather than failing a page, a detail or a webhook. Known says which is
// which; a caller that must decide on a value (may this card be frozen?
// is this decline a card-state one?) decides only on known ones.

// Known reports whether s is one of the normalised card states rather than
// a provider's own word carddesk does not know.
func (s CardStatus) Known() bool {
	switch s {
	case CardInactive, CardActive, CardFrozen, CardTerminated:
		return true
	}
	return false
}

// Known reports whether t is a normalised card type.
func (t CardType) Known() bool { return t == CardVirtual || t == CardPhysical }

// Known reports whether i is a normalised spending-limit interval. An
// unknown one says nothing about what was spent against the limit.
func (i Interval) Known() bool {
	switch i {
	case PerTransaction, Daily, Weekly, Monthly, Yearly, AllTime:
		return true
	}
	return false
}

// Known reports whether s is a normalised transaction state.
func (s TxStatus) Known() bool {
	switch s {
	case TxPending, TxSettled, TxDeclined, TxRefunded, TxReversed:
		return true
	}
	return false
}

// Known reports whether t is a normalised transaction type.
func (t TxType) Known() bool {
	switch t {
	case TxPurchase, TxRefund, TxATM, TxTransfer:
		return true
	}
	return false
}

// Known reports whether k is a normalised KYC state.
func (k KYCState) Known() bool {
	switch k {
	case KYCNotStarted, KYCPending, KYCVerified, KYCRejected, KYCUnknown:
		return true
	}
	return false
}

// Known reports whether s is a normalised account state.
func (s AccountStatus) Known() bool { return s == AccountActive || s == AccountClosed }

// Known reports whether t is a normalised event type; an event of a type a
// dialect does not know is EventUnknown and keeps its own in ProviderType.
func (t EventType) Known() bool { return t != EventUnknown && t != "" }

// TypeName is the event's type as an agent should read it: the normalised
// type, or the provider's own when the dialect does not know it.
func (e Event) TypeName() string {
	if e.Type.Known() || e.ProviderType == "" {
		return string(e.Type)
	}
	return e.ProviderType
}
