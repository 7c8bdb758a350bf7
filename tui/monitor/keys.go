package monitor

import (
	"strings"
	"unicode/utf8"

	"github.com/carddesk/carddesk/api/safetext"
)

// maxKeyLen bounds a merchant name or card id kept as a counter key, so that
// a hostile payload cannot make the counters hold megabytes per key.
const maxKeyLen = 128

// keyCounts counts declines per key (merchant, card) for one minute, with at
// most limit distinct keys; the rest count as other.
type keyCounts struct {
	m     map[string]int
	other int
}

// add counts one for key and reports whether key has its own counter.
func (k *keyCounts) add(key string, limit int) bool {
	if _, ok := k.m[key]; !ok && len(k.m) >= limit {
		k.other++
		return false
	}
	if k.m == nil {
		k.m = make(map[string]int)
	}
	k.m[key]++
	return true
}

// reset empties the counts. A small map keeps its storage for the next
// minute; a big one, left by a storm, is let go so that it does not hold
// its memory for good.
func (k *keyCounts) reset() {
	if len(k.m) > keepKeys {
		k.m = nil
	} else {
		clear(k.m)
	}
	k.other = 0
}

// keepKeys is the largest map reset keeps for reuse.
const keepKeys = 64

// subtract takes n from m[key], deleting the key at zero.
func subtract(m map[string]int, key string, n int) {
	if left := m[key] - n; left > 0 {
		m[key] = left
	} else {
		delete(m, key)
	}
}

// clip bounds key to maxKeyLen bytes at a rune boundary; a clipped key is
// copied so that it does not keep the whole original string alive.
func clip(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	cut := maxKeyLen
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return strings.Clone(key[:cut])
}

// merchantKey is what a declined row's merchant is counted under: its name,
// or its id when it has no name; "" when it has neither.
func merchantKey(r Row) string {
	if r.Tx == nil {
		return ""
	}
	// Made safe before it is cut: a cut could otherwise keep the first
	// digits of a card number, too few for masking to know them, behind
	// an escape sequence that hides the rest.
	if name := safetext.Safe(r.Tx.Merchant.Name); name != "" {
		return clip(name)
	}
	return clip(safetext.Safe(r.Tx.Merchant.ID))
}
