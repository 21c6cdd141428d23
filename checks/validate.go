package checks

import (
	"math/big"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Length bounds for free text. AGE's forms do not publish limits; these keep
// names readable in a mailbox subject line and a description to one sentence.
const (
	MinNameLen        = 2
	MaxNameLen        = 100
	MinDescriptionLen = 10
	MaxDescriptionLen = 300
	MaxTextLen        = 200  // organisation and system names, contact name
	MaxOtherLen       = 2000 // "other relevant information"
	MaxVPNLen         = 100
)

// IDNOWeights are the weights of the IDNO check digit: 7, 3, 1 repeated over the
// first twelve digits; the sum modulo 10 is the thirteenth digit.
var IDNOWeights = [12]int{7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1}

// ValidateIDNO checks a Moldovan IDNO (state identification number of a legal
// entity) and returns it without spaces.
func ValidateIDNO(s string) (string, error) {
	s = strings.Join(strings.Fields(s), "")
	if s == "" {
		return "", Problemf("validate.idno.empty")
	}
	for i, r := range s {
		if r < '0' || r > '9' {
			return "", Problemf("validate.idno.not_digit", "Char", string(r), "Position", utf8.RuneCountInString(s[:i])+1)
		}
	}
	if len(s) != 13 {
		return "", Problemf("validate.idno.length", "Count", len(s))
	}
	// The message says how the check digit is made rather than which last
	// digit would pass: a mistyped middle digit is likelier than a wrong
	// last one.
	if int(s[12]-'0') != IDNOCheckDigit(s[:12]) {
		return "", Problemf("validate.idno.checksum")
	}
	return s, nil
}

// IDNOCheckDigit computes the check digit for the first twelve digits of an
// IDNO (which must be twelve ASCII digits).
func IDNOCheckDigit(first12 string) int {
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(first12[i]-'0') * IDNOWeights[i]
	}
	return sum % 10
}

// IPClass says how an address may be registered.
type IPClass string

const (
	// IPPublic is a globally routable address: registered as it is.
	IPPublic IPClass = "public"
	// IPPrivate is RFC 1918 (IPv4), reached through a VPN.
	IPPrivate IPClass = "private"
	// IPCGNAT is the shared address space 100.64.0.0/10 (RFC 6598).
	IPCGNAT IPClass = "cgnat"
	// IPULA is an IPv6 unique local address fc00::/7 (RFC 4193).
	IPULA IPClass = "ula"
)

// NeedsVPN reports whether an address of this class must name the VPN it
// belongs to: AGE can reach it only through that VPN.
func (c IPClass) NeedsVPN() bool { return c == IPPrivate || c == IPCGNAT || c == IPULA }

var (
	cgnat = netip.MustParsePrefix("100.64.0.0/10")
	// Ranges that can never be a service's address on the internet or a VPN.
	refused = []struct {
		prefix netip.Prefix
		key    string
	}{
		{netip.MustParsePrefix("0.0.0.0/8"), "validate.ip.this_network"},
		{netip.MustParsePrefix("192.0.2.0/24"), "validate.ip.documentation"},
		{netip.MustParsePrefix("198.51.100.0/24"), "validate.ip.documentation"},
		{netip.MustParsePrefix("203.0.113.0/24"), "validate.ip.documentation"},
		{netip.MustParsePrefix("2001:db8::/32"), "validate.ip.documentation"},
		{netip.MustParsePrefix("3fff::/20"), "validate.ip.documentation"},
		{netip.MustParsePrefix("198.18.0.0/15"), "validate.ip.benchmark"},
		{netip.MustParsePrefix("240.0.0.0/4"), "validate.ip.reserved"},
		{netip.MustParsePrefix("192.0.0.0/24"), "validate.ip.reserved"},
		{netip.MustParsePrefix("100::/64"), "validate.ip.reserved"},
	}
)

// ValidateIP parses one IPv4 or IPv6 address and classifies it. Addresses AGE
// could never allow are refused: loopback, unspecified, link-local, multicast,
// broadcast, documentation, benchmarking and reserved ranges.
func ValidateIP(s string) (netip.Addr, IPClass, error) {
	a, err := parseIP(s)
	if err != nil {
		return netip.Addr{}, "", err
	}
	if err := refusedIP(a); err != nil {
		return a, "", err
	}
	switch {
	case cgnat.Contains(a):
		return a, IPCGNAT, nil
	case a.Is4() && a.IsPrivate():
		return a, IPPrivate, nil
	case a.Is6() && a.IsPrivate():
		return a, IPULA, nil
	}
	return a, IPPublic, nil
}

// parseIP reads one address, as people write or copy it: spaces around it,
// an IPv6 literal in brackets, an IPv4-mapped IPv6 form (read as IPv4).
func parseIP(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, Problemf("validate.ip.empty")
	}
	if strings.Contains(s, "/") {
		return netip.Addr{}, Problemf("validate.ip.range", "Input", s)
	}
	// Accept a bracketed IPv6 literal as people copy it from URLs.
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, Problemf("validate.ip.syntax", "Input", s)
	}
	if a.Zone() != "" {
		return netip.Addr{}, Problemf("validate.ip.zone", "Input", s)
	}
	return a.Unmap(), nil
}

// refusedIP says why AGE could never allow a (nil when it could).
func refusedIP(a netip.Addr) error {
	switch {
	case a.IsLoopback():
		return Problemf("validate.ip.loopback", "IP", a.String())
	case a.IsUnspecified():
		return Problemf("validate.ip.unspecified", "IP", a.String())
	case a.IsLinkLocalUnicast():
		return Problemf("validate.ip.link_local", "IP", a.String())
	case a.IsMulticast():
		return Problemf("validate.ip.multicast", "IP", a.String())
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return Problemf("validate.ip.broadcast", "IP", a.String())
	}
	for _, r := range refused {
		if r.prefix.Contains(a) {
			return Problemf(r.key, "IP", a.String(), "Range", r.prefix.String())
		}
	}
	return nil
}

// IPEntry is an address with the VPN it is reached through (if any).
type IPEntry struct {
	Address string
	VPN     string
}

// ValidateIPs checks every entry, requires a VPN name for private, CGNAT and ULA
// addresses, and merges duplicates (the same address written differently, e.g.
// ::ffff:1.2.3.4 and 1.2.3.4; the first VPN name given wins). It returns the
// clean list and one error per bad entry (nil when all are good).
func ValidateIPs(entries []IPEntry) ([]IPEntry, []error) {
	var (
		out  []IPEntry
		errs []error
		seen = map[netip.Addr]int{}
	)
	for _, e := range entries {
		a, class, err := ValidateIP(e.Address)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		vpn := strings.TrimSpace(e.VPN)
		if i, dup := seen[a]; dup {
			if out[i].VPN == "" {
				out[i].VPN = vpn
			}
			continue
		}
		if !class.NeedsVPN() {
			vpn = ""
		} else if err := ValidateVPN(a.String(), class, vpn); err != nil {
			errs = append(errs, err)
			continue
		}
		seen[a] = len(out)
		out = append(out, IPEntry{Address: a.String(), VPN: vpn})
	}
	return out, errs
}

// Text names the class of address in words ("a private (RFC 1918)
// address"); a public address has no words of its own.
func (c IPClass) Text() assets.Text {
	switch c {
	case IPPrivate:
		return assets.Msg("validate.ip.class.private")
	case IPCGNAT:
		return assets.Msg("validate.ip.class.cgnat")
	case IPULA:
		return assets.Msg("validate.ip.class.ula")
	}
	return assets.Text{}
}

// ValidateVPN checks the VPN name given for a private, CGNAT or ULA address.
func ValidateVPN(ip string, class IPClass, vpn string) error {
	vpn = strings.TrimSpace(vpn)
	switch {
	case vpn == "":
		return Problemf("validate.ip.needs_vpn", "IP", ip, "Class", class.Text())
	case utf8.RuneCountInString(vpn) > MaxVPNLen:
		return Problemf("validate.text.too_long", "Max", MaxVPNLen)
	case strings.ContainsAny(vpn, "\r\n"):
		return Problemf("validate.text.one_line")
	}
	return nil
}

// ValidateLogoutURL checks an MPass logout URL (where MPass sends LogoutRequest
// or LogoutResponse): absolute https, a host, no credentials or fragment.
// localhost and loopback addresses are accepted for the test environment only,
// over http too: AGE lets a developer integrate from a local machine and its
// own examples use http://localhost (egov4dev docs/guides/mpass/
// integration-development.md "Network access"; docs/guides/mpass/api-reference.md).
func ValidateLogoutURL(s, env string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return Problemf("validate.url.empty")
	}
	// A control or bidi character would reach the registration letter and
	// AGE's configuration unseen.
	if !safetext.IsSafe(s) {
		return Problemf("validate.url.control", "Input", s)
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return Problemf("validate.url.not_absolute", "Input", s)
	}
	if !strings.EqualFold(u.Scheme, "https") &&
		!(strings.EqualFold(u.Scheme, "http") && env != "production" && isLocalHost(u.Hostname())) {
		return Problemf("validate.url.not_https", "Scheme", u.Scheme)
	}
	if err := urlParts(u, s); err != nil {
		return err
	}
	if host := u.Hostname(); isLocalHost(host) && env == "production" {
		return Problemf("validate.url.localhost_production", "Host", host)
	}
	return nil
}

// urlParts checks the parts of the parsed logout URL u (typed as s): a
// host, no credentials, no fragment, no space (RFC 3986 §2: a space is
// written %20), a port in range.
func urlParts(u *url.URL, s string) error {
	host := u.Hostname()
	switch {
	case host == "":
		return Problemf("validate.url.no_host", "Input", s)
	case u.User != nil:
		return Problemf("validate.url.userinfo")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return Problemf("validate.url.fragment")
	case strings.ContainsAny(host, " \t"):
		return Problemf("validate.url.not_absolute", "Input", s)
	case strings.Contains(s, " "):
		return Problemf("validate.url.space", "Input", s)
	}
	if p := u.Port(); p != "" {
		if n := atoi(p); n < 1 || n > 65535 {
			return Problemf("validate.url.port", "Port", p)
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 65535 {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// isLocalHost reports whether host is localhost, a name under .localhost, or a
// loopback address.
func isLocalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && (a.Unmap().IsLoopback() || a.IsUnspecified())
}

// Cedilla letters wrongly used for Romanian ș and ț, and their comma-below forms.
var cedillaFix = sync.OnceValue(func() *strings.Replacer {
	return strings.NewReplacer("ş", "ș", "ţ", "ț", "Ş", "Ș", "Ţ", "Ț")
})

// FixCedilla replaces cedilla ş ţ with comma-below ș ț.
func FixCedilla(s string) string { return cedillaFix().Replace(s) }

// CedillaFix returns s written with comma-below ș ț and whether that changed
// anything. Romanian text typed on a keyboard layout with cedilla ş ţ reads
// the same to a person, so it is not refused: the user is offered the fix.
func CedillaFix(s string) (string, bool) {
	fixed := FixCedilla(s)
	return fixed, fixed != s
}

func hasCyrillic(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
}

// validateLine checks free text of one line within [min, max] characters.
func validateLine(s string, min, max int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case n == 0:
		return Problemf("validate.text.empty")
	case strings.ContainsAny(s, "\r\n"):
		return Problemf("validate.text.one_line")
	case n < min:
		return Problemf("validate.text.too_short", "Min", min)
	case n > max:
		return Problemf("validate.text.too_long", "Max", max)
	}
	return nil
}

// ValidateText checks a required single-line field (organisation name, system
// name, contact name) of at most MaxTextLen characters.
func ValidateText(s string) error { return validateLine(s, 1, MaxTextLen) }

// ValidateOther checks the optional "other information" field.
func ValidateOther(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxOtherLen {
		return Problemf("validate.text.too_long", "Max", MaxOtherLen)
	}
	return nil
}

// ValidateNameRO checks the service name in Romanian: Latin letters. (Cedilla
// ş ţ are not refused; see CedillaFix.)
func ValidateNameRO(s string) error {
	if err := validateLine(s, MinNameLen, MaxNameLen); err != nil {
		return err
	}
	if hasCyrillic(s) {
		return Problemf("validate.name.ro_cyrillic")
	}
	return nil
}

// ValidateNameRU checks the service name in Russian: it must contain Cyrillic.
func ValidateNameRU(s string) error {
	if err := validateLine(s, MinNameLen, MaxNameLen); err != nil {
		return err
	}
	if !hasCyrillic(s) {
		return Problemf("validate.name.ru_no_cyrillic")
	}
	return nil
}

// ValidateNameEN checks the service name in English: no Cyrillic letters.
func ValidateNameEN(s string) error {
	if err := validateLine(s, MinNameLen, MaxNameLen); err != nil {
		return err
	}
	if hasCyrillic(s) {
		return Problemf("validate.name.en_cyrillic")
	}
	return nil
}

// ValidateDescription checks the service's one-sentence description.
func ValidateDescription(s string) error {
	if err := validateLine(s, MinDescriptionLen, MaxDescriptionLen); err != nil {
		return err
	}
	if n := CountSentences(s); n > 1 {
		return Problemf("validate.description.sentences", "Count", n)
	}
	return nil
}

// CountSentences counts the sentences in s: a sentence ends at . ! ? or … that
// is followed by a space and a capital letter. A period after a short word
// (nr., str., S.A., Î.S.) is taken for an abbreviation.
func CountSentences(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	count := 1
	runes := []rune(s)
	for i, r := range runes {
		if !strings.ContainsRune(".!?…", r) || i+2 >= len(runes) {
			continue
		}
		if !unicode.IsSpace(runes[i+1]) {
			continue
		}
		j := i + 1
		for j < len(runes) && unicode.IsSpace(runes[j]) {
			j++
		}
		if j >= len(runes) || !unicode.IsUpper(runes[j]) {
			continue
		}
		if r == '.' && isAbbreviation(runes[:i]) {
			continue
		}
		count++
	}
	return count
}

// isAbbreviation reports whether the word just before a period looks like an
// abbreviation: at most three letters, or itself holding periods (S.A).
func isAbbreviation(before []rune) bool {
	k := len(before)
	for k > 0 && !unicode.IsSpace(before[k-1]) {
		k--
	}
	word := string(before[k:])
	return utf8.RuneCountInString(word) <= 3 || strings.Contains(word, ".")
}

// ValidateEmail checks a contact e-mail address: one bare address whose domain
// has a dot.
func ValidateEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Problemf("validate.email.empty")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", Problemf("validate.email.syntax", "Input", s)
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", Problemf("validate.email.domain", "Domain", domain)
	}
	return s, nil
}

// ValidatePhone checks a contact phone number: digits with optional spaces,
// dashes, dots, parentheses and a leading +; 6 to 15 digits (E.164 allows 15).
func ValidatePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Problemf("validate.phone.empty")
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()", r):
		default:
			return "", Problemf("validate.phone.char", "Char", string(r))
		}
	}
	if digits < 6 || digits > 15 {
		return "", Problemf("validate.phone.digits", "Count", digits)
	}
	return s, nil
}

// attributeName is the shape of an MPass attribute name,
// ^[A-Za-z][A-Za-z0-9_.:-]{0,63}$ (compiled on first use).
var attributeName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.:-]{0,63}$`)
})

// ValidateAttributeName checks the name of a custom MPass attribute (e.g. Role).
func ValidateAttributeName(name string) error {
	if !attributeName().MatchString(name) {
		return Problemf("answers.attribute_name", "Name", name)
	}
	return nil
}

// MaxSerialHexDigits bounds a certificate serial: RFC 5280 §4.1.2.2 allows at
// most 20 octets.
const MaxSerialHexDigits = 40

// ValidateSerial checks the serial number of a certificate AGE already has
// (typed instead of sending the .cer: mpass/process2.md step 4). Spaces,
// colons and a leading "serial=" or "0x" are dropped, letters upper-cased and
// an odd number of digits padded with a 0, as `openssl x509 -serial` prints
// it. It returns the hex form and the decimal form.
func ValidateSerial(s string) (hexForm, decimal string, err error) {
	t := serialDigits(s)
	if t == "" {
		return "", "", Problemf("validate.serial.empty")
	}
	for i, r := range t {
		if !isHexDigit(r) {
			return "", "", Problemf("validate.serial.not_hex", "Char", string(r), "Position", utf8.RuneCountInString(t[:i])+1)
		}
	}
	t = strings.ToUpper(t)
	if len(t)%2 == 1 {
		t = "0" + t
	}
	if len(t) > MaxSerialHexDigits {
		return "", "", Problemf("validate.serial.too_long", "Count", len(t))
	}
	n, _ := new(big.Int).SetString(t, 16)
	if n.Sign() == 0 {
		return "", "", Problemf("validate.serial.zero")
	}
	return t, n.String(), nil
}

// serialDigits strips what people copy along with a serial: a leading
// "serial=", spaces, tabs and colons, and a "0x".
func serialDigits(s string) string {
	t := strings.TrimSpace(s)
	if i := strings.IndexByte(t, '='); i >= 0 && strings.EqualFold(strings.TrimSpace(t[:i]), "serial") {
		t = t[i+1:]
	}
	t = strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '\t' {
			return -1
		}
		return r
	}, t)
	if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
		t = t[2:]
	}
	return t
}

func isHexDigit(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

// ValidateTestedOn checks the day testing on the test environment was
// finished (YYYY-MM-DD): a real date, not after today.
func ValidateTestedOn(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Problemf("validate.tested_on.empty")
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return "", Problemf("validate.tested_on.format", "Input", s)
	}
	if today := now.Format("2006-01-02"); d.Format("2006-01-02") > today {
		return "", Problemf("validate.tested_on.future", "Date", s, "Today", today)
	}
	return d.Format("2006-01-02"), nil
}

// Attribute is a custom MPass attribute with the values it may take.
type Attribute struct {
	Name   string
	Values []string
}

// MaxAttributeValueLen bounds one value of a custom attribute.
const MaxAttributeValueLen = 100

// ParseCustomAttributes reads custom MPass attributes, one a line:
// "Role: admin, operator". Each needs a name (ValidateAttributeName), which
// is not one of the standard attributes, and at least one value.
func ParseCustomAttributes(s string, standard []string) ([]Attribute, error) {
	var out []Attribute
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, values, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if err := ValidateAttributeName(name); err != nil {
			return nil, err
		}
		for _, std := range standard {
			if strings.EqualFold(std, name) {
				return nil, Problemf("validate.attribute.standard", "Name", name)
			}
		}
		for _, a := range out {
			if strings.EqualFold(a.Name, name) {
				return nil, Problemf("validate.attribute.twice", "Name", name)
			}
		}
		attr := Attribute{Name: name}
		if ok {
			for _, v := range strings.Split(values, ",") {
				v = strings.TrimSpace(v)
				if v == "" {
					continue
				}
				if err := validateLine(v, 1, MaxAttributeValueLen); err != nil || !safetext.IsSafe(v) {
					return nil, Problemf("validate.attribute.value", "Name", name, "Max", MaxAttributeValueLen)
				}
				attr.Values = append(attr.Values, v)
			}
		}
		if len(attr.Values) == 0 {
			return nil, Problemf("validate.attribute.no_values", "Name", name)
		}
		out = append(out, attr)
	}
	return out, nil
}

// FormatCustomAttributes writes attributes back in the form
// ParseCustomAttributes reads.
func FormatCustomAttributes(attrs []Attribute) string {
	var lines []string
	for _, a := range attrs {
		line := a.Name + ": " + strings.Join(a.Values, ", ")
		if len(a.Values) == 0 {
			line = a.Name + ": "
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
