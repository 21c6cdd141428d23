package steps

import "github.com/egovmd/egovsetup/export"

// recordPackage records the package just written in the store's ledger, so
// egovsetup status and renew know it (as egovsetup build does). Answers kept
// outside the store are recorded under the store's system of that name, if
// any. It returns why the package could not be recorded.
func recordPackage(c *Context, res *export.Result) error {
	if c.Store == nil || res == nil {
		return nil
	}
	id := c.SystemID
	if id == "" {
		id = c.Store.FindSystem(c.Answers.System.Name)
	}
	return c.Store.Record(c.Answers, id, res.Dir, c.Now())
}
