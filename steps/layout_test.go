package steps

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/drive"
	"github.com/egovmd/egovsetup/internal/testpki"
)

// longCert is an expired certificate with long names, a long unspaced SAN
// and a chain: every row of the card has to wrap at 80 columns.
func longCert(now time.Time) *cert.Loaded {
	tmpl := testpki.LeafTemplate("Registrul autorizațiilor de construcție al Primăriei municipiului Chișinău", now)
	tmpl.Subject = pkix.Name{Country: []string{"MD"}, CommonName: tmpl.Subject.CommonName,
		Organization:       []string{"Direcția generală arhitectură, urbanism și relații funciare"},
		OrganizationalUnit: []string{"Secția tehnologii informaționale și securitate cibernetică"}}
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-800*24*time.Hour), now.Add(-70*24*time.Hour)
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	tmpl.DNSNames = []string{"autorizatii-de-constructie.primaria-municipiului-chisinau.gov.md", "autorizatii.chisinau.md"}
	ch := testpki.STISC(now, tmpl)
	return &cert.Loaded{Leaf: ch.Leaf.Cert, Chain: []*x509.Certificate{ch.Intermediate.Cert, ch.Root.Cert}, Format: "der"}
}

// words are the words of texts, each of which must be found whole on one
// line of what is shown.
func words(texts ...string) []string {
	var out []string
	for _, t := range texts {
		out = append(out, strings.Fields(ansi.Strip(t))...)
	}
	return out
}

// checkLayout asserts what every screen at width cells must hold: no line
// wider, and each of want's words whole on one line.
func checkLayout(t *testing.T, name, shown string, width int, want []string) {
	t.Helper()
	plain := ansi.Strip(shown)
	lines := strings.Split(plain, "\n")
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s: line of %d cells at width %d: %q", name, w, width, l)
		}
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.Contains(l, w) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: %q is broken across lines:\n%s", name, w, plain)
		}
	}
}

// checkLabels asserts that each label starts a line of its own and is set
// apart from what follows by a space: never run into its value.
func checkLabels(t *testing.T, name, shown string, labels []string) {
	t.Helper()
	lines := strings.Split(ansi.Strip(shown), "\n")
	for _, label := range labels {
		found := false
		for _, l := range lines {
			rest, ok := strings.CutPrefix(strings.TrimLeft(l, " "), label)
			if ok && (rest == "" || strings.HasPrefix(rest, " ")) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no line starts with the label %q apart from its value:\n%s", name, label, ansi.Strip(shown))
		}
	}
}

// The certificate card at 80 columns in every language: nothing wider,
// labels apart from their values, no name, fingerprint, verdict or remedy
// broken inside a word (a fingerprint too long for the value column goes
// under its label).
func TestCardWrapsBetweenWordsAt80(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	l := longCert(now)
	demo, err := cert.Demo(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range assets.Languages {
		for _, loaded := range []*cert.Loaded{l, demo} {
			c := newContext()
			c.Lang = lang
			c.Answers.Services, c.Answers.Env = []string{"mpass", "msign", "mpower"}, "test"
			r := cert.NewReport(loaded, certOptions(c)).Display()
			want := words(r.Subject, r.Issuer, r.SHA256, r.SHA1, r.SerialHex, r.SerialDecimal, strings.Join(r.SANs, ", "))
			for _, v := range r.Verdicts {
				want = append(want, words(v.Message.In(lang), v.Remedy.In(lang))...)
			}
			if loaded.Demo {
				want = append(want, words(c.T("certcard.demo"))...)
			}
			for _, width := range []int{78, 80} {
				card := renderCard(c, r, loaded, width)
				checkLayout(t, lang, card, width, want)
				var labels []string
				for _, k := range []string{"certcard.subject", "certcard.issuer", "certcard.serial_hex", "certcard.serial_dec",
					"certcard.valid", "certcard.key", "certcard.private_key", "certcard.chain"} {
					labels = append(labels, c.T(k))
				}
				checkLabels(t, lang, card, append(labels, "SHA-256", "SHA-1"))
			}
		}
	}
}

// The form steps at 80x24 (a screen 78 wide) in Romanian and Russian, made
// tall enough to show every field: no line wider than the screen, and every
// description shown whole has each of its words on one line. huh alone
// breaks "process2.md" and "10.800" at their dots.
func TestFormDescriptionsWrapBetweenWords(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		for _, step := range []Step{Services{}, Organization{}, Network{}, MPass{}, MPower{}} {
			for width := 70; width <= 78; width++ {
				checkFormStep(t, lang, step, width)
			}
		}
	}
}

// checkFormStep renders step in lang on a screen width cells wide and checks
// its descriptions (see TestFormDescriptionsWrapBetweenWords).
func checkFormStep(t *testing.T, lang string, step Step, width int) {
	t.Helper()
	c := newContext()
	c.Lang = lang
	c.Answers.Services, c.Answers.Env = []string{"mpass", "msign", "mpower"}, "test"
	c.Answers.Organization.Type = "private"
	c.Width = width
	st := &screenTest{t: t, c: c, s: step.Screen(c)}
	st.s.SetSize(width, 200)
	st.d = drive.New(func(msg tea.Msg) tea.Cmd {
		var cmd tea.Cmd
		st.s, cmd = st.s.Update(msg)
		return cmd
	}, func(tea.Msg) bool { return false })
	st.d.Run(st.s.Init())
	view := st.view()
	name := fmt.Sprintf("%s/%s/%d", lang, step.Info().ID, width)
	flat := " " + strings.Join(strings.Fields(strings.ReplaceAll(view, "┃", " ")), " ") + " "
	var want []string
	shown := 0
	for _, k := range assets.Keys(lang) {
		if !strings.HasSuffix(k, ".description") {
			continue
		}
		d := c.T(k)
		if strings.Contains(flat, " "+strings.Join(strings.Fields(d), " ")+" ") {
			want = append(want, words(d)...)
			shown++
		}
	}
	if step.Info().ID == "organization" {
		want = append(want, "10.800\u00a0lei", "platforms/index.md).")
	}
	if shown == 0 && step.Info().ID != "organization" {
		t.Errorf("%s: no description found on the screen:\n%s", name, view)
	}
	checkLayout(t, name, view, width, want)
}

// The connectivity results at 80x24 (a screen 78 wide) in Romanian and
// Russian: no line wider, each step's name apart from its message, and no
// word of a message, a remedy or the summary broken across lines.
func TestConnectivityWrapsBetweenWords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, idpMetadata(t)) }))
	defer srv.Close()
	for _, lang := range []string{"ro", "ru"} {
		c := newContext()
		c.Lang = lang
		c.Data = localData(t, srv.URL)
		c.Answers.Services, c.Answers.Env = []string{"mpass", "msign"}, "test"
		c.CheckTimeout = time.Second
		st := start(t, c, Connectivity{})
		st.s.SetSize(78, 22)
		if !st.d.WaitFor(func() bool { return strings.Contains(st.view(), c.T("conn.continue_anyway")[:12]) }, 5*time.Second) {
			t.Fatalf("%s: checks did not finish:\n%s", lang, st.view())
		}
		st.s.SetSize(78, 200) // every result on the screen
		cs := st.s.(*connScreen)
		want := words(c.T("conn.continue_anyway"))
		var steps []string
		for _, r := range cs.results {
			want = append(want, words(r.Message.In(lang))...)
			if r.Status != checks.Pass && r.Status != checks.Skip {
				want = append(want, words(r.Remedy.In(lang))...)
			}
			steps = append(steps, r.Step)
		}
		view := st.s.View()
		checkLayout(t, lang, view, 78, want)
		for _, step := range steps {
			if !regexp.MustCompile(`(?m)^  \S ` + step + ` +\S`).MatchString(ansi.Strip(view)) {
				t.Errorf("%s: the step %q does not stand apart from its message:\n%s", lang, step, ansi.Strip(view))
			}
		}
		// On a screen 22 lines high the results scroll below the summary.
		st.s.SetSize(78, 22)
		if n := strings.Count(st.s.View(), "\n") + 1; n > 22 {
			t.Errorf("%s: %d lines on a screen of 22:\n%s", lang, n, ansi.Strip(st.s.View()))
		}
	}
}

// The review at 80 columns (a screen 78 wide) in Romanian and Russian, with
// long answers (a long system name, long URLs, a long description): no
// line wider, every label set apart from its value, no word of a value
// broken across lines.
func TestReviewWrapsBetweenWords(t *testing.T) {
	for _, lang := range []string{"ro", "ru"} {
		c := newContext()
		c.Lang = lang
		a := c.Answers
		a.Services, a.Env = []string{"mpass", "msign", "mpower"}, "test"
		a.Organization = export.Organization{Name: "Direcția generală arhitectură, urbanism și relații funciare a Consiliului municipal Chișinău",
			IDNO: "1024600042427", ContactName: "Ion Popescu", ContactEmail: "ion.popescu@primaria-municipiului-chisinau.gov.md",
			ContactPhone: "+373 22 123 456", Type: "private"}
		a.System = export.System{Name: "Registrul autorizațiilor de construcție al Primăriei municipiului Chișinău",
			Description: "Sistemul primește, examinează și eliberează online autorizațiile de construcție, cu taxa anuală de 10.800 lei (mpass/process2.md)."}
		a.MPass = export.MPass{LogoutRequestURL: "https://autorizatii-de-constructie.chisinau.gov.md/saml/logout",
			LogoutResponseURL: "https://autorizatii.chisinau.md/saml/logout", Attributes: []string{"NameIdentifier", "FirstName", "LastName"}}
		st := start(t, c, Review{})
		st.s.SetSize(78, 400)
		var want []string
		var labels []string
		for _, s := range All() {
			sec, ok := s.(Sectioned)
			if !ok || !s.Applies(c) {
				continue
			}
			sec.Section(c, func(label, value string) {
				want = append(want, words(value)...)
				labels = append(labels, label)
			})
		}
		for _, p := range export.Validate(a, c.Data) {
			want = append(want, words(p.In(lang))...)
		}
		checkLayout(t, lang, st.s.View(), 78, want)
		checkLabels(t, lang, st.s.View(), labels)
	}
}

// BenchmarkFirstScreenBuilt builds the wizard's first screen as the shell
// does at start-up (the terminal's size known): the step's screen, its
// form, and its first frame.
//
//	go test -run '^$' -bench FirstScreenBuilt -benchmem ./steps
func BenchmarkFirstScreenBuilt(b *testing.B) {
	for b.Loop() {
		c := newContext()
		c.Width = 98
		s := Services{}.Screen(c)
		s.SetSize(98, 24)
		s.Init()
		if !strings.Contains(s.View(), "MPass") {
			b.Fatal("the first screen does not show MPass")
		}
	}
}
