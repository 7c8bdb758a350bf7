package httpserve

import (
	"fmt"
	"net"

	"github.com/carddesk/carddesk/api"
)

// CheckListenAddr refuses a listen address that is not loopback unless the
// operator allowed it: carddesk binds loopback by default.
func CheckListenAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if !allowRemote && !api.IsLoopbackHost(host) {
		return fmt.Errorf("listen address %q is not loopback; pass --allow-remote to expose it", addr)
	}
	return nil
}
