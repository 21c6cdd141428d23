package cert_test

import (
	"context"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// declared maps every verdict ID in the registry to its verdict.
func declared(t *testing.T) map[string]cert.Verdict {
	t.Helper()
	m := map[string]cert.Verdict{}
	for _, r := range cert.Rules() {
		for _, v := range r.Verdicts {
			if _, dup := m[v.ID]; dup {
				t.Errorf("verdict %s declared twice", v.ID)
			}
			m[v.ID] = v
		}
	}
	return m
}

// Every verdict a rule declares has an English message, and an English
// remedy when it warns or fails; its severity is one of the five.
func TestRegistryVerdictsHaveTexts(t *testing.T) {
	for id, v := range declared(t) {
		if !strings.HasPrefix(id, "cert.") || !assets.Has("en", id) {
			t.Errorf("%s: no English message under that key", id)
		}
		if !v.Severity.Valid() {
			t.Errorf("%s: severity %d", id, v.Severity)
		}
		if v.Severity >= checks.Warn && v.Remedy == "" {
			t.Errorf("%s is %s but declares no remedy", id, v.Severity)
		}
		if v.Remedy != "" && !assets.Has("en", v.Remedy) {
			t.Errorf("%s: remedy %s has no English text", id, v.Remedy)
		}
	}
}

// Where a rule's requirement may come from: a seed, one of AGE's egov4dev
// documents, AGE's libraries, a published standard, or an honest "none at
// AGE". Never a file outside the repository.
var citationForm = regexp.MustCompile(`^(seed 00[02]\b|egov4dev docs/[a-z0-9/_-]+\.md|Egov\.Integrations\.[A-Za-z.]+ src/|RFC \d+|NIST SP|CA/Browser Forum|none at AGE)`)

func TestRegistryMetadata(t *testing.T) {
	names := map[string]bool{}
	for _, r := range cert.Rules() {
		if r.Name == "" || names[r.Name] || r.Description == "" || len(r.Verdicts) == 0 || r.Judge == nil {
			t.Errorf("rule %q: a unique name, a description, verdicts and a judge are all needed", r.Name)
		}
		names[r.Name] = true
		for _, lang := range assets.Languages {
			if !assets.Has(lang, r.About.Key) {
				t.Errorf("rule %s: no description in %s (catalogue key %s)", r.Name, lang, r.About.Key)
			}
		}
		for _, part := range strings.Split(r.Citation, "; ") {
			if !citationForm.MatchString(part) {
				t.Errorf("rule %s: citation %q names no seed, egov4dev document, AGE library or standard", r.Name, part)
			}
			if strings.Contains(part, "PRODUCT.md") || strings.Contains(part, "..") || strings.Contains(part, "/work/") {
				t.Errorf("rule %s: citation %q points outside the repository", r.Name, part)
			}
		}
	}
}

// scenario is one certificate file and what it is meant for.
type scenario struct {
	name string
	l    *cert.Loaded
	opt  cert.Options
}

// scenarios are generated certificates that, between them, bring out every
// verdict.
func scenarios(t *testing.T) []scenario {
	t.Helper()
	day := 24 * time.Hour
	load := func(data []byte, pw string) *cert.Loaded {
		l, err := cert.Load(context.Background(), data, pw)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	stisc := func(mod func(*x509.Certificate)) *cert.Loaded {
		tmpl := testpki.LeafTemplate("system.example.md", now)
		if mod != nil {
			mod(tmpl)
		}
		return load(testpki.STISC(now, tmpl).PFX(pkcs12.Modern2023, "pw"), "pw")
	}
	good := stisc(nil)
	demo, err := cert.Demo(now)
	if err != nil {
		t.Fatal(err)
	}
	ca := testpki.CA("mdtrustca", testpki.STISCOrg, nil, now)
	weak := testpki.RSAKey(1024)
	ec := testpki.ECKey()
	sha1 := testpki.LeafTemplate("sha1", now)
	sha1.SignatureAlgorithm = x509.SHA1WithRSA
	rsaKey := testpki.RSAKey(2048)
	rsaCA := testpki.Issue(&x509.Certificate{Subject: pkix.Name{CommonName: "mdtrustca"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(900 * day), KeyUsage: x509.KeyUsageCertSign}, rsaKey.Public(), nil, rsaKey)
	rsaCA.Key = rsaKey
	unknownSig := *good.Leaf
	unknownSig.SignatureAlgorithm = x509.UnknownSignatureAlgorithm
	key := testpki.RSAKey(2048)
	age := testpki.ChainFrom(now, "egov.md", "E-Governance Agency", "pki.egov.md", nil, key)
	other := testpki.ChainFrom(now, "Other Root", "Other CA Ltd", "Other CA", nil, key)
	self := &cert.Loaded{Leaf: opensslSelfSigned("system.example.md"), Format: "pem"}
	stiscChain := testpki.STISC(now, nil)
	mpass, msign := []string{"mpass"}, []string{"msign"}
	noClientAuth := func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} }
	return []scenario{
		{"good", good, cert.Options{}},
		{"demo", demo, cert.Options{}},
		{"not yet valid", stisc(func(c *x509.Certificate) { c.NotBefore = now.Add(day) }), cert.Options{}},
		{"expired", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(-day) }), cert.Options{}},
		{"20 days", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(20 * day) }), cert.Options{}},
		{"60 days", stisc(func(c *x509.Certificate) { c.NotAfter = now.Add(60 * day) }), cert.Options{}},
		{"RSA 1024", &cert.Loaded{Leaf: testpki.Issue(testpki.LeafTemplate("weak", now), weak.Public(), &ca, weak).Cert, Format: "der"}, cert.Options{}},
		{"DSA", load(testpki.DSALeafDER(now), ""), cert.Options{}},
		{"EC for MPass", &cert.Loaded{Leaf: testpki.Issue(testpki.LeafTemplate("ec", now), ec.Public(), &ca, ec).Cert, Format: "der"}, cert.Options{Services: mpass}},
		{"SHA-1", &cert.Loaded{Leaf: testpki.Issue(sha1, ec.Public(), &rsaCA, ec).Cert, Format: "der"}, cert.Options{}},
		{"unknown signature", &cert.Loaded{Leaf: &unknownSig, Format: "der"}, cert.Options{}},
		{"no clientAuth, MSign", stisc(noClientAuth), cert.Options{Services: msign}},
		{"no clientAuth, MPass", stisc(noClientAuth), cert.Options{Services: mpass}},
		{"no digitalSignature", stisc(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }), cert.Options{}},
		{"leaf is a CA", stisc(func(c *x509.Certificate) { c.IsCA = true; c.KeyUsage |= x509.KeyUsageCertSign }), cert.Options{}},
		{"self-signed, MPass", self, cert.Options{Services: mpass}},
		{"self-signed, MSign", self, cert.Options{Services: msign}},
		{"AGE test PKI", &cert.Loaded{Leaf: age.Leaf.Cert, Format: "pem"}, cert.Options{}},
		{"AGE test PKI, production", &cert.Loaded{Leaf: age.Leaf.Cert, Format: "pem"}, cert.Options{Env: assets.EnvProduction}},
		{"unknown issuer", &cert.Loaded{Leaf: other.Leaf.Cert, Format: "pem"}, cert.Options{}},
		{"unknown issuer, MPass", &cert.Loaded{Leaf: other.Leaf.Cert, Format: "pem"}, cert.Options{Services: mpass}},
		{"chain incomplete", &cert.Loaded{Leaf: age.Leaf.Cert, Chain: []*x509.Certificate{age.Root.Cert}, Format: "pem"}, cert.Options{}},
		{"chain too long", load(testpki.PEM(testpki.SameSubject(40, elliptic.P256(), true, now)...), ""), cert.Options{}},
		{"key mismatch", load(testpki.PFX(pkcs12.Modern2023, testpki.ECKey(), stiscChain.Leaf.Cert,
			[]*x509.Certificate{stiscChain.Intermediate.Cert, stiscChain.Root.Cert}, "pw"), "pw"), cert.Options{}},
		{"same as test", good, cert.Options{Env: assets.EnvProduction, TestSHA256: cert.Fingerprint(good.Leaf)}},
	}
}

// Each rule reports only the verdicts it declares, with the declared
// severity and remedy; between them the scenarios bring out every declared
// verdict, so none is dead.
func TestRulesEmitOnlyDeclaredVerdicts(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios(t) {
		opt := s.opt
		opt.Now = now
		for _, r := range cert.Rules() {
			for _, c := range r.Judge(s.l, opt) {
				i := slices.IndexFunc(r.Verdicts, func(v cert.Verdict) bool { return v.ID == c.ID })
				if i < 0 {
					t.Errorf("%s: rule %s reported %s, which it does not declare", s.name, r.Name, c.ID)
					continue
				}
				v := r.Verdicts[i]
				if c.Severity != v.Severity || c.Message.Key != v.ID || c.Remedy.Key != v.Remedy {
					t.Errorf("%s: rule %s reported %s as %s (message %s, remedy %q), declared %s (remedy %q)",
						s.name, r.Name, c.ID, c.Severity, c.Message.Key, c.Remedy.Key, v.Severity, v.Remedy)
				}
				seen[c.ID] = true
			}
		}
	}
	for id := range declared(t) {
		if !seen[id] {
			t.Errorf("no scenario brings out %s", id)
		}
	}
}

// The report is the rules' verdicts, in registry order.
func TestReportIsTheRulesVerdicts(t *testing.T) {
	for _, s := range scenarios(t)[:4] {
		opt := s.opt
		opt.Now = now
		var want []string
		for _, r := range cert.Rules() {
			for _, c := range r.Judge(s.l, opt) {
				want = append(want, c.ID)
			}
		}
		var got []string
		for _, v := range cert.NewReport(s.l, opt).Verdicts {
			got = append(got, v.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: report %v, rules %v", s.name, got, want)
		}
	}
}

// repoRoot is the folder holding go.mod, found walking up from the test's
// folder.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Every cert.* message in the catalogue is used: a verdict or remedy in the
// registry, or a key written out in the program's Go source. A key nothing
// uses fails, so the catalogue holds no dead verdicts.
func TestEveryCertKeyIsUsed(t *testing.T) {
	used := keysInSource(t, repoRoot(t))
	for id, v := range declared(t) {
		used[id], used[v.Remedy] = true, true
	}
	n := 0
	for _, k := range assets.Keys("en") {
		if !strings.HasPrefix(k, "cert.") {
			continue
		}
		n++
		if !used[k] {
			t.Errorf("catalogue key %s is used by no rule and appears in no Go source", k)
		}
	}
	if n < 40 {
		t.Errorf("only %d cert.* keys in the English catalogue", n)
	}
}

// keysInSource collects the cert.* keys written out in the Go source under
// root (tests, testdata and hidden folders left out).
func keysInSource(t *testing.T, root string) map[string]bool {
	t.Helper()
	literal := regexp.MustCompile(`"(cert\.[a-z0-9_.]+)"`)
	used := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}
