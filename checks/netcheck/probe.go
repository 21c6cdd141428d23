package netcheck

import (
	"context"
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

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// probe is one target's state as its stages run.
type probe struct {
	opt    Options
	t      Target
	u      *url.URL // nil: the URL cannot be checked
	host   string
	port   string
	target string // host:port
	// shown is the base URL as it may be shown: without a password.
	shown   string
	results []Result
	proxy   *url.URL

	// addrs are the host's addresses (none when the proxy resolves it).
	addrs []net.IP
	// conn is the TCP connection (or the proxy's tunnel); wire carries the
	// requests over it, through TLS over https.
	conn net.Conn
	wire *wire
	// addr is the address that answered; local the address this machine
	// used to reach it.
	addr  string
	local string
	// refusal is the alert with which the server ended the handshake over
	// the client certificate (TLS 1.2).
	refusal error

	// The harmless request's answer, made once (see exchange).
	exchanged bool
	resp      *http.Response
	body      []byte
	reqDur    time.Duration
	reqErr    error

	mu sync.Mutex
	// What the TLS handshake learned about client authentication.
	asked     bool
	acceptCAs []string
	acceptRaw [][]byte
	// handshook: the first handshake is over; a request for the client
	// certificate after it came by renegotiation.
	handshook    bool
	renegotiated bool
	// sawServer: the server's certificate arrived (TLS got that far).
	sawServer bool

	// leaf and chain are the client certificate and the rest of its .pfx.
	leaf  *x509.Certificate
	chain []*x509.Certificate
}

func newProbe(opt Options, t Target) *probe {
	p := &probe{opt: opt, t: t}
	if opt.Client != nil {
		for i, der := range opt.Client.Certificate {
			if i == 0 && opt.Client.Leaf != nil {
				continue
			}
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

// m is the catalogue message key (written whole) with its placeholders.
func m(key string, kv ...any) assets.Text { return assets.Msg(key, kv...) }

// ipsText is the registered addresses for a remedy, localized lazily.
type ipsText struct{ ips []string }

func (t ipsText) In(lang string) string {
	if len(t.ips) == 0 {
		return assets.T(lang, "net.ips_none")
	}
	return strings.Join(t.ips, ", ")
}

// dnsStage resolves the host (an IP literal needs no lookup).
func (p *probe) dnsStage(ctx context.Context) (outcome, bool) {
	if p.u == nil {
		return result(StepDNS, checks.Fail, 0, m("net.bad_url", "URL", p.shown), m("net.bad_url.remedy")), false
	}
	if ip := net.ParseIP(p.host); ip != nil {
		p.addrs = []net.IP{ip}
		return result(StepDNS, checks.Pass, 0, m("net.dns.literal", "Host", p.host), assets.Text{}), true
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
		if p.proxy != nil {
			// The proxy resolves names; this machine may not need to.
			return result(StepDNS, checks.Info, d, m("net.dns.via_proxy", "Host", p.host, "Proxy", p.proxy.Host), assets.Text{}), true
		}
		return p.dnsFailure(err, d), false
	}
	var names []string
	for _, a := range ips {
		p.addrs = append(p.addrs, a.IP)
		names = append(names, a.IP.String())
	}
	return result(StepDNS, checks.Pass, d, m("net.dns.ok", "Host", p.host, "Addresses", strings.Join(names, ", ")), assets.Text{}), true
}

// dnsFailure explains a failed lookup.
func (p *probe) dnsFailure(err error, d time.Duration) outcome {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return result(StepDNS, checks.Fail, d, m("net.dns.not_found", "Host", p.host), m("net.dns.not_found.remedy", "Host", p.host)).because(causeDNS)
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &de) && de.IsTimeout):
		return result(StepDNS, checks.Fail, d, m("net.dns.timeout", "Host", p.host, "Timeout", p.opt.Timeout), m("net.dns.timeout.remedy")).because(causeDNS)
	}
	return result(StepDNS, checks.Fail, d, m("net.dns.error", "Host", p.host, "Err", errText(err)), m("net.dns.timeout.remedy")).because(causeDNS)
}

// tcpStage connects: through the proxy when one applies, else to every
// address at once, keeping the first that answers.
func (p *probe) tcpStage(ctx context.Context) (outcome, bool) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	if p.proxy != nil {
		conn, err := p.connect(ctx, p.proxy)
		d := time.Since(start)
		if err != nil {
			return result(StepTCP, checks.Fail, d, m("net.tcp.proxy_failed", "Proxy", p.proxy.Host, "Target", p.target, "Err", errText(err)),
				m("net.tcp.proxy_failed.remedy", "Proxy", p.proxy.Host)), false
		}
		p.setConn(conn)
		return result(StepTCP, checks.Pass, d, m("net.tcp.via_proxy", "Target", p.target, "Proxy", p.proxy.Host), assets.Text{}), true
	}
	conn, err := dialFirst(ctx, p.addrs, p.port)
	d := time.Since(start)
	if err != nil {
		return p.tcpFailure(err, d), false
	}
	p.addr, p.local = conn.RemoteAddr().String(), conn.LocalAddr().String()
	p.setConn(conn)
	return result(StepTCP, checks.Pass, d, m("net.tcp.ok", "Address", p.addr), assets.Text{}), true
}

// setConn keeps the connection the later stages use.
func (p *probe) setConn(conn net.Conn) {
	p.conn = conn
	p.wire = newWire(conn)
}

// dialFirst connects to every address at once and returns the first
// connection made, or the most telling error: a timeout over any other.
func dialFirst(ctx context.Context, addrs []net.IP, port string) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type dialed struct {
		conn net.Conn
		err  error
	}
	ch := make(chan dialed, len(addrs))
	var d net.Dialer
	for _, ip := range addrs {
		go func() {
			c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), port))
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
	if conn != nil {
		return conn, nil
	}
	return nil, lastErr
}

// tcpFailure explains a failed connection.
func (p *probe) tcpFailure(err error, d time.Duration) outcome {
	ips := ipsText{p.opt.IPs}
	switch {
	case isTimeout(err) && p.t.ClientAuth:
		return result(StepTCP, checks.Fail, d, m("net.tcp.timeout", "Target", p.target, "Timeout", p.opt.Timeout),
			m("net.tcp.timeout.registered.remedy", "Port", p.port, "IPs", ips, "Service", p.t.Name))
	case isTimeout(err):
		return result(StepTCP, checks.Fail, d, m("net.tcp.timeout", "Target", p.target, "Timeout", p.opt.Timeout),
			m("net.tcp.timeout.remedy", "Port", p.port))
	case (errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)) && p.t.ClientAuth:
		// Port 8443 of MSign and MPower answers registered addresses only.
		return result(StepTCP, checks.Fail, d, m("net.tcp.refused.allowlist", "Target", p.target, "Service", p.t.Name, "Port", p.port),
			p.allowlistRemedy(localAddrFor(p.addrs, p.port))).because(causeAllowList)
	case errors.Is(err, syscall.ECONNREFUSED):
		return result(StepTCP, checks.Fail, d, m("net.tcp.refused", "Target", p.target), m("net.tcp.refused.remedy", "Port", p.port))
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return result(StepTCP, checks.Fail, d, m("net.tcp.unreachable", "Target", p.target), m("net.tcp.unreachable.remedy"))
	}
	return result(StepTCP, checks.Fail, d, m("net.tcp.error", "Target", p.target, "Err", errText(err)), m("net.tcp.timeout.remedy", "Port", p.port))
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
