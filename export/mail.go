package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/redact"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// docData is what the templates see.
type docData struct {
	Demo         bool
	Env          string
	EnvRO, EnvEN string
	Date         string
	Org          Organization
	System       System
	Names        ServiceNames
	Services     []svcInfo // for the request: all chosen; for an e-mail: its recipient's
	ServiceList  string
	HasMSign     bool
	HasMPass     bool
	HasMPower    bool
	NeedsIP      bool
	IPs          []IPAddress
	SignerRO     string
	SignerEN     string
	MPass        MPass
	MPassSSO     string
	MPassSLO     string
	Cert         certInfo
	CerFile      string
	Office       string
	// Cc is the mailbox every e-mail is copied to (AGE's current route,
	// servicii@egov.md); "" for none.
	Cc string
	// NeverSend names the private-key files nobody is ever sent (seed 002,
	// NOTĂ: *.pfx, *.key, *.pem; *.p12 is the same PKCS#12 file as *.pfx).
	NeverSend string
	HasChecks bool
	Emails    []Email
	// Production is true for a production package.
	Production bool
	// ServicesRO/ServicesEN name the services as a Romanian/English list
	// ("MPass și MSign", "MPass and MSign"); ServiceCount is how many.
	ServicesRO, ServicesEN string
	ServiceCount           int
	// Reg holds what AGE's current procedure adds (registration-parts.tmpl).
	Reg registrationInfo
	// Override lists the failing verdicts a package was written past ("": none).
	Override string
}

// neverSend is the one list of private-key files the package, the e-mails
// and the README name (seed 002, NOTĂ).
const neverSend = "*.pfx, *.p12, *.key, *.pem"

type svcInfo struct {
	ID, Name, SummaryRO string
	// Fee is the annual fee per integrated system for private beneficiaries
	// ("" when the service is free: docs/platforms/index.md).
	Fee string
}

type certInfo struct {
	SerialHex, SerialDecimal, Subject, Issuer, NotBefore, NotAfter, SHA256 string
	// SerialOnly: AGE already has the certificate; only its serial is sent.
	SerialOnly bool
}

// registrationInfo is what AGE's current procedure adds to a registration:
// who the beneficiary is, when testing ended, both environments' MPass
// logout URLs, custom attributes, and what MPower is to allow.
type registrationInfo struct {
	OrgType, OrgTypeRO, OrgTypeEN string
	PaysFee                       bool
	RSI                           string
	TestedOn                      string // production only
	LogoutTest, LogoutProduction  *LogoutURLs
	ProductionLater               bool
	Custom                        []CustomAttribute
	MPower                        MPower
	MPassFirst                    bool // MPower without MPass and no MPass registration declared
	MPassInRequest                bool // MPass is asked for along with the other services
}

// bilingual is the catalogue text key in Romanian and in English, the two
// languages of the documents ("", "" for no key).
func bilingual(key string) (ro, en string) {
	if key == "" {
		return "", ""
	}
	return assets.T("ro", key), assets.T("en", key)
}

// orgTypePhrase and signerPhrase are the keys naming a value of the answers
// in the documents' sentences ("" for a value they do not know); an
// environment is named by assets.EnvKey.
func orgTypePhrase(t string) string {
	switch t {
	case "public":
		return "org.type.public.phrase"
	case "private":
		return "org.type.private.phrase"
	case "person":
		return "org.type.person.phrase"
	}
	return ""
}

func signerPhrase(t string) string {
	switch t {
	case "natural":
		return "network.signer.natural.phrase"
	case "legal":
		return "network.signer.legal.phrase"
	case "both":
		return "network.signer.both.phrase"
	}
	return ""
}

func (p *pkg) templateData(r *cert.Report, cerName string) *docData {
	a := p.a
	d := &docData{
		Demo: p.demo, Env: a.Env,
		Date: p.now.Format("2006-01-02 15:04 MST"),
		Org:  a.Organization, System: a.System, Names: a.Service,
		IPs: a.Network.IPs, MPass: a.MPass, CerFile: cerName, Office: p.d.Mailboxes.Office,
		HasChecks: len(a.Connectivity) > 0, Cc: p.d.Mailboxes.Registrations, NeverSend: neverSend,
		Production: a.Env == assets.EnvProduction,
		Reg:        p.registrationInfo(),
	}
	d.EnvRO, d.EnvEN = bilingual(assets.EnvKey(a.Env))
	d.SignerRO, d.SignerEN = bilingual(signerPhrase(a.Network.SignerType))
	if r != nil {
		d.Cert = certInfo{SerialHex: r.SerialHex, SerialDecimal: r.SerialDecimal, Subject: r.Subject, Issuer: r.Issuer,
			NotBefore: r.NotBefore.Format("2006-01-02"), NotAfter: r.NotAfter.Format("2006-01-02"), SHA256: r.SHA256}
	} else {
		d.Cert = certInfo{SerialHex: a.Certificate.SerialHex(), SerialDecimal: a.Certificate.SerialDecimal(), SerialOnly: true}
	}
	if s, ok := p.d.Service("mpass"); ok {
		d.MPassSSO, d.MPassSLO = s.URL(a.Env, "sso"), s.URL(a.Env, "slo")
	}
	d.setServices(p.d, p.services())
	d.escape()
	return d
}

// escape makes every value the documents show from the answers, the data or
// the certificate safe for a text file read on a terminal: control and bidi
// characters are escaped (safetext.Line); the free-form other information
// keeps its line breaks (safetext.Block).
func (d *docData) escape() {
	line := safetext.Line
	// Org, System, Names, MPass and Cert are copies; IPs shares the answers'
	// array, so it is copied before it changes.
	d.Env = line(d.Env)
	o := &d.Org
	o.Name, o.IDNO, o.ContactName, o.ContactEmail, o.ContactPhone =
		line(o.Name), line(o.IDNO), line(o.ContactName), line(o.ContactEmail), line(o.ContactPhone)
	d.System.Name, d.System.Description, d.System.Other =
		line(d.System.Name), line(d.System.Description), safetext.Block(d.System.Other)
	n := &d.Names
	n.RO, n.RU, n.EN, n.Description = line(n.RO), line(n.RU), line(n.EN), line(n.Description)
	ips := make([]IPAddress, len(d.IPs))
	for i, ip := range d.IPs {
		ip.Address, ip.VPN = line(ip.Address), line(ip.VPN)
		ips[i] = ip
	}
	d.IPs = ips
	d.MPass.LogoutRequestURL, d.MPass.LogoutResponseURL = line(d.MPass.LogoutRequestURL), line(d.MPass.LogoutResponseURL)
	d.MPass.Attributes = safetext.Lines(d.MPass.Attributes)
	d.MPassSSO, d.MPassSLO = line(redact.URL(d.MPassSSO)), line(redact.URL(d.MPassSLO))
	c := &d.Cert
	c.SerialHex, c.SerialDecimal, c.Subject, c.Issuer, c.SHA256 =
		line(c.SerialHex), line(c.SerialDecimal), line(c.Subject), line(c.Issuer), line(c.SHA256)
	d.CerFile = line(d.CerFile)
	d.Office = line(d.Office)
	d.Cc = line(d.Cc)
}

// registrationInfo gathers what AGE's current procedure adds, escaped like
// every other value the documents show (safetext.Line); the answers' own
// values are copied, never changed.
func (p *pkg) registrationInfo() registrationInfo {
	a := p.a
	line := safetext.Line
	urls := func(u *LogoutURLs) *LogoutURLs {
		if u == nil {
			return nil
		}
		return &LogoutURLs{Request: line(u.Request), Response: line(u.Response)}
	}
	r := registrationInfo{
		OrgType: a.Organization.Type,
		PaysFee: a.Organization.PaysFee(), RSI: line(p.d.RSI),
		LogoutTest: urls(a.MPass.Test), LogoutProduction: urls(a.MPass.Production), ProductionLater: a.MPass.ProductionLater,
		MPower:     MPower{MPassRegistered: a.MPower.MPassRegistered, Endpoints: safetext.Lines(a.MPower.Endpoints), ViewAllAuthorizations: a.MPower.ViewAllAuthorizations},
		MPassFirst: a.NeedsMPassFirst(), MPassInRequest: a.Has("mpass"),
	}
	r.OrgTypeRO, r.OrgTypeEN = bilingual(orgTypePhrase(a.Organization.Type))
	for _, c := range a.MPass.Custom {
		r.Custom = append(r.Custom, CustomAttribute{Name: line(c.Name), Values: safetext.Lines(c.Values)})
	}
	if a.Env == assets.EnvProduction {
		r.TestedOn = line(a.TestedOn)
	}
	return r
}

// setServices points the data at a set of services.
func (d *docData) setServices(data *assets.Data, ids []string) {
	d.Services = nil
	var names []string
	d.HasMSign, d.HasMPass, d.HasMPower, d.NeedsIP = false, false, false, false
	for _, id := range ids {
		s, _ := data.Service(id)
		name := safetext.Line(s.Name)
		info := svcInfo{ID: safetext.Line(id), Name: name, SummaryRO: safetext.Line(s.SummaryRO)}
		if s.AnnualFee > 0 {
			info.Fee = assets.Lei(s.AnnualFee)
		}
		d.Services = append(d.Services, info)
		names = append(names, name)
		d.NeedsIP = d.NeedsIP || s.NeedsIP
		switch id {
		case "msign":
			d.HasMSign = true
		case "mpass":
			d.HasMPass = true
		case "mpower":
			d.HasMPower = true
		}
	}
	d.ServiceList = strings.Join(names, ", ")
	d.ServicesRO, d.ServicesEN, d.ServiceCount = listJoin(names, assets.T("ro", "services.and")), listJoin(names, assets.T("en", "services.and")), len(names)
}

// listJoin joins names as a sentence does: "A", "A and B", "A, B and C"
// (no comma before the conjunction, in Romanian as in this English).
func listJoin(names []string, and string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + and + " " + names[len(names)-1]
}

func render(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := assets.Templates.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// recipients groups the chosen services by mailbox, in service order.
func (p *pkg) recipients() (order []string, by map[string][]string) {
	by = map[string][]string{}
	for _, id := range p.services() {
		s, _ := p.d.Service(id)
		if _, seen := by[s.Mailbox]; !seen {
			order = append(order, s.Mailbox)
		}
		by[s.Mailbox] = append(by[s.Mailbox], id)
	}
	return order, by
}

// makeEmails writes one .eml per mailbox.
func (p *pkg) makeEmails(data *docData, cerName string) error {
	order, by := p.recipients()
	for i, to := range order {
		d := *data
		d.setServices(p.d, by[to])
		body, err := render("email.tmpl", &d)
		if err != nil {
			return err
		}
		subject, err := render("email-subject", &d)
		if err != nil {
			return err
		}
		eml, err := p.message(to, string(subject), body, cerName, i)
		if err != nil {
			return err
		}
		file := fmt.Sprintf("email/%02d-%s.eml", i+1, fileSafe(to))
		p.add(file, eml)
		attached := []string{}
		if cerName != "" {
			attached = []string{cerName}
		}
		p.emails = append(p.emails, Email{To: to, Cc: p.cc(to), Subject: string(subject), File: file, Services: by[to], Attachments: attached})
	}
	return nil
}

// cc is the mailbox an e-mail to `to` is copied to: AGE's current route,
// servicii@egov.md (mpass/process2.md steps 4 and 8; msign/process.md step 3),
// unless the data file drops it or it is the recipient already.
func (p *pkg) cc(to string) string {
	if cc := p.d.Mailboxes.Registrations; !strings.EqualFold(cc, to) {
		return cc
	}
	return ""
}

// message builds one RFC 5322 message with go-mail: a draft (X-Unsent: 1)
// from the contact person, the body as UTF-8 quoted-printable text, and the
// .cer attached. Its boundary and Message-ID derive from its content, so the
// same answers give the same file.
func (p *pkg) message(to, subject string, body []byte, cerName string, n int) ([]byte, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00", to, subject, p.now.UTC().Format("20060102150405"), n)
	h.Write(body)
	if p.leaf != nil {
		h.Write(p.leaf.Raw)
	}
	sum := hex.EncodeToString(h.Sum(nil))

	m := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := m.AddTo(to); err != nil {
		return nil, err
	}
	// AGE's current route: every registration also reaches servicii@egov.md
	// (mpass/process2.md steps 4 and 8; msign/process.md step 3).
	if cc := p.cc(to); cc != "" {
		if err := m.AddCc(cc); err != nil {
			return nil, err
		}
	}
	// The contact's name is escaped like the body and set as a parsed
	// address, so no quote, line break or control in it can add an address
	// or a header of its own.
	from, err := netmail.ParseAddress(p.a.Organization.ContactEmail)
	if err != nil {
		return nil, err
	}
	from.Name = safetext.Line(p.a.Organization.ContactName)
	m.FromMailAddress(from)
	m.Subject(subject)
	m.SetDateWithValue(p.now)
	m.SetMessageIDWithValue(sum[:32] + "@egovsetup")
	m.SetBoundary("egovsetup-" + sum[32:56])
	m.SetUserAgent("egovsetup")
	m.SetGenHeader("X-Unsent", "1")
	m.SetBodyString(mail.TypeTextPlain, string(body))
	if p.leaf != nil {
		if err := m.AttachReader(cerName, bytes.NewReader(p.leaf.Raw),
			mail.WithFileContentType("application/pkix-cert"), mail.WithFileEncoding(mail.EncodingB64)); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
