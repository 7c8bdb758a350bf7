package api

// DeclineReason is a normalised reason for a declined authorisation.
type DeclineReason string

// Decline reasons, normalised across providers.
const (
	DeclineCardFrozen      DeclineReason = "card_frozen"
	DeclineCardTerminated  DeclineReason = "card_terminated"
	DeclineCardExpired     DeclineReason = "card_expired"
	DeclineCardInactive    DeclineReason = "card_inactive"
	DeclineInsufficient    DeclineReason = "insufficient_funds"
	DeclineSpendingLimit   DeclineReason = "spending_limit"
	DeclineCategoryBlocked DeclineReason = "category_blocked"
	DeclineCountryBlocked  DeclineReason = "country_blocked"
	DeclineMerchantBlocked DeclineReason = "merchant_blocked"
	DeclineIncorrectCVC    DeclineReason = "incorrect_cvc"
	DeclineIncorrectPIN    DeclineReason = "incorrect_pin"
	DeclineIncorrectExpiry DeclineReason = "incorrect_expiry"
	DeclineSuspectedFraud  DeclineReason = "suspected_fraud"
	DeclineSystem          DeclineReason = "system_error"
	// DeclineOther is a provider's decline code that carddesk does not
	// know: the code itself is kept in Decline.Code and shown as is.
	DeclineOther DeclineReason = "other"
	// DeclineNotGiven is a decline for which the provider gave no reason
	// and carddesk could infer none. It is never blamed on the system.
	DeclineNotGiven DeclineReason = "not_given"
)

// DeclineGroup gathers reasons for the monitor.
type DeclineGroup string

// Decline groups.
const (
	GroupCardState    DeclineGroup = "card_state"
	GroupFundsLimits  DeclineGroup = "funds_limits"
	GroupControls     DeclineGroup = "controls"
	GroupVerification DeclineGroup = "verification"
	GroupFraud        DeclineGroup = "fraud"
	GroupSystem       DeclineGroup = "system"
	// GroupOther holds provider codes carddesk does not know.
	GroupOther DeclineGroup = "other"
	// GroupNotGiven holds declines with no reason, given or inferred.
	GroupNotGiven DeclineGroup = "not_given"
)

type declineInfo struct {
	group DeclineGroup
	label string
}

// info is a switch rather than a map so that no package state exists and
// the hot rendering path allocates nothing.
func (r DeclineReason) info() (declineInfo, bool) {
	switch r {
	case DeclineCardFrozen:
		return declineInfo{GroupCardState, "card frozen"}, true
	case DeclineCardTerminated:
		return declineInfo{GroupCardState, "card terminated"}, true
	case DeclineCardExpired:
		return declineInfo{GroupCardState, "card expired"}, true
	case DeclineCardInactive:
		return declineInfo{GroupCardState, "card not activated"}, true
	case DeclineInsufficient:
		return declineInfo{GroupFundsLimits, "insufficient funds"}, true
	case DeclineSpendingLimit:
		return declineInfo{GroupFundsLimits, "spending limit reached"}, true
	case DeclineCategoryBlocked:
		return declineInfo{GroupControls, "merchant category not allowed"}, true
	case DeclineCountryBlocked:
		return declineInfo{GroupControls, "country not allowed"}, true
	case DeclineMerchantBlocked:
		return declineInfo{GroupControls, "merchant not allowed"}, true
	case DeclineIncorrectCVC:
		return declineInfo{GroupVerification, "incorrect CVC"}, true
	case DeclineIncorrectPIN:
		return declineInfo{GroupVerification, "incorrect PIN"}, true
	case DeclineIncorrectExpiry:
		return declineInfo{GroupVerification, "incorrect expiry date"}, true
	case DeclineSuspectedFraud:
		return declineInfo{GroupFraud, "suspected fraud"}, true
	case DeclineSystem:
		return declineInfo{GroupSystem, "issuer system error"}, true
	case DeclineOther:
		return declineInfo{GroupOther, "unrecognised provider code"}, true
	case DeclineNotGiven:
		return declineInfo{GroupNotGiven, "reason not given"}, true
	}
	// A value outside the list came from outside (a dialect keeps every
	// code it does not know as DeclineOther): it is another reason, not a
	// system failure.
	return declineInfo{GroupOther, "unrecognised provider code"}, false
}

// DeclineReasons lists every normalised reason, grouped, in display order.
func DeclineReasons() []DeclineReason {
	return []DeclineReason{
		DeclineCardFrozen, DeclineCardTerminated, DeclineCardExpired, DeclineCardInactive,
		DeclineInsufficient, DeclineSpendingLimit,
		DeclineCategoryBlocked, DeclineCountryBlocked, DeclineMerchantBlocked,
		DeclineIncorrectCVC, DeclineIncorrectPIN, DeclineIncorrectExpiry,
		DeclineSuspectedFraud,
		DeclineSystem, DeclineOther, DeclineNotGiven,
	}
}

// Group is the family a reason belongs to; an unrecognised reason is other.
func (r DeclineReason) Group() DeclineGroup {
	info, _ := r.info()
	return info.group
}

// Label is the reason in plain words for an agent.
func (r DeclineReason) Label() string {
	info, _ := r.info()
	return info.label
}

// Label is the group in plain words.
func (g DeclineGroup) Label() string {
	switch g {
	case GroupCardState:
		return "card state"
	case GroupFundsLimits:
		return "funds and limits"
	case GroupControls:
		return "spending controls"
	case GroupVerification:
		return "verification"
	case GroupFraud:
		return "fraud"
	case GroupSystem:
		return "system"
	case GroupNotGiven:
		return "not given"
	}
	return "other"
}
