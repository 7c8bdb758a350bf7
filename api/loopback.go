package api

import (
	"net"
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
