package steps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"golang.org/x/term"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export/keygen"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// States of the certificate screen while a key is made here ("I don't have a
// certificate yet"); they follow certificate.go's states.
const (
	certGenForm    certState = 100 + iota // what to make, where, the password
	certGenerating                        // the key is being made
	certGenSent                           // the request is written: what to do with it
)

// defaultKeyName is the key file offered in the current folder.
const defaultKeyName = "system-key.pfx"

// certGen holds the answers about the key to make. The passwords live here
// only until the key is encrypted.
type certGen struct {
	kind    string // keygen.KindMPassTest or keygen.KindSTISC
	host    string
	bits    string // "3072" or "2048"
	format  string // "modern" or "legacy"
	path    string
	pw, pw2 string
	// key and public are the files written, once the key is made.
	key, public string
	pending     *PendingKey
	next        string // after the request: "later" or "file"
}

// genKind is what a key made here comes with: a self-signed certificate
// when MPass on the test environment is all that is asked, which accepts
// one (egov4dev docs/guides/mpass/index.md, "Quick start"); else a request
// for STISC's system certificate, which MSign, MPower and production need
// (seed 002 §4).
func genKind(c *Context) string {
	if c.Answers.Env != assets.EnvTest || len(c.Answers.Services) == 0 {
		return keygen.KindSTISC
	}
	for _, id := range c.Answers.Services {
		if s, ok := c.Data.Service(id); !ok || !s.SelfSignedOK {
			return keygen.KindSTISC
		}
	}
	return keygen.KindMPassTest
}

// genKeys are the catalogue keys of a key kind's title, explanation and
// path description; any kind but the MPass test one reads as STISC's.
func genKeys(kind string) (title, what, pathDescription string) {
	if kind == keygen.KindMPassTest {
		return "certgen.title.mpass-test", "certgen.what.mpass-test", "certgen.path.description.mpass-test"
	}
	return "certgen.title.stisc", "certgen.what.stisc", "certgen.path.description.stisc"
}

func newCertGen(c *Context) *certGen {
	g := &certGen{kind: genKind(c), bits: strconv.Itoa(keygen.DefaultBits), format: "modern", host: defaultHost(c)}
	g.path = freeKeyPath(".", g.kind)
	return g
}

// defaultHost is the host of the system's MPass logout URL, when known.
func defaultHost(c *Context) string {
	for _, u := range []string{c.Answers.MPass.LogoutRequestURL, c.Answers.MPass.LogoutResponseURL} {
		rest, ok := strings.CutPrefix(u, "https://")
		if !ok {
			continue
		}
		host, _, _ := strings.Cut(rest, "/")
		if keygen.IsHostName(host) {
			return host
		}
	}
	return ""
}

// freeKeyPath is the first of system-key.pfx, system-key-2.pfx, … in dir
// that neither exists nor has its certificate or request beside it.
func freeKeyPath(dir, kind string) string {
	for i := 1; i < 100; i++ {
		name := defaultKeyName
		if i > 1 {
			name = fmt.Sprintf("system-key-%d.pfx", i)
		}
		if p := filepath.Join(dir, name); checkNewKeyPath(p, kind) == nil {
			return p
		}
	}
	return ""
}

// publicPath is the certificate (.cer) or request (.csr) written beside key.
func publicPath(key, kind string) string {
	ext := ".cer"
	if kind == keygen.KindSTISC {
		ext = ".csr"
	}
	return strings.TrimSuffix(key, filepath.Ext(key)) + ext
}

// pairedPath is the .pfx `cert pair` is told to write for key:
// system-key.pfx gives system.pfx, system-key-2.pfx system-2.pfx.
func pairedPath(key string) string {
	ext := filepath.Ext(key)
	dir, base := filepath.Split(strings.TrimSuffix(key, ext))
	if m := keySuffix().FindStringSubmatch(base); m != nil && len(base) > len(m[0]) {
		return dir + strings.TrimSuffix(base, m[0]) + m[1] + ext
	}
	return dir + base + "-issued" + ext
}

// keySuffix is the "-key" (and a number after it) that freeKeyPath puts in
// a key file's name; compiled on first use, not by every command's start.
var keySuffix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-key(-[0-9]+)?$`) })

// checkNewKeyPath says why path cannot take a new key file: the key and the
// file beside it are always new, never replacing anything.
func checkNewKeyPath(path, kind string) error {
	path = expandHome(strings.TrimSpace(path))
	if path == "" {
		return checks.Problemf("certgen.path.empty")
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pfx", ".p12":
	default:
		return checks.Problemf("certgen.path.ext", "File", path)
	}
	for _, p := range []string{path, publicPath(path, kind)} {
		if _, err := os.Lstat(p); err == nil {
			return checks.Problemf("cert.new.exists", "File", p)
		}
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return checks.Problemf("certgen.path.no_folder", "Folder", dir)
	}
	return nil
}

func checkHost(s string) error {
	if s = strings.TrimSpace(s); !keygen.IsHostName(s) {
		return checks.Problemf("cert.new.host", "Host", s)
	}
	return nil
}

func checkNewPassword(s string) error {
	if s == "" {
		return checks.Problemf("certgen.password.empty")
	}
	return nil
}

// options are the keygen options for the answers given; the organisation
// (for STISC's request) comes from the organisation step.
func (g *certGen) options(c *Context) (keygen.Options, error) {
	bits, _ := strconv.Atoi(g.bits)
	org := c.Answers.Organization
	o := keygen.Options{Kind: g.kind, Bits: bits, CommonName: strings.TrimSpace(g.host),
		Organization: org.Name, IDNO: org.IDNO, LegalEntity: g.kind == keygen.KindSTISC && org.Type != "person"}
	if c.Now != nil {
		o.Now = c.Now()
	}
	if g.kind == keygen.KindSTISC && strings.TrimSpace(org.Name) == "" {
		return o, checks.Problemf("certgen.no_org")
	}
	return o, o.Check()
}

// Fields of the key form, shared by both modes.

func (g *certGen) hostField(c *Context) huh.Field {
	return huh.NewInput().Title(c.T("certgen.host")).Description(c.T("certgen.host.description")).
		Placeholder("portal.example.md").Value(&g.host).Validate(validator(c, checkHost))
}

func (g *certGen) bitsField(c *Context) huh.Field {
	return huh.NewSelect[string]().Title(c.T("certgen.bits")).
		Options(huh.NewOption(c.T("certgen.bits.3072"), "3072"), huh.NewOption(c.T("certgen.bits.2048"), "2048")).
		Value(&g.bits)
}

func (g *certGen) formatField(c *Context) huh.Field {
	return huh.NewSelect[string]().Title(c.T("certgen.format")).
		Options(huh.NewOption(c.T("certgen.format.modern"), "modern"), huh.NewOption(c.T("certgen.format.legacy"), "legacy")).
		Value(&g.format)
}

func (g *certGen) pathField(c *Context) huh.Field {
	_, _, description := genKeys(g.kind)
	return huh.NewInput().Title(c.T("certgen.path")).Description(c.T(description)).
		Value(&g.path).Validate(validator(c, func(p string) error { return checkNewKeyPath(p, g.kind) }))
}

func (g *certGen) passwordField(c *Context) *huh.Input {
	return huh.NewInput().Title(c.T("certgen.password")).Description(c.T("certgen.password.description")).
		EchoMode(huh.EchoModePassword).Value(&g.pw).Validate(validator(c, checkNewPassword))
}

// askGen shows the questions `egovsetup cert new` asks: host name, key
// size, PKCS#12 format, where to write the key and its password, twice.
func (s *certScreen) askGen() tea.Cmd {
	s.state = certGenForm
	c := s.c
	if s.gen == nil {
		s.gen = newCertGen(c)
	}
	g := s.gen
	g.pw, g.pw2 = "", ""
	again := huh.NewInput().Title(c.T("certgen.password_again")).EchoMode(huh.EchoModePassword).Value(&g.pw2).
		Validate(func(v string) error {
			if v != g.pw {
				return errors.New(c.T("cli.certnew.password_mismatch"))
			}
			return nil
		})
	title, what, _ := genKeys(g.kind)
	return s.setForm(newForm(c,
		huh.NewGroup(g.hostField(c), g.bitsField(c), g.formatField(c)).
			Title(c.T(title)).Description(c.T(what)),
		huh.NewGroup(g.pathField(c)),
		huh.NewGroup(g.passwordField(c), again),
	))
}

// genStart makes the key off the UI goroutine.
func (s *certScreen) genStart() tea.Cmd {
	g := s.gen
	opts, err := g.options(s.c)
	if err != nil {
		s.err = checks.Localize(err, s.c.Lang)
		return s.askGen()
	}
	s.state, s.err = certGenerating, ""
	pw := g.pw
	g.pw, g.pw2 = "", ""
	key := expandHome(strings.TrimSpace(g.path))
	legacy := g.format == "legacy"
	return tea.Batch(s.spin.Tick, func() tea.Msg { return makeKey(opts, pw, legacy, key, publicPath(key, opts.Kind)) })
}

// working: a file is being read or a key made (the spinner turns, the form
// waits).
func (s *certScreen) working() bool { return s.state == certLoading || s.state == certGenerating }

// genDoneMsg is a key made and written (or why not).
type genDoneMsg struct {
	l           *cert.Loaded // the self-signed certificate with its key (MPass test)
	key, public string
	err         error
}

// makeKey generates the key, writes it encrypted to key (new, mode 0600)
// and the certificate or request to public (new, 0644). A self-signed
// certificate comes back loaded, with its key, as if read from the file.
func makeKey(opts keygen.Options, pw string, legacy bool, key, public string) genDoneMsg {
	r, err := keygen.New(opts)
	if err != nil {
		return genDoneMsg{err: err}
	}
	pfx, err := r.PKCS12(pw, legacy)
	if err != nil {
		return genDoneMsg{err: err}
	}
	if err := keygen.WriteNew(key, pfx); err != nil {
		return genDoneMsg{err: err}
	}
	out := r.Cert.Raw
	if r.Placeholder {
		out = r.Request
	}
	if err := keygen.WriteNew(public, out); err != nil {
		return genDoneMsg{key: key, err: err}
	}
	_ = os.Chmod(public, 0o644) // the certificate or the request: public
	msg := genDoneMsg{key: key, public: public}
	if !r.Placeholder {
		msg.l, msg.err = cert.Load(context.Background(), pfx, pw)
	}
	return msg
}

// genResult shows the new certificate's card, or what to do with the
// request; the answers are saved with the key's place.
func (s *certScreen) genResult(msg genDoneMsg) tea.Cmd {
	if s.state != certGenerating {
		return nil
	}
	if msg.err != nil {
		s.err = checks.Localize(msg.err, s.c.Lang)
		if msg.key != "" {
			s.err += "\n" + s.c.T("certgen.key_kept", "File", safetext.Line(msg.key))
		}
		return s.askGen()
	}
	s.gen.key, s.gen.public = msg.key, msg.public
	if msg.l != nil {
		msg.l.Path = msg.key
		s.path = msg.key
		return s.show(msg.l)
	}
	s.gen.pending = setPending(s.c, msg.key, msg.public)
	s.typed = false // what was typed is in the files and the saved answers
	if s.c.Save != nil {
		if err := s.c.Save(); err != nil {
			s.err = s.c.T("shell.save_failed", "Error", err.Error())
		}
	}
	s.state = certGenSent
	s.gen.next = "later"
	return s.setForm(newForm(s.c, huh.NewGroup(huh.NewSelect[string]().
		Options(
			huh.NewOption(s.c.T("certgen.sent.later"), "later"),
			huh.NewOption(s.c.T("certgen.sent.issued"), "file"),
		).Value(&s.gen.next))))
}

// genSentDone goes on without the certificate for now (the review asks for
// it again), or to the file field for the issued certificate.
func (s *certScreen) genSentDone() tea.Cmd {
	if s.gen.next == "file" {
		s.path = pairedPath(s.gen.key)
		return s.choose()
	}
	return Done
}

// setPending records the key waiting for STISC's certificate (kept with
// the progress, when there is one) and returns it.
func setPending(c *Context, key, request string) *PendingKey {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	p := &PendingKey{Key: abs(key), Request: abs(request)}
	if c.Progress != nil {
		c.Progress.Pending = p
	}
	return p
}

// clearPending forgets the waiting key once a real certificate is chosen.
func clearPending(c *Context, l *cert.Loaded) {
	if c.Progress != nil && l != nil && l.Leaf != nil && !keygen.IsPlaceholder(l.Leaf) {
		c.Progress.Pending = nil
	}
}

// pendingText tells what to do with a request written earlier: attach it
// to STISC's order, then join the issued certificate with the key. The
// address and the command stay on lines of their own, never wrapped, so
// they can be copied; wrap wraps the sentences (nil: no wrapping).
func pendingText(c *Context, p *PendingKey, wrap func(string) string) string {
	if wrap == nil {
		wrap = func(s string) string { return s }
	}
	key, req := shortPath(p.Key), shortPath(p.Request)
	out := pairedPath(key)
	return wrap(c.T("certgen.sent", "Request", safetext.Line(req))) + "\n  " + keygen.STISCOrderURL + "\n" +
		wrap(c.T("certgen.sent.pair", "Out", safetext.Line(out))) + "\n  " +
		pairCommand(key, out)
}

// pendingShort reminds, on a later run, of the key waiting for its
// certificate and of the command that joins them.
func pendingShort(c *Context, p *PendingKey, wrap func(string) string) string {
	key := shortPath(p.Key)
	out := pairedPath(key)
	return wrap(c.T("certgen.pending", "Key", safetext.Line(key), "Out", safetext.Line(out))) + "\n  " +
		pairCommand(key, out)
}

// pairCommand is the `cert pair` command for key, split with a shell
// continuation to fit 80 columns.
func pairCommand(key, out string) string {
	return "egovsetup cert pair ISSUED.cer --key " + shellWord(key) + " \\\n      -o " + shellWord(out)
}

// shortPath is p relative to the current folder when it lies inside it.
func shortPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return p
}

// shellWord quotes a path for a POSIX shell when it needs it.
func shellWord(s string) string {
	s = safetext.Line(s)
	if s != "" && !strings.ContainsAny(s, " \t'\"$`\\!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// genNote is the text above the form in the key-making states and, while a
// key waits for its certificate, above the first question.
func (s *certScreen) genNote() string {
	st := styles.Subtle.Width(s.width)
	switch {
	case s.state == certGenerating:
		return s.spin.View() + " " + s.c.T("cert.new.generating", "Bits", s.gen.bits) + "\n\n" +
			st.Render(s.c.T("certgen.generating.hint"))
	case s.state == certGenSent:
		return styles.Success.Width(s.width).Render("✓ "+s.c.T("certgen.wrote_key", "File", safetext.Line(s.gen.key))) + "\n\n" +
			pendingText(s.c, s.gen.pending, func(t string) string { return lipWidth(s.width, t) }) + "\n\n" +
			st.Render(s.c.T("certgen.sent.resume")) + "\n\n"
	case s.state == certHow && s.c.Progress != nil && s.c.Progress.Pending != nil:
		return pendingShort(s.c, s.c.Progress.Pending, func(t string) string { return st.Render(t) }) + "\n\n"
	}
	return ""
}

// lipWidth wraps text to width (no wrapping before the size is known).
func lipWidth(width int, text string) string {
	if width <= 0 {
		return text
	}
	return lipgloss.NewStyle().Width(width).Render(text)
}

// accessibleGen makes the key with plain prompts: the same questions, the
// password typed twice (three tries), then the certificate's card or what
// to do with the request.
func accessibleGen(ctx context.Context, c *Context, r io.Reader, w io.Writer, ask func(...huh.Field) error) error {
	g := newCertGen(c)
	_, what, _ := genKeys(g.kind)
	fmt.Fprintln(w, c.T(what))
	// A plain prompt keeps the offered path when Enter is pressed alone,
	// but checks the empty line first: the check and the title say so.
	def := g.path
	path := huh.NewInput().Title(c.T("certgen.path.default", "File", def)).Value(&g.path).
		Validate(validator(c, func(p string) error { return checkNewKeyPath(cmp.Or(strings.TrimSpace(p), def), g.kind) }))
	for _, f := range []huh.Field{g.hostField(c), g.bitsField(c), g.formatField(c), path} {
		if err := ask(f); err != nil {
			return err
		}
	}
	opts, err := g.options(c)
	if err != nil {
		return err
	}
	pw, err := accessibleNewPassword(c, r, w)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, c.T("cert.new.generating", "Bits", g.bits))
	key := expandHome(strings.TrimSpace(g.path))
	msg := makeKey(opts, pw, g.format == "legacy", key, publicPath(key, g.kind))
	if msg.err != nil {
		return msg.err
	}
	fmt.Fprintln(w, c.T("certgen.wrote_key", "File", safetext.Line(msg.key)))
	if msg.l == nil {
		p := setPending(c, msg.key, msg.public)
		if c.Save != nil {
			if err := c.Save(); err != nil {
				fmt.Fprintln(w, c.T("shell.save_failed", "Error", err.Error()))
			}
		}
		fmt.Fprintln(w, pendingText(c, p, nil))
		fmt.Fprintln(w, c.T("certgen.sent.resume"))
		return nil
	}
	msg.l.Path = msg.key
	cert.NewReport(msg.l, certOptions(c)).WriteText(w, c.Lang)
	keep(c, msg.l)
	return nil
}

// accessibleNewPassword asks for the new key's password twice, up to three
// times, until both agree and are not empty.
func accessibleNewPassword(c *Context, r io.Reader, w io.Writer) (string, error) {
	for tries := 0; tries < 3; tries++ {
		first, err := readSecret(r, w, c.T("certgen.password")+": ")
		if err != nil {
			return "", err
		}
		if err := checkNewPassword(first); err != nil {
			fmt.Fprintln(w, checks.Localize(err, c.Lang))
			continue
		}
		second, err := readSecret(r, w, c.T("certgen.password_again")+": ")
		if err != nil {
			return "", err
		}
		if first == second {
			return first, nil
		}
		fmt.Fprintln(w, c.T("cli.certnew.password_mismatch"))
	}
	return "", checks.Problemf("cli.certnew.password_mismatch")
}

// maxSecret bounds a password read from piped input.
const maxSecret = 4096

// readSecret reads one line without echo: from the terminal behind r when
// there is one, else (input piped in, nothing echoed) the next line of r,
// read a byte at a time so that no later answer is consumed.
func readSecret(r io.Reader, w io.Writer, prompt string) (string, error) {
	fmt.Fprint(w, prompt)
	defer fmt.Fprintln(w)
	if f, ok := r.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		return string(b), err
	}
	var line []byte
	b := make([]byte, 1)
	for len(line) < maxSecret {
		n, err := r.Read(b)
		if n == 1 && b[0] == '\n' {
			break
		}
		if n == 1 {
			line = append(line, b[0])
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}
