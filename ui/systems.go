package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safefile"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/steps"
)

// expiryWithin is the warning window, in days, of the systems list: a
// certificate expiring within it is offered for renewal (the same default
// as egovsetup status).
const expiryWithin = 30

// session is where this run keeps its answers: a file the user named with
// --answers, or one system's file in the config folder's store.
type session struct {
	// store is nil when the user named the answers file.
	store *export.Store
	// id is the system's ID in the store ("" with --answers).
	id   string
	path string
	// provisional: the system has no name yet; its file is renamed after
	// the name once it is given, so the store's IDs read like the systems.
	provisional bool
	// ledger is the store the packages written are recorded in (the store
	// itself, or the config folder's with --answers; nil when there is none).
	ledger *export.Store
	// langExplicit: --lang was given, and wins over a system's saved language.
	langExplicit bool
}

// explicit reports whether the user named the answers file.
func (s *session) explicit() bool { return s.store == nil }

// systemChoice is the prefix of a systems-list choice naming a system.
const systemChoice = "system:"

// openStore opens the config folder's store and migrates the single answers
// file of earlier versions into it; notice says what happened to that file.
// That file, when it cannot be read as answers, is moved aside as before,
// so it is neither lost nor reported again at every start.
func openStore(lang string) (s *export.Store, notice string, err error) {
	s, err = export.DefaultStore()
	if err != nil {
		return nil, "", err
	}
	m, err := s.Migrate()
	switch {
	case err != nil && errors.Is(err, export.ErrNotAnswers):
		old, _ := export.DefaultAnswersPath()
		_, _, notice, _ = loadAnswers(old, lang, false)
	case err != nil:
		notice = assets.T(lang, "systems.migrate_failed", "Error", checks.Localize(err, lang))
	case m != nil:
		notice = assets.T(lang, "systems.migrated", "From", m.From, "To", m.To)
		migrateProgressFile(m.From, m.To)
	}
	return s, notice, nil
}

// migrateProgressFile copies the wizard's progress kept beside the old
// answers file to the migrated system's, so its run resumes where it
// stopped. The old file stays, like the old answers.
func migrateProgressFile(from, to string) {
	b, err := safefile.Read(ProgressPath(from), maxProgressSize)
	if err != nil {
		return // none, or unreadable: the system starts at its first step
	}
	if _, err := os.Lstat(ProgressPath(to)); err == nil {
		return
	}
	_ = export.WriteFileAtomic(ProgressPath(to), b, 0o600)
}

// openSession finds where this run keeps its answers: the file --answers
// names, else the store, whose systems list comes first when it has any
// (else a new system starts at once).
func openSession(o Options) (sess *session, list []export.SystemInfo, notice string, err error) {
	sess = &session{langExplicit: o.LangExplicit}
	if o.AnswersPath != "" {
		sess.path = o.AnswersPath
		sess.ledger, _ = export.DefaultStore()
		return sess, nil, "", nil
	}
	if sess.store, notice, err = openStore(o.Lang); err != nil {
		return nil, nil, "", err
	}
	sess.ledger = sess.store
	list, err = sess.store.Systems(o.Now(), expiryWithin)
	if _, ok := errors.AsType[*export.LedgerUnreadError](err); ok {
		// An unreadable ledger hides no system: only what it knows is missing.
		notice = strings.TrimSpace(notice + "\n" + assets.T(o.Lang, "systems.ledger_failed", "Error", checks.Localize(err, o.Lang)))
	} else if err != nil {
		notice = strings.TrimSpace(notice + "\n" + assets.T(o.Lang, "systems.list_failed", "Error", checks.Localize(err, o.Lang)))
		list = nil
	}
	if len(list) == 0 {
		sess.newSystem()
	}
	return sess, list, notice, nil
}

// newSystem points the session at a new, empty system of the store.
func (s *session) newSystem() {
	s.id = s.store.NewSystemID("")
	s.path = s.store.SystemPath(s.id)
	s.provisional = true
}

// useSystem points the session at the store's system id.
func (s *session) useSystem(id string) {
	s.id, s.path = id, s.store.SystemPath(id)
	s.provisional = false
}

// saveTo is where the answers a go when saved: for a system still without
// a name that now has one, a new file named after it (the old one is
// removed once the new one is written, see settle).
func (s *session) saveTo(a *export.Answers) (path string, renamed bool) {
	if !s.provisional || strings.TrimSpace(a.System.Name) == "" || s.store == nil {
		return s.path, false
	}
	if export.Slug(a.System.Name) == s.id {
		return s.path, false
	}
	return s.store.SystemPath(s.store.NewSystemID(a.System.Name)), true
}

// settle makes path the session's file after the answers were written
// there, removing the provisional file and its progress.
func (s *session) settle(path string) {
	if path == s.path {
		if s.provisional && s.store != nil {
			s.provisional = false
		}
		return
	}
	// The answers are safe in their new file: a leftover old file would
	// only list the system twice.
	_ = os.Remove(s.path)
	_ = os.Remove(ProgressPath(s.path))
	s.path = path
	s.id = strings.TrimSuffix(filepath.Base(path), ".json")
	s.provisional = false
}

// save writes the answers and progress for the session.
func (s *session) save(a *export.Answers, p *steps.Progress) error {
	if s.path == "" {
		return nil // no system chosen yet: nothing typed to keep
	}
	path, _ := s.saveTo(a)
	if err := saveAll(path, a, p); err != nil {
		return err
	}
	if path != s.path || strings.TrimSpace(a.System.Name) != "" {
		s.settle(path)
	}
	return nil
}

// systemOptions are the systems list's choices: each system known on this
// machine, then "New system".
func systemOptions(c *steps.Context, list []export.SystemInfo) []huh.Option[string] {
	opts := make([]huh.Option[string], 0, len(list)+1)
	for _, info := range list {
		opts = append(opts, huh.NewOption(systemLabel(c, info), systemChoice+info.ID))
	}
	return append(opts, huh.NewOption(c.T("systems.new"), resumeNew))
}

// systemLabel is one line of the systems list: the name, environments,
// platforms and when the certificate expires.
func systemLabel(c *steps.Context, info export.SystemInfo) string {
	name := safetext.Line(info.Name)
	if strings.TrimSpace(info.Name) == "" {
		name = c.T("resume.unnamed")
	}
	if info.Err != nil {
		return c.T("systems.unreadable", "Name", safetext.Line(info.ID))
	}
	var envs, services []string
	for _, e := range info.Envs {
		envs = append(envs, c.EnvName(e))
	}
	for _, id := range info.Services {
		if s, ok := c.Data.Service(id); ok {
			services = append(services, safetext.Line(s.Name))
		}
	}
	var parts []string
	if len(envs) > 0 {
		parts = append(parts, strings.Join(envs, ", "))
	}
	if len(services) > 0 {
		parts = append(parts, strings.Join(services, " + "))
	}
	parts = append(parts, expiryText(c, info))
	// The details go on a line of their own, indented under the name, so
	// that a long name and an expiry never break into each other.
	return name + "\n  " + strings.Join(parts, " · ")
}

// expiryText says when the system's earliest certificate in force expires.
func expiryText(c *steps.Context, info export.SystemInfo) string {
	if info.Expires.IsZero() {
		return c.T("systems.no_package")
	}
	date := info.Expires.Local().Format("2006-01-02")
	days := export.DaysLeft(info.Expires, c.Now())
	switch info.Level {
	case export.LevelExpired:
		return c.T("systems.expired", "Date", date)
	case export.LevelSoon:
		return c.T("systems.expires_soon", "Date", date, "Days", days)
	}
	return c.T("systems.expires", "Date", date)
}
