package steps

import (
	"errors"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
)

// ledgerSystemID is the ID the ledger knows the answers' system by: the
// store's ID of the system, else the one Store.LedgerID gives their name
// (as egovsetup build records it), else, without a store, the Slug of the
// name (as export.EntryFor records it).
func ledgerSystemID(c *Context) string {
	switch {
	case c.SystemID != "":
		return c.SystemID
	case c.Store != nil:
		return c.Store.LedgerID(c.Answers.System.Name)
	}
	return export.Slug(c.Answers.System.Name)
}

// recordPackage records the package just written in the store's ledger, so
// egovsetup status and renew know it (as egovsetup build does). Answers kept
// outside the store are recorded under the store's system of that name, if
// any. It returns why the package could not be recorded.
func recordPackage(c *Context, res *export.Result) error {
	if c.Store == nil || res == nil {
		return nil
	}
	return c.Store.Record(c.Answers, ledgerSystemID(c), res.Dir, c.Now())
}

// ledgerRule applies AGE's rule on the ledger of the packages written
// (export.Store.CertificateRule, as egovsetup build does) to certificate ac
// for the answers' system and environment: the refusal (see isConflict), a
// ledger that cannot be read, or nil. Without a store nothing is recorded,
// so nothing is refused.
func ledgerRule(c *Context, ac *export.Certificate) error {
	if c.Store == nil {
		return nil
	}
	_, err := c.Store.CertificateRule(ledgerSystemID(c), c.Answers.Env, ac)
	return err
}

// isConflict reports whether err is the ledger's refusal of a certificate.
// A ledger that cannot be read refuses nothing: the wizard warns of it at
// the certificate step, writes the package, and says it could not be
// recorded.
func isConflict(err error) bool {
	_, ok := errors.AsType[*export.LedgerConflict](err)
	return ok
}

// conflictText is the ledger's refusal in the wizard's words: which system
// and environment already use the serial. Other errors are localized.
func conflictText(c *Context, err error) string {
	if lc, ok := errors.AsType[*export.LedgerConflict](err); ok {
		return conflictMessage(lc).In(c.Lang)
	}
	return checks.Localize(err, c.Lang)
}

// conflictMessage names the package that uses the certificate elsewhere
// (egov4dev docs/guides/mpass/integration-development.md: test and
// production use different certificates; mpass/process2.md: one
// certificate per system, reusable by its platforms within one
// environment).
func conflictMessage(lc *export.LedgerConflict) assets.Text {
	e := lc.Entry
	if lc.SameSystem {
		return assets.Msg("certstep.ledger.other_env", "Serial", e.SerialHex, "Env", assets.EnvText(e.Env),
			"Date", e.Built.Format("2006-01-02"))
	}
	return assets.Msg("certstep.ledger.other_system", "Serial", e.SerialHex, "System", e.System, "Env", assets.EnvText(e.Env))
}

// ledgerVerdict is AGE's rule on the ledger as a verdict of the certificate
// card: a failing one when the ledger forbids the certificate (forbidden is
// the refusal), a warning when the ledger cannot be read (the package step
// checks again), nil when the ledger allows it.
func ledgerVerdict(c *Context, ac *export.Certificate) (v *checks.Check, forbidden error) {
	err := ledgerRule(c, ac)
	if err == nil {
		return nil, nil
	}
	if lc, ok := errors.AsType[*export.LedgerConflict](err); ok {
		return &checks.Check{ID: "ledger/conflict", Severity: checks.Fail, Message: conflictMessage(lc),
			Remedy: assets.Msg("certstep.ledger.remedy")}, err
	}
	return &checks.Check{ID: "ledger/unreadable", Severity: checks.Warn,
		Message: assets.Msg("certstep.ledger.unreadable", "Error", err)}, nil
}
