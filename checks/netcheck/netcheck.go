// Package netcheck tests whether this machine can reach AGE's platforms the
// way a registered system must: DNS, TCP, TLS, mutual TLS, one harmless HTTP
// request, the authenticated call and the clock. Each target's steps are a
// table of stages (pipeline.go) run in order over one connection, and a
// failed step skips those after it; all targets run at once, each operation
// bounded by a timeout, so a run where everything is black-holed ends in
// about one timeout. Every failure names its likely cause and the remedy.
package netcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Steps, in the order they run for a target.
const (
	StepDNS  = "dns"
	StepTCP  = "tcp"
	StepTLS  = "tls"
	StepMTLS = "mtls"
	StepHTTP = "http"
	// StepAuth asks the service, with the client certificate, whether it
	// knows the system: MSign's GetSignResponse, MPower's check endpoint.
	StepAuth = "auth"
	// StepIdP reads MPass's IdP metadata and its signing certificate.
	StepIdP   = "idp"
	StepClock = "clock"
)

// Steps lists the steps in order (the stages' IDs).
var Steps = []string{StepDNS, StepTCP, StepTLS, StepMTLS, StepHTTP, StepAuth, StepIdP, StepClock}

// DefaultTimeout bounds each network operation.
const DefaultTimeout = 5 * time.Second

// Target is one service in one environment.
type Target struct {
	Service string // service ID: mpass, msign, mpower
	Name    string // display name: MSign
	Env     string
	// URL is the service's base URL; Probe the harmless path requested.
	URL   string
	Probe string
	// ClientAuth: the service authenticates the client by TLS certificate.
	ClientAuth bool
	// Auth is the path of the harmless authenticated call that tells whether
	// the service knows the client certificate ("": none).
	Auth string
	// Metadata: the probe's answer is SAML IdP metadata to be checked.
	Metadata bool
}

// Applies reports whether step is checked for t: TLS and the client
// certificate's steps only over https, the authenticated call only where
// the service has one, the IdP metadata only for MPass. The probe and the
// connectivity screen both go by it.
func (t Target) Applies(step string) bool {
	https := !strings.HasPrefix(strings.ToLower(strings.TrimSpace(t.URL)), "http://")
	switch step {
	case StepTLS:
		return https
	case StepMTLS:
		return t.ClientAuth && https
	case StepAuth:
		return t.ClientAuth && t.Auth != "" && https
	case StepIdP:
		return t.Metadata
	}
	return true
}

// Targets makes the targets for services (IDs; empty: all) in env from data,
// with overrides replacing a service's base URL (service ID → URL).
func Targets(d *assets.Data, services []string, env string, overrides map[string]string) []Target {
	var out []Target
	for _, s := range d.Ordered() {
		chosen := len(services) == 0
		for _, id := range services {
			chosen = chosen || id == s.ID
		}
		if !chosen {
			continue
		}
		base := s.Env[env].Base
		if o, ok := overrides[s.ID]; ok {
			base = o
		}
		out = append(out, Target{Service: s.ID, Name: s.Name, Env: env, URL: base, Probe: s.Paths["probe"], ClientAuth: s.ClientAuth,
			Auth: s.Paths["auth"], Metadata: s.Paths["probe"] != "" && s.Paths["probe"] == s.Paths["metadata"]})
	}
	return out
}

// Options configure a run.
type Options struct {
	Targets []Target
	// Client is the system certificate with its in-memory key, presented to
	// services that authenticate clients (nil: none loaded).
	Client *tls.Certificate
	// ClientSerial is the client certificate's serial in upper-case hex.
	ClientSerial string
	// ExtraCAs are trusted in addition to the system roots (--ca).
	ExtraCAs []*x509.Certificate
	// Roots replaces the system roots (tests); nil means the system's.
	Roots *x509.CertPool
	// Timeout bounds each operation (0: DefaultTimeout).
	Timeout time.Duration
	// IPs are the addresses registered (or to be registered) with AGE; named
	// in remedies.
	IPs []string
	// Proxy picks the proxy for a URL (nil: HTTPS_PROXY/NO_PROXY from the
	// environment).
	Proxy func(*url.URL) (*url.URL, error)
	// Resolver looks names up (nil: net.DefaultResolver).
	Resolver *net.Resolver
	// IdPCert is the MPass IdP signing certificate the integrator configured
	// (--idp-cert); the metadata's is compared with it.
	IdPCert *x509.Certificate
	// Now is the local clock (nil: time.Now).
	Now func() time.Time
	// OnResult, when set, receives each result as it is known (from several
	// goroutines at once).
	OnResult func(Result)
	// Sequential runs targets one after the other (for comparison only).
	Sequential bool

	// roots are what every probe verifies servers against; Run starts
	// loading them alongside the probes' DNS and TCP steps.
	roots *roots
}

// Result is one step's outcome for one target.
type Result struct {
	Service string
	// Name is the service's display name, from the data the targets were
	// made from (--data included).
	Name     string
	Env      string
	Target   string // host:port or URL
	Step     string
	Status   checks.Severity
	Message  assets.Text
	Remedy   assets.Text
	Duration time.Duration
	// Cause names what a failure comes from, for the verdict ("" when the
	// message is the whole story).
	Cause string
}

type resultJSON struct {
	Service    string          `json:"service"`
	Env        string          `json:"env"`
	Target     string          `json:"target"`
	Step       string          `json:"step"`
	Status     checks.Severity `json:"status"`
	Message    string          `json:"message"`
	Remedy     string          `json:"remedy,omitempty"`
	Cause      string          `json:"cause,omitempty"`
	DurationMS int64           `json:"duration_ms"`
}

// MarshalJSON writes the result language-neutrally (English texts).
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultJSON{r.Service, r.Env, r.Target, r.Step, r.Status,
		r.Message.String(), r.Remedy.String(), r.Cause, r.Duration.Milliseconds()})
}

// Run checks every target and returns the results in target and step order.
func Run(ctx context.Context, opt Options) []Result {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Proxy == nil {
		opt.Proxy = proxyFromEnvironment
	}
	opt.roots = newRoots(opt.Roots, opt.ExtraCAs)
	per := make([][]Result, len(opt.Targets))
	if opt.Sequential {
		for i, t := range opt.Targets {
			per[i] = newProbe(opt, t).run(ctx)
		}
	} else {
		var wg sync.WaitGroup
		for i, t := range opt.Targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				per[i] = newProbe(opt, t).run(ctx)
			}()
		}
		wg.Wait()
	}
	resolverDown(per, opt.Targets)
	var out []Result
	for _, rs := range per {
		out = append(out, rs...)
	}
	return out
}

// resolverDown says once that this machine cannot resolve names when every
// target's name failed to resolve: the first target's DNS result names all
// the hosts, the others point to it.
func resolverDown(per [][]Result, targets []Target) {
	if len(per) < 2 {
		return
	}
	var hosts []string
	for _, rs := range per {
		if len(rs) == 0 || rs[0].Step != StepDNS || rs[0].Status != checks.Fail || rs[0].Cause != causeDNS {
			return
		}
		h, _, err := net.SplitHostPort(rs[0].Target)
		if err != nil {
			h = rs[0].Target
		}
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	first := &per[0][0]
	first.Message = m("net.dns.resolver_down", "Hosts", strings.Join(hosts, ", "))
	first.Remedy = m("net.dns.resolver_down.remedy")
	first.Cause = causeResolver
	for i := 1; i < len(per); i++ {
		r := &per[i][0]
		r.Status, r.Message, r.Remedy, r.Cause = checks.Skip, m("net.dns.resolver_down.same", "Service", targets[0].Name), assets.Text{}, ""
	}
}

// Check is the result as a check: its ID the step.
func (r Result) Check() checks.Check {
	return checks.Check{ID: r.Step, Severity: r.Status, Message: r.Message, Remedy: r.Remedy}
}

// Worst is the most severe status among results.
func Worst(results []Result) checks.Severity {
	list := make([]checks.Check, len(results))
	for i, r := range results {
		list[i] = r.Check()
	}
	return checks.Worst(list)
}

func proxyFromEnvironment(u *url.URL) (*url.URL, error) {
	return http.ProxyFromEnvironment(&http.Request{URL: u})
}

// hostPort splits a URL into host and port (default by scheme).
func hostPort(u *url.URL) (string, string) {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return u.Hostname(), port
}
