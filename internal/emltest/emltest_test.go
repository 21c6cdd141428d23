package emltest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var when = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

const (
	subject  = "Înregistrare serviciu / Регистрация: Registrul ș ț"
	textBody = "Bună ziua,\n\nNumărul de serie: 4F00000000A1B2C3D4E5 — o linie destul de lungă încât quoted-printable să o rupă în două bucăți.\nЗдравствуйте.\n"
	htmlBody = "<p>Bună ziua, <b>Здравствуйте</b></p>\n"
)

// attachment is bytes that are not text, long enough for several base64 lines.
var attachment = func() []byte {
	b := make([]byte, 300)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}()

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// wrap76 cuts base64 text into CRLF lines of 76 characters.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s
}

// sample is a draft like the package's: multipart/mixed holding a
// multipart/alternative (quoted-printable text, base64 HTML) and a base64
// attachment, written with mime/multipart.
func sample(t *testing.T) []byte {
	t.Helper()
	var body bytes.Buffer
	mixed := multipart.NewWriter(&body)
	var alt bytes.Buffer
	altw := multipart.NewWriter(&alt)

	pw, err := altw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=UTF-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		t.Fatal(err)
	}
	qp := quotedprintable.NewWriter(pw)
	if _, err := qp.Write([]byte(crlf(textBody))); err != nil {
		t.Fatal(err)
	}
	if err := qp.Close(); err != nil {
		t.Fatal(err)
	}
	pw, _ = altw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/html; charset=utf-8"}, "Content-Transfer-Encoding": {"base64"}})
	fmt.Fprint(pw, wrap76(base64.StdEncoding.EncodeToString([]byte(crlf(htmlBody)))))
	altw.Close()

	pw, _ = mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + altw.Boundary()}})
	pw.Write(alt.Bytes())
	pw, _ = mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {`application/pkix-cert; name="registrul.cer"`},
		"Content-Disposition":       {`attachment; filename="registrul.cer"`},
		"Content-Transfer-Encoding": {"base64"}})
	fmt.Fprint(pw, wrap76(base64.StdEncoding.EncodeToString(attachment)))
	mixed.Close()

	head := "From: " + mime.QEncoding.Encode("utf-8", "Ion Popescu ș") + " <ion.popescu@primaria-exemplu.md>\r\n" +
		"To: <support.msign@egov.md>\r\n" +
		"Cc: <servicii@egov.md>\r\n" +
		"Subject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\n" +
		"Date: " + when.Format(time.RFC1123Z) + "\r\n" +
		"X-Unsent: 1\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed;\r\n boundary=" + mixed.Boundary() + "\r\n\r\n"
	return append([]byte(head), body.Bytes()...)
}

// A well-formed draft reads back whole: decoded headers, addresses, date.
func TestParseReadsHeaders(t *testing.T) {
	m := Parse(t, sample(t))
	if m.Subject != subject || m.Decoded["Subject"][0] != subject {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.From) != 1 || m.From[0].Name != "Ion Popescu ș" || m.From[0].Address != "ion.popescu@primaria-exemplu.md" {
		t.Errorf("From %v", m.From)
	}
	if len(m.To) != 1 || m.To[0].Address != "support.msign@egov.md" || len(m.Cc) != 1 || m.Cc[0].Address != "servicii@egov.md" {
		t.Errorf("To %v Cc %v", m.To, m.Cc)
	}
	if !m.Date.Equal(when) || m.Header.Get("X-Unsent") != "1" || m.ContentType != "multipart/mixed" {
		t.Errorf("Date %v, X-Unsent %q, Content-Type %q", m.Date, m.Header.Get("X-Unsent"), m.ContentType)
	}
}

// The same draft's parts: text, HTML and the attachment byte for byte.
func TestParseReadsEveryPart(t *testing.T) {
	m := Parse(t, sample(t))
	if m.Text != textBody {
		t.Errorf("text:\n%q\nwant\n%q", m.Text, textBody)
	}
	if m.HTML != htmlBody {
		t.Errorf("HTML %q", m.HTML)
	}
	if len(m.Parts) != 3 || m.Parts[0].Encoding != "quoted-printable" || m.Parts[0].Charset != "utf-8" || m.Parts[1].ContentType != "text/html" {
		t.Errorf("parts %+v", m.Parts)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if a.FileName != "registrul.cer" || a.ContentType != "application/pkix-cert" || a.Encoding != "base64" || !bytes.Equal(a.Data, attachment) {
		t.Errorf("attachment %s %s %s, %d bytes", a.FileName, a.ContentType, a.Encoding, len(a.Data))
	}
}

// A message that is not multipart is its own one part; no Content-Type
// means US-ASCII text (RFC 2045 §5.2).
func TestParseSinglePart(t *testing.T) {
	raw := "From: a@example.md\r\nDate: " + when.Format(time.RFC1123Z) + "\r\nSubject: plain\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\nunu=\r\n doi\r\ntrei\r\n"
	m := Parse(t, []byte(raw))
	if m.ContentType != "text/plain" || m.Text != "unu doi\ntrei\n" || len(m.Parts) != 1 || len(m.Attachments) != 0 || m.To != nil {
		t.Errorf("%q %q %+v", m.ContentType, m.Text, m)
	}
}

// Read parses a file; a file that is not there fails the test.
func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "01.eml")
	if err := os.WriteFile(path, sample(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if m := Read(t, path); m.Text != textBody {
		t.Errorf("text %q", m.Text)
	}
	f := &fakeTB{TB: t}
	if m := run(f, func(tb testing.TB) *Message { return Read(tb, path+".missing") }); m != nil || !strings.Contains(f.msg, "no such file") {
		t.Errorf("a missing file: returned %v, failure %q", m, f.msg)
	}
}

// fakeTB records a Fatalf and ends the goroutine, as testing.T does.
type fakeTB struct {
	testing.TB
	msg string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls fn with f on a goroutine of its own, as a test would be run.
func run(f *fakeTB, fn func(testing.TB) *Message) (m *Message) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		m = fn(f)
	}()
	<-done
	return m
}

// nested is n multiparts, each the one part of the one before.
func nested(n int) string {
	var open, closing string
	for i := range n {
		open += fmt.Sprintf("Content-Type: multipart/mixed; boundary=B%d\r\n\r\n--B%d\r\n", i, i)
		closing = fmt.Sprintf("\r\n--B%d--", i) + closing
	}
	return open + "\r\nx" + closing + "\r\n"
}

// Every kind of malformed message fails the test with its reason, and no
// half message comes back.
func TestParseFailsOnMalformed(t *testing.T) {
	date := "Date: " + when.Format(time.RFC1123Z) + "\r\n"
	head := "From: a@example.md\r\n" + date
	multi := head + "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	part := func(hdr, body string) string {
		return multi + "--B\r\n" + hdr + "\r\n\r\n" + body + "\r\n--B--\r\n"
	}
	good := string(sample(t))
	cases := []struct{ name, raw, why string }{
		{"bare LF", strings.Replace(good, "X-Unsent: 1\r\n", "X-Unsent: 1\n", 1), "bare LF"},
		{"bare CR", strings.Replace(good, "X-Unsent: 1", "X-Unsent:\r1", 1), "bare CR"},
		{"long line", head + "\r\n" + strings.Repeat("a", 999) + "\r\n", "over 998"},
		{"no header end", "From a@example.md", "headers"},
		{"no From", date + "\r\nx\r\n", "From"},
		{"bad From", "From: <not an address\r\n" + date + "\r\nx\r\n", "From"},
		{"bad To", head + "To: a@@b\r\n\r\nx\r\n", "To"},
		{"no Date", "From: a@example.md\r\n\r\nx\r\n", "Date"},
		{"bad Date", "From: a@example.md\r\nDate: yesterday\r\n\r\nx\r\n", "Date"},
		{"unknown charset in a header", head + "Subject: =?x-unknown?Q?abc?=\r\n\r\nx\r\n", "Subject"},
		{"bad Content-Type", head + "Content-Type: text/\r\n\r\nx\r\n", "Content-Type"},
		{"no boundary", head + "Content-Type: multipart/mixed\r\n\r\nx\r\n", "no boundary"},
		{"no parts", multi + "--B--\r\n", "no parts"},
		{"no closing boundary", multi + "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n", "unexpected EOF"},
		{"unknown encoding", part("Content-Transfer-Encoding: x-uuencode", "x"), "x-uuencode"},
		{"bad base64", part("Content-Transfer-Encoding: base64", "QUJD!!=="), "base64"},
		{"base64 line too long", part("Content-Transfer-Encoding: base64", strings.Repeat("QUJD", 20)), "over 76"},
		{"bad quoted-printable", part("Content-Transfer-Encoding: quoted-printable", "a=ZZb"), "quoted-printable"},
		{"quoted-printable cut escape", part("Content-Transfer-Encoding: quoted-printable", "ab=A"), "quoted-printable"},
		{"quoted-printable raw byte", part("Content-Transfer-Encoding: quoted-printable", "ă"), "raw byte"},
		{"quoted-printable line too long", part("Content-Transfer-Encoding: quoted-printable", strings.Repeat("a", 77)), "over 76"},
		{"not UTF-8", part("Content-Type: text/plain; charset=utf-8", "\xff\xfe"), "not valid UTF-8"},
		{"other charset", part("Content-Type: text/plain; charset=iso-8859-2", "x"), "iso-8859-2"},
		{"bad Content-Disposition", part("Content-Disposition: attachment; filename=\"a", "x"), "Content-Disposition"},
		{"too deep", head + nested(9), "nested"},
	}
	for _, c := range cases {
		f := &fakeTB{TB: t}
		m := run(f, func(tb testing.TB) *Message { return Parse(tb, []byte(c.raw)) })
		if m != nil || f.msg == "" {
			t.Errorf("%s: parsed, no failure: %+v", c.name, m)
		} else if !strings.Contains(f.msg, c.why) {
			t.Errorf("%s: failure %q does not say %q", c.name, f.msg, c.why)
		}
	}
}
