package cert_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// problemKey is the catalogue key of a load error: what decides the line the
// user reads.
func problemKey(t *testing.T, err error) string {
	t.Helper()
	var p *checks.Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v is not a Problem", err)
	}
	return p.Text.Key
}

func TestLoadPFXEveryEncoder(t *testing.T) {
	ch := testpki.STISC(now, nil)
	for name, enc := range testpki.Encoders {
		t.Run(name, func(t *testing.T) {
			pw := "s3cret-Ș"
			if name == "Passwordless" {
				pw = ""
			}
			l, err := cert.Load(context.Background(), ch.PFX(enc, pw), pw)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if !l.Leaf.Equal(ch.Leaf.Cert) {
				t.Errorf("leaf = %s, want %s", l.Leaf.Subject, ch.Leaf.Cert.Subject)
			}
			if len(l.Chain) != 2 || !l.Chain[0].Equal(ch.Intermediate.Cert) || !l.Chain[1].Equal(ch.Root.Cert) {
				t.Errorf("chain not intermediate, root: %v", l.Chain)
			}
			if !l.HasKey() || l.KeyMismatch || l.Format != "pkcs12" {
				t.Errorf("HasKey=%v KeyMismatch=%v Format=%s", l.HasKey(), l.KeyMismatch, l.Format)
			}
			if _, ok := l.TLSCertificate(); !ok {
				t.Error("no TLS certificate from a .pfx with its key")
			}
		})
	}
}

// Some exports put the root first: the leaf is the one matching the key.
func TestLoadPFXLeafByKeyNotPosition(t *testing.T) {
	ch := testpki.STISC(now, nil)
	// The root in the "certificate" position, the leaf among the CAs.
	data := testpki.PFX(pkcs12.Modern2023, ch.Leaf.Key, ch.Root.Cert, []*x509.Certificate{ch.Leaf.Cert, ch.Intermediate.Cert}, "pw")
	l, err := cert.Load(context.Background(), data, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if !l.Leaf.Equal(ch.Leaf.Cert) || l.KeyMismatch {
		t.Fatalf("leaf = %s (mismatch %v), want the system certificate", l.Leaf.Subject, l.KeyMismatch)
	}
	if len(l.Chain) != 2 || !l.Chain[0].Equal(ch.Intermediate.Cert) {
		t.Errorf("chain not ordered from the leaf's issuer up")
	}
}

func TestLoadWrongPassword(t *testing.T) {
	ch := testpki.STISC(now, nil)
	for _, name := range []string{"Modern2023", "LegacyRC2", "LegacyDES", "Modern2026"} {
		_, err := cert.Load(context.Background(), ch.PFX(testpki.Encoders[name], "right"), "wrong")
		if !errors.Is(err, cert.ErrPasswordIncorrect) {
			t.Errorf("%s: err = %v, want password incorrect", name, err)
		}
		if err != nil && err.Error() != "password incorrect" {
			t.Errorf("%s: message %q", name, err.Error())
		}
	}
}

func TestLoadPublicFiles(t *testing.T) {
	ch := testpki.STISC(now, nil)
	der, err := cert.Load(context.Background(), ch.Leaf.Cert.Raw, "")
	if err != nil || der.Format != "der" || !der.Leaf.Equal(ch.Leaf.Cert) || der.HasKey() {
		t.Fatalf("DER: %v %+v", err, der)
	}
	// PEM with the chain in reverse order: root, intermediate, leaf.
	p, err := cert.Load(context.Background(), testpki.PEM(ch.Root.Cert, ch.Intermediate.Cert, ch.Leaf.Cert), "")
	if err != nil || p.Format != "pem" || !p.Leaf.Equal(ch.Leaf.Cert) || len(p.Chain) != 2 || !p.Chain[0].Equal(ch.Intermediate.Cert) {
		t.Fatalf("PEM: %v leaf=%v", err, p)
	}
	// Certificate and key in one PEM: the certificate is read, the key ignored.
	withKey := append(testpki.KeyPEM(ch.Leaf.Key), testpki.PEM(ch.Leaf.Cert)...)
	if l, err := cert.Load(context.Background(), withKey, ""); err != nil || !l.Leaf.Equal(ch.Leaf.Cert) || l.HasKey() {
		t.Fatalf("PEM with key: %v", err)
	}
}

func TestLoadRefusals(t *testing.T) {
	ch := testpki.STISC(now, nil)
	pfx := ch.PFX(pkcs12.Modern2023, "pw")
	csr, _ := x509.CreateCertificateRequest(nil, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "x"}}, ch.Leaf.Key)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "cert.load.empty"},
		{"blank", []byte("  \n"), "cert.load.empty"},
		{"key-only PEM", testpki.KeyPEM(ch.Leaf.Key), "cert.load.key_only"},
		{"key-only DER", testpki.KeyDER(ch.Leaf.Key), "cert.load.key_only"},
		{"RSA PEM key", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{0, 0, 0}}), "cert.load.key_only"},
		{"truncated pfx", pfx[:len(pfx)/2], "cert.load.truncated"},
		{"truncated PEM", testpki.PEM(ch.Leaf.Cert)[:300], "cert.load.truncated"},
		{"CSR", []byte(pemBlock("CERTIFICATE REQUEST", csr)), "cert.load.csr"},
		{"garbage", []byte("this is not a certificate"), "cert.load.corrupt"},
		{"damaged PEM", []byte(pemBlock("CERTIFICATE", []byte("nope"))), "cert.load.corrupt_pem"},
		{"too large", bytes.Repeat([]byte{'A'}, cert.MaxFileSize+1), "cert.load.too_large"},
	}
	for _, c := range cases {
		_, err := cert.Load(context.Background(), c.data, "pw")
		if err == nil {
			t.Errorf("%s: loaded", c.name)
			continue
		}
		if got := problemKey(t, err); got != c.want {
			t.Errorf("%s: %s (%v), want %s", c.name, got, err, c.want)
		}
	}
}

func pemBlock(typ string, b []byte) string {
	return "-----BEGIN " + typ + "-----\n" + b64(b) + "\n-----END " + typ + "-----\n"
}

func TestLoadFileProblems(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pfx")
	if err := os.WriteFile(big, make([]byte, cert.MaxFileSize+10), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.pfx"): "cert.load.missing",
		dir:                               "cert.load.directory",
		big:                               "cert.load.too_large",
	} {
		_, err := cert.LoadFile(context.Background(), path, "")
		if got := problemKey(t, err); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}

// A file asking for an absurd iteration count is refused before any work.
func TestLoadHugeIterationCount(t *testing.T) {
	type macData struct {
		Mac        asn1.RawValue
		Salt       []byte
		Iterations int
	}
	type pfx struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  macData
	}
	seq := asn1.RawValue{FullBytes: []byte{0x30, 0x00}}
	data, err := asn1.Marshal(pfx{3, seq, macData{seq, []byte("salt"), 2_000_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cert.Load(context.Background(), data, "pw")
	if got := problemKey(t, err); got != "cert.load.iterations" {
		t.Fatalf("%s (%v)", got, err)
	}
}

// A slow decode gives way to the caller's deadline.
func TestLoadTimeout(t *testing.T) {
	ch := testpki.STISC(now, nil)
	data := ch.PFX(pkcs12.Modern2023.WithIterations(400_000), "pw")
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err := cert.Load(ctx, data, "pw")
	if got := problemKey(t, err); got != "cert.load.timeout" {
		t.Fatalf("%s (%v)", got, err)
	}
}

// A file exported without a password, opened with one, reads as a wrong
// password (the user is asked again), not as a damaged file.
func TestPasswordlessFileWithAPassword(t *testing.T) {
	ch := testpki.STISC(now, nil)
	data := ch.PFX(pkcs12.Passwordless, "")
	_, err := cert.Load(context.Background(), data, "not-empty")
	if !errors.Is(err, cert.ErrPasswordIncorrect) {
		t.Fatalf("err = %v", err)
	}
}

// verdicts maps verdict ID to severity.
func verdicts(r *cert.Report) map[string]checks.Severity {
	m := map[string]checks.Severity{}
	for _, v := range r.Verdicts {
		m[v.ID] = v.Severity
	}
	return m
}

func TestVerdicts(t *testing.T) {
	stisc := func(mod func(*x509.Certificate)) *cert.Loaded {
		tmpl := testpki.LeafTemplate("system.example.md", now)
		if mod != nil {
			mod(tmpl)
		}
		ch := testpki.STISC(now, tmpl)
		l, err := cert.Load(context.Background(), ch.PFX(pkcs12.Modern2023, "pw"), "pw")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	day := 24 * time.Hour
	cases := []struct {
		name string
		l    *cert.Loaded
		opt  cert.Options
		id   string
		sev  checks.Severity
	}{
		{"good", stisc(nil), cert.Options{}, "cert.valid", checks.Pass},
		{"good issuer", stisc(nil), cert.Options{}, "cert.issuer_stisc", checks.Pass},
		{"good chain", stisc(nil), cert.Options{}, "cert.chain_complete", checks.Pass},
		{"expired", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(-day) }), cert.Options{}, "cert.expired", checks.Fail},
		{"not yet valid", stisc(func(c *x509.Certificate) { c.NotBefore = now.Add(day) }), cert.Options{}, "cert.not_yet_valid", checks.Fail},
		{"30 days", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(20 * day) }), cert.Options{}, "cert.expires_soon", checks.Warn},
		{"90 days", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(60 * day) }), cert.Options{}, "cert.expires_90", checks.Info},
		{"no clientAuth", stisc(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }),
			cert.Options{Services: []string{"msign"}}, "cert.no_client_auth", checks.Fail},
		{"no clientAuth, MPass only", stisc(func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }),
			cert.Options{Services: []string{"mpass"}}, "cert.no_client_auth_mpass", checks.Info},
		{"no digitalSignature", stisc(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }), cert.Options{}, "cert.no_digital_signature", checks.Warn},
		{"leaf is a CA", stisc(func(c *x509.Certificate) { c.IsCA = true; c.KeyUsage |= x509.KeyUsageCertSign }), cert.Options{}, "cert.is_ca", checks.Fail},
		{"same as test", stisc(nil), cert.Options{Env: "production"}, "cert.same_as_test", checks.Fail},
	}
	// same_as_test needs the fingerprint of the very certificate.
	cases[len(cases)-1].opt.TestSHA256 = cert.Fingerprint(cases[len(cases)-1].l.Leaf)
	for _, c := range cases {
		c.opt.Now = now
		got := verdicts(cert.NewReport(c.l, c.opt))
		if got[c.id] != c.sev {
			t.Errorf("%s: %s = %q, want %q (all: %v)", c.name, c.id, got[c.id], c.sev, got)
		}
	}
}

func TestVerdictsKeyAndSignature(t *testing.T) {
	ca := testpki.CA("mdtrustca", testpki.STISCOrg, nil, now)
	weak := testpki.RSAKey(1024)
	l := &cert.Loaded{Leaf: testpki.Issue(testpki.LeafTemplate("weak", now), weak.Public(), &ca, weak).Cert, Format: "der"}
	if v := verdicts(cert.NewReport(l, cert.Options{Now: now})); v["cert.key_weak"] != checks.Fail {
		t.Errorf("RSA 1024: %v", v)
	}
	rsaCA := testpki.Cert{Cert: testpki.Issue(&x509.Certificate{Subject: pkix.Name{CommonName: "mdtrustca"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour * 24 * 900), KeyUsage: x509.KeyUsageCertSign}, testpki.RSAKey(2048).Public(), nil, testpki.RSAKey(2048)).Cert, Key: testpki.RSAKey(2048)}
	tmpl := testpki.LeafTemplate("sha1", now)
	tmpl.SignatureAlgorithm = x509.SHA1WithRSA
	k := testpki.ECKey()
	l = &cert.Loaded{Leaf: testpki.Issue(tmpl, k.Public(), &rsaCA, k).Cert, Format: "der"}
	if v := verdicts(cert.NewReport(l, cert.Options{Now: now})); v["cert.sig_weak"] != checks.Fail || v["cert.key_ok"] != checks.Pass {
		t.Errorf("SHA-1 signed: %v", v)
	}
}

func TestVerdictsIssuer(t *testing.T) {
	key := testpki.RSAKey(2048)
	// STISC written with comma-below ș still counts as STISC.
	comma := testpki.ChainFrom(now, "root", strings.ReplaceAll(testpki.STISCOrg, "ş", "ș"), "Some CA", nil, key)
	age := testpki.ChainFrom(now, "egov.md", "E-Governance Agency", "pki.egov.md", nil, key)
	other := testpki.ChainFrom(now, "Other Root", "Other CA Ltd", "Other CA", nil, key)
	self := testpki.Issue(testpki.LeafTemplate("self", now), key.Public(), nil, key)
	load := func(c *x509.Certificate, chain ...*x509.Certificate) *cert.Loaded {
		return &cert.Loaded{Leaf: c, Chain: chain, Format: "pem"}
	}
	cases := []struct {
		name string
		l    *cert.Loaded
		env  string
		id   string
		sev  checks.Severity
	}{
		{"STISC comma-below", load(comma.Leaf.Cert), "test", "cert.issuer_stisc", checks.Pass},
		{"AGE test PKI on test", load(age.Leaf.Cert), "test", "cert.issuer_age_test", checks.Info},
		{"AGE test PKI on production", load(age.Leaf.Cert), "production", "cert.issuer_age_test_production", checks.Fail},
		{"unknown", load(other.Leaf.Cert), "test", "cert.issuer_unknown", checks.Warn},
		{"self-signed", load(self.Cert), "test", "cert.self_signed", checks.Fail},
		{"chain incomplete", load(age.Leaf.Cert, age.Root.Cert), "test", "cert.chain_incomplete", checks.Warn},
	}
	for _, c := range cases {
		got := verdicts(cert.NewReport(c.l, cert.Options{Now: now, Env: c.env}))
		if got[c.id] != c.sev {
			t.Errorf("%s: %s = %q, want %q (all: %v)", c.name, c.id, got[c.id], c.sev, got)
		}
	}
}

// opensslSelfSigned is what `openssl req -x509 -newkey rsa:2048` makes with
// OpenSSL's default configuration: self-signed, basicConstraints CA:TRUE,
// subject and authority key identifiers, no key usage, no extended key usage.
func opensslSelfSigned(cn string) *x509.Certificate {
	key := testpki.RSAKey(2048)
	tmpl := &x509.Certificate{
		Subject:   pkix.Name{Country: []string{"MD"}, Organization: []string{"Test System SRL"}, CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		BasicConstraintsValid: true, IsCA: true, SubjectKeyId: []byte{1, 2, 3, 4}, AuthorityKeyId: []byte{1, 2, 3, 4},
	}
	return testpki.Issue(tmpl, key.Public(), nil, key).Cert
}

// AGE's guides: MPass accepts "a self-signed or any existing certificate"
// (mpass/integration-development.md, "Service registration"); MSign accepts only
// STISC's certificates (msign/integration-development.md, "Obtaining
// credentials"); MPower only STISC's (mpower/security.md, "Access authorization").
func TestSelfSignedPerService_MPassGuideAndMSignMPowerGuides(t *testing.T) {
	l := &cert.Loaded{Leaf: opensslSelfSigned("system.example.md"), Format: "pem"}
	cases := []struct {
		services []string
		id       string
		sev      checks.Severity
		absent   string
	}{
		{[]string{"mpass"}, "cert.self_signed_mpass", checks.Warn, "cert.self_signed"},
		{[]string{"msign"}, "cert.self_signed", checks.Fail, "cert.self_signed_mpass"},
		{[]string{"mpower"}, "cert.self_signed", checks.Fail, "cert.self_signed_mpass"},
		{[]string{"mpass", "msign"}, "cert.self_signed", checks.Fail, "cert.self_signed_mpass"},
	}
	for _, c := range cases {
		r := cert.NewReport(l, cert.Options{Now: now, Services: c.services})
		got := verdicts(r)
		if got[c.id] != c.sev {
			t.Errorf("%v: %s = %q, want %q (all: %v)", c.services, c.id, got[c.id], c.sev, got)
		}
		if _, ok := got[c.absent]; ok {
			t.Errorf("%v: %s shown too", c.services, c.absent)
		}
	}
	// The failure names the services that refuse it, in the reader's language.
	r := cert.NewReport(l, cert.Options{Now: now, Services: []string{"mpass", "msign", "mpower"}})
	for _, v := range r.Verdicts {
		if v.ID == "cert.self_signed" && !strings.Contains(v.Message.In("ro"), "MSign, MPower") {
			t.Errorf("message %q does not name MSign, MPower", v.Message)
		}
	}
}

// `openssl req -x509` sets CA:TRUE; for MPass (which only verifies signatures
// with the public key, mpass/integration-development.md) that is a note, and
// the whole verdict is a warning, not a failure.
func TestOpenSSLSelfSignedForMPassDoesNotFailAsCA_MPassGuide(t *testing.T) {
	l := &cert.Loaded{Leaf: opensslSelfSigned("system.example.md"), Format: "pem"}
	r := cert.NewReport(l, cert.Options{Now: now, Services: []string{"mpass"}})
	got := verdicts(r)
	if _, ok := got["cert.is_ca"]; ok {
		t.Errorf("a self-signed certificate for MPass failed again as a CA: %v", got)
	}
	if got["cert.is_ca_self_signed"] != checks.Info {
		t.Errorf("is_ca_self_signed = %q, want info (all: %v)", got["cert.is_ca_self_signed"], got)
	}
	if r.Worst() != checks.Warn {
		t.Errorf("worst = %q, want warn: %v", r.Worst(), got)
	}
	// For MSign the self-signed failure says it; no second failure as a CA.
	got = verdicts(cert.NewReport(l, cert.Options{Now: now, Services: []string{"msign"}}))
	if _, ok := got["cert.is_ca"]; ok || got["cert.self_signed"] != checks.Fail {
		t.Errorf("MSign: %v", got)
	}
	// STISC's own root picked instead of the system's certificate is still a CA.
	root := testpki.CA("MDTrustCA Root", testpki.STISCOrg, nil, now)
	got = verdicts(cert.NewReport(&cert.Loaded{Leaf: root.Cert, Format: "der"}, cert.Options{Now: now, Services: []string{"mpass"}}))
	if got["cert.is_ca"] != checks.Fail {
		t.Errorf("STISC's root for MPass: %v", got)
	}
}

// AGE's MPass library signs SAML requests with RSA only (Egov.Integrations.MPass.Saml,
// MPassSamlProtocolMessage.cs, SignAndEncode): an EC certificate for MPass warns.
func TestECKeyForMPassWarns_EgovIntegrationsMPassSaml(t *testing.T) {
	k := testpki.ECKey()
	ch := testpki.ChainFrom(now, "root", testpki.STISCOrg, "mdtrustca", nil, k)
	l := &cert.Loaded{Leaf: ch.Leaf.Cert, Chain: []*x509.Certificate{ch.Intermediate.Cert, ch.Root.Cert}, Format: "pem"}
	r := cert.NewReport(l, cert.Options{Now: now, Services: []string{"mpass"}})
	if got := verdicts(r); got["cert.key_not_rsa_mpass"] != checks.Warn {
		t.Errorf("EC for MPass: %v", got)
	}
	for _, v := range r.Verdicts {
		if v.ID == "cert.key_not_rsa_mpass" && !strings.Contains(v.Message.In("ru"), "Egov.Integrations.MPass.Saml") {
			t.Errorf("the warning does not name AGE's library: %q", v.Message)
		}
	}
	if got := verdicts(cert.NewReport(l, cert.Options{Now: now, Services: []string{"msign"}})); got["cert.key_not_rsa_mpass"] != 0 {
		t.Errorf("EC for MSign alone warned about MPass: %v", got)
	}
	rsa := testpki.STISC(now, nil)
	if got := verdicts(cert.NewReport(&cert.Loaded{Leaf: rsa.Leaf.Cert, Format: "der"}, cert.Options{Now: now, Services: []string{"mpass"}})); got["cert.key_not_rsa_mpass"] != 0 {
		t.Errorf("RSA for MPass warned: %v", got)
	}
}

// STISC was the state enterprise Centrul de Telecomunicații Speciale (CTS,
// pki.cts.md) until 2018: certificates naming CTS are STISC's.
func TestOldCTSIssuerIsSTISC_PkiCtsMd(t *testing.T) {
	key := testpki.RSAKey(2048)
	for _, org := range []string{"I.S. Centrul de Telecomunicatii Speciale", "Î.S. „Centrul de Telecomunicații Speciale”",
		"IS Centrul de Telecomunicaţii Speciale", "Serviciul Tehnologia Informației și Securitate Cibernetică"} {
		ch := testpki.ChainFrom(now, "root", org, "Some CA", nil, key)
		got := verdicts(cert.NewReport(&cert.Loaded{Leaf: ch.Leaf.Cert, Format: "der"}, cert.Options{Now: now}))
		if got["cert.issuer_stisc"] != checks.Pass {
			t.Errorf("%q: %v", org, got)
		}
	}
	// Not every organisation with a similar word is STISC.
	other := testpki.ChainFrom(now, "root", "Telecomunicatii SRL", "Some CA", nil, key)
	// For MPass alone an unknown issuer is a note: MPass takes "any existing
	// certificate" (mpass/integration-development.md).
	if got := verdicts(cert.NewReport(&cert.Loaded{Leaf: other.Leaf.Cert, Format: "der"}, cert.Options{Now: now, Services: []string{"mpass"}})); got["cert.issuer_unknown_mpass"] != checks.Info {
		t.Errorf("unknown issuer for MPass: %v", got)
	}
	if got := verdicts(cert.NewReport(&cert.Loaded{Leaf: other.Leaf.Cert, Format: "der"}, cert.Options{Now: now})); got["cert.issuer_unknown"] != checks.Warn {
		t.Errorf("Telecomunicatii SRL: %v", got)
	}
}

func TestKeyMismatch(t *testing.T) {
	ch := testpki.STISC(now, nil)
	other := testpki.ECKey()
	data := testpki.PFX(pkcs12.Modern2023, other, ch.Leaf.Cert, nil, "pw")
	l, err := cert.Load(context.Background(), data, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if v := verdicts(cert.NewReport(l, cert.Options{Now: now})); v["cert.key_mismatch"] != checks.Fail {
		t.Fatalf("verdicts %v", v)
	}
	if _, ok := l.TLSCertificate(); ok {
		t.Error("a mismatched key must not be offered for TLS")
	}
}

func TestReportFacts(t *testing.T) {
	ch := testpki.STISC(now, nil)
	l, _ := cert.Load(context.Background(), ch.Leaf.Cert.Raw, "")
	r := cert.NewReport(l, cert.Options{Now: now})
	if r.SerialHex != strings.ToUpper(ch.Leaf.Cert.SerialNumber.Text(16)) || len(r.SerialHex) != 40 {
		t.Errorf("serial hex %s", r.SerialHex)
	}
	if r.SerialDecimal != ch.Leaf.Cert.SerialNumber.String() {
		t.Errorf("serial decimal %s", r.SerialDecimal)
	}
	if len(r.SHA256) != 64 || len(r.SHA1) != 40 || strings.ToUpper(r.SHA256) != r.SHA256 || strings.Contains(r.SHA256, ":") {
		t.Errorf("fingerprints %s %s", r.SHA256, r.SHA1)
	}
	if r.KeyType != "RSA" || r.KeyBits != 2048 || r.DaysLeft != 700 {
		t.Errorf("key %s %d, days %d", r.KeyType, r.KeyBits, r.DaysLeft)
	}
}

// The --json object: every field, dates in RFC 3339, verdicts with their
// ID, severity name and English message.
func TestReportJSON(t *testing.T) {
	ch := testpki.STISC(now, nil)
	l, _ := cert.Load(context.Background(), ch.Leaf.Cert.Raw, "")
	r := cert.NewReport(l, cert.Options{Now: now})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"subject", "issuer", "serial_hex", "serial_decimal", "not_before", "not_after", "key_type", "key_bits", "signature_algorithm", "sha256", "sha1", "chain", "verdicts"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %s", k)
		}
	}
	if !strings.Contains(string(b), `"not_after":"2028-10-23T12:00:00Z"`) {
		t.Errorf("not_after not RFC 3339: %s", b)
	}
	var first struct{ ID, Severity, Message string }
	verdicts, _ := json.Marshal(m["verdicts"].([]any)[0])
	_ = json.Unmarshal(verdicts, &first)
	if first.ID != "cert.valid" || first.Severity != "pass" || first.Message == "" || first.Message != r.Verdicts[0].Message.In("en") {
		t.Errorf("first verdict in JSON %s, want cert.valid, pass and its English message", verdicts)
	}
}

func TestWriteTextInEveryLanguage(t *testing.T) {
	ch := testpki.STISC(now, func() *x509.Certificate {
		c := testpki.LeafTemplate("x", now)
		c.NotAfter = now.Add(-48 * time.Hour)
		return c
	}())
	l, _ := cert.Load(context.Background(), ch.Leaf.Cert.Raw, "")
	r := cert.NewReport(l, cert.Options{Now: now})
	want := map[string]string{"en": "Expired on 2026-11-21.", "ro": "A expirat la 2026-11-21.", "ru": "Срок действия истёк 2026-11-21."}
	for _, lang := range []string{"en", "ro", "ru"} {
		var b bytes.Buffer
		if err := r.WriteText(&b, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want[lang]) || !strings.Contains(b.String(), r.SerialHex) {
			t.Errorf("%s:\n%s", lang, b.String())
		}
	}
}

func TestDemo(t *testing.T) {
	l, err := cert.Demo(now)
	if err != nil {
		t.Fatal(err)
	}
	r := cert.NewReport(l, cert.Options{Now: now})
	if !r.Demo || !strings.Contains(r.Subject, "DEMO") || verdicts(r)["cert.demo"] != checks.Warn {
		t.Fatalf("demo not marked: %s %v", r.Subject, verdicts(r))
	}
	if r.Worst() == checks.Fail {
		t.Errorf("the demo certificate fails: %v", verdicts(r))
	}
	var b bytes.Buffer
	_ = r.WriteText(&b, "en")
	if !strings.HasPrefix(b.String(), "*** DEMO") {
		t.Errorf("text does not open with DEMO:\n%s", b.String())
	}
}

// The real files integrators get from AGE's repositories.
// They live in ../shared/fixtures/age-samples beside the repository (CI
// checks out the repository with ../shared next to it); the test skips only
// when that folder is absent.
func TestAGESamples(t *testing.T) {
	dir := filepath.Join(filepath.Dir(repoRoot(t)), "shared", "fixtures", "age-samples")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skip("AGE samples not present:", dir)
	}
	cases := []struct {
		file, password, cn string
		key                bool
		issuer             string
	}{
		{"msign-sample.pfx", "12345678", "sample.egov.pki.egov.md", true, "cert.issuer_age_test"},
		{"mpass.localhost.egov.md.pfx", "QdutCdFE7zZe9uybzV3q", "mpass-localhost.egov.pki.egov.md", true, "cert.issuer_age_test"},
		{"mpass.staging.egov.md.cer", "", "", false, "cert.self_signed"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.file)
		l, err := cert.LoadFile(context.Background(), path, c.password)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if c.cn != "" && l.Leaf.Subject.CommonName != c.cn {
			t.Errorf("%s: leaf %s", c.file, l.Leaf.Subject)
		}
		if l.HasKey() != c.key || l.KeyMismatch {
			t.Errorf("%s: key %v mismatch %v", c.file, l.HasKey(), l.KeyMismatch)
		}
		if c.key && len(l.Chain) == 0 {
			t.Errorf("%s: chain of %d", c.file, len(l.Chain))
		}
		v := verdicts(cert.NewReport(l, cert.Options{Now: now}))
		if _, ok := v[c.issuer]; !ok {
			t.Errorf("%s: no %s in %v", c.file, c.issuer, v)
		}
		if c.key {
			if _, err := cert.LoadFile(context.Background(), path, "wrong"); !errors.Is(err, cert.ErrPasswordIncorrect) {
				t.Errorf("%s with a wrong password: %v", c.file, err)
			}
		}
	}
}

func FuzzLoad(f *testing.F) {
	// An EC key: RSA key generation under the fuzzer's instrumentation is slow.
	ch := testpki.ChainFrom(now, "root", testpki.STISCOrg, "mdtrustca", nil, testpki.ECKey())
	f.Add(ch.PFX(pkcs12.Modern2023, "pw"))
	f.Add(ch.PFX(pkcs12.LegacyRC2, "pw"))
	f.Add(ch.Leaf.Cert.Raw)
	f.Add(testpki.PEM(ch.Leaf.Cert, ch.Intermediate.Cert))
	f.Add(testpki.KeyDER(ch.Leaf.Key))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		l, err := cert.Load(ctx, data, "pw")
		if err == nil {
			if l.Leaf == nil {
				t.Fatal("loaded without a leaf")
			}
			_ = cert.NewReport(l, cert.Options{Now: now})
			return
		}
		var p *checks.Problem
		if !errors.As(err, &p) {
			t.Fatalf("error without a message for the user: %v", err)
		}
	})
}
