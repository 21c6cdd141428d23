package export

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// SummaryRole names the part of a summary a style applies to.
type SummaryRole int

// The styled parts of a summary.
const (
	SummaryDone    SummaryRole = iota // "✓ The registration package is written."
	SummaryLabel                      // "Folder", "Zip"
	SummaryHeading                    // "What to send"
	SummaryWarning                    // the demonstration warning
)

// SummaryOptions choose what a package summary shows and how.
type SummaryOptions struct {
	Lang string
	// Width wraps the lines at this many columns, between words only: a
	// line that goes on is indented under its own text (0: no wrapping).
	Width int
	// NoRoute leaves out AGE's steps; NoSubjects leaves out the subjects.
	NoRoute, NoSubjects bool
	// Style dresses a part of the summary (nil: plain text). It is applied
	// after wrapping, so it may add terminal escapes.
	Style func(role SummaryRole, s string) string
}

// Summary says where the package r is, what to send to whom and AGE's steps
// for the answers a, in o.Lang. Every value from outside (paths, addresses,
// subjects, serials) is escaped (internal/safetext). A nil d is the
// embedded data.
func Summary(r *Result, a *Answers, d *assets.Data, o SummaryOptions) string {
	if d == nil {
		d = assets.Embedded()
	}
	s := &summaryWriter{o: o}
	s.b.WriteString(s.style(SummaryDone, "✓ "+o.t("package.written")) + "\n")
	s.labelled(o.t("package.folder"), r.Dir)
	if r.Zip != "" {
		s.labelled(o.t("package.zip"), r.Zip)
	}
	if len(r.Emails) > 0 {
		s.b.WriteString("\n" + s.style(SummaryHeading, o.t("package.send")) + "\n")
		for i, e := range r.Emails {
			s.email(i, e, a.Certificate)
		}
	}
	if a.Certificate != nil && a.Certificate.Demo {
		s.b.WriteString("\n" + s.style(SummaryWarning, s.wrap(0, 0, o.t("package.demo"))) + "\n")
	}
	if o.NoRoute {
		return strings.TrimRight(s.b.String(), "\n")
	}
	// AGE's current route in order (platforms/procedure.md, mpass/process2.md,
	// msign/process.md), the same as the package's README.txt; production
	// runs no tests (mpass/integration-development.md).
	next, attach := "package.next_steps", "package.next_steps.attach"
	if a.Env == assets.EnvProduction {
		next, attach = "package.next_steps.production", "package.next_steps.attach_production"
	}
	// A certificate AGE already has goes by its serial (mpass/process2.md steps 4 and 8).
	if ac := a.Certificate; ac != nil && ac.SerialOnly {
		attach = "package.next_steps.attach_serial"
	}
	s.b.WriteString("\n")
	for _, l := range strings.Split(o.t(next, "Office", d.Mailboxes.Office, "Attach", o.t(attach)), "\n") {
		s.step(l)
	}
	return strings.TrimRight(s.b.String(), "\n")
}

// step writes a line of AGE's steps, wrapped under its own text: "  4. Send
// the e-mails" goes on under "Send".
func (s *summaryWriter) step(l string) {
	body := strings.TrimLeft(l, " ")
	indent := len(l) - len(body)
	hang := indent
	if num, _, ok := strings.Cut(body, ". "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
		hang += len(num) + 2
	}
	s.b.WriteString(s.wrap(indent, hang, body) + "\n")
}

func (o SummaryOptions) t(key string, kv ...any) string { return assets.T(o.Lang, key, kv...) }

type summaryWriter struct {
	o SummaryOptions
	b strings.Builder
}

func (s *summaryWriter) style(role SummaryRole, text string) string {
	if s.o.Style == nil {
		return text
	}
	return s.o.Style(role, text)
}

// labelled writes "  Label value" with the label styled.
func (s *summaryWriter) labelled(label, value string) {
	s.line(2, 2+utf8.RuneCountInString(label)+1, label, label+" "+safetext.Line(value))
}

// email writes the n-th message: to whom, its subject and what it carries.
func (s *summaryWriter) email(n int, e Email, c *Certificate) {
	o := s.o
	var att []string
	for _, a := range e.Attachments {
		att = append(att, safetext.Line(filepath.Base(a)))
	}
	file := safetext.Line(filepath.Base(e.File))
	to := o.t("package.send.to", "To", e.To, "File", file)
	if e.Cc != "" {
		to = o.t("package.send.to_cc", "To", e.To, "Cc", e.Cc, "File", file)
	}
	num := fmt.Sprintf("%d. ", n+1)
	s.line(2, 2+len(num), "", num+to)
	if !o.NoSubjects {
		// A long subject goes on under its own first word, not under "Subject:".
		label := o.t("package.send.subject", "Subject", "")
		s.line(5, 5+utf8.RuneCountInString(label), "", o.t("package.send.subject", "Subject", e.Subject))
	}
	attached := o.t("package.send.attached", "Files", strings.Join(att, ", "))
	if len(att) == 0 && c != nil && c.SerialOnly {
		attached = o.t("package.send.serial_only", "Serial", c.SerialHex())
	}
	s.line(5, 5, "", attached)
}

// line writes text indented by indent, wrapped with its further lines
// indented by hang. A label that text begins with is styled.
func (s *summaryWriter) line(indent, hang int, label, text string) {
	out := s.wrap(indent, hang, text)
	pad := strings.Repeat(" ", indent)
	if rest, ok := strings.CutPrefix(out, pad+label); ok && label != "" {
		out = pad + s.style(SummaryLabel, label) + rest
	}
	s.b.WriteString(out + "\n")
}

// wrap breaks text between words into lines of at most o.Width columns, the
// first indented by indent, the others by hang. A word is never broken; one
// too long for any line (a long path) stays where it is, as a new line
// would not make it fit.
func (s *summaryWriter) wrap(indent, hang int, text string) string {
	if s.o.Width <= 0 {
		return strings.Repeat(" ", indent) + text
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", indent))
	col, start := indent, true
	for _, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		switch {
		case start:
		case col+1+n > s.o.Width && hang+n <= s.o.Width:
			b.WriteString("\n" + strings.Repeat(" ", hang))
			col = hang
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
		start = false
	}
	return b.String()
}
