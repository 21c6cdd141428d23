package netcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// roots is what the server's chain is verified against: the system roots
// (or Options.Roots) with --ca added. extra is --ca alone, tried first when
// it is given and the system roots are in use, so that a server whose
// chain --ca vouches for is verified without waiting for the system roots
// (a chain that verifies against extra verifies against the whole pool).
type roots struct {
	all   func() *x509.CertPool
	extra *x509.CertPool
}

// newRoots starts loading the pool (the system roots take milliseconds to
// read and parse) alongside the probes' DNS and TCP steps, unless --ca is
// tried first: then the system roots are read only for a server --ca does
// not vouch for.
func newRoots(base *x509.CertPool, extra []*x509.Certificate) *roots {
	r := &roots{all: sync.OnceValue(func() *x509.CertPool { return rootPool(base, extra) })}
	if base == nil && len(extra) > 0 {
		r.extra = x509.NewCertPool()
		for _, c := range extra {
			r.extra.AddCert(c)
		}
		return r
	}
	go r.all()
	return r
}

// rootPool is base (nil: the system roots) with extra added; base itself is
// not changed. The pool is only read afterwards, so probes may share it.
func rootPool(base *x509.CertPool, extra []*x509.Certificate) *x509.CertPool {
	pool := base
	if pool == nil {
		sys, err := x509.SystemCertPool()
		if err != nil || sys == nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	} else {
		pool = pool.Clone()
	}
	for _, c := range extra {
		pool.AddCert(c)
	}
	return pool
}

// verify checks the server's chain for host as crypto/tls would, with the
// same errors.
func (r *roots) verify(certs []*x509.Certificate, host string, now time.Time) error {
	if len(certs) == 0 {
		return errors.New("tls: the server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: host, CurrentTime: now, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	if r.extra != nil {
		opts.Roots = r.extra
		if _, err := certs[0].Verify(opts); err == nil {
			return nil
		}
	}
	opts.Roots = r.all()
	if _, err := certs[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// tlsStage shakes hands, presenting the client certificate where the
// service authenticates clients.
func (p *probe) tlsStage(ctx context.Context) (outcome, bool) {
	tc := tls.Client(p.conn, p.tlsConfig(true))
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	err := tc.HandshakeContext(ctx)
	d := time.Since(start)
	if err != nil {
		return p.tlsFailure(err, d)
	}
	p.mu.Lock()
	p.handshook = true
	p.mu.Unlock()
	p.wire = newWire(tc)
	st := tc.ConnectionState()
	leaf := st.PeerCertificates[0]
	args := []any{"Version", tls.VersionName(st.Version), "Subject", leaf.Subject.String(),
		"Issuer", leaf.Issuer.String(), "Date", leaf.NotAfter.UTC().Format("2006-01-02")}
	if p.proxy != nil {
		// The server's own certificate came through: the proxy tunnels TLS.
		return result(StepTLS, checks.Pass, d, m("net.tls.ok_proxy", append(args, "Proxy", p.proxy.Host)...), assets.Text{}), true
	}
	return result(StepTLS, checks.Pass, d, m("net.tls.ok", args...), assets.Text{}), true
}

// tlsConfig is the client side of TLS: the system certificate offered where
// the service authenticates clients, and one renegotiation allowed, since
// MSign's IIS may ask for the certificate by renegotiating under TLS 1.2.
// The server's chain is verified by VerifyConnection (see roots), which
// also notes that the server's certificate arrived. record: what the
// handshake learns is kept for the report.
func (p *probe) tlsConfig(record bool) *tls.Config {
	cfg := &tls.Config{ServerName: p.host, MinVersion: tls.VersionTLS12, Renegotiation: tls.RenegotiateOnceAsClient,
		// Verified in VerifyConnection, against the same roots.
		InsecureSkipVerify: true}
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if record {
			p.mu.Lock()
			p.sawServer = true
			p.mu.Unlock()
		}
		return p.opt.roots.verify(cs.PeerCertificates, p.host, time.Now())
	}
	if p.t.ClientAuth {
		cfg.GetClientCertificate = func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if record {
				p.noteRequest(cri)
			}
			if p.opt.Client == nil {
				return &tls.Certificate{}, nil
			}
			return p.opt.Client, nil
		}
	}
	return cfg
}

// noteRequest keeps what the server's request for a client certificate
// said.
func (p *probe) noteRequest(cri *tls.CertificateRequestInfo) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = true
	p.renegotiated = p.renegotiated || p.handshook
	p.acceptCAs = p.acceptCAs[:0]
	for _, dn := range cri.AcceptableCAs {
		p.acceptCAs = append(p.acceptCAs, rdnString(dn))
	}
	p.acceptRaw = append([][]byte(nil), cri.AcceptableCAs...)
}

// tlsFailure explains a failed handshake. A TLS 1.2 server refusing the
// client certificate ends the handshake with an alert: TLS itself passed,
// and the mtls stage names the cause.
func (p *probe) tlsFailure(err error, d time.Duration) (outcome, bool) {
	if o, ok := p.verifyFailure(err, d); ok {
		return o, false
	}
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) {
		err = ve.Err
	}
	switch {
	case isTimeout(err):
		return result(StepTLS, checks.Fail, d, m("net.tls.timeout", "Target", p.target, "Timeout", p.opt.Timeout), m("net.tls.timeout.remedy", "Port", p.port)), false
	case p.t.ClientAuth && p.proxy == nil && droppedConnection(err) && !p.seenServer():
		// Dropped before the server showed its certificate: MSign's and
		// MPower's port 8443 resets addresses not on the allow-list.
		return result(StepTLS, checks.Fail, d, m("net.tls.reset.allowlist", "Target", p.target, "Service", p.t.Name),
			p.allowlistRemedy(p.local)).because(causeAllowList), false
	case refusedByAlert(err) && p.t.ClientAuth:
		p.refusal = err
		return result(StepTLS, checks.Pass, d, m("net.tls.ok_refused", "Target", p.target), assets.Text{}), true
	}
	return result(StepTLS, checks.Fail, d, m("net.tls.error", "Target", p.target, "Err", errText(err)), m("net.tls.error.remedy")), false
}

// verifyFailure explains a server certificate that did not verify.
func (p *probe) verifyFailure(err error, d time.Duration) (outcome, bool) {
	var (
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		inv x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &ua) && p.proxy != nil:
		issuer := ua.Cert.Issuer.String()
		return result(StepTLS, checks.Fail, d, m("net.tls.intercepted_proxy", "Host", p.host, "Issuer", issuer, "Proxy", p.proxy.Host),
			m("net.tls.intercepted_proxy.remedy", "Host", p.host, "Proxy", p.proxy.Host)).because(causeInterception), true
	case errors.As(err, &ua) && ua.Cert.VerifyHostname(p.host) == nil:
		// AGE's certificates come from public CAs; a private root for its
		// host name on this machine is most likely an interceptor, and
		// surely one when the issuer names an interception product.
		issuer := ua.Cert.Issuer.String()
		o := result(StepTLS, checks.Fail, d, m("net.tls.intercepted", "Host", p.host, "Issuer", issuer), m("net.tls.intercepted.remedy", "Host", p.host, "Issuer", issuer))
		if interceptorIssuer(ua.Cert) {
			o = o.because(causeInterception)
		}
		return o, true
	case errors.As(err, &ua):
		issuer := ua.Cert.Issuer.String()
		return result(StepTLS, checks.Fail, d, m("net.tls.unknown_authority", "Host", p.host, "Issuer", issuer), m("net.tls.unknown_authority.remedy", "Issuer", issuer)), true
	case errors.As(err, &hn):
		return result(StepTLS, checks.Fail, d, m("net.tls.hostname", "Host", p.host, "Names", strings.Join(hn.Certificate.DNSNames, ", ")), m("net.tls.hostname.remedy")), true
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		return result(StepTLS, checks.Fail, d, m("net.tls.expired", "Host", p.host), m("net.tls.expired.remedy")), true
	}
	return outcome{}, false
}

func (p *probe) seenServer() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sawServer
}

// interceptionProducts are words in the issuer names of TLS-inspecting
// proxies, firewalls and antivirus products.
var interceptionProducts = []string{"proxy", "firewall", "fortinet", "fortigate", "sophos", "kaspersky", "eset", "avast",
	"bitdefender", "zscaler", "palo alto", "checkpoint", "check point", "bluecoat", "squid", "mitm", "inspection",
	"websense", "netskope", "cisco umbrella"}

// interceptorIssuer: c's issuer names an interception product.
func interceptorIssuer(c *x509.Certificate) bool {
	issuer := strings.ToLower(c.Issuer.String())
	for _, hint := range interceptionProducts {
		if strings.Contains(issuer, hint) {
			return true
		}
	}
	return false
}

// mtlsStage reports on client authentication: from the alert that ended
// the handshake, or from the harmless request, which a TLS 1.3 server
// answers with an alert (or a reset connection) when it refuses the
// certificate after the handshake.
func (p *probe) mtlsStage(ctx context.Context) (outcome, bool) {
	err := p.refusal
	if err == nil {
		_, _, _, err = p.exchange(ctx)
	}
	p.mu.Lock()
	asked, cas, reneg := p.asked, p.acceptCAs, p.renegotiated
	p.mu.Unlock()
	switch {
	case p.opt.Client == nil && refusedByAlert(err):
		return result(StepMTLS, checks.Fail, 0, m("net.mtls.none_required", "Service", p.t.Name), m("net.mtls.none.remedy")), false
	case p.opt.Client == nil:
		return result(StepMTLS, checks.Skip, 0, m("net.mtls.none", "Service", p.t.Name), m("net.mtls.none.remedy")), true
	case refusedByAlert(err) || (asked && droppedConnection(err)):
		// Before registration is blamed, the certificate is held against
		// what the server asked for.
		msg, remedy, cause := p.clientCause()
		return result(StepMTLS, checks.Fail, 0, msg, remedy).because(cause), false
	case !asked:
		return result(StepMTLS, checks.Warn, 0, m("net.mtls.not_asked", "Service", p.t.Name), m("net.mtls.not_asked.remedy")), true
	}
	accepts := strings.Join(cas, "; ")
	if accepts == "" {
		accepts = "—"
	}
	key := "net.mtls.ok"
	if reneg {
		key = "net.mtls.ok_renegotiated"
	}
	return result(StepMTLS, checks.Pass, 0, m(key, "Serial", p.serial(), "Issuers", accepts), assets.Text{}), true
}
