package checks

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// wantErr asserts err's English text contains want ("" means no error).
func wantErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: unexpected error %q", name, err)
	case want != "" && err == nil:
		t.Errorf("%s: accepted, want error containing %q", name, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s: error %q, want it to contain %q", name, err, want)
	}
}

func TestValidateIDNO(t *testing.T) {
	cases := []struct{ in, out, err string }{
		{"1003600096694", "1003600096694", ""}, // STISC
		{"1024600042427", "1024600042427", ""}, // made up; check digit computed with weights 7,3,1
		{" 1003 6000 96694 ", "1003600096694", ""},
		{"", "", "Enter the IDNO: 13 digits."},
		{"   ", "", "Enter the IDNO"},
		{"100360009669", "", "this has 12 digits"},
		{"10036000966941", "", "this has 14 digits"},
		{"1", "", "this has 1 digit."},
		{"1003600096695", "", "This is not a valid IDNO: its check digit does not match."},
		{"1003600069694", "", "This is not a valid IDNO"}, // two digits swapped
		{"100360009669A", "", "“A” at position 13 is not one"},
		{"1003-600096694", "", "“-” at position 5"},
		{"１００３６００９６６９４", "", "is not one"}, // full-width digits
	}
	for _, c := range cases {
		got, err := ValidateIDNO(c.in)
		wantErr(t, "IDNO "+c.in, err, c.err)
		if err == nil && got != c.out {
			t.Errorf("IDNO %q normalised to %q, want %q", c.in, got, c.out)
		}
	}
}

func TestIDNOCheckDigitWeights(t *testing.T) {
	// 1,0,0,3,6,0,0,0,9,6,6,9 · 7,3,1,… = 124 → 4
	if d := IDNOCheckDigit("100360009669"); d != 4 {
		t.Errorf("check digit %d, want 4", d)
	}
}

func TestValidateIP(t *testing.T) {
	cases := []struct {
		in    string
		class IPClass
		err   string
	}{
		{"193.226.0.10", IPPublic, ""},
		{" 8.8.8.8 ", IPPublic, ""},
		{"2a02:2f0e:1::10", IPPublic, ""},
		{"[2a02:2f0e:1::10]", IPPublic, ""},
		{"::ffff:193.226.0.10", IPPublic, ""}, // mapped: stored as IPv4
		{"10.1.2.3", IPPrivate, ""},
		{"172.16.0.1", IPPrivate, ""},
		{"192.168.1.20", IPPrivate, ""},
		{"100.64.0.1", IPCGNAT, ""},
		{"100.127.255.254", IPCGNAT, ""},
		{"fd12:3456::1", IPULA, ""},
		{"", "", "Enter an IP address."},
		{"127.0.0.1", "", "loopback"},
		{"127.5.5.5", "", "loopback"},
		{"::1", "", "loopback"},
		{"0.0.0.0", "", "unspecified"},
		{"::", "", "unspecified"},
		{"169.254.10.1", "", "link-local"},
		{"fe80::1", "", "link-local"},
		{"fe80::1%eth0", "", "has a zone"},
		{"224.0.0.1", "", "multicast"},
		{"ff02::1", "", "multicast"},
		{"255.255.255.255", "", "broadcast"},
		{"192.0.2.10", "", "reserved for documentation"},
		{"198.51.100.7", "", "reserved for documentation"},
		{"203.0.113.99", "", "reserved for documentation"},
		{"2001:db8::5", "", "reserved for documentation"},
		{"198.18.0.1", "", "benchmarking"},
		{"240.0.0.1", "", "reserved range"},
		{"0.1.2.3", "", "this network"},
		{"10.0.0.0/8", "", "is a range"},
		{"256.1.1.1", "", "is not an IPv4 or IPv6 address"},
		{"1.2.3", "", "is not an IPv4 or IPv6 address"},
		{"example.md", "", "is not an IPv4 or IPv6 address"},
	}
	for _, c := range cases {
		_, class, err := ValidateIP(c.in)
		wantErr(t, "IP "+c.in, err, c.err)
		if err == nil && class != c.class {
			t.Errorf("IP %q class %q, want %q", c.in, class, c.class)
		}
	}
}

func TestValidateIPsMergesAndAsksForVPN(t *testing.T) {
	out, errs := ValidateIPs([]IPEntry{
		{Address: "193.226.0.10"},
		{Address: "::ffff:193.226.0.10"},                // the same address again
		{Address: "10.0.0.5", VPN: "  AGE-VPN-2  "},     // private, with its VPN
		{Address: "10.0.0.5", VPN: "another"},           // duplicate: first VPN wins
		{Address: "100.64.3.3"},                         // CGNAT without VPN
		{Address: "127.0.0.1"},                          // refused
		{Address: "8.8.4.4", VPN: "ignored for public"}, // VPN dropped
	})
	want := []IPEntry{{"193.226.0.10", ""}, {"10.0.0.5", "AGE-VPN-2"}, {"8.8.4.4", ""}}
	if len(out) != len(want) {
		t.Fatalf("got %v, want %v", out, want)
	}
	for i := range want {
		if out[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, out[i], want[i])
		}
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	wantErr(t, "CGNAT", errs[0], "100.64.3.3 is a carrier-grade NAT (100.64.0.0/10) address: AGE can reach it only through a VPN. Name the VPN it belongs to.")
	wantErr(t, "loopback", errs[1], "127.0.0.1 is a loopback address")
}

func TestValidateLogoutURL(t *testing.T) {
	cases := []struct{ in, env, err string }{
		{"https://portal.example.md/saml/logout", "test", ""},
		{"https://portal.example.md:8443/Account/Logout?x=1", "production", ""},
		{"https://localhost:5001/logout", "test", ""},
		{"https://127.0.0.1/logout", "test", ""},
		{"https://[::1]:8443/logout", "test", ""},
		{"https://app.localhost/logout", "test", ""},
		{"https://localhost:5001/logout", "production", "accepted for the test environment only"},
		{"https://127.0.0.1/logout", "production", "accepted for the test environment only"},
		{"https://[::1]/logout", "production", "accepted for the test environment only"},
		{"http://portal.example.md/logout", "test", "must use https, not http"},
		// mpass/integration-development.md "Network access", mpass/api-reference.md:
		// a local development machine, http://localhost in AGE's own examples.
		{"http://localhost:50341/Account/AfterLogout", "test", ""},
		{"http://127.0.0.1:8080/logout", "test", ""},
		{"http://localhost:50341/Account/AfterLogout", "production", "must use https, not http"},
		{"portal.example.md/logout", "test", "is not a full URL"},
		{"/logout", "test", "is not a full URL"},
		{"https:///logout", "test", "has no host name"},
		{"https://user:pw@portal.example.md/logout", "test", "user name and password"},
		{"https://portal.example.md/logout#top", "test", "#fragment"},
		{"https://portal.example.md:99999/logout", "test", "is not a valid port"},
		{"", "test", "Enter the URL."},
		{"mailto:a@b.md", "test", "is not a full URL"},
		// A bidi override or a C1 control pasted into the path is shown
		// escaped, and refused.
		{"https://portal.example.md/\u202elogout", "test", `portal.example.md/\u202elogout” contains a control or invisible character`},
		{"https://portal.example.md/a\u0085b", "test", "contains a control or invisible character"},
		{"https://portal.example.md/my logout", "test", "contains a space"},
	}
	for _, c := range cases {
		wantErr(t, c.env+" "+c.in, ValidateLogoutURL(c.in, c.env), c.err)
	}
}

// A serial typed instead of the .cer (mpass/process2.md step 4) is kept as
// `openssl x509 -serial` prints it.
func TestValidateSerial(t *testing.T) {
	cases := []struct{ in, hex, dec, err string }{
		{"4F00000000A1B2C3D4E5", "4F00000000A1B2C3D4E5", "", ""},
		{"4f:00:00:00:00:a1:b2:c3:d4:e5", "4F00000000A1B2C3D4E5", "", ""},
		{" 4f 00 00 00 ", "4F000000", "1325400064", ""},
		{"serial=0A1B", "0A1B", "2587", ""},
		{"0x1b", "1B", "27", ""},
		{"abc", "0ABC", "2748", ""},
		{"", "", "", "Enter the certificate's serial number"},
		{" : ", "", "", "Enter the certificate's serial number"},
		{"4F-00", "", "", "“-” at position 3 is not a hexadecimal digit"},
		{"12G4", "", "", "“G” at position 3"},
		{"00", "", "", "cannot be zero"},
		{strings.Repeat("AB", 21), "", "", "at most 40 hexadecimal digits; this has 42"},
	}
	for _, c := range cases {
		hex, dec, err := ValidateSerial(c.in)
		wantErr(t, "serial "+c.in, err, c.err)
		if hex != c.hex || (c.dec != "" && dec != c.dec) {
			t.Errorf("ValidateSerial(%q) = %q, %q; want %q, %q", c.in, hex, dec, c.hex, c.dec)
		}
	}
}

func TestValidateTestedOn(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	cases := []struct{ in, out, err string }{
		{"2026-11-22", "2026-11-22", ""},
		{" 2026-10-01 ", "2026-10-01", ""},
		{"2026-11-23", "", "2026-11-23 is after today (2026-11-22)"},
		{"2026-02-30", "", "is not a date"},
		{"22.11.2026", "", "is not a date"},
		{"", "", "Enter the day testing was finished"},
	}
	for _, c := range cases {
		got, err := ValidateTestedOn(c.in, now)
		wantErr(t, "tested on "+c.in, err, c.err)
		if got != c.out {
			t.Errorf("ValidateTestedOn(%q) = %q, want %q", c.in, got, c.out)
		}
	}
}

func TestParseCustomAttributes(t *testing.T) {
	std := []string{"NameIdentifier", "FirstName"}
	got, err := ParseCustomAttributes("Role: admin, operator\n\n  Department : Finanțe ,, Juridic \n", std)
	want := []Attribute{{"Role", []string{"admin", "operator"}}, {"Department", []string{"Finanțe", "Juridic"}}}
	if err != nil || len(got) != 2 || got[0].Name != want[0].Name || strings.Join(got[0].Values, "|") != "admin|operator" ||
		got[1].Name != want[1].Name || strings.Join(got[1].Values, "|") != "Finanțe|Juridic" {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	if back := FormatCustomAttributes(got); back != "Role: admin, operator\nDepartment: Finanțe, Juridic" {
		t.Errorf("formatted back: %q", back)
	}
	for in, msg := range map[string]string{
		"Role":                              "List the values Role may take",
		"Role: ":                            "List the values Role may take",
		"firstname: a":                      "FirstName is a standard attribute",
		"Role: a\nrole: b":                  "role is listed twice",
		"1Role: a":                          "is not an attribute name",
		"Role: a\u202eb":                    "A value of Role",
		"Role: " + strings.Repeat("x", 101): "A value of Role",
	} {
		_, err := ParseCustomAttributes(in, std)
		wantErr(t, in, err, strings.Replace(msg, "FirstName", "firstname", 1))
	}
}

func TestValidateNames(t *testing.T) {
	wantErr(t, "ro ok", ValidateNameRO("Registrul electronic al cetățenilor"), "")
	// Cedilla ş ţ are accepted, and the comma-below fix is offered.
	wantErr(t, "ro cedilla", ValidateNameRO("Serviciul de plăţi şi taxe"), "")
	if fixed, ok := CedillaFix("Serviciul de plăţi şi taxe ŞŢ"); !ok || fixed != "Serviciul de plăți și taxe ȘȚ" {
		t.Errorf("CedillaFix: %q %v", fixed, ok)
	}
	if _, ok := CedillaFix("Serviciul de plăți și taxe"); ok {
		t.Error("CedillaFix changed text already written with comma-below letters")
	}
	wantErr(t, "ro cyrillic", ValidateNameRO("Сервис"), "has Cyrillic")
	wantErr(t, "ru ok", ValidateNameRU("Электронный реестр граждан"), "")
	wantErr(t, "ru latin", ValidateNameRU("Registrul electronic"), "has none")
	wantErr(t, "en ok", ValidateNameEN("Electronic citizens' registry"), "")
	wantErr(t, "en cyrillic", ValidateNameEN("Registry реестр"), "has Cyrillic")
	wantErr(t, "empty", ValidateNameEN("  "), "required")
	wantErr(t, "short", ValidateNameEN("A"), "at least 2 characters")
	wantErr(t, "long", ValidateNameEN(strings.Repeat("a", MaxNameLen+1)), "within 100 characters")
	wantErr(t, "two lines", ValidateNameEN("Name\nmore"), "one line")
}

func TestValidateDescription(t *testing.T) {
	cases := []struct{ in, err string }{
		{"Portalul permite depunerea online a cererilor de autorizare.", ""},
		{"Permite semnarea documentelor de către Î.S. Agenția Servicii Publice.", ""},
		{"Serviciul conform Ordinului nr. 130 din 26.03.2015 emite certificate.", ""},
		{"Позволяет подавать заявления онлайн.", ""},
		{"Lets citizens apply online. It also sends reminders.", "this reads as 2 sentences"},
		{"Один. Два! Три?", "this reads as 3 sentences"},
		{"Too short", "at least 10 characters"},
		{strings.Repeat("word ", 70) + ".", "within 300 characters"},
	}
	for _, c := range cases {
		wantErr(t, c.in, ValidateDescription(c.in), c.err)
	}
}

func TestValidateEmailAndPhone(t *testing.T) {
	for in, want := range map[string]string{
		"ion.popescu@example.md":      "",
		"  ion@mail.gov.md ":          "",
		"Ion <ion@example.md>":        "is not an e-mail address",
		"ion@localhost":               "is not complete",
		"ion@example..md":             "is not",
		"ion.example.md":              "is not an e-mail address",
		"":                            "Enter an e-mail address.",
		"ion@example.md, ana@test.md": "is not an e-mail address",
	} {
		_, err := ValidateEmail(in)
		wantErr(t, "email "+in, err, want)
	}
	for in, want := range map[string]string{
		"+373 22 820 000": "",
		"022-820-000":     "",
		"(022) 820 000":   "",
		"069123456":       "",
		"12345":           "has 6 to 15 digits; this has 5",
		"+373 22 ext 5":   "“e” is not allowed",
		"1+2345678":       "“+” is not allowed",
		"":                "Enter a phone number.",
	} {
		_, err := ValidatePhone(in)
		wantErr(t, "phone "+in, err, want)
	}
}

// The IDNO message says how the check digit is made (weights 7, 3, 1
// repeated over the first 12 digits, the sum modulo 10), which is how
// IDNOCheckDigit makes it, and names no last digit that would pass: a
// mistyped middle digit is likelier than a wrong last one.
func TestIDNOMessageExplainsTheCheckDigit(t *testing.T) {
	for _, first12 := range []string{"100360009669", "102460004242", "999999999999", "000000000001", "123456789012"} {
		sum := 0
		for i, r := range first12 {
			sum += int(r-'0') * []int{7, 3, 1}[i%3]
		}
		if got := IDNOCheckDigit(first12); got != sum%10 {
			t.Errorf("IDNOCheckDigit(%s) = %d; the message's rule gives %d", first12, got, sum%10)
		}
	}
	_, err := ValidateIDNO("1003600096695") // a valid number ends in 4
	for lang, rule := range map[string][]string{
		"en": {"7, 3, 1, 7, 3, 1", "first 12 digits", "modulo 10"},
		"ro": {"7, 3, 1, 7, 3, 1", "primelor 12 cifre", "modulo 10"},
		"ru": {"7, 3, 1, 7, 3, 1", "первых 12 цифр", "по модулю 10"},
	} {
		got := Localize(err, lang)
		for _, w := range rule {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", lang, got, w)
			}
		}
		if strings.ContainsAny(got, "45") {
			t.Errorf("%s: %q names a last digit", lang, got)
		}
	}
}

func TestMessagesInEveryLanguage(t *testing.T) {
	_, err := ValidateIDNO("1003600096695")
	for lang, want := range map[string]string{
		"en": "This is not a valid IDNO: its check digit does not match.",
		"ro": "Acesta nu este un IDNO valid: cifra de control nu corespunde.",
		"ru": "Это недействительный IDNO: контрольная цифра не сходится.",
	} {
		if got := Localize(err, lang); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want it to contain %q", lang, got, want)
		}
	}
	_, err = ValidateIDNO("12")
	if got := Localize(err, "ru"); !strings.Contains(got, "здесь 2 цифры") {
		t.Errorf("ru plural: %q", got)
	}
	_, errs := ValidateIPs([]IPEntry{{Address: "10.0.0.1"}})
	if got := Localize(errs[0], "ro"); !strings.Contains(got, "este o adresă privată (RFC 1918)") {
		t.Errorf("ro nested placeholder: %q", got)
	}
}

// The fuzz targets check that no input panics and that what is accepted is
// consistent with the rule.

func FuzzValidateIDNO(f *testing.F) {
	for _, s := range []string{"1003600096694", "1024600042427", "", "12345678901234", "abc", "1003 6000 96694"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ValidateIDNO(s)
		if err != nil {
			return
		}
		if len(got) != 13 || IDNOCheckDigit(got[:12]) != int(got[12]-'0') {
			t.Fatalf("accepted %q as %q", s, got)
		}
	})
}

func FuzzValidateIP(f *testing.F) {
	for _, s := range []string{"193.226.0.10", "10.0.0.1", "::1", "fe80::1%eth0", "2a02::1", "[::ffff:1.2.3.4]", "1.2.3.4/24", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, class, err := ValidateIP(s)
		if err != nil {
			return
		}
		if !a.IsValid() || a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.Is4In6() {
			t.Fatalf("accepted %q as %v (%s)", s, a, class)
		}
		if (a.IsPrivate() || cgnat.Contains(a)) != class.NeedsVPN() {
			t.Fatalf("%q: class %s", s, class)
		}
	})
}

// logoutURLOracle states, independently of ValidateLogoutURL's code, what an
// accepted logout URL (typed as s) must be: it reads the URL by hand, not
// with net/url. It returns what is wrong ("" when nothing is).
func logoutURLOracle(s string, prod bool) string {
	s = strings.TrimSpace(s)
	if !safetext.IsSafe(s) || strings.ContainsAny(s, " \t") {
		return "a control, invisible or blank character"
	}
	if strings.Contains(s, "#") {
		return "a fragment"
	}
	scheme, rest, ok := strings.Cut(s, "://")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "https" && scheme != "http") {
		return "not an absolute http(s) URL"
	}
	authority := rest
	if k := strings.IndexAny(rest, "/?"); k >= 0 {
		authority = rest[:k]
	}
	if strings.Contains(authority, "@") {
		return "a user name or password"
	}
	host, port := splitAuthority(authority)
	if why := oracleHostPort(host, port); why != "" {
		return why
	}
	local := oracleLocal(host)
	if scheme == "http" && (prod || !local) {
		return "http for a host that is not this machine, or on production"
	}
	if prod && local {
		return "this machine's address on production"
	}
	return ""
}

// oracleHostPort: a host, and a port (if any) of digits from 1 to 65535.
func oracleHostPort(host, port string) string {
	if host == "" {
		return "no host"
	}
	if port == "" {
		return ""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strings.Trim(port, "0123456789") != "" {
		return "a port out of range"
	}
	return ""
}

// splitAuthority splits host[:port] and [v6]:port by hand.
func splitAuthority(a string) (host, port string) {
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 {
			return "", ""
		}
		host, rest := a[1:end], a[end+1:]
		if rest != "" && !strings.HasPrefix(rest, ":") {
			return "", ""
		}
		return host, strings.TrimPrefix(rest, ":")
	}
	if k := strings.LastIndexByte(a, ':'); k >= 0 {
		return a[:k], a[k+1:]
	}
	return a, ""
}

// oracleLocal: localhost, a name under .localhost, 127.0.0.0/8, ::1 or an
// unspecified address, however the host spells it.
func oracleLocal(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	a = a.Unmap()
	return (a.Is4() && a.As4()[0] == 127) || a == netip.IPv6Loopback() || a.IsUnspecified()
}

// The oracle itself finds what it is meant to: each of these URLs is wrong.
func TestLogoutURLOracleCatchesBadURLs(t *testing.T) {
	for _, c := range []struct {
		url  string
		prod bool
	}{
		{"http://portal.example.md/logout", false},
		{"https://user:pw@portal.example.md/logout", false},
		{"https://portal.example.md/logout#top", false},
		{"https://portal.example.md/\u202elogout", false},
		{"https://portal.example.md:0/logout", false},
		{"https://portal.example.md:70000/logout", false},
		{"https://localhost/logout", true},
		{"https://[::1]:8443/logout", true},
		{"http://127.0.0.1/logout", true},
		{"portal.example.md/logout", false},
		{"https:///logout", false},
	} {
		if why := logoutURLOracle(c.url, c.prod); why == "" {
			t.Errorf("the oracle passes %q (production %v)", c.url, c.prod)
		}
	}
	for _, ok := range []string{"https://portal.example.md/logout", "https://portal.example.md:8443/a?b=c", "http://localhost:5000/logout"} {
		if why := logoutURLOracle(ok, false); why != "" {
			t.Errorf("the oracle refuses %q: %s", ok, why)
		}
	}
}

// ValidateLogoutURL never panics; what it accepts the oracle finds sound,
// and what it refuses it refuses with one of its own catalogue messages.
func FuzzValidateLogoutURL(f *testing.F) {
	for _, s := range []string{"https://portal.example.md/logout", "http://x", "https://localhost/x", "https://[::1]:1/x",
		"https://a@b/c#d", "", "http://LOCALHOST./x", "https://x:65536/", "https://x/\u0085y", "https://x/\u202ey", "https://x\\@y/", "https://%40x/"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, prod bool) {
		env := "test"
		if prod {
			env = "production"
		}
		err := ValidateLogoutURL(s, env)
		if err == nil {
			if why := logoutURLOracle(s, prod); why != "" {
				t.Fatalf("accepted %q (production %v) with %s", s, prod, why)
			}
			return
		}
		var p *Problem
		if !errors.As(err, &p) || !strings.HasPrefix(p.Text.Key, "validate.url.") || !assets.Has("en", p.Text.Key) {
			t.Fatalf("refused %q with %v, not a validate.url message", s, err)
		}
	})
}
