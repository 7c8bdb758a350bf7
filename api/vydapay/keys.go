package vydapay

import (
	"errors"
	"fmt"
	"strings"

	"github.com/carddesk/carddesk/api"
)

// KeyMode says which mode a Vydapay key acts in: sk_test_ keys are test
// mode, sk_live_ keys live. A publishable (pk_) key is refused because it
// cannot act on cards, and so is any other prefix. The error never quotes
// the key.
func KeyMode(key string) (api.Mode, error) {
	switch {
	case key == "":
		return "", errors.New("vydapay: no API key configured; configure a secret key (sk_test_ or sk_live_)")
	case strings.TrimSpace(key) != key:
		return "", errors.New("vydapay: the API key has leading or trailing whitespace")
	case strings.HasPrefix(key, PublishableKeyPrefix):
		return "", errors.New("vydapay: a publishable key (pk_) cannot act on cards; configure a secret key (sk_test_ or sk_live_)")
	case strings.HasPrefix(key, TestKeyPrefix):
		if key == TestKeyPrefix {
			return "", errors.New("vydapay: the API key is only the sk_test_ prefix")
		}
		return api.ModeTest, nil
	case strings.HasPrefix(key, LiveKeyPrefix):
		if key == LiveKeyPrefix {
			return "", errors.New("vydapay: the API key is only the sk_live_ prefix")
		}
		return api.ModeLive, nil
	}
	if p := keyPrefix(key); p != "" {
		return "", fmt.Errorf("vydapay: an API key starting %q is not a Vydapay secret key; want sk_test_ or sk_live_", p)
	}
	return "", errors.New("vydapay: the API key is not a Vydapay secret key; want one starting sk_test_ or sk_live_")
}

// keyPrefix is the short lowercase prefix of a key ("vp_test_"), which says
// what kind of key it is without revealing it; "" when there is none.
func keyPrefix(key string) string {
	end := 0
	for i := 0; i < len(key) && i < 12; i++ {
		c := key[i]
		if c == '_' {
			end = i + 1
			continue
		}
		if c < 'a' || c > 'z' {
			break
		}
	}
	return key[:end]
}
