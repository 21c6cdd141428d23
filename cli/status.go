package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

type statusOptions struct {
	system    string
	within    int
	json      bool
	sent      string // SYSTEM/ENV
	confirmed string // SYSTEM/ENV
	on        string // the day sent or confirmed (default today)
	at        string // judge expiry as on this day instead of today
}

// statusCmd is `egovsetup status`: every registration recorded on this
// machine with the days its certificate has left.
func (a *app) statusCmd() *cobra.Command {
	var o statusOptions
	c := &cobra.Command{
		Use:         "status",
		Short:       a.t("cli.status.short"),
		Long:        a.t("cli.status.long"),
		Example:     a.t("cli.status.examples"),
		Args:        cobra.NoArgs,
		Annotations: map[string]string{"exit": a.t("cli.exit.status")},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runStatus(o)
		},
	}
	c.Flags().StringVar(&o.system, "system", "", a.t("cli.flag.status_system"))
	c.Flags().IntVar(&o.within, "within", 30, a.t("cli.flag.status_within"))
	c.Flags().BoolVar(&o.json, "json", false, a.t("cli.flag.json"))
	c.Flags().StringVar(&o.sent, "sent", "", a.t("cli.flag.status_sent"))
	c.Flags().StringVar(&o.confirmed, "confirmed", "", a.t("cli.flag.status_confirmed"))
	c.Flags().StringVar(&o.on, "on", "", a.t("cli.flag.status_on"))
	c.Flags().StringVar(&o.at, "at", "", a.t("cli.flag.status_at"))
	return c
}

// parseDay reads a day given as YYYY-MM-DD.
func parseDay(flag, s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.Local)
	if err != nil {
		return time.Time{}, usageError(checks.Problemf("cli.status.bad_day", "Flag", flag, "Value", s))
	}
	return t, nil
}

// store is the config folder's store, with the single answers file of
// earlier versions migrated into it first (a notice says so).
func (a *app) store() (*export.Store, error) {
	s, err := export.DefaultStore()
	if err != nil {
		return nil, usageError(err)
	}
	m, err := s.Migrate()
	switch {
	case err != nil:
		fmt.Fprintln(a.env.Stderr, a.t("cli.store.migrate_failed", "Err", checks.Localize(err, a.lang)))
	case m != nil:
		fmt.Fprintln(a.env.Stderr, a.t("cli.store.migrated", "From", m.From, "To", m.To, "Count", m.Recorded))
	}
	return s, nil
}

func (a *app) runStatus(o statusOptions) error {
	if o.within < 0 {
		return usageError(checks.Problemf("cli.status.bad_within", "Value", o.within))
	}
	now := a.env.Now()
	if o.at != "" {
		t, err := parseDay("--at", o.at)
		if err != nil {
			return err
		}
		now = t
	}
	s, err := a.store()
	if err != nil {
		return err
	}
	if o.sent != "" || o.confirmed != "" {
		if err := a.mark(s, o); err != nil {
			return err
		}
	}
	l, err := s.Ledger()
	if err != nil {
		return usageError(err)
	}
	rows := filterRows(l.Status(now, o.within), o.system)
	if o.system != "" && len(rows) == 0 {
		return usageError(checks.Problemf("cli.status.no_system", "System", o.system))
	}
	worst := export.Worst(rows)
	if o.json {
		if err := a.writeJSON(statusJSON{Date: now.Format("2006-01-02"), Within: o.within, Worst: worst, Registrations: rows}); err != nil {
			return err
		}
	} else {
		a.writeStatus(rows, o.within)
	}
	if worst != export.LevelOK {
		return exitCode(ExitFailed)
	}
	return nil
}

// statusJSON is `status --json`.
type statusJSON struct {
	Date          string             `json:"date"`
	Within        int                `json:"within_days"`
	Worst         string             `json:"worst"`
	Registrations []export.StatusRow `json:"registrations"`
}

// filterRows keeps the rows of the system name names ("" keeps all).
func filterRows(rows []export.StatusRow, name string) []export.StatusRow {
	if name == "" {
		return rows
	}
	var out []export.StatusRow
	for _, r := range rows {
		if export.MatchSystem(r.SystemID, r.System, name) {
			out = append(out, r)
		}
	}
	return out
}

// mark records that the latest package of a system and environment was
// sent to AGE, or that AGE confirmed it.
func (a *app) mark(s *export.Store, o statusOptions) error {
	day := a.env.Now().Format("2006-01-02")
	if o.on != "" {
		t, err := parseDay("--on", o.on)
		if err != nil {
			return err
		}
		day = t.Format("2006-01-02")
	}
	for _, m := range []struct {
		target string
		what   string
		done   string // the catalogue key of the message saying it is recorded
	}{{o.sent, "sent", "cli.status.marked_sent"}, {o.confirmed, "confirmed", "cli.status.marked_confirmed"}} {
		if m.target == "" {
			continue
		}
		cut := strings.LastIndex(m.target, "/")
		if cut < 0 {
			return usageError(checks.Problemf("cli.status.bad_target", "Flag", "--"+m.what, "Value", m.target))
		}
		system, env := m.target[:cut], m.target[cut+1:]
		if _, err := a.checkServices(nil, env); err != nil {
			return err
		}
		var pkg string
		err := s.UpdateLedger(func(l *export.Ledger) error {
			i := latestEntry(l, system, env)
			if i < 0 {
				return usageError(checks.Problemf("cli.status.no_package", "System", system, "Env", env))
			}
			if m.what == "sent" {
				l.Entries[i].Sent = day
			} else {
				l.Entries[i].Confirmed = day
			}
			pkg = l.Entries[i].Package
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(a.env.Stderr, a.t(m.done, "Package", safetext.Line(filepath.Base(pkg)), "Date", day))
	}
	return nil
}

// latestEntry is the index of the newest package of system in env, or -1.
func latestEntry(l *export.Ledger, system, env string) int {
	best := -1
	for i, e := range l.Entries {
		if e.Env == env && export.MatchSystem(e.SystemID, e.System, system) &&
			(best < 0 || !e.Built.Before(l.Entries[best].Built)) {
			best = i
		}
	}
	return best
}

// colour reports whether stdout takes ANSI colours: a terminal, NO_COLOR
// unset and TERM not dumb.
func (a *app) colour() bool {
	return a.env.StdoutTTY && a.env.Getenv("NO_COLOR") == "" && a.env.Getenv("TERM") != "dumb"
}

// levelSGR colours a level with the wizard theme's palette indices
// (ui/theme: Good 2, Caution 3, Bad 1).
var levelSGR = map[string]string{
	export.LevelOK:      "\x1b[32m",
	export.LevelSoon:    "\x1b[33m",
	export.LevelExpired: "\x1b[1;31m",
}

// writeStatus prints the registrations as one table, every value from the
// ledger escaped (safetext.Line), the days left coloured by level.
func (a *app) writeStatus(rows []export.StatusRow, within int) {
	if len(rows) == 0 {
		a.println(a.env.Stdout, a.t("cli.status.empty"))
		return
	}
	table := [][]string{{a.t("cli.status.col.system"), a.t("cli.status.col.env"), a.t("cli.status.col.services"),
		a.t("cli.status.col.serial"), a.t("cli.status.col.expires"), a.t("cli.status.col.days"), a.t("cli.status.col.age")}}
	for _, r := range rows {
		table = append(table, a.statusCells(r))
	}
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for i, c := range row {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for n, row := range table {
		var b strings.Builder
		for i, c := range row {
			cell := c + strings.Repeat(" ", widths[i]-ansi.StringWidth(c))
			if i == len(row)-1 {
				cell = c
			}
			if n > 0 && i == 5 && a.colour() {
				cell = levelSGR[rows[n-1].Level] + cell + "\x1b[0m"
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(cell)
		}
		a.println(a.env.Stdout, strings.TrimRight(b.String(), " "))
	}
	a.println(a.env.Stdout, "\n"+a.statusSummary(rows, within))
	a.printRenewCommands(rows)
}

// printRenewCommands prints, under the summary, the command that renews
// each registration expiring soon or expired, ready to be run once NEW.pfx
// is the new certificate. An environment that is neither test nor
// production (a ledger edited by hand) gets none: renew refuses it.
func (a *app) printRenewCommands(rows []export.StatusRow) {
	var cmds []string
	for _, r := range rows {
		if assets.EnvKey(r.Env) != "" && r.Due() {
			cmds = append(cmds, "  egovsetup renew --system "+shellWord(r.SystemID)+" --env "+shellWord(r.Env)+" NEW.pfx")
		}
	}
	if len(cmds) == 0 {
		return
	}
	a.println(a.env.Stdout, a.t("cli.status.renew_with")+"\n"+strings.Join(slices.Compact(cmds), "\n"))
}

// shellWord is s as one word of a shell command: as it is when it holds
// only letters, digits and . _ -, else in single quotes; control
// characters are escaped.
func shellWord(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			plain = false
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(safetext.Line(s), "'", `'\''`) + "'"
}

// daysKey is the catalogue key of the days-left cell for a certificate's
// level; a level with no words of its own shows the count alone.
func daysKey(level string) string {
	switch level {
	case export.LevelSoon:
		return "cli.status.days_soon"
	case export.LevelExpired:
		return "cli.status.days_expired"
	}
	return "cli.status.days_ok"
}

// statusCells is one table row.
func (a *app) statusCells(r export.StatusRow) []string {
	expires, days := "—", "?"
	if !r.NotAfter.IsZero() {
		expires = r.NotAfter.Format("2006-01-02")
		days = a.t(daysKey(r.Level), "Count", r.DaysLeft, "Days", -r.DaysLeft)
	}
	age := "—"
	switch {
	case r.Confirmed != "":
		age = a.t("cli.status.confirmed_on", "Date", safetext.Line(r.Confirmed))
	case r.Sent != "":
		age = a.t("cli.status.sent_on", "Date", safetext.Line(r.Sent))
	}
	return []string{safetext.Line(r.System), assets.EnvText(r.Env).In(a.lang), safetext.Line(a.data.Names(r.Services)),
		safetext.Line(r.SerialHex), expires, days, age}
}

// statusSummary is the line under the table: how many expire soon or have
// expired.
func (a *app) statusSummary(rows []export.StatusRow, within int) string {
	soon, expired := 0, 0
	for _, r := range rows {
		switch r.Level {
		case export.LevelSoon:
			soon++
		case export.LevelExpired:
			expired++
		}
	}
	if soon+expired == 0 {
		return a.t("cli.status.all_ok", "Count", within)
	}
	return a.t("cli.status.attention", "Soon", soon, "Expired", expired, "Count", within)
}

// buildRecorded is `egovsetup build` from the judgement on: a failing
// judgement (*export.FailuresError) is refused unless --accept-failures is
// given, and so is a certificate the ledger has for the other environment
// or for another system (AGE's rule, see export.CertUse) — both before
// anything is written or recorded. The package written is then recorded in
// the answers file (so a production build can refuse the certificate
// registered for test) and in the ledger (status, renew); a failure to
// record is reported and does not undo the package.
func (a *app) buildRecorded(ctx context.Context, o buildOptions, in export.Input) (*export.Result, error) {
	k, err := export.Build(in)
	if err != nil {
		return nil, err
	}
	if err := a.ledgerConflict(in.Answers, o.answers, in.Cert); err != nil {
		return nil, err
	}
	a.sayOverride(k.Judgement)
	for _, r := range export.Recover(o.out) {
		fmt.Fprintln(a.env.Stderr, r.In(a.lang))
	}
	res, err := k.Write(o.out, export.Options{Overwrite: o.force, Context: ctx})
	if err != nil {
		return nil, err
	}
	in.Answers.Record(res.Record)
	if err := export.SaveAnswers(o.answers, in.Answers); err != nil {
		fmt.Fprintln(a.env.Stderr, a.t("cli.build.not_recorded", "Err", err))
	}
	s, err := a.store()
	if err == nil {
		id := a.systemID(s, in.Answers, o.answers)
		if err = s.Record(packaged(in), id, res.Dir, a.env.Now()); err == nil {
			a.keepSystem(s, id, o.answers, packaged(in))
		}
	}
	if err != nil {
		fmt.Fprintln(a.env.Stderr, a.t("cli.ledger.record_failed", "Err", checks.Localize(err, a.lang)))
	}
	return res, nil
}

// keepSystem keeps a copy of answers read from a file of the user's as the
// store's system id, when the store has no system by that ID or name yet:
// status lists the system by its name, and renew --system and the wizard's
// systems list must find it under that name too. The user's file stays
// where it is; an existing system's answers are never replaced. A failure
// only leaves the system unknown to them, and is said.
func (a *app) keepSystem(s *export.Store, id, answersPath string, ans *export.Answers) {
	if ans.Certificate != nil && ans.Certificate.Demo {
		return // a demonstration package is not recorded either
	}
	if inStore(s, answersPath) || s.SystemNamed(ans.System.Name) != "" {
		return
	}
	if _, err := os.Lstat(s.SystemPath(id)); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err := s.SaveSystem(id, ans); err != nil {
		fmt.Fprintln(a.env.Stderr, a.t("cli.build.system_not_kept", "Err", checks.Localize(err, a.lang)))
		return
	}
	fmt.Fprintln(a.env.Stderr, a.t("cli.build.system_kept", "ID", id, "Path", safetext.Line(s.SystemPath(id))))
}

// ledgerConflict is the refusal of the certificate the build would use
// (c, or the answers' own when nil), or nil. The demonstration certificate
// is never registered, so it is never refused.
func (a *app) ledgerConflict(ans *export.Answers, answersPath string, c *cert.Loaded) error {
	ac := ans.Certificate
	if c != nil {
		ac = export.NewCertificate(c)
	}
	if ac == nil || ac.Demo {
		return nil
	}
	s, err := a.store()
	if err != nil {
		return err
	}
	_, err = s.CertificateRule(a.systemID(s, ans, answersPath), ans.Env, ac)
	return err
}

// systemID is the ID the ledger knows the answers' system by: the name of
// their file when it is one of the store's, else the store's system of
// that name, else the Slug of the name — or, when the store's system of
// that ID has another name ("Portal A" and "Portal Ă"), a free ID beside it
// (Store.NewSystemID), so two systems never share one.
func (a *app) systemID(s *export.Store, ans *export.Answers, answersPath string) string {
	if inStore(s, answersPath) {
		abs, _ := filepath.Abs(answersPath)
		return strings.TrimSuffix(filepath.Base(abs), ".json")
	}
	return s.LedgerID(ans.System.Name)
}

// inStore reports whether path is one of the store's system files.
func inStore(s *export.Store, path string) bool {
	abs, err := filepath.Abs(path)
	return err == nil && filepath.Dir(abs) == s.SystemsDir() && strings.HasSuffix(abs, ".json")
}
