package api

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether host (a name or an IP, without port,
// brackets allowed) is a loopback address: the only place plain HTTP and
// unauthenticated listeners are acceptable by default.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// CheckBaseURL refuses a provider base URL that is not an absolute https
// URL, that carries credentials, a query or a fragment, or that is plain
// http anywhere but loopback (where the sandbox runs), so that a key never
// crosses a network in clear. name is the provider as a person spells it
// ("VaultsPay"); the caller prefixes the error with its package.
func CheckBaseURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("base URL %q is not an absolute URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("base URL %q must not carry credentials, a query or a fragment", u.Redacted())
	}
	switch u.Scheme { // url.Parse lower-cases it
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("base URL %q is plain http; %s requires HTTPS; plain HTTP is only allowed to a loopback address", raw, name)
	}
	return fmt.Errorf("base URL %q: scheme must be https", raw)
}
