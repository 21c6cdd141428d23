// Package emltest reads back, for tests, the .eml files the package writes:
// headers decoded, text and HTML bodies decoded, attachments decoded. It
// uses only the standard library and fails the test on anything malformed
// rather than return half a message. Only tests import it.
package emltest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Message is one e-mail as a mail program shows it.
type Message struct {
	// Header holds the headers as written (continuation lines unfolded).
	Header mail.Header
	// Decoded holds every header with its RFC 2047 encoded words decoded.
	Decoded map[string][]string
	// From, To and Cc are the parsed addresses, names decoded.
	From, To, Cc []*mail.Address
	// Subject is decoded; Date is parsed.
	Subject string
	Date    time.Time
	// ContentType is the message's own media type, lower case
	// ("multipart/mixed", "text/plain").
	ContentType string
	// Text and HTML are the decoded text/plain and text/html parts that are
	// not attachments, in order, with the e-mail's CRLF line ends as "\n".
	Text, HTML string
	// Parts are all leaf parts in order (the message itself when it is not
	// multipart); Attachments are those with a file name.
	Parts       []Part
	Attachments []Part
}

// Part is one leaf part of a message, decoded.
type Part struct {
	ContentType string // media type, lower case
	Charset     string // lower case, "" when not given
	Encoding    string // Content-Transfer-Encoding, lower case, "" when not given
	FileName    string // "" when the part is not a file
	Data        []byte // decoded from its transfer encoding
}

// Read parses the .eml file at path; see Parse.
func Read(t testing.TB, path string) *Message {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("emltest: %v", err)
	}
	m, err := parse(raw)
	if err != nil {
		t.Fatalf("emltest: %s: %v", path, err)
	}
	return m
}

// Parse parses one RFC 5322 message. The test fails (Fatalf) on anything
// malformed: a line over 998 octets or without CRLF, a header, address,
// date or encoded word that does not parse, a missing From or Date, an
// unknown transfer encoding or charset, an encoded line over 76 characters,
// bad base64 or quoted-printable, text that is not UTF-8, or a multipart
// body without its closing boundary.
func Parse(t testing.TB, raw []byte) *Message {
	t.Helper()
	m, err := parse(raw)
	if err != nil {
		t.Fatalf("emltest: %v", err)
	}
	return m
}

func parse(raw []byte) (*Message, error) {
	if err := checkLines(raw); err != nil {
		return nil, err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	m := &Message{Header: msg.Header}
	if err := m.readHeaders(); err != nil {
		return nil, err
	}
	media, err := m.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	if err != nil {
		return nil, err
	}
	m.ContentType = media
	return m, nil
}

// checkLines refuses a line longer than RFC 5322 §2.1.1 allows (998 octets
// before CRLF) and a CR or LF that is not part of a CRLF (§2.3).
func checkLines(raw []byte) error {
	for n, line := range bytes.SplitAfter(raw, []byte("\n")) {
		body, ok := bytes.CutSuffix(line, []byte("\r\n"))
		if !ok && bytes.HasSuffix(line, []byte("\n")) {
			return fmt.Errorf("line %d ends with a bare LF, not CRLF", n+1)
		}
		if bytes.ContainsRune(body, '\r') {
			return fmt.Errorf("line %d holds a bare CR", n+1)
		}
		if len(body) > 998 {
			return fmt.Errorf("line %d is %d octets long, over 998", n+1, len(body))
		}
	}
	return nil
}

// readHeaders decodes every header and parses the addresses, the subject
// and the date.
func (m *Message) readHeaders() error {
	dec := new(mime.WordDecoder)
	m.Decoded = map[string][]string{}
	for k, vs := range m.Header {
		for _, v := range vs {
			d, err := dec.DecodeHeader(v)
			if err != nil {
				return fmt.Errorf("header %s %q: %w", k, v, err)
			}
			m.Decoded[k] = append(m.Decoded[k], d)
		}
	}
	m.Subject = strings.Join(m.Decoded["Subject"], "")
	var err error
	for _, a := range []struct {
		key  string
		list *[]*mail.Address
	}{{"From", &m.From}, {"To", &m.To}, {"Cc", &m.Cc}} {
		if m.Header.Get(a.key) == "" && a.key != "From" {
			continue
		}
		if *a.list, err = m.Header.AddressList(a.key); err != nil {
			return fmt.Errorf("%s %q: %w", a.key, m.Header.Get(a.key), err)
		}
	}
	if m.Date, err = m.Header.Date(); err != nil {
		return fmt.Errorf("Date %q: %w", m.Header.Get("Date"), err)
	}
	return nil
}

// maxDepth bounds nested multiparts.
const maxDepth = 8

// walk reads one entity: a multipart's parts in turn, or one leaf part. It
// returns the entity's media type.
func (m *Message) walk(h textproto.MIMEHeader, body io.Reader, depth int) (string, error) {
	ctype := h.Get("Content-Type")
	if ctype == "" {
		ctype = "text/plain; charset=us-ascii" // RFC 2045 §5.2
	}
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return "", fmt.Errorf("Content-Type %q: %w", ctype, err)
	}
	if !strings.HasPrefix(media, "multipart/") {
		return media, m.leaf(h, media, params, body)
	}
	if depth >= maxDepth {
		return "", fmt.Errorf("multiparts nested over %d deep", maxDepth)
	}
	if params["boundary"] == "" {
		return "", fmt.Errorf("Content-Type %q has no boundary", ctype)
	}
	mr := multipart.NewReader(body, params["boundary"])
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return "", fmt.Errorf("%s has no parts", media)
			}
			return media, nil
		}
		if err != nil {
			return "", fmt.Errorf("%s part %d: %w", media, n+1, err)
		}
		if _, err := m.walk(p.Header, p, depth+1); err != nil {
			return "", err
		}
	}
}

// leaf decodes one part and files it as text, HTML or attachment.
func (m *Message) leaf(h textproto.MIMEHeader, media string, params map[string]string, body io.Reader) error {
	p := Part{ContentType: media, Charset: strings.ToLower(params["charset"]),
		Encoding: strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))}
	var err error
	if p.FileName, err = fileName(h, params); err != nil {
		return err
	}
	if p.Data, err = decode(p.Encoding, body); err != nil {
		return fmt.Errorf("%s part: %w", media, err)
	}
	m.Parts = append(m.Parts, p)
	if p.FileName != "" {
		m.Attachments = append(m.Attachments, p)
		return nil
	}
	if !strings.HasPrefix(media, "text/") {
		return nil
	}
	switch p.Charset {
	case "", "utf-8", "us-ascii":
	default:
		return fmt.Errorf("%s part: charset %q is not UTF-8", media, p.Charset)
	}
	if !utf8.Valid(p.Data) {
		return fmt.Errorf("%s part is not valid UTF-8", media)
	}
	text := strings.ReplaceAll(string(p.Data), "\r\n", "\n")
	switch media {
	case "text/plain":
		m.Text += text
	case "text/html":
		m.HTML += text
	}
	return nil
}

// fileName is the part's file name from Content-Disposition (RFC 2183),
// else the name parameter of its Content-Type, with RFC 2047 words decoded.
func fileName(h textproto.MIMEHeader, ctParams map[string]string) (string, error) {
	name := ctParams["name"]
	if cd := h.Get("Content-Disposition"); cd != "" {
		_, params, err := mime.ParseMediaType(cd)
		if err != nil {
			return "", fmt.Errorf("Content-Disposition %q: %w", cd, err)
		}
		if params["filename"] != "" {
			name = params["filename"]
		}
	}
	d, err := new(mime.WordDecoder).DecodeHeader(name)
	if err != nil {
		return "", fmt.Errorf("file name %q: %w", name, err)
	}
	return d, nil
}

// decode undoes a transfer encoding (RFC 2045 §6); a base64 or
// quoted-printable line may be at most 76 characters long.
func decode(enc string, body io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("reading its body: %w", err)
	}
	switch enc {
	case "", "7bit", "8bit", "binary":
		return raw, nil
	case "base64", "quoted-printable":
	default:
		return nil, fmt.Errorf("unknown Content-Transfer-Encoding %q", enc)
	}
	for n, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 76 {
			return nil, fmt.Errorf("%s line %d is %d characters long, over 76", enc, n+1, len(line))
		}
	}
	if enc == "quoted-printable" {
		if err := checkQP(raw); err != nil {
			return nil, err
		}
		b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return nil, fmt.Errorf("quoted-printable: %w", err)
		}
		return b, nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
	if err != nil {
		return nil, fmt.Errorf("base64: %w", err)
	}
	return b, nil
}

// checkQP refuses what Go's lenient quoted-printable reader passes through
// (RFC 2045 §6.7): a byte that is neither printable ASCII, space nor tab,
// and an "=" followed by neither two upper-case hex digits nor the line end.
func checkQP(raw []byte) error {
	for n, line := range strings.Split(string(raw), "\r\n") {
		line = strings.TrimRight(line, " \t") // transport padding
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case c == '=' && i == len(line)-1: // soft line break
			case c == '=':
				if i+2 >= len(line) || !isHex(line[i+1]) || !isHex(line[i+2]) {
					return fmt.Errorf("quoted-printable line %d: %q is not an escape", n+1, line[i:min(i+3, len(line))])
				}
				i += 2
			case c != ' ' && c != '\t' && (c < 33 || c > 126):
				return fmt.Errorf("quoted-printable line %d: raw byte %#x", n+1, c)
			}
		}
	}
	return nil
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }
