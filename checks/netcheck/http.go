package netcheck

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

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

// otherCause is the outcome of a refused certificate whose cause is not
// its registration (validity, issuer, chain); false when registration is
// what is left to blame.
func (p *probe) otherCause(step string, d time.Duration) (outcome, bool) {
	msg, remedy, cause := p.clientCause()
	if cause == causeNotRegistered {
		return outcome{}, false
	}
	return result(step, checks.Fail, d, msg, remedy).because(cause), true
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
// problems apart (see refusedAnswer).
const serviceMPower = "mpower"

// httpStage interprets the answer to the harmless request; the probe stops
// when none came.
func (p *probe) httpStage(ctx context.Context) (outcome, bool) {
	resp, body, d, err := p.exchange(ctx)
	if err != nil {
		return p.httpError(err, d), false
	}
	if o, ok := p.refusedAnswer(resp, body, d); ok {
		return o, true
	}
	return p.plainAnswer(resp, d), true
}

// httpError explains a request that got no answer.
func (p *probe) httpError(err error, d time.Duration) outcome {
	url := p.shown + p.t.Probe
	switch {
	case errors.Is(err, errHeadersTooLarge):
		return result(StepHTTP, checks.Fail, d, m("net.http.headers_too_large", "URL", url, "Max", "64 KiB"), m("net.http.headers_too_large.remedy"))
	case isTimeout(err):
		return result(StepHTTP, checks.Fail, d, m("net.http.timeout", "URL", url, "Timeout", p.opt.Timeout), m("net.http.timeout.remedy"))
	}
	return result(StepHTTP, checks.Fail, d, m("net.http.error", "URL", url, "Err", errText(err)), m("net.http.timeout.remedy"))
}

// refusedAnswer reads an answer that refuses the client certificate; false
// when the answer is not one.
func (p *probe) refusedAnswer(resp *http.Response, body []byte, d time.Duration) (outcome, bool) {
	url, status := p.shown+p.t.Probe, shortStatus(resp)
	if p.t.ClientAuth && refusedCertificate(body) {
		if o, ok := p.otherCause(StepHTTP, d); ok {
			return o, true
		}
		return result(StepHTTP, checks.Fail, d, m("net.http.not_registered", "URL", url, "Status", status, "Serial", p.serial()),
			m("net.http.not_registered.remedy", "Serial", p.serial(), "Service", p.t.Name)).because(causeNotRegistered), true
	}
	// MPower authenticates the caller by its certificate, then checks that
	// the requested endpoint is among the certificate's AllowedEndpoints,
	// answering 403 Forbidden when it is not (egov4dev
	// docs/guides/mpower/security.md, "Authentication" and "Access
	// authorization"); 401 is its answer to an unauthorized caller
	// (docs/guides/mpower/api-reference.md, "Error handling").
	switch c := resp.StatusCode; {
	case p.t.Service == serviceMPower && c == http.StatusUnauthorized:
		if o, ok := p.otherCause(StepHTTP, d); ok {
			return o, true
		}
		return result(StepHTTP, checks.Fail, d, m("net.http.mpower_unknown", "URL", url, "Status", status, "Serial", p.serial()),
			m("net.http.mpower_unknown.remedy", "Serial", p.serial())), true
	case p.t.Service == serviceMPower && c == http.StatusForbidden:
		return result(StepHTTP, checks.Fail, d, m("net.http.mpower_endpoint", "URL", url, "Status", status, "Serial", p.serial(), "Path", p.t.Probe),
			m("net.http.mpower_endpoint.remedy", "Serial", p.serial())), true
	case p.t.ClientAuth && (c == http.StatusForbidden || c == http.StatusUnauthorized):
		return result(StepHTTP, checks.Fail, d, m("net.http.forbidden", "URL", url, "Status", status),
			m("net.http.refused_client.remedy", "IPs", ipsText{p.opt.IPs}, "Serial", p.serial(), "Service", p.t.Name)), true
	}
	return outcome{}, false
}

// plainAnswer reads an answer by its status.
func (p *probe) plainAnswer(resp *http.Response, d time.Duration) outcome {
	url, status := p.shown+p.t.Probe, shortStatus(resp)
	switch c := resp.StatusCode; {
	case c == http.StatusForbidden || c == http.StatusUnauthorized:
		return result(StepHTTP, checks.Fail, d, m("net.http.forbidden", "URL", url, "Status", status), m("net.http.forbidden.remedy", "IPs", ipsText{p.opt.IPs}))
	case c >= 200 && c < 400:
		return result(StepHTTP, checks.Pass, d, m("net.http.ok", "URL", url, "Status", status), assets.Text{})
	case c == http.StatusNotFound:
		return result(StepHTTP, checks.Warn, d, m("net.http.not_found", "URL", url), m("net.http.not_found.remedy"))
	case c >= 500:
		return result(StepHTTP, checks.Warn, d, m("net.http.server_error", "URL", url, "Status", status), m("net.http.server_error.remedy"))
	}
	return result(StepHTTP, checks.Info, d, m("net.http.other", "URL", url, "Status", status), assets.Text{})
}

// farSkew is the difference beyond which the two clocks are shown as dates:
// a server or a local clock that far off is plainly wrong.
const farSkew = 24 * time.Hour

const clockLayout = "2006-01-02 15:04:05 UTC"

// clockStage compares the server's Date header with the local clock.
func (p *probe) clockStage(ctx context.Context) (outcome, bool) {
	resp, _, _, _ := p.exchange(ctx)
	date := resp.Header.Get("Date")
	t, err := http.ParseTime(date)
	if date == "" || err != nil {
		return result(StepClock, checks.Skip, 0, m("net.clock.no_date"), assets.Text{}), true
	}
	// time.Time.Sub saturates, so each side's difference is computed as a
	// positive duration: a Date in the year 9999 or 1970 is far, not negative.
	now := p.opt.Now()
	skewKey, abs := "net.clock.ahead", now.Sub(t)
	if t.After(now) {
		skewKey, abs = "net.clock.behind", t.Sub(now)
	}
	abs = abs.Round(time.Second)
	switch {
	case abs > farSkew:
		return result(StepClock, checks.Fail, 0, m("net.clock.far", "Server", t.UTC().Format(clockLayout), "Local", now.UTC().Format(clockLayout)), m("net.clock.far.remedy")), true
	case abs > 5*time.Minute:
		return result(StepClock, checks.Fail, 0, m(skewKey, "Skew", abs), m("net.clock.remedy")), true
	case abs > time.Minute:
		return result(StepClock, checks.Warn, 0, m(skewKey, "Skew", abs), m("net.clock.remedy")), true
	}
	return result(StepClock, checks.Pass, 0, m("net.clock.ok", "Skew", abs), assets.Text{}), true
}
