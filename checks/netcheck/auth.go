package netcheck

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/xml"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// The one authenticated call the auth step makes asks a question whose
// answer creates nothing at AGE and tells whether the service knows the
// client certificate.
//
// MSign: GetSignResponse for a random request ID that was never posted,
// as AGE's client library sends it (egov-moldova/Egov.Integrations.MSign.Soap,
// Connected Services/Age.Integrations.MSign.Soap/Reference.cs: WCF
// BasicHttpBinding, so SOAP 1.1; contract namespace https://msign.gov.md;
// action https://msign.gov.md/IMSign/GetSignResponse; parameters requestID
// and language), POSTed to {base}/MSign.svc:
//
//	POST /MSign.svc HTTP/1.1
//	Content-Type: text/xml; charset=utf-8
//	SOAPAction: "https://msign.gov.md/IMSign/GetSignResponse"
//
//	<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
//	<GetSignResponse xmlns="https://msign.gov.md"><requestID>{32 random hex
//	digits}</requestID><language>en</language></GetSignResponse></s:Body></s:Envelope>
//
// Its faults (egov4dev docs/guides/msign/api-reference.md, GetSignResponse):
// RequestNotFound "Cannot find such request" — the consumer passed
// authentication, so the certificate is registered; AuthenticationFailed
// "Invalid authentication certificate provided, Unknown or unregistered
// system: {serial}" — it is not.
//
// MPower: GET {base}/clients-api/api/Authorization/check/Code-True-One
// ?AuthorizationCode=0000000000000000 with "Accept: text/plain", as the
// curl example of egov4dev docs/guides/mpower/api-reference.md ("Check
// authorization validity"), with a code no power of representation has.
// A 404 or 400 (not found, validation) comes only after the certificate
// was authenticated and the endpoint allowed; 403 means the endpoint is not
// among the certificate's AllowedEndpoints (docs/guides/mpower/security.md);
// 401 that the certificate is not known.

const (
	msignNamespace = "https://msign.gov.md"
	msignAction    = msignNamespace + "/IMSign/GetSignResponse"
	serviceMSign   = "msign"
)

// msignEnvelope is GetSignResponse's SOAP 1.1 request for requestID.
func msignEnvelope(requestID string) string {
	return `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
		`<GetSignResponse xmlns="` + msignNamespace + `"><requestID>` + requestID + `</requestID>` +
		`<language>en</language></GetSignResponse></s:Body></s:Envelope>`
}

func randomRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// authStage makes the authenticated call and reads AGE's answer. The call
// goes over the connection the harmless request used when the server kept
// it open, else over a new one to the same address.
func (p *probe) authStage(ctx context.Context) (outcome, bool) {
	if p.opt.Client == nil {
		return result(StepAuth, checks.Skip, 0, m("net.auth.no_cert", "Service", p.t.Name), assets.Text{}), true
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, p.opt.Timeout)
	defer cancel()
	resp, body, err := p.authCall(ctx)
	d := time.Since(start)
	switch {
	case err != nil && (refusedByAlert(err) || droppedConnection(err)):
		msg, remedy, cause := p.clientCause()
		return result(StepAuth, checks.Fail, d, msg, remedy).because(cause), true
	case err != nil:
		return result(StepAuth, checks.Warn, d, m("net.auth.error", "Service", p.t.Name, "Err", errText(err)), m("net.http.timeout.remedy")), true
	case p.t.Service == serviceMSign:
		return p.authMSign(resp, body, d), true
	}
	return p.authMPower(resp, d), true
}

// authCall sends the call over the open connection when it may be used
// again, and over a new one when it may not or when the call failed there
// for another reason than a refusal or a timeout: a keep-alive connection
// may be closed at any time, and allows no second renegotiation.
func (p *probe) authCall(ctx context.Context) (*http.Response, []byte, error) {
	req, err := p.authRequest(ctx)
	if err != nil {
		return nil, nil, err
	}
	if p.wire != nil && p.wire.reusable {
		resp, body, err := p.wire.roundTrip(req, p.opt.Timeout)
		if err == nil || refusedByAlert(err) || isTimeout(err) {
			return resp, body, err
		}
		if req, err = p.authRequest(ctx); err != nil {
			return nil, nil, err
		}
	}
	w, err := p.redial(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer w.conn.Close()
	return w.roundTrip(req, p.opt.Timeout)
}

// redial connects again (through the same proxy, to the address that
// answered) and shakes hands as the tls stage did.
func (p *probe) redial(ctx context.Context) (*wire, error) {
	var (
		conn net.Conn
		err  error
	)
	if p.proxy != nil {
		conn, err = p.connect(ctx, p.proxy)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", p.addr)
	}
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if p.u.Scheme != "https" {
		return newWire(conn), nil
	}
	tc := tls.Client(conn, p.tlsConfig(false))
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return newWire(tc), nil
}

// authRequest is the authenticated call: MSign's GetSignResponse, MPower's
// check endpoint. It is the connection's last request.
func (p *probe) authRequest(ctx context.Context) (*http.Request, error) {
	u := *p.u
	u.User = nil
	var (
		req *http.Request
		err error
	)
	if p.t.Service == serviceMSign {
		u.Path = strings.TrimSuffix(p.u.Path, "/") + p.t.Auth
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(msignEnvelope(randomRequestID())))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		req.Header.Set("SOAPAction", `"`+msignAction+`"`)
	} else {
		ref, perr := u.Parse(strings.TrimSuffix(p.u.Path, "/") + p.t.Auth)
		if perr != nil {
			return nil, perr
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, ref.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "text/plain")
	}
	req.Header.Set("User-Agent", userAgent)
	req.Close = true
	return req, nil
}

// soapFault is what a SOAP 1.1 or 1.2 fault says: its codes (local names,
// subcodes included) and its reason.
type soapFault struct {
	codes  []string
	reason string
}

// parseFault reads the fault in body, if any.
func parseFault(body []byte) (soapFault, bool) {
	var f soapFault
	found := false
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	var stack []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if t.Name.Local == "Fault" {
				found = true
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if !found || len(stack) == 0 {
				continue
			}
			text := strings.TrimSpace(string(t))
			if text == "" {
				continue
			}
			switch stack[len(stack)-1] {
			case "faultcode", "Value":
				if _, local, ok := strings.Cut(text, ":"); ok {
					text = local
				}
				f.codes = append(f.codes, text)
			case "faultstring", "Text":
				if f.reason == "" {
					f.reason = text
				}
			}
		}
	}
	return f, found
}

func (f soapFault) has(code string) bool {
	for _, c := range f.codes {
		if strings.EqualFold(c, code) {
			return true
		}
	}
	return false
}

// maxReasonRunes bounds the fault reason shown.
const maxReasonRunes = 200

func short(s string) string {
	if utf8.RuneCountInString(s) <= maxReasonRunes {
		return s
	}
	return string([]rune(s)[:maxReasonRunes]) + "…"
}

// authMSign reads GetSignResponse's answer.
func (p *probe) authMSign(resp *http.Response, body []byte, d time.Duration) outcome {
	f, isFault := parseFault(body)
	switch {
	case f.has("RequestNotFound"):
		return result(StepAuth, checks.Pass, d, m("net.auth.msign_known", "Serial", p.serial()), assets.Text{})
	case f.has("AuthenticationFailed") || refusedCertificate(body):
		return p.notRegistered(d, m("net.auth.msign_unknown", "Reason", short(f.reason), "Serial", p.serial()))
	case f.has("AuthorizationFailed"):
		return result(StepAuth, checks.Pass, d, m("net.auth.msign_known", "Serial", p.serial()), assets.Text{})
	case f.has("InvalidParameter"):
		return result(StepAuth, checks.Info, d, m("net.auth.msign_invalid", "Reason", short(f.reason)), assets.Text{})
	case isFault:
		return result(StepAuth, checks.Warn, d, m("net.auth.msign_fault", "Code", short(strings.Join(f.codes, "/")), "Reason", short(f.reason)), m("net.auth.unexpected.remedy"))
	default:
		return result(StepAuth, checks.Warn, d, m("net.auth.unexpected", "Service", p.t.Name, "Status", shortStatus(resp)), m("net.auth.unexpected.remedy"))
	}
}

// authMPower reads the check endpoint's status.
func (p *probe) authMPower(resp *http.Response, d time.Duration) outcome {
	switch c := resp.StatusCode; {
	case c == http.StatusOK || c == http.StatusNotFound || c == http.StatusBadRequest:
		return result(StepAuth, checks.Pass, d, m("net.auth.mpower_allowed", "Status", shortStatus(resp), "Serial", p.serial(), "Path", p.authPath()), assets.Text{})
	case c == http.StatusUnauthorized:
		return p.notRegistered(d, m("net.auth.mpower_unknown", "Status", shortStatus(resp), "Serial", p.serial()))
	case c == http.StatusForbidden:
		return result(StepAuth, checks.Fail, d, m("net.auth.mpower_endpoint", "Status", shortStatus(resp), "Serial", p.serial(), "Path", p.authPath()),
			m("net.auth.mpower_endpoint.remedy", "Path", p.authPath())).because(causeEndpointDenied)
	default:
		return result(StepAuth, checks.Warn, d, m("net.auth.unexpected", "Service", p.t.Name, "Status", shortStatus(resp)), m("net.auth.unexpected.remedy"))
	}
}

// authPath is the called path without its query.
func (p *probe) authPath() string {
	path, _, _ := strings.Cut(p.t.Auth, "?")
	return path
}

// notRegistered reports a refusal of the certificate: the cause found by
// clientCause, with what the service said when the cause is registration.
func (p *probe) notRegistered(d time.Duration, said assets.Text) outcome {
	msg, remedy, cause := p.clientCause()
	if cause == causeNotRegistered {
		msg = said
	}
	return result(StepAuth, checks.Fail, d, msg, remedy).because(cause)
}
