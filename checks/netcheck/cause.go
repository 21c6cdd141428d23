package netcheck

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
)

// Causes a failure may name (Result.Cause).
const (
	causeDNS            = "dns"
	causeResolver       = "resolver"
	causeAllowList      = "allowlist"
	causeInterception   = "interception"
	causeClientExpired  = "client_expired"
	causeClientNotYet   = "client_not_yet_valid"
	causeClientIssuer   = "client_issuer"
	causeIntermediate   = "client_intermediate"
	causeNotRegistered  = "not_registered"
	causeEndpointDenied = "endpoint_not_allowed"
	causeIdP            = "idp"
)

// Verdict is the failure that explains a run: the first failing result in
// target and step order (each target's steps stop at its first failure, and
// a resolver that resolves nothing is reported once). ok is false when
// nothing failed.
func Verdict(results []Result) (r Result, ok bool) {
	for _, r := range results {
		if r.Status == checks.Fail {
			return r, true
		}
	}
	return Result{}, false
}

// SerialForms is a certificate serial in each form AGE's staff may search
// for: upper-case hex as `openssl x509 -serial` prints it, the DER bytes of
// the INTEGER (with the leading 00 a set high bit requires) and decimal.
func SerialForms(c *x509.Certificate) (hex, der, dec string) {
	if c == nil || c.SerialNumber == nil {
		return "—", "—", "—"
	}
	hex = cert.SerialHex(c)
	dec = c.SerialNumber.String()
	b, err := asn1.Marshal(c.SerialNumber)
	if err != nil || len(b) < 2 {
		return hex, hex, dec
	}
	// Skip the tag and length: what is left is the INTEGER's content.
	var raw asn1.RawValue
	if _, err := asn1.Unmarshal(b, &raw); err == nil {
		b = raw.Bytes
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return hex, strings.Join(parts, ":"), dec
}

// clientCause says why the server refused the client certificate, in the
// order the causes must be ruled out: the certificate's validity, then its
// issuer against the CAs the server asked for, then a chain that lacks the
// intermediate; only when none applies, the registration of its serial.
func (p *probe) clientCause() (msg, remedy assets.Text, cause string) {
	c := p.leaf
	hex, der, dec := SerialForms(c)
	env := assets.EnvText(p.t.Env)
	if c != nil {
		now := p.opt.Now()
		switch {
		case now.After(c.NotAfter):
			return m("net.mtls.client_expired", "Serial", hex, "Date", c.NotAfter.UTC().Format("2006-01-02")),
				m("net.mtls.client_expired.remedy", "Service", p.t.Name), causeClientExpired
		case now.Before(c.NotBefore):
			return m("net.mtls.client_not_yet_valid", "Serial", hex, "Date", c.NotBefore.UTC().Format(clockLayout)),
				m("net.mtls.client_not_yet_valid.remedy"), causeClientNotYet
		}
		p.mu.Lock()
		acceptRaw, accepted := p.acceptRaw, strings.Join(p.acceptCAs, "; ")
		p.mu.Unlock()
		if len(acceptRaw) > 0 {
			reached, last := chainReaches(c, p.chain, acceptRaw)
			if !reached {
				issuer := c.Issuer.String()
				if sameOrganization(last.Issuer, acceptRaw) {
					return m("net.mtls.client_intermediate", "Issuer", last.Issuer.String(), "Accepted", accepted),
						m("net.mtls.client_intermediate.remedy", "Issuer", last.Issuer.String()), causeIntermediate
				}
				return m("net.mtls.client_issuer", "Service", p.t.Name, "Issuer", issuer, "Accepted", accepted),
					m("net.mtls.client_issuer.remedy", "Issuer", issuer, "Accepted", accepted), causeClientIssuer
			}
		}
	}
	return m("net.mtls.not_registered", "Service", p.t.Name, "Serial", hex, "Env", env),
		m("net.mtls.not_registered.remedy", "Service", p.t.Name, "Env", env, "Serial", hex, "SerialDER", der, "SerialDec", dec), causeNotRegistered
}

// chainReaches walks from the leaf up through the certificates of its .pfx
// and reports whether it reaches one of the CAs the server accepts; last is
// the certificate where the walk stopped.
func chainReaches(leaf *x509.Certificate, chain []*x509.Certificate, accepted [][]byte) (bool, *x509.Certificate) {
	cur := leaf
	for range len(chain) + 1 {
		for _, a := range accepted {
			if bytes.Equal(cur.RawIssuer, a) || bytes.Equal(cur.RawSubject, a) {
				return true, cur
			}
		}
		var next *x509.Certificate
		for _, c := range chain {
			if c != cur && bytes.Equal(c.RawSubject, cur.RawIssuer) && !bytes.Equal(c.RawSubject, cur.RawSubject) {
				next = c
				break
			}
		}
		if next == nil {
			return false, cur
		}
		cur = next
	}
	return false, cur
}

// sameOrganization: the issuer belongs to an organisation whose CA the
// server accepts — the certificate is from the right PKI, but the .pfx
// lacks the intermediate that links it to the accepted CA.
func sameOrganization(issuer pkix.Name, accepted [][]byte) bool {
	if len(issuer.Organization) == 0 {
		return false
	}
	for _, a := range accepted {
		var seq pkix.RDNSequence
		if _, err := asn1.Unmarshal(a, &seq); err != nil {
			continue
		}
		var n pkix.Name
		n.FillFromRDNSequence(&seq)
		for _, o := range n.Organization {
			for _, io := range issuer.Organization {
				if strings.EqualFold(strings.TrimSpace(o), strings.TrimSpace(io)) {
					return true
				}
			}
		}
	}
	return false
}

// allowlistRemedy names the registered addresses and the one this machine
// used, noting NAT when that one is private.
func (p *probe) allowlistRemedy(local string) assets.Text {
	ips := ipsText{p.opt.IPs}
	if h, _, err := net.SplitHostPort(local); err == nil {
		local = h
	}
	a, err := netip.ParseAddr(local)
	switch {
	case local == "" || err != nil:
		return m("net.allowlist.remedy_unknown", "Service", p.t.Name, "IPs", ips)
	case a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || cgnat.Contains(a.Unmap()):
		return m("net.allowlist.remedy_nat", "Service", p.t.Name, "IPs", ips, "Local", local)
	}
	return m("net.allowlist.remedy", "Service", p.t.Name, "IPs", ips, "Local", local)
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// localAddrFor is the address this machine would send from to reach the
// first of addrs: a UDP socket is "connected", which sends nothing.
func localAddrFor(addrs []net.IP, port string) string {
	if len(addrs) == 0 {
		return ""
	}
	c, err := net.Dial("udp", net.JoinHostPort(addrs[0].String(), port))
	if err != nil {
		return ""
	}
	defer c.Close()
	return c.LocalAddr().String()
}
