package netcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/redact"
)

// probe runs one target's steps.
type probe struct {
	opt    Options
	t      Target
	u      *url.URL
	host   string
	port   string
	target string // host:port
	// shown is the base URL as it may be shown: without a password.
	shown   string
	results []Result

	mu sync.Mutex
	// What the TLS handshake learned about client authentication.
	asked     bool
	acceptCAs []string
	acceptRaw [][]byte
	// rejected: the server refused the client certificate in the handshake.
	rejected bool
	// handshook: the first handshake is over; a request for the client
	// certificate after it came by renegotiation.
	handshook    bool
	renegotiated bool
	// sawServer: the server's certificate arrived (TLS got that far).
	sawServer bool

	proxy *url.URL
	// addr is the address that answered; local the address this machine
	// used to reach it.
	addr  string
	local string
	// leaf and chain are the client certificate and the rest of its .pfx.
	leaf  *x509.Certificate
	chain []*x509.Certificate
	// tlsPassed: the server-side TLS checks passed.
	tlsPassed bool
}

func newProbe(opt Options, t Target) *probe {
	p := &probe{opt: opt, t: t}
	if opt.Client != nil {
		for i, der := range opt.Client.Certificate {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				continue
			}
			if i == 0 {
				p.leaf = c
			} else {
				p.chain = append(p.chain, c)
			}
		}
		if opt.Client.Leaf != nil {
			p.leaf = opt.Client.Leaf
		}
	}
	return p
}

// add records a result and streams it.
func (p *probe) add(step string, sev checks.Severity, d time.Duration, msg, remedy assets.Text) {
	p.addCause(step, sev, d, msg, remedy, "")
}

// addCause records a result with the cause it names.
func (p *probe) addCause(step string, sev checks.Severity, d time.Duration, msg, remedy assets.Text, cause string) {
	r := Result{Service: p.t.Service, Env: p.t.Env, Target: p.target, Step: step, Status: sev, Message: msg, Remedy: remedy, Duration: d, Cause: cause}
	p.results = append(p.results, r)
	if p.opt.OnResult != nil {
		p.opt.OnResult(r)
	}
}

func m(key string, kv ...any) assets.Text { return assets.Msg("net."+key, kv...) }

// skipRest marks the steps after the failed one as skipped.
func (p *probe) skipRest(after, because string) {
	skip := false
	for _, s := range Steps {
		if skip && p.applies(s) {
			p.add(s, checks.Skip, 0, m("skip", "Step", because), assets.Text{})
		}
		skip = skip || s == after
	}
}

func (p *probe) applies(step string) bool {
	switch step {
	case StepTLS:
		return p.u == nil || p.u.Scheme == "https"
	case StepMTLS:
		return p.t.ClientAuth && (p.u == nil || p.u.Scheme == "https")
	case StepAuth:
		// The certificate is presented only over TLS.
		return p.t.ClientAuth && p.t.Auth != "" && (p.u == nil || p.u.Scheme == "https")
	case StepIdP:
		return p.t.Metadata
	}
	return true
}

// ipsText is the registered addresses for a remedy, localized lazily.
type ipsText struct{ ips []string }

func (t ipsText) In(lang string) string {
	if len(t.ips) == 0 {
		return assets.T(lang, "net.ips_none")
	}
	return strings.Join(t.ips, ", ")
}

func (p *probe) run(ctx context.Context) []Result {
	p.shown = redact.URL(p.t.URL)
	u, err := ParseEndpoint(p.t.URL)
	if err != nil {
		p.target = p.shown
		p.add(StepDNS, checks.Fail, 0, m("bad_url", "URL", p.shown), m("bad_url.remedy"))
		p.skipRest(StepDNS, StepDNS)
		return p.results
	}
	p.u = u
	p.host, p.port = hostPort(u)
	p.target = net.JoinHostPort(p.host, p.port)

	proxy, _ := p.opt.Proxy(u)
	p.proxy = proxy
	addrs, ok := p.dns(ctx, proxy)
	if !ok {
		p.skipRest(StepDNS, StepDNS)
		return p.results
	}
	conn, ok := p.tcp(ctx, addrs, proxy)
	if !ok {
		p.skipRest(StepTCP, StepTCP)
		return p.results
	}
	defer conn.Close()
	var rw net.Conn = conn
	if u.Scheme == "https" {
		tc, ok := p.tls(ctx, conn)
		if p.rejected {
			p.mtls(errRejected)
			p.skipRest(StepMTLS, StepMTLS)
			return p.results
		}
		if !ok {
			p.skipRest(StepTLS, StepTLS)
			return p.results
		}
		rw = tc
	}
	resp, body, start, err := p.request(ctx, rw)
	if p.applies(StepMTLS) {
		if !p.mtls(err) {
			p.skipRest(StepMTLS, StepMTLS)
			return p.results
		}
	}
	if !p.http(resp, body, err, time.Since(start)) {
		p.skipRest(StepHTTP, StepHTTP)
		return p.results
	}
	if p.applies(StepAuth) {
		p.auth(ctx)
	}
	if p.applies(StepIdP) {
		p.idp(resp, body)
	}
	p.clock(resp)
	return p.results
}

// dns resolves the host (an IP literal needs no lookup).
func (p *probe) dns(ctx context.Context, proxy *url.URL) ([]net.IP, bool) {
	if ip := net.ParseIP(p.host); ip != nil {
		p.add(StepDNS, checks.Pass, 0, m("dns.literal", "Host", p.host), assets.Text{})
		return []net.IP{ip}, true
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	res := p.opt.Resolver
	if res == nil {
		res = net.DefaultResolver
	}
	ips, err := res.LookupIPAddr(ctx, p.host)
	d := time.Since(start)
	if err != nil || len(ips) == 0 {
		if proxy != nil {
			// The proxy resolves names; this machine may not need to.
			p.add(StepDNS, checks.Info, d, m("dns.via_proxy", "Host", p.host, "Proxy", proxy.Host), assets.Text{})
			return nil, true
		}
		var de *net.DNSError
		switch {
		case errors.As(err, &de) && de.IsNotFound:
			p.addCause(StepDNS, checks.Fail, d, m("dns.not_found", "Host", p.host), m("dns.not_found.remedy", "Host", p.host), causeDNS)
		case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &de) && de.IsTimeout):
			p.addCause(StepDNS, checks.Fail, d, m("dns.timeout", "Host", p.host, "Timeout", p.opt.Timeout), m("dns.timeout.remedy"), causeDNS)
		default:
			p.addCause(StepDNS, checks.Fail, d, m("dns.error", "Host", p.host, "Err", errText(err)), m("dns.timeout.remedy"), causeDNS)
		}
		return nil, false
	}
	var out []net.IP
	var names []string
	for _, a := range ips {
		out = append(out, a.IP)
		names = append(names, a.IP.String())
	}
	p.add(StepDNS, checks.Pass, d, m("dns.ok", "Host", p.host, "Addresses", strings.Join(names, ", ")), assets.Text{})
	return out, true
}

// tcp connects: through the proxy when one applies, else to every address
// at once, keeping the first that answers.
func (p *probe) tcp(ctx context.Context, addrs []net.IP, proxy *url.URL) (net.Conn, bool) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	if proxy != nil {
		conn, err := p.connect(ctx, proxy)
		d := time.Since(start)
		if err != nil {
			p.add(StepTCP, checks.Fail, d, m("tcp.proxy_failed", "Proxy", proxy.Host, "Target", p.target, "Err", errText(err)),
				m("tcp.proxy_failed.remedy", "Proxy", proxy.Host))
			return nil, false
		}
		p.add(StepTCP, checks.Pass, d, m("tcp.via_proxy", "Target", p.target, "Proxy", proxy.Host), assets.Text{})
		return conn, true
	}
	type dialed struct {
		conn net.Conn
		err  error
	}
	ch := make(chan dialed, len(addrs))
	var d net.Dialer
	for _, ip := range addrs {
		go func() {
			c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), p.port))
			ch <- dialed{c, err}
		}()
	}
	var (
		conn    net.Conn
		lastErr error
	)
	for range addrs {
		r := <-ch
		if r.err == nil && conn == nil {
			conn = r.conn
			cancel() // the others may stop
			continue
		}
		if r.conn != nil {
			r.conn.Close()
		}
		if r.err != nil && (lastErr == nil || !isTimeout(lastErr)) {
			lastErr = r.err
		}
	}
	dur := time.Since(start)
	if conn != nil {
		p.addr, p.local = conn.RemoteAddr().String(), conn.LocalAddr().String()
		p.add(StepTCP, checks.Pass, dur, m("tcp.ok", "Address", conn.RemoteAddr().String()), assets.Text{})
		return conn, true
	}
	ips := ipsText{p.opt.IPs}
	switch {
	case isTimeout(lastErr):
		if p.t.ClientAuth {
			p.add(StepTCP, checks.Fail, dur, m("tcp.timeout", "Target", p.target, "Timeout", p.opt.Timeout),
				m("tcp.timeout.registered.remedy", "Port", p.port, "IPs", ips, "Service", p.t.Name))
		} else {
			p.add(StepTCP, checks.Fail, dur, m("tcp.timeout", "Target", p.target, "Timeout", p.opt.Timeout),
				m("tcp.timeout.remedy", "Port", p.port))
		}
	case (errors.Is(lastErr, syscall.ECONNREFUSED) || errors.Is(lastErr, syscall.ECONNRESET)) && p.t.ClientAuth:
		// Port 8443 of MSign and MPower answers registered addresses only.
		p.addCause(StepTCP, checks.Fail, dur, m("tcp.refused.allowlist", "Target", p.target, "Service", p.t.Name, "Port", p.port),
			p.allowlistRemedy(localAddrFor(addrs, p.port)), causeAllowList)
	case errors.Is(lastErr, syscall.ECONNREFUSED):
		p.add(StepTCP, checks.Fail, dur, m("tcp.refused", "Target", p.target), m("tcp.refused.remedy", "Port", p.port))
	case errors.Is(lastErr, syscall.ENETUNREACH), errors.Is(lastErr, syscall.EHOSTUNREACH):
		p.add(StepTCP, checks.Fail, dur, m("tcp.unreachable", "Target", p.target), m("tcp.unreachable.remedy"))
	default:
		p.add(StepTCP, checks.Fail, dur, m("tcp.error", "Target", p.target, "Err", errText(lastErr)), m("tcp.timeout.remedy", "Port", p.port))
	}
	return nil, false
}

// connect opens a tunnel to the target through an HTTP proxy (CONNECT).
func (p *probe) connect(ctx context.Context, proxy *url.URL) (net.Conn, error) {
	var d net.Dialer
	ph, pp := hostPort(proxy)
	if proxy.Port() == "" {
		pp = "8080"
		if proxy.Scheme == "https" {
			pp = "443"
		}
	}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ph, pp))
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: p.target}, Host: p.target, Header: http.Header{}}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.SetBasicAuth(u.Username(), pw)
		req.Header.Set("Proxy-Authorization", req.Header.Get("Authorization"))
		req.Header.Del("Authorization")
	}
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	resp, err := readResponse(conn, req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("proxy answered %s", shortStatus(resp))
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()))
}

// roots is the pool the server's chain is verified against.
func (p *probe) roots() *x509.CertPool {
	if p.opt.roots != nil {
		return p.opt.roots()
	}
	return rootPool(p.opt.Roots, p.opt.ExtraCAs)
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

// tls shakes hands, presenting the client certificate where the service
// authenticates clients.
func (p *probe) tls(ctx context.Context, conn net.Conn) (*tls.Conn, bool) {
	cfg := p.tlsConfig(true)
	tc := tls.Client(conn, cfg)
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	err := tc.HandshakeContext(ctx)
	d := time.Since(start)
	if err != nil {
		p.tlsFailure(err, d)
		return nil, false
	}
	p.mu.Lock()
	p.handshook = true
	p.mu.Unlock()
	p.tlsPassed = true
	st := tc.ConnectionState()
	leaf := st.PeerCertificates[0]
	args := []any{"Version", tls.VersionName(st.Version), "Subject", leaf.Subject.String(),
		"Issuer", leaf.Issuer.String(), "Date", leaf.NotAfter.UTC().Format("2006-01-02")}
	if p.proxy != nil {
		// The server's own certificate came through: the proxy tunnels TLS.
		p.add(StepTLS, checks.Pass, d, m("tls.ok_proxy", append(args, "Proxy", p.proxy.Host)...), assets.Text{})
	} else {
		p.add(StepTLS, checks.Pass, d, m("tls.ok", args...), assets.Text{})
	}
	return tc, true
}

// tlsConfig is the client side of TLS: the system certificate offered where
// the service authenticates clients, and one renegotiation allowed, since
// MSign's IIS may ask for the certificate by renegotiating under TLS 1.2.
// record: what the handshake learns is kept for the report.
func (p *probe) tlsConfig(record bool) *tls.Config {
	cfg := &tls.Config{ServerName: p.host, RootCAs: p.roots(), MinVersion: tls.VersionTLS12,
		Renegotiation: tls.RenegotiateOnceAsClient}
	cfg.VerifyConnection = func(tls.ConnectionState) error {
		if record {
			p.mu.Lock()
			p.sawServer = true
			p.mu.Unlock()
		}
		return nil
	}
	if p.t.ClientAuth {
		cfg.GetClientCertificate = func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if record {
				p.mu.Lock()
				p.asked = true
				p.renegotiated = p.renegotiated || p.handshook
				p.acceptCAs = p.acceptCAs[:0]
				for _, dn := range cri.AcceptableCAs {
					p.acceptCAs = append(p.acceptCAs, rdnString(dn))
				}
				p.acceptRaw = append([][]byte(nil), cri.AcceptableCAs...)
				p.mu.Unlock()
			}
			if p.opt.Client == nil {
				return &tls.Certificate{}, nil
			}
			return p.opt.Client, nil
		}
	}
	return cfg
}

// tlsFailure explains a failed handshake.
func (p *probe) tlsFailure(err error, d time.Duration) {
	var (
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		inv x509.CertificateInvalidError
		ve  *tls.CertificateVerificationError
	)
	if errors.As(err, &ve) && len(ve.UnverifiedCertificates) > 0 && !errors.As(err, &ua) && !errors.As(err, &hn) && !errors.As(err, &inv) {
		err = ve.Err
	}
	switch {
	case errors.As(err, &ua) && p.proxy != nil:
		issuer := ua.Cert.Issuer.String()
		p.addCause(StepTLS, checks.Fail, d, m("tls.intercepted_proxy", "Host", p.host, "Issuer", issuer, "Proxy", p.proxy.Host),
			m("tls.intercepted_proxy.remedy", "Host", p.host, "Proxy", p.proxy.Host), causeInterception)
	case errors.As(err, &ua):
		issuer := ua.Cert.Issuer.String()
		if looksLikeInterception(ua.Cert, p.host) {
			p.add(StepTLS, checks.Fail, d, m("tls.intercepted", "Host", p.host, "Issuer", issuer), m("tls.intercepted.remedy", "Host", p.host, "Issuer", issuer))
		} else {
			p.add(StepTLS, checks.Fail, d, m("tls.unknown_authority", "Host", p.host, "Issuer", issuer), m("tls.unknown_authority.remedy", "Issuer", issuer))
		}
	case errors.As(err, &hn):
		p.add(StepTLS, checks.Fail, d, m("tls.hostname", "Host", p.host, "Names", strings.Join(hn.Certificate.DNSNames, ", ")), m("tls.hostname.remedy"))
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		p.add(StepTLS, checks.Fail, d, m("tls.expired", "Host", p.host), m("tls.expired.remedy"))
	case isTimeout(err):
		p.add(StepTLS, checks.Fail, d, m("tls.timeout", "Target", p.target, "Timeout", p.opt.Timeout), m("tls.timeout.remedy", "Port", p.port))
	case p.t.ClientAuth && p.proxy == nil && droppedConnection(err) && !p.seenServer():
		// Dropped before the server showed its certificate: MSign's and
		// MPower's port 8443 resets addresses not on the allow-list.
		p.addCause(StepTLS, checks.Fail, d, m("tls.reset.allowlist", "Target", p.target, "Service", p.t.Name),
			p.allowlistRemedy(p.local), causeAllowList)
	case isCertRejection(err) && p.t.ClientAuth:
		// TLS 1.2 servers refuse a client certificate during the handshake.
		p.add(StepTLS, checks.Pass, d, m("tls.ok_refused", "Target", p.target), assets.Text{})
		p.rejected = true
	default:
		p.add(StepTLS, checks.Fail, d, m("tls.error", "Target", p.target, "Err", errText(err)), m("tls.error.remedy"))
	}
}

func (p *probe) seenServer() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sawServer
}

// looksLikeInterception: a certificate for the very host AGE serves, issued
// by an authority this machine does not know, is what TLS-inspecting proxies
// and antivirus products present.
func looksLikeInterception(c *x509.Certificate, host string) bool {
	if c.VerifyHostname(host) != nil {
		return false
	}
	issuer := strings.ToLower(c.Issuer.String())
	for _, hint := range []string{"proxy", "firewall", "fortinet", "fortigate", "sophos", "kaspersky", "eset", "avast", "bitdefender", "zscaler", "palo alto", "checkpoint", "check point", "bluecoat", "squid", "mitm", "inspection", "websense", "netskope", "cisco umbrella"} {
		if strings.Contains(issuer, hint) {
			return true
		}
	}
	// AGE's certificates come from public CAs; a private root for its host
	// name on this machine is most likely an interceptor.
	return true
}

func isCertRejection(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	for _, alert := range []string{"bad certificate", "certificate required", "unknown certificate authority", "certificate unknown", "access denied", "handshake failure",
		"expired certificate", "unsupported certificate", "revoked certificate"} {
		if strings.Contains(s, "tls: "+alert) {
			return true
		}
	}
	return false
}

// droppedConnection: the server closed the connection under us.
func droppedConnection(err error) bool {
	return err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

func (p *probe) serial() string {
	if p.opt.ClientSerial == "" {
		return "—"
	}
	return p.opt.ClientSerial
}

// maxHeaderBytes bounds the status line and headers of an answer, as
// maxBodyBytes bounds the part of its body that is read.
const (
	maxHeaderBytes = 64 << 10
	maxBodyBytes   = 64 << 10
)

// errHeadersTooLarge: an answer's headers went past maxHeaderBytes.
var errHeadersTooLarge = errors.New("response headers larger than 64 KiB")

// headerCap passes reads through, failing with errHeadersTooLarge once left
// bytes have been read; left < 0 lifts the cap.
type headerCap struct {
	r    io.Reader
	left int
}

func (c *headerCap) Read(b []byte) (int, error) {
	if c.left < 0 {
		return c.r.Read(b)
	}
	if c.left == 0 {
		return 0, errHeadersTooLarge
	}
	if len(b) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= n
	return n, err
}

// readResponse reads an answer's head from conn with at most
// maxHeaderBytes of status line and headers, however long a single line or
// however many lines the server sends; the caller caps the body.
func readResponse(conn net.Conn, req *http.Request) (*http.Response, error) {
	hc := &headerCap{r: conn, left: maxHeaderBytes}
	resp, err := http.ReadResponse(bufio.NewReader(hc), req)
	if hc.left == 0 && err != nil {
		// Whatever the parser made of the cut-off input, the cause is the cap.
		return nil, errHeadersTooLarge
	}
	if err != nil {
		return nil, err
	}
	hc.left = -1
	return resp, nil
}

// request sends the one harmless GET and reads the answer: at most
// maxHeaderBytes of headers and the first maxBodyBytes of the body.
func (p *probe) request(ctx context.Context, conn net.Conn) (*http.Response, []byte, time.Time, error) {
	start := time.Now()
	_ = conn.SetDeadline(start.Add(p.opt.Timeout))
	path := strings.TrimSuffix(p.u.Path, "/") + p.t.Probe
	ref, err := url.Parse(path)
	if err != nil {
		return nil, nil, start, err
	}
	u := *p.u
	u.Path, u.RawQuery = ref.Path, ref.RawQuery
	// AGE's services take no credentials in the URL; none are sent.
	u.User = nil
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, start, err
	}
	req.Header.Set("User-Agent", "egovsetup-diagnose")
	req.Close = true
	if err := req.Write(conn); err != nil {
		return nil, nil, start, err
	}
	resp, err := readResponse(conn, req)
	if err != nil {
		return nil, nil, start, err
	}
	// The body is not closed: closing would read it to its end, however
	// long; the connection is closed instead when the probe ends.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	return resp, body, start, nil
}

// mtls reports on client authentication; false when it failed.
func (p *probe) mtls(reqErr error) bool {
	p.mu.Lock()
	asked, cas, reneg := p.asked, p.acceptCAs, p.renegotiated
	p.mu.Unlock()
	switch {
	case p.opt.Client == nil:
		if isCertRejection(reqErr) {
			p.add(StepMTLS, checks.Fail, 0, m("mtls.none_required", "Service", p.t.Name), m("mtls.none.remedy"))
			return false
		}
		p.add(StepMTLS, checks.Skip, 0, m("mtls.none", "Service", p.t.Name), m("mtls.none.remedy"))
		return true
	case isCertRejection(reqErr) || (asked && droppedConnection(reqErr)):
		// TLS 1.3 servers refuse a certificate after the handshake: an alert,
		// or, when the request crosses it, a reset connection. Before
		// registration is blamed, the certificate is held against what the
		// server asked for.
		msg, remedy, cause := p.clientCause()
		p.addCause(StepMTLS, checks.Fail, 0, msg, remedy, cause)
		return false
	case !asked:
		p.add(StepMTLS, checks.Warn, 0, m("mtls.not_asked", "Service", p.t.Name), m("mtls.not_asked.remedy"))
		return true
	}
	accepts := strings.Join(cas, "; ")
	if accepts == "" {
		accepts = "—"
	}
	if reneg {
		p.add(StepMTLS, checks.Pass, 0, m("mtls.ok_renegotiated", "Serial", p.serial(), "Issuers", accepts), assets.Text{})
		return true
	}
	p.add(StepMTLS, checks.Pass, 0, m("mtls.ok", "Serial", p.serial(), "Issuers", accepts), assets.Text{})
	return true
}

// refusalTexts are the reasons AGE's SOAP services give, with the fault
// code AuthenticationFailed, for a client certificate they do not know, in
// both forms AGE documents: "Invalid authentication certificate provided,
// Unknown service consumer: {serial}" (PostSignRequest) and "…, Unknown or
// unregistered system: {serial}" (GetSignResponse) — egov4dev
// docs/guides/msign/api-reference.md. Those faults answer SOAP calls; the
// probe's GET of the WSDL is not one and cannot get a SOAP fault back, so
// the probe claims none: it only recognises the same words when a server
// or the gateway in front of it answers the GET with them.
var refusalTexts = []string{"unknown service consumer", "unknown or unregistered system"}

// refusedCertificate reports whether body carries one of refusalTexts.
func refusedCertificate(body []byte) bool {
	low := strings.ToLower(string(body))
	for _, t := range refusalTexts {
		if strings.Contains(low, t) {
			return true
		}
	}
	return false
}

// otherCause reports a refused certificate whose cause is not its
// registration (validity, issuer, chain) and returns true; false when
// registration is what is left to blame.
func (p *probe) otherCause(step string, d time.Duration) bool {
	msg, remedy, cause := p.clientCause()
	if cause == causeNotRegistered {
		return false
	}
	p.addCause(step, checks.Fail, d, msg, remedy, cause)
	return true
}

// maxStatusRunes bounds the status line shown: a server may send one as
// long as the header cap allows.
const maxStatusRunes = 80

// shortStatus is resp's status ("403 Forbidden") as shown, cut to
// maxStatusRunes.
func shortStatus(resp *http.Response) string {
	s := resp.Status
	if utf8.RuneCountInString(s) <= maxStatusRunes {
		return s
	}
	return string([]rune(s)[:maxStatusRunes]) + "…"
}

// serviceMPower is the service whose HTTP status codes tell certificate
// problems apart (see http).
const serviceMPower = "mpower"

// http interprets the probe's answer; false when no answer came.
func (p *probe) http(resp *http.Response, body []byte, err error, d time.Duration) bool {
	url := p.shown + p.t.Probe
	if err != nil {
		if errors.Is(err, errHeadersTooLarge) {
			p.add(StepHTTP, checks.Fail, d, m("http.headers_too_large", "URL", url, "Max", "64 KiB"), m("http.headers_too_large.remedy"))
			return false
		}
		if isTimeout(err) {
			p.add(StepHTTP, checks.Fail, d, m("http.timeout", "URL", url, "Timeout", p.opt.Timeout), m("http.timeout.remedy"))
		} else {
			p.add(StepHTTP, checks.Fail, d, m("http.error", "URL", url, "Err", errText(err)), m("http.timeout.remedy"))
		}
		return false
	}
	refused := resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized
	switch {
	case p.t.ClientAuth && refusedCertificate(body) && p.otherCause(StepHTTP, d):
	case p.t.ClientAuth && refusedCertificate(body):
		p.addCause(StepHTTP, checks.Fail, d, m("http.not_registered", "URL", url, "Status", shortStatus(resp), "Serial", p.serial()),
			m("http.not_registered.remedy", "Serial", p.serial(), "Service", p.t.Name), causeNotRegistered)
	// MPower authenticates the caller by its certificate, then checks that
	// the requested endpoint is among the certificate's AllowedEndpoints,
	// answering 403 Forbidden when it is not (egov4dev
	// docs/guides/mpower/security.md, "Authentication" and "Access
	// authorization"); 401 is its answer to an unauthorized caller
	// (docs/guides/mpower/api-reference.md, "Error handling").
	case p.t.Service == serviceMPower && resp.StatusCode == http.StatusUnauthorized && p.otherCause(StepHTTP, d):
	case p.t.Service == serviceMPower && resp.StatusCode == http.StatusUnauthorized:
		p.add(StepHTTP, checks.Fail, d, m("http.mpower_unknown", "URL", url, "Status", shortStatus(resp), "Serial", p.serial()),
			m("http.mpower_unknown.remedy", "Serial", p.serial()))
	case p.t.Service == serviceMPower && resp.StatusCode == http.StatusForbidden:
		p.add(StepHTTP, checks.Fail, d, m("http.mpower_endpoint", "URL", url, "Status", shortStatus(resp), "Serial", p.serial(), "Path", p.t.Probe),
			m("http.mpower_endpoint.remedy", "Serial", p.serial()))
	case refused && p.t.ClientAuth:
		p.add(StepHTTP, checks.Fail, d, m("http.forbidden", "URL", url, "Status", shortStatus(resp)),
			m("http.refused_client.remedy", "IPs", ipsText{p.opt.IPs}, "Serial", p.serial(), "Service", p.t.Name))
	case refused:
		p.add(StepHTTP, checks.Fail, d, m("http.forbidden", "URL", url, "Status", shortStatus(resp)), m("http.forbidden.remedy", "IPs", ipsText{p.opt.IPs}))
	case resp.StatusCode >= 200 && resp.StatusCode < 400:
		p.add(StepHTTP, checks.Pass, d, m("http.ok", "URL", url, "Status", shortStatus(resp)), assets.Text{})
	case resp.StatusCode == http.StatusNotFound:
		p.add(StepHTTP, checks.Warn, d, m("http.not_found", "URL", url), m("http.not_found.remedy"))
	case resp.StatusCode >= 500:
		p.add(StepHTTP, checks.Warn, d, m("http.server_error", "URL", url, "Status", shortStatus(resp)), m("http.server_error.remedy"))
	default:
		p.add(StepHTTP, checks.Info, d, m("http.other", "URL", url, "Status", shortStatus(resp)), assets.Text{})
	}
	return true
}

// farSkew is the difference beyond which the two clocks are shown as dates:
// a server or a local clock that far off is plainly wrong.
const farSkew = 24 * time.Hour

const clockLayout = "2006-01-02 15:04:05 UTC"

// clock compares the server's Date header with the local clock.
func (p *probe) clock(resp *http.Response) {
	date := resp.Header.Get("Date")
	t, err := http.ParseTime(date)
	if date == "" || err != nil {
		p.add(StepClock, checks.Skip, 0, m("clock.no_date"), assets.Text{})
		return
	}
	// time.Time.Sub saturates, so each side's difference is computed as a
	// positive duration: a Date in the year 9999 or 1970 is far, not negative.
	now := p.opt.Now()
	dir, abs := "ahead", now.Sub(t)
	if t.After(now) {
		dir, abs = "behind", t.Sub(now)
	}
	abs = abs.Round(time.Second)
	switch {
	case abs > farSkew:
		p.add(StepClock, checks.Fail, 0, m("clock.far", "Server", t.UTC().Format(clockLayout), "Local", now.UTC().Format(clockLayout)), m("clock.far.remedy"))
	case abs > 5*time.Minute:
		p.add(StepClock, checks.Fail, 0, m("clock."+dir, "Skew", abs), m("clock.remedy"))
	case abs > time.Minute:
		p.add(StepClock, checks.Warn, 0, m("clock."+dir, "Skew", abs), m("clock.remedy"))
	default:
		p.add(StepClock, checks.Pass, 0, m("clock.ok", "Skew", abs), assets.Text{})
	}
}

// errText is an error's text without Go's "dial tcp ...:" prefixes.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		err = se.Err
	}
	return err.Error()
}

// errRejected stands for a handshake the server ended over our certificate.
var errRejected = errors.New("tls: bad certificate")

// rdnString renders a DER-encoded distinguished name.
func rdnString(der []byte) string {
	var seq pkix.RDNSequence
	if _, err := asn1.Unmarshal(der, &seq); err != nil {
		return fmt.Sprintf("%x", der)
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return n.String()
}
