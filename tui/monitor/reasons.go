package monitor

import "github.com/carddesk/carddesk/api"

// numReasons is len(api.DeclineReasons()); a test keeps the two in step.
const numReasons = 16

// numSlots counts each reason twice: as the provider gave it, and as
// carddesk inferred it, so that an inference is never shown as the
// provider's word.
const numSlots = 2 * numReasons

// slotOf is where a decline is counted: its reason's index, past
// numReasons when the reason is inferred.
func slotOf(d api.Decline) int {
	i := reasonIndex(d.Reason)
	if d.Inferred {
		i += numReasons
	}
	return i
}

// reasonIndex is r's place in api.DeclineReasons(); a reason the api does
// not know counts as other, so that a provider cannot grow the counters,
// and no reason at all as not given. It is a switch so that counting a
// decline allocates nothing.
func reasonIndex(r api.DeclineReason) int {
	switch r {
	case api.DeclineCardFrozen:
		return 0
	case api.DeclineCardTerminated:
		return 1
	case api.DeclineCardExpired:
		return 2
	case api.DeclineCardInactive:
		return 3
	case api.DeclineInsufficient:
		return 4
	case api.DeclineSpendingLimit:
		return 5
	case api.DeclineCategoryBlocked:
		return 6
	case api.DeclineCountryBlocked:
		return 7
	case api.DeclineMerchantBlocked:
		return 8
	case api.DeclineIncorrectCVC:
		return 9
	case api.DeclineIncorrectPIN:
		return 10
	case api.DeclineIncorrectExpiry:
		return 11
	case api.DeclineSuspectedFraud:
		return 12
	case api.DeclineSystem:
		return 13
	case api.DeclineNotGiven, "":
		return 15
	}
	return 14 // api.DeclineOther, and any reason the api does not know
}
