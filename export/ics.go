package export

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// RemindersFile is the calendar file every package holds: reminders to
// renew the certificate before it expires. AGE's integration checklist asks
// for an "internal procedure ... to remind system administrators about
// certificate expiration in advance" (egov4dev
// docs/guides/mconnect-events/integration-development.md, general checklist).
const RemindersFile = "certificate-reminders.ics"

// ReminderDays are how many days before expiry the reminders fall.
var ReminderDays = []int{60, 30}

// Reminder is what the reminders name.
type Reminder struct {
	SystemID  string // as `egovsetup renew --system` takes it
	System    string
	Env       string
	SerialHex string
	NotAfter  time.Time
	// Now is the calendar's DTSTAMP.
	Now time.Time
}

// RenewCommand is the command that renews the certificate.
func (r Reminder) RenewCommand() string {
	return fmt.Sprintf("egovsetup renew --system %s --env %s NEW.pfx", r.SystemID, r.Env)
}

// ICS is an RFC 5545 calendar with one all-day event, with a display alarm
// at 09:00, ReminderDays before the certificate expires: CRLF line ends,
// lines folded at 75 octets, TEXT values escaped.
func (r Reminder) ICS() []byte {
	var c icsWriter
	c.prop("BEGIN", "VCALENDAR")
	c.prop("VERSION", "2.0")
	c.prop("PRODID", "-//egovsetup//Certificate reminders//EN")
	c.prop("CALSCALE", "GREGORIAN")
	c.prop("METHOD", "PUBLISH")
	system, serial := safetext.Line(r.System), safetext.Line(r.SerialHex)
	envRO, envEN := bilingual(assets.EnvKey(r.Env))
	expires := r.NotAfter.UTC().Format("2006-01-02")
	for _, days := range ReminderDays {
		day := r.NotAfter.UTC().AddDate(0, 0, -days)
		summary := fmt.Sprintf("Reînnoiți certificatul / Renew the certificate: %s (%s) — %d zile / days", system, r.Env, days)
		desc := fmt.Sprintf("Certificatul sistemului %s pentru mediul de %s (numărul de serie %s) expiră la %s.\n"+
			"Pentru reînnoire, încărcați noul certificat și trimiteți pachetul de reînnoire generat de:\n  %s\n\n"+
			"The certificate of %s for the %s environment (serial %s) expires on %s.\n"+
			"To renew it, load the new certificate and send the renewal package written by:\n  %s\n",
			system, envRO, serial, expires, r.RenewCommand(), system, envEN, serial, expires, r.RenewCommand())
		c.prop("BEGIN", "VEVENT")
		c.prop("UID", fmt.Sprintf("%s-%s-%s-%dd@egovsetup", safeUID(r.SystemID), safeUID(r.Env), safeUID(r.SerialHex), days))
		c.prop("DTSTAMP", r.Now.UTC().Format("20060102T150405Z"))
		c.prop("DTSTART;VALUE=DATE", day.Format("20060102"))
		c.prop("DTEND;VALUE=DATE", day.AddDate(0, 0, 1).Format("20060102"))
		c.prop("SUMMARY", escapeText(summary))
		c.prop("DESCRIPTION", escapeText(desc))
		c.prop("TRANSP", "TRANSPARENT")
		c.prop("BEGIN", "VALARM")
		c.prop("ACTION", "DISPLAY")
		c.prop("DESCRIPTION", escapeText(summary))
		c.prop("TRIGGER", "PT9H")
		c.prop("END", "VALARM")
		c.prop("END", "VEVENT")
	}
	c.prop("END", "VCALENDAR")
	return c.b.Bytes()
}

// icsWriter writes content lines (RFC 5545 §3.1).
type icsWriter struct{ b bytes.Buffer }

// prop writes "NAME:value" folded at 75 octets: each continuation line
// starts with one space, and no UTF-8 sequence is split.
func (c *icsWriter) prop(name, value string) {
	line := name + ":" + value
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		c.b.WriteString(line[:cut])
		c.b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	c.b.WriteString(line)
	c.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and line breaks; other control characters are dropped.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// safeUID keeps letters, digits, dots and dashes of s for a UID.
func safeUID(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return r
		}
		return '_'
	}, s)
}

// addReminders adds the calendar file when the certificate's expiry is
// known (a certificate named by its serial only may not say it).
func (p *pkg) addReminders() {
	var notAfter time.Time
	if f := p.a.Certificate.Facts(); f != nil {
		notAfter = f.NotAfter
	}
	if p.leaf != nil {
		notAfter = p.leaf.NotAfter
	}
	if notAfter.IsZero() {
		return
	}
	id := p.id
	if id == "" {
		id = Slug(p.a.System.Name)
	}
	r := Reminder{SystemID: id, System: p.a.System.Name, Env: p.a.Env, SerialHex: p.a.Certificate.SerialHex(), NotAfter: notAfter, Now: p.now}
	p.add(RemindersFile, r.ICS())
}
