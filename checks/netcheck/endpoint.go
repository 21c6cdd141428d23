package netcheck

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// EndpointError says why a base URL cannot be checked. Reason is one of
// "url" (not an http(s) URL), "host" (no host), "port" (not 1–65535) or
// "http" (plain http to another machine).
type EndpointError struct {
	Reason string
	Port   string
}

func (e *EndpointError) Error() string {
	switch e.Reason {
	case "host":
		return "the URL has no host"
	case "port":
		return "port " + e.Port + " is not between 1 and 65535"
	case "http":
		return "plain http:// is accepted only for this machine"
	}
	return "not an http(s) URL"
}

// ParseEndpoint parses a service's base URL the way the checks need it:
// https:// with a host and, when given, a port from 1 to 65535; plain
// http:// only for a server on this machine (localhost, 127.0.0.0/8, ::1),
// as --data accepts it.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Opaque != "" {
		return nil, &EndpointError{Reason: "url"}
	}
	if u.Hostname() == "" {
		return nil, &EndpointError{Reason: "host"}
	}
	if u.Port() != "" {
		n, err := strconv.Atoi(u.Port())
		if err != nil || n < 1 || n > 65535 {
			return nil, &EndpointError{Reason: "port", Port: u.Port()}
		}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, &EndpointError{Reason: "http"}
	}
	return u, nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
