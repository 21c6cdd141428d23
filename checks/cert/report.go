package cert

import (
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/textwrap"
)

// Options say what the certificate is meant for.
type Options struct {
	// Services are the platforms it will be registered with (mpass, msign,
	// mpower); empty means all.
	Services []string
	// Env is "test" or "production" ("" means test).
	Env string
	// Now is the time verdicts are judged at (zero: time.Now()).
	Now time.Time
	// TestSHA256 is the SHA-256 fingerprint (upper-case hex) of the certificate
	// already registered for the test environment; production must differ.
	TestSHA256 string
	// Data supplies the recognised issuers (nil: the embedded data).
	Data *assets.Data
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o Options) data() *assets.Data {
	if o.Data == nil {
		return assets.Embedded()
	}
	return o.Data
}

func (o Options) production() bool { return o.Env == assets.EnvProduction }

// ChainEntry is one certificate of the chain, as shown.
type ChainEntry struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
}

// Report is everything shown about a certificate: the card and the verdicts.
// The text card and the --json object come from this one struct.
type Report struct {
	Subject            string         `json:"subject"`
	Issuer             string         `json:"issuer"`
	SerialHex          string         `json:"serial_hex"`
	SerialDecimal      string         `json:"serial_decimal"`
	NotBefore          time.Time      `json:"not_before"`
	NotAfter           time.Time      `json:"not_after"`
	DaysLeft           int            `json:"days_left"`
	KeyType            string         `json:"key_type"`
	KeyBits            int            `json:"key_bits"`
	SignatureAlgorithm string         `json:"signature_algorithm"`
	KeyUsage           []string       `json:"key_usage"`
	ExtKeyUsage        []string       `json:"ext_key_usage"`
	SANs               []string       `json:"sans"`
	SHA256             string         `json:"sha256"`
	SHA1               string         `json:"sha1"`
	Chain              []ChainEntry   `json:"chain"`
	Format             string         `json:"format"`
	HasKey             bool           `json:"has_private_key"`
	Demo               bool           `json:"demo,omitempty"`
	Verdicts           []checks.Check `json:"verdicts"`
	// Passed is the share of the validity period already gone (0..1, clamped).
	Passed float64 `json:"-"`
}

// NewReport describes l and judges it for opt.
func NewReport(l *Loaded, opt Options) *Report {
	c := l.Leaf
	now := opt.now()
	r := &Report{
		Subject:            c.Subject.String(),
		Issuer:             c.Issuer.String(),
		SerialHex:          SerialHex(c),
		SerialDecimal:      c.SerialNumber.String(),
		NotBefore:          c.NotBefore.UTC(),
		NotAfter:           c.NotAfter.UTC(),
		DaysLeft:           daysLeft(c.NotAfter, now),
		SignatureAlgorithm: c.SignatureAlgorithm.String(),
		KeyUsage:           keyUsages(c.KeyUsage),
		ExtKeyUsage:        extKeyUsages(c),
		SANs:               sans(c),
		SHA256:             Fingerprint(c),
		SHA1:               fingerprint1(c),
		Chain:              []ChainEntry{},
		Format:             l.Format,
		HasKey:             l.HasKey(),
		Demo:               l.Demo,
	}
	r.KeyType, r.KeyBits = keyInfo(c)
	if total := c.NotAfter.Sub(c.NotBefore); total > 0 {
		r.Passed = math.Min(1, math.Max(0, float64(now.Sub(c.NotBefore))/float64(total)))
	}
	for _, ca := range l.Chain {
		r.Chain = append(r.Chain, ChainEntry{Subject: ca.Subject.String(), Issuer: ca.Issuer.String()})
	}
	opt.Now = now
	r.Verdicts = judge(l, opt)
	return r
}

// Worst is the most severe verdict's severity.
func (r *Report) Worst() checks.Severity { return checks.Worst(r.Verdicts) }

// SerialHex is the serial number in upper-case hex as `openssl x509 -serial`
// prints it: no colons, an even number of digits.
func SerialHex(c *x509.Certificate) string {
	s := fmt.Sprintf("%X", c.SerialNumber)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s)%2 == 1 {
		s = "0" + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Fingerprint is the SHA-256 of the certificate's DER, upper-case hex.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func fingerprint1(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func daysLeft(notAfter, now time.Time) int {
	d := notAfter.Sub(now)
	days := int(d / (24 * time.Hour))
	if d < 0 && d%(24*time.Hour) != 0 {
		days-- // expired 3 hours ago: -1 day, not 0
	}
	return days
}

func keyInfo(c *x509.Certificate) (string, int) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name, k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	case *dsa.PublicKey:
		return "DSA", k.P.BitLen()
	}
	return c.PublicKeyAlgorithm.String(), 0
}

var keyUsageNames = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsages(ku x509.KeyUsage) []string {
	out := []string{}
	for _, k := range keyUsageNames {
		if ku&k.bit != 0 {
			out = append(out, k.name)
		}
	}
	return out
}

var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "any",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
}

func extKeyUsages(c *x509.Certificate) []string {
	out := []string{}
	for _, u := range c.ExtKeyUsage {
		if n, ok := extKeyUsageNames[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("eku-%d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

func sans(c *x509.Certificate) []string {
	out := []string{}
	for _, d := range c.DNSNames {
		out = append(out, "DNS:"+d)
	}
	for _, ip := range c.IPAddresses {
		out = append(out, "IP:"+net.IP(ip).String())
	}
	for _, e := range c.EmailAddresses {
		out = append(out, "email:"+e)
	}
	for _, u := range c.URIs {
		out = append(out, "URI:"+u.String())
	}
	return out
}

// Display returns a copy of r fit to show on a terminal or in a text file:
// every string that comes from the certificate (subject, issuer, names, the
// chain) has its control and bidi characters escaped (safetext.Line). r
// itself keeps the exact values, for --json and for the answers.
func (r *Report) Display() *Report {
	d := *r
	d.Subject = safetext.Line(r.Subject)
	d.Issuer = safetext.Line(r.Issuer)
	d.SerialHex = safetext.Line(r.SerialHex)
	d.SerialDecimal = safetext.Line(r.SerialDecimal)
	d.KeyType = safetext.Line(r.KeyType)
	d.SignatureAlgorithm = safetext.Line(r.SignatureAlgorithm)
	d.KeyUsage = safetext.Lines(r.KeyUsage)
	d.ExtKeyUsage = safetext.Lines(r.ExtKeyUsage)
	d.SANs = safetext.Lines(r.SANs)
	d.SHA256 = safetext.Line(r.SHA256)
	d.SHA1 = safetext.Line(r.SHA1)
	d.Format = safetext.Line(r.Format)
	d.Chain = make([]ChainEntry, len(r.Chain))
	for i, e := range r.Chain {
		d.Chain[i] = ChainEntry{Subject: safetext.Line(e.Subject), Issuer: safetext.Line(e.Issuer)}
	}
	return &d
}

// WriteText writes the certificate card and verdicts as plain text in lang,
// unwrapped: what the package's report.txt holds. Text from the certificate
// is escaped (see Display).
func (r *Report) WriteText(w io.Writer, lang string) error { return r.WriteTextWidth(w, lang, 0) }

// WriteTextWidth is WriteText wrapped between words to width columns (a
// terminal's width; 0: not wrapped): what `cert inspect` prints. A value
// with a word too long for the value column (a fingerprint) starts on the
// line under its label.
func (r *Report) WriteTextWidth(w io.Writer, lang string, width int) error {
	r = r.Display()
	t := func(key string, kv ...any) string { return assets.T(lang, key, kv...) }
	c := newCard(t)
	c.cols = width
	if r.Demo {
		c.b.WriteString(textwrap.Wrap("*** "+t("certcard.demo")+" ***", width) + "\n")
	}
	c.row(t("certcard.subject"), r.Subject)
	c.row(t("certcard.issuer"), r.Issuer)
	c.row(t("certcard.serial_hex"), r.SerialHex)
	c.row(t("certcard.serial_dec"), r.SerialDecimal)
	c.row(t("certcard.valid"), r.validityText(t))
	c.row(t("certcard.key"), fmt.Sprintf("%s %d · %s", r.KeyType, r.KeyBits, r.SignatureAlgorithm))
	c.row(t("certcard.usage"), r.usageText())
	if len(r.SANs) > 0 {
		c.row(t("certcard.sans"), strings.Join(r.SANs, ", "))
	}
	c.row("SHA-256", r.SHA256)
	c.row("SHA-1", r.SHA1)
	keyText := t("certcard.key_public_only")
	if r.HasKey {
		keyText = t("certcard.key_in_memory")
	}
	c.row(t("certcard.private_key"), keyText)
	c.row(t("certcard.chain"), r.chainText(t))
	c.b.WriteString("\n" + t("certcard.verdicts") + "\n")
	writeVerdicts(&c.b, r.Verdicts, lang, width)
	_, err := io.WriteString(w, c.b.String())
	return err
}

// card lays out labelled rows, the values lined up after the widest label.
type card struct {
	b     strings.Builder
	width int // the label column
	cols  int // the whole line, 0: not wrapped
}

func newCard(t func(string, ...any) string) *card {
	c := &card{width: len("SHA-256")}
	for _, k := range []string{"certcard.subject", "certcard.issuer", "certcard.serial_hex", "certcard.serial_dec",
		"certcard.valid", "certcard.key", "certcard.usage", "certcard.sans", "certcard.private_key", "certcard.chain"} {
		c.width = max(c.width, len([]rune(t(k))))
	}
	return c
}

// row writes label and value; a value's further lines are indented under
// its first. Wrapped, a value that has a word too long for the value column
// goes under the label, indented by two.
func (c *card) row(label, value string) {
	if c.cols > 0 {
		valueW := c.cols - c.width - 2
		if valueW < 20 || textwrap.LongestWord(value) > valueW {
			fmt.Fprintf(&c.b, "%s\n%s\n", label, textwrap.Indent(textwrap.Wrap(value, c.cols-2), 2))
			return
		}
		value = textwrap.Wrap(value, valueW)
	}
	pad := strings.Repeat(" ", c.width-len([]rune(label)))
	lines := strings.Split(value, "\n")
	fmt.Fprintf(&c.b, "%s%s  %s\n", label, pad, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(&c.b, "%s  %s\n", strings.Repeat(" ", c.width), l)
	}
}

// validityText is the validity period, the days left and the bar.
func (r *Report) validityText(t func(string, ...any) string) string {
	left := t("certcard.days_left", "Count", r.DaysLeft)
	if r.DaysLeft < 0 {
		left = t("certcard.expired_ago", "Count", -r.DaysLeft)
	}
	return fmt.Sprintf("%s → %s (%s)\n%s %d%%",
		r.NotBefore.Format("2006-01-02 15:04 MST"), r.NotAfter.Format("2006-01-02 15:04 MST"), left,
		TextBar(r.Passed, 20), int(math.Round(r.Passed*100)))
}

// usageText is the key usage and extended key usage ("—" for neither).
func (r *Report) usageText() string {
	usage := strings.Join(r.KeyUsage, ", ")
	if len(r.ExtKeyUsage) > 0 {
		usage += " · " + strings.Join(r.ExtKeyUsage, ", ")
	}
	if strings.TrimSpace(strings.Trim(usage, " ·")) == "" {
		usage = "—"
	}
	return usage
}

// chainText is the chain's subjects, one a line.
func (r *Report) chainText(t func(string, ...any) string) string {
	if len(r.Chain) == 0 {
		return t("certcard.chain_none")
	}
	lines := make([]string, len(r.Chain))
	for i, e := range r.Chain {
		lines[i] = e.Subject
	}
	return strings.Join(lines, "\n")
}

// WriteVerdicts writes one line per verdict, marked by severity, with its
// remedy indented beneath.
func WriteVerdicts(w io.Writer, list []checks.Check, lang string) { writeVerdicts(w, list, lang, 0) }

// writeVerdicts is WriteVerdicts wrapped to width columns (0: not wrapped),
// each message and remedy going on under its own first word.
func writeVerdicts(w io.Writer, list []checks.Check, lang string, width int) {
	for _, v := range list {
		fmt.Fprintln(w, textwrap.Hang("  "+v.Severity.Label(lang)+"  ", v.Message.In(lang), width))
		if !v.Remedy.IsZero() && v.Severity != checks.Pass {
			fmt.Fprintln(w, textwrap.Hang("               → ", v.Remedy.In(lang), width))
		}
	}
}

// TextBar draws share (0..1) as a bar of width cells.
func TextBar(share float64, width int) string {
	n := int(math.Round(share * float64(width)))
	n = min(max(n, 0), width)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}
