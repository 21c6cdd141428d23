package export

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/egovmd/egovsetup/internal/safetext"
)

// SheetFile is the plain sheet with every answer AGE's forms ask for.
const SheetFile = "registration-sheet.txt"

// sheet is the registration sheet being written: sections of labelled
// answers, each label in Romanian and English, each answer on its own
// indented line(s) so it can be copied as it is.
type sheet struct{ b bytes.Buffer }

// section starts a group of answers and says which form asks for them.
func (s *sheet) section(ro, en, source string) {
	fmt.Fprintf(&s.b, "\n== %s ==\n(%s)\n", both(ro, en), source)
}

// row writes one answer; several values go one per line; none is "—".
func (s *sheet) row(ro, en string, values ...string) {
	fmt.Fprintf(&s.b, "\n%s\n", both(ro, en))
	n := 0
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			fmt.Fprintf(&s.b, "    %s\n", safetext.Line(v))
			n++
		}
	}
	if n == 0 {
		s.b.WriteString("    —\n")
	}
}

// block writes an answer of several lines, each indented as the answer
// indents it (tabs kept); an empty answer is "—".
func (s *sheet) block(ro, en, value string) {
	if strings.TrimSpace(value) == "" {
		s.row(ro, en)
		return
	}
	fmt.Fprintf(&s.b, "\n%s\n", both(ro, en))
	for _, l := range strings.Split(strings.Trim(value, "\r\n"), "\n") {
		fmt.Fprintf(&s.b, "    %s\n", safetext.Block(strings.TrimRight(l, " \t\r")))
	}
}

// both is "ro / en", or one of them when they are the same.
func both(ro, en string) string {
	if ro == en {
		return ro
	}
	return ro + " / " + en
}

// sheet writes registration-sheet.txt: every answer AGE's forms ask for —
// the Unified Connection Form (platforms/procedure.md), the technical-details
// form (mpass/process2.md step 3, msign/process.md step 4) and the data of
// seed 002 §5 and seed 000 — ready to copy. Adding a field is one row call.
func (p *pkg) sheet(d *docData) []byte {
	a := p.a
	s := &sheet{}
	if d.Demo {
		s.b.WriteString("*** DEMO — NU TRIMITEȚI ACESTE DATE / DO NOT SEND THIS DATA ***\n\n")
	}
	fmt.Fprintf(&s.b, "FIȘA DE ÎNREGISTRARE / REGISTRATION SHEET\n%s — mediul de %s / %s environment — %s\n",
		safetext.Line(a.System.Name), d.EnvRO, d.EnvEN, d.ServicesEN)
	s.b.WriteString("Răspunsurile cerute de formularele AGE, gata de copiat.\nThe answers AGE's forms ask for, ready to copy.\n")
	s.applicant(a, d)
	s.system(a)
	if d.HasMPass {
		s.section("MPass — detalii tehnice", "MPass — technical details", "mpass/process2.md step 3; seed 002 §5")
		s.mpassRows(a.MPass)
	}
	if d.HasMPower {
		s.mpower(a)
	}
	if d.NeedsIP {
		s.network(a.Network.IPs)
	}
	if d.HasMSign {
		s.row("MSign — tipul semnatarului", "MSign — signer type", both(d.SignerRO, d.SignerEN))
	}
	s.certificate(a, d)
	fmt.Fprintf(&s.b, "\nNu se trimit niciodată / Never sent: %s\n", d.NeverSend)
	return s.b.Bytes()
}

// applicant writes who asks, for which services and environment.
func (s *sheet) applicant(a *Answers, d *docData) {
	s.section("Solicitantul", "Applicant", "Formularul unic de conectare / Unified Connection Form — egov4dev docs/platforms/procedure.md; seed 002 §1")
	s.row("Denumirea instituției sau companiei", "Institution or company", a.Organization.Name)
	s.row("IDNO", "IDNO", a.Organization.IDNO)
	s.row("Persoana de contact", "Contact person", a.Organization.ContactName)
	s.row("E-mail", "E-mail", a.Organization.ContactEmail)
	s.row("Telefon", "Phone", a.Organization.ContactPhone)
	if a.Organization.Type != "" {
		// docs/platforms/procedure.md, docs/platforms/index.md.
		s.row("Tipul beneficiarului", "Beneficiary type", both(d.Reg.OrgTypeRO, d.Reg.OrgTypeEN))
	}
	s.row("Serviciile solicitate", "Services requested", both(d.ServicesRO, d.ServicesEN))
	s.row("Mediul", "Environment", both(d.EnvRO, d.EnvEN))
	if d.Reg.TestedOn != "" {
		// mpass/process2.md step 8: production is confirmed after the tests.
		s.row("Testarea pe mediul de test încheiată la", "Testing on the test environment finished on", a.TestedOn)
	}
}

// system writes the information system and the service it offers.
func (s *sheet) system(a *Answers) {
	s.section("Sistemul informațional", "Information system", "seed 002 §1; mpass/process2.md step 3; msign/process.md step 4")
	s.row("Denumirea sistemului informațional", "Information system name", a.System.Name)
	s.row("Descrierea succintă", "Short description", a.System.Description)
	s.block("Alte informații", "Other information", a.System.Other)

	s.section("Serviciul", "Service", "seed 002 §5")
	s.row("Denumirea serviciului în română", "Service name in Romanian", a.Service.RO)
	s.row("Denumirea serviciului în rusă", "Service name in Russian", a.Service.RU)
	s.row("Denumirea serviciului în engleză", "Service name in English", a.Service.EN)
	s.row("Descrierea serviciului (o frază)", "Service description (one sentence)", a.Service.Description)
}

// mpower writes what MPower is to allow and whether MPass is there.
func (s *sheet) mpower(a *Answers) {
	s.section("MPower — acces", "MPower — access", "mpower/security.md; mpower/integration-development.md")
	s.row("Metodele API apelate (AllowedEndpoints)", "API methods called (AllowedEndpoints)", a.MPower.Endpoints...)
	view := both("nu", "no")
	if a.MPower.ViewAllAuthorizations {
		view = both("da", "yes")
	}
	s.row("Acces la toate împuternicirile (ViewAllAuthorizations)", "Access to every power of representation (ViewAllAuthorizations)", view)
	mpass := both("nu (MPower îl cere)", "no (MPower requires it)")
	switch {
	case a.Has("mpass"):
		mpass = both("odată cu această cerere", "along with this request")
	case a.MPower.MPassRegistered:
		mpass = both("da", "yes")
	}
	s.row("Sistemul înregistrat în MPass", "System registered in MPass", mpass)
}

// network writes the addresses AGE is to allow.
func (s *sheet) network(list []IPAddress) {
	s.section("Rețea", "Network", "msign/process.md step 4; seed 002 §5; seed 000")
	var ips []string
	for _, ip := range list {
		if ip.VPN != "" {
			ips = append(ips, ip.Address+" (VPN: "+ip.VPN+")")
		} else {
			ips = append(ips, ip.Address)
		}
	}
	s.row("Adresele IP (și VPN-ul adreselor private)", "IP addresses (and the VPN of private ones)", ips...)
}

// certificate writes the certificate sent, or the serial of the one AGE
// already has.
func (s *sheet) certificate(a *Answers, d *docData) {
	s.section("Certificatul", "Certificate", "seed 002 §5; seed 000; mpass/process2.md steps 4 and 8")
	if d.Cert.SerialOnly {
		// mpass/process2.md steps 4 and 8: the serial of a certificate AGE already has.
		s.row("Fișierul trimis (cheia publică)", "File sent (public key)",
			both("niciunul: AGE are deja certificatul pentru acest sistem și mediu", "none: AGE already has the certificate for this system and environment"))
		s.row("Numărul de serie (hexazecimal)", "Serial number (hexadecimal)", a.Certificate.SerialHex())
		s.row("Numărul de serie (zecimal)", "Serial number (decimal)", d.Cert.SerialDecimal)
		return
	}
	s.row("Fișierul trimis (cheia publică)", "File sent (public key)", d.CerFile)
	s.row("Numărul de serie (hexazecimal)", "Serial number (hexadecimal)", d.Cert.SerialHex)
	s.row("Numărul de serie (zecimal)", "Serial number (decimal)", d.Cert.SerialDecimal)
	s.row("Subiect", "Subject", d.Cert.Subject)
	s.row("Emitent", "Issuer", d.Cert.Issuer)
	s.row("Valabil", "Valid", d.Cert.NotBefore+" – "+d.Cert.NotAfter)
	s.row("Amprenta SHA-256", "SHA-256 fingerprint", d.Cert.SHA256)
}

// mpassRows writes MPass's logout URLs (both environments when given:
// mpass/process2.md step 3) and attributes, the custom ones with the values
// they take (mpass/integration-development.md, "Returned attributes").
func (s *sheet) mpassRows(m MPass) {
	if m.Test == nil && m.Production == nil && !m.ProductionLater {
		s.row("Adresa pentru LogoutRequest", "LogoutRequest URL", m.LogoutRequestURL)
		s.row("Adresa pentru LogoutResponse", "LogoutResponse URL", m.LogoutResponseURL)
	}
	if u := m.Test; u != nil {
		s.row("Adresa pentru LogoutRequest, mediul de test", "LogoutRequest URL, test environment", u.Request)
		s.row("Adresa pentru LogoutResponse, mediul de test", "LogoutResponse URL, test environment", u.Response)
	}
	if u := m.Production; u != nil {
		s.row("Adresa pentru LogoutRequest, mediul de producție", "LogoutRequest URL, production environment", u.Request)
		s.row("Adresa pentru LogoutResponse, mediul de producție", "LogoutResponse URL, production environment", u.Response)
	} else if m.ProductionLater {
		s.row("Adresele pentru mediul de producție", "Production environment URLs", both("le vom comunica ulterior", "to follow"))
	}
	s.row("Atributele returnate", "Attributes returned", m.Attributes...)
	if len(m.Custom) > 0 {
		var custom []string
		for _, c := range m.Custom {
			custom = append(custom, c.Name+": "+strings.Join(c.Values, ", "))
		}
		s.row("Atribute suplimentare, cu valorile lor", "Custom attributes, with their values", custom...)
	}
}
