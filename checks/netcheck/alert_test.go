package netcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/internal/testpki"
)

func remote(a tls.AlertError) error { return &net.OpError{Op: "remote error", Err: a} }

func TestClassifyAlert(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want alertCause
	}{
		{"bad certificate", remote(42), alertClientCert},
		{"certificate required (TLS 1.3)", remote(116), alertClientCert},
		{"handshake failure (TLS 1.2, no certificate)", remote(40), alertClientCert},
		{"unknown CA", remote(48), alertClientCert},
		{"certificate expired", remote(45), alertClientCert},
		{"certificate revoked", remote(44), alertClientCert},
		{"certificate unknown", remote(46), alertClientCert},
		{"unsupported certificate", remote(43), alertClientCert},
		{"access denied", remote(49), alertClientCert},
		{"protocol version", remote(70), alertOther},
		{"internal error", remote(80), alertOther},
		{"wrapped", fmt.Errorf("reading: %w", remote(42)), alertClientCert},
		// An alert this side sent is not the server's verdict.
		{"local alert", &net.OpError{Op: "local error", Err: tls.AlertError(42)}, alertNone},
		// The words alone decide nothing.
		{"text only", errors.New("remote error: tls: bad certificate"), alertNone},
		{"reset", &net.OpError{Op: "read", Err: io.ErrUnexpectedEOF}, alertNone},
		{"nil", nil, alertNone},
	} {
		if got := classifyAlert(c.err); got != c.want {
			t.Errorf("%s: classifyAlert(%v) = %d, want %d", c.name, c.err, got, c.want)
		}
	}
}

// crypto/tls delivers a received alert in a type of its own: a real
// refusal is classified all the same.
func TestClassifyAlertFromRealHandshake(t *testing.T) {
	now := time.Now()
	ca := testpki.CA("Alert Root", "Alert PKI", nil, now)
	k := testpki.ECKey()
	tmpl := testpki.LeafTemplate("localhost", now)
	tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	s := testpki.Issue(tmpl, k.Public(), &ca, k)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{s.Cert.Raw}, PrivateKey: k}},
		ClientAuth: tls.RequireAnyClientCert, MaxVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
	err = tc.HandshakeContext(context.Background())
	if err == nil {
		t.Fatal("the handshake without a client certificate succeeded")
	}
	if got := classifyAlert(err); got != alertClientCert {
		t.Errorf("classifyAlert(%v) = %d, want the client certificate refused", err, got)
	}
}

// The stages run in the order Steps gives.
func TestStagesInStepOrder(t *testing.T) {
	if len(stages) != len(Steps) {
		t.Fatalf("%d stages, %d steps", len(stages), len(Steps))
	}
	for i, s := range stages {
		if s.id != Steps[i] {
			t.Errorf("stage %d is %s, step %d is %s", i, s.id, i, Steps[i])
		}
	}
}
