package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/carddesk/carddesk/api/safetext"
)

// NetworkCause says in plain words why a request got no answer —
// "connection refused", "no such host", "timed out", "TLS certificate
// signed by an unknown authority" — for a sentence an agent reads, where
// the error's own text is a chain of Go prefixes ("GET /users: Get
// \"https://…\": dial tcp 10.0.0.1:443: connect: connection refused").
// Logs keep the chain.
func NetworkCause(err error) string {
	var (
		dns      *net.DNSError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		verify   *tls.CertificateVerificationError
		errno    syscall.Errno
		netErr   net.Error
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &dns):
		switch {
		case dns.IsNotFound:
			return "no such host"
		case dns.IsTimeout:
			return "DNS lookup timed out"
		}
		return "DNS lookup failed"
	case errors.As(err, &unknown):
		return "TLS certificate signed by an unknown authority"
	case errors.As(err, &hostname):
		return "TLS certificate is not for this host"
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return "TLS certificate expired or not yet valid"
		}
		return "TLS certificate not valid"
	case errors.As(err, &verify):
		return "TLS certificate not trusted"
	case errors.As(err, &record):
		return "not a TLS server (plain HTTP?)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, errReplayStopped):
		return "connection closed before the answer"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.As(err, &errno):
		return errno.Error()
	}
	return safetext.Clip(innermost(err), 120)
}

// innermost is the text of the last error of err's chain, which the
// wrappers around it only prefix; a tls error keeps its own prefix.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return strings.TrimPrefix(err.Error(), "tls: ")
		}
		err = next
	}
}
