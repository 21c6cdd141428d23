package export

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// leafValid is a STISC-like certificate valid from notBefore to notAfter.
func leafValid(notBefore, notAfter time.Time) *x509.Certificate {
	tmpl := testpki.LeafTemplate("system.example.md", ledgerNow)
	tmpl.NotBefore, tmpl.NotAfter = notBefore, notAfter
	return testpki.STISC(ledgerNow, tmpl).Leaf.Cert
}

func recorded(system, env string, leaf *x509.Certificate, services ...string) LedgerEntry {
	return LedgerEntry{SystemID: system, System: system, Env: env, Services: services, SerialHex: cert.SerialHex(leaf),
		SHA256: cert.Fingerprint(leaf), NotAfter: leaf.NotAfter, Built: ledgerNow.AddDate(0, -1, 0)}
}

// CheckRenewal refuses the old certificate, an unfit one and one the
// ledger forbids, each with its own error, and says when AGE already has
// the new one for the system and environment.
func TestCheckRenewal(t *testing.T) {
	year := func(n int) time.Time { return ledgerNow.AddDate(n, 0, 0) }
	old := leafValid(year(-2), ledgerNow.AddDate(0, 0, 20))
	prod, other, msign := leafValid(year(-1), year(1)), leafValid(year(-1), year(1)), leafValid(year(-1), year(1))
	l := &Ledger{Entries: []LedgerEntry{
		recorded("alfa", "test", old, "mpass"),
		recorded("alfa", "production", prod, "mpass"),
		recorded("beta", "test", other, "mpass"),
		recorded("alfa", "test", msign, "msign"),
	}}
	row, _ := RenewalTarget(l.Status(ledgerNow, 30), "alfa", "test", cert.SerialHex(old))
	check := func(leaf *x509.Certificate) (RenewalCheck, error) {
		return CheckRenewal(l, "alfa", row, &cert.Loaded{Leaf: leaf}, nil, ledgerNow)
	}

	var p *checks.Problem
	if _, err := check(old); !errors.As(err, &p) || p.Text.Key != "cli.renew.same_cert" {
		t.Errorf("the old certificate: %v", err)
	}
	var unfit *UnfitError
	if _, err := check(leafValid(year(-2), ledgerNow.AddDate(0, 0, -1))); !errors.As(err, &unfit) || len(unfit.Failing) == 0 {
		t.Errorf("an expired certificate: %v", err)
	}
	var lc *LedgerConflict
	if _, err := check(prod); !errors.As(err, &lc) || !lc.SameSystem || lc.Entry.Env != "production" {
		t.Errorf("the production certificate: %v", err)
	}
	if _, err := check(other); !errors.As(err, &lc) || lc.SameSystem || lc.Entry.SystemID != "beta" {
		t.Errorf("another system's certificate: %v", err)
	}
	if rc, err := check(msign); err != nil || !rc.Registered {
		t.Errorf("the system's MSign certificate on test: %+v %v", rc, err)
	}
	if rc, err := check(leafValid(year(-1), year(1))); err != nil || rc.Registered || rc.Report == nil {
		t.Errorf("a new certificate: %+v %v", rc, err)
	}
}

// CertificateRule refuses nothing that is not registered: no certificate,
// the demonstration certificate; a serial named alone is checked by serial.
func TestCertificateRule(t *testing.T) {
	leaf := leafValid(ledgerNow.AddDate(-1, 0, 0), ledgerNow.AddDate(1, 0, 0))
	l := &Ledger{Entries: []LedgerEntry{recorded("alfa", "production", leaf, "msign")}}
	demo := &Certificate{DER: leaf.Raw, Demo: true}
	for _, c := range []*Certificate{nil, demo} {
		if _, err := l.CertificateRule("alfa", "test", c); err != nil {
			t.Errorf("%+v refused: %v", c, err)
		}
	}
	if _, err := l.CertificateRule("alfa", "test", SerialCertificate(cert.SerialHex(leaf))); err == nil {
		t.Error("the production serial is taken for test")
	}
	if u, err := l.CertificateRule("alfa", "production", &Certificate{DER: leaf.Raw}); err != nil || !u.Registered {
		t.Errorf("the same certificate for production: %+v %v", u, err)
	}
}
