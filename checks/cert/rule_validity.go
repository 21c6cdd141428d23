package cert

import (
	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

var (
	notYetValidVerdict = Verdict{ID: "cert.not_yet_valid", Severity: checks.Fail, Remedy: "cert.not_yet_valid.remedy"}
	expiredVerdict     = Verdict{ID: "cert.expired", Severity: checks.Fail, Remedy: "cert.expired.remedy"}
	expiresSoonVerdict = Verdict{ID: "cert.expires_soon", Severity: checks.Warn, Remedy: "cert.expires_soon.remedy"}
	expires90Verdict   = Verdict{ID: "cert.expires_90", Severity: checks.Info, Remedy: "cert.expires_90.remedy"}
	validVerdict       = Verdict{ID: "cert.valid", Severity: checks.Pass}
)

// Days before the end of validity at which the validity verdict warns, and
// at which it notes that a renewal is to be planned.
const (
	expiresSoonDays = 30
	expiresNoteDays = 90
)

// ruleValidity judges the validity period against the time of judgement.
var ruleValidity = Rule{
	Name:     "validity",
	About:    assets.Text{Key: "cert.rule.validity"},
	Citation: "RFC 5280 §4.1.2.5",
	Verdicts: []Verdict{notYetValidVerdict, expiredVerdict, expiresSoonVerdict, expires90Verdict, validVerdict},
	Judge: func(l *Loaded, opt Options) []checks.Check {
		c, now := l.Leaf, opt.now()
		days := daysLeft(c.NotAfter, now)
		end := c.NotAfter.UTC().Format("2006-01-02")
		switch {
		case now.Before(c.NotBefore):
			return notYetValidVerdict.Emit("Date", c.NotBefore.UTC().Format("2006-01-02 15:04 MST"))
		case now.After(c.NotAfter):
			return expiredVerdict.Emit("Date", end, "Count", -days)
		case days <= expiresSoonDays:
			return expiresSoonVerdict.Emit("Count", days, "Date", end)
		case days <= expiresNoteDays:
			return expires90Verdict.Emit("Count", days, "Date", end)
		}
		return validVerdict.Emit("Count", days, "Date", end)
	},
}
