package api

// Text is the decline's reason as an agent reads it: the normalised
// reason ("card frozen"), a provider code carddesk does not know ("other
// (provider code velocity_exceeded)"), an inference, labelled so ("inferred:
// gambling blocked by the card's controls"), or "reason not given". It is
// never "system" unless the provider said so. Code and Basis come from
// outside: clean the result before it reaches a terminal.
func (d Decline) Text() string {
	switch {
	case d.Inferred:
		return "inferred: " + d.Basis
	case d.Reason == DeclineNotGiven || d.Reason == "":
		return DeclineNotGiven.Label()
	case d.Reason == DeclineOther || !d.Reason.Known():
		if d.Code == "" {
			return "other"
		}
		return "other (provider code " + d.Code + ")"
	}
	return d.Reason.Label()
}

// Raw is what the provider itself said, "code: message", either alone, or
// "" when it said nothing. Clean it before it reaches a terminal.
func (d Decline) Raw() string {
	switch {
	case d.Code != "" && d.Message != "":
		return d.Code + ": " + d.Message
	case d.Code != "":
		return d.Code
	}
	return d.Message
}

// Given reports whether the provider named a reason (a code), known to
// carddesk or not.
func (d Decline) Given() bool { return d.Code != "" }

// Known reports whether r is one of the normalised reasons.
func (r DeclineReason) Known() bool {
	_, ok := r.info()
	return ok
}
