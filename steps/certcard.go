package steps

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/styles"
)

// renderCard draws a certificate's card and verdicts for the wizard: the
// facts a registration needs, a bar of the validity period already passed,
// and every verdict with its remedy, coloured by severity. Text from the
// certificate is shown escaped (cert.Report.Display).
func renderCard(c *Context, r *cert.Report, l *cert.Loaded, width int) string {
	r = r.Display()
	if width <= 0 {
		width = 80
	}
	// The label column fits the longest label in this language (a space
	// after it), within a third of the width so that values keep room.
	labelW := 14
	for _, k := range []string{"certcard.subject", "certcard.issuer", "certcard.serial_hex", "certcard.serial_dec",
		"certcard.valid", "certcard.key", "certcard.usage", "certcard.sans", "certcard.private_key", "certcard.chain"} {
		labelW = max(labelW, lipgloss.Width(c.T(k))+1)
	}
	labelW = min(labelW, max(width/3, 14))
	valueW := width - labelW
	var b strings.Builder
	row := func(label, value string) { b.WriteString(styles.Row(label, value, labelW, width) + "\n") }
	if r.Demo {
		b.WriteString(styles.Demo.Render(styles.Wrap(c.T("certcard.demo"), width-2)) + "\n")
	}
	row(c.T("certcard.subject"), r.Subject)
	row(c.T("certcard.issuer"), r.Issuer)
	row(c.T("certcard.serial_hex"), styles.Bold.Render(r.SerialHex))
	row(c.T("certcard.serial_dec"), r.SerialDecimal)
	row(c.T("certcard.valid"), fmt.Sprintf("%s → %s", r.NotBefore.Format("2006-01-02"), r.NotAfter.Format("2006-01-02")))
	row("", validityBar(c, r, valueW))
	row(c.T("certcard.key"), fmt.Sprintf("%s %d · %s", r.KeyType, r.KeyBits, r.SignatureAlgorithm))
	row(c.T("certcard.usage"), cardUsage(r))
	if len(r.SANs) > 0 {
		row(c.T("certcard.sans"), strings.Join(r.SANs, ", "))
	}
	row("SHA-256", r.SHA256)
	row("SHA-1", r.SHA1)
	key := c.T("certcard.key_public_only")
	if r.HasKey {
		key = c.T("certcard.key_in_memory")
	}
	row(c.T("certcard.private_key"), key)
	row(c.T("certcard.chain"), cardChain(c, r))
	b.WriteString("\n" + cardVerdicts(c, r, width))
	return strings.TrimRight(b.String(), "\n")
}

// validityBar shows how much of the validity period has passed and the days
// left, coloured by how near the end is.
func validityBar(c *Context, r *cert.Report, valueW int) string {
	total := r.NotAfter.Sub(r.NotBefore)
	passed := 0.0
	if total > 0 {
		passed = float64(c.Now().Sub(r.NotBefore)) / float64(total)
	}
	barStyle := styles.Success
	switch {
	case r.DaysLeft < 0 || passed < 0:
		barStyle = styles.Error
	case r.DaysLeft <= 30:
		barStyle = styles.Warning
	}
	left := c.T("certcard.days_left", "Count", r.DaysLeft)
	if r.DaysLeft < 0 {
		left = c.T("certcard.expired_ago", "Count", -r.DaysLeft)
	}
	return styles.Bar(passed, min(24, valueW-20), barStyle) + " " + styles.Percent(passed) + " · " + barStyle.Render(left)
}

// cardUsage is the key usage and extended key usage on one line.
func cardUsage(r *cert.Report) string {
	usage := strings.Join(r.KeyUsage, ", ")
	if len(r.ExtKeyUsage) > 0 {
		usage += " · " + strings.Join(r.ExtKeyUsage, ", ")
	}
	if strings.TrimSpace(strings.Trim(usage, " ·")) == "" {
		usage = "—"
	}
	return usage
}

// cardChain lists the chain's subjects, one a line.
func cardChain(c *Context, r *cert.Report) string {
	if len(r.Chain) == 0 {
		return c.T("certcard.chain_none")
	}
	var lines []string
	for _, e := range r.Chain {
		lines = append(lines, e.Subject)
	}
	return strings.Join(lines, "\n")
}

// cardVerdicts lists every verdict with its remedy, coloured by severity.
func cardVerdicts(c *Context, r *cert.Report, width int) string {
	var b strings.Builder
	b.WriteString(styles.Bold.Render(c.T("certcard.verdicts")) + "\n")
	for _, v := range r.Verdicts {
		b.WriteString(styles.Hang(" "+styles.Mark(v.Severity)+" ", styles.SeverityStyle(v.Severity).Render(v.Message.In(c.Lang)), width) + "\n")
		if !v.Remedy.IsZero() && v.Severity != checks.Pass {
			b.WriteString(styles.Hang("     → ", styles.Subtle.Render(v.Remedy.In(c.Lang)), width) + "\n")
		}
	}
	return b.String()
}
