package main

import (
	"fmt"
	"net"
	"net/url"

	"github.com/carddesk/carddesk/api"
)

// checkListenAddr refuses a listen address that is not loopback unless the
// operator allowed it: carddesk binds loopback by default.
func checkListenAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if !allowRemote && !api.IsLoopbackHost(host) {
		return fmt.Errorf("listen address %q is not loopback; pass --allow-remote to expose it", addr)
	}
	return nil
}

// checkWebhookURL refuses anything but an absolute http(s) URL.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook URL %q: want an absolute http:// or https:// URL", raw)
	}
	return nil
}
