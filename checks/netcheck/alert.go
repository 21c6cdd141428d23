package netcheck

import (
	"crypto/tls"
	"errors"
	"net"
	"reflect"
)

// alertCause is what a TLS alert from the server says.
type alertCause int

const (
	// alertNone: the error is not an alert the server sent.
	alertNone alertCause = iota
	// alertClientCert: the server refused the client certificate, or the
	// lack of one.
	alertClientCert
	// alertOther: any other alert (protocol version, internal error, …).
	alertOther
)

// TLS alert codes (RFC 8446 section 6, RFC 5246 section 7.2) that end a
// handshake over the client certificate. handshake_failure is among them:
// TLS 1.2 servers send it when a required certificate is missing.
const (
	alertHandshakeFailure       = 40
	alertBadCertificate         = 42
	alertUnsupportedCertificate = 43
	alertCertificateRevoked     = 44
	alertCertificateExpired     = 45
	alertCertificateUnknown     = 46
	alertUnknownCA              = 48
	alertAccessDenied           = 49
	alertCertificateRequired    = 116
)

// classifyAlert says what err means when it is an alert the server sent: a
// *net.OpError whose Op is "remote error", wrapping the alert.
func classifyAlert(err error) alertCause {
	code, ok := remoteAlert(err)
	if !ok {
		return alertNone
	}
	switch code {
	case alertHandshakeFailure, alertBadCertificate, alertUnsupportedCertificate, alertCertificateRevoked,
		alertCertificateExpired, alertCertificateUnknown, alertUnknownCA, alertAccessDenied, alertCertificateRequired:
		return alertClientCert
	}
	return alertOther
}

// remoteAlert is the code of the alert the server sent, if err is one.
// crypto/tls wraps a received alert in its own unexported uint8 type, not
// in tls.AlertError, so the code is read from either.
func remoteAlert(err error) (uint8, bool) {
	var oe *net.OpError
	if !errors.As(err, &oe) || oe.Op != "remote error" || oe.Err == nil {
		return 0, false
	}
	if a, ok := errors.AsType[tls.AlertError](oe.Err); ok {
		return uint8(a), true
	}
	v := reflect.ValueOf(oe.Err)
	if v.Kind() == reflect.Uint8 && v.Type().PkgPath() == "crypto/tls" {
		return uint8(v.Uint()), true
	}
	return 0, false
}

// refusedByAlert: the server ended the connection over the client
// certificate.
func refusedByAlert(err error) bool { return classifyAlert(err) == alertClientCert }
