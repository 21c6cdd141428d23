package export

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/internal/safefile"
)

// Store is egovsetup's folder under the user's config folder: the answers
// of each system (systems/<id>.json), and the ledger of every package built
// (ledger.json). The wizard and the commands share it.
type Store struct{ Dir string }

// DefaultStore is <user config dir>/egovsetup.
func DefaultStore() (*Store, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return nil, err
	}
	return &Store{Dir: filepath.Join(dir, "egovsetup")}, nil
}

// LedgerPath is the ledger's file.
func (s *Store) LedgerPath() string { return filepath.Join(s.Dir, "ledger.json") }

// SystemsDir holds one answers file per system.
func (s *Store) SystemsDir() string { return filepath.Join(s.Dir, "systems") }

// SystemPath is the answers file of the system id.
func (s *Store) SystemPath(id string) string { return filepath.Join(s.SystemsDir(), id+".json") }

// oldAnswersPath is the single answers file earlier versions kept.
func (s *Store) oldAnswersPath() string { return filepath.Join(s.Dir, "answers.json") }

// migratedMark records which content of the old answers file was migrated.
func (s *Store) migratedMark() string {
	return filepath.Join(s.SystemsDir(), ".migrated-answers.sha256")
}

// Ledger reads the ledger.
func (s *Store) Ledger() (*Ledger, error) { return LoadLedger(s.LedgerPath()) }

// UpdateLedger changes the ledger under its lock (see UpdateLedger).
func (s *Store) UpdateLedger(fn func(*Ledger) error) error { return UpdateLedger(s.LedgerPath(), fn) }

// Record adds the package built from a into pkgDir to the ledger, under
// the system id ("": Slug of the system's name). A demonstration package
// is not recorded.
func (s *Store) Record(a *Answers, id, pkgDir string, built time.Time) error {
	e, ok := EntryFor(a, id, pkgDir, built)
	if !ok {
		return nil
	}
	return s.UpdateLedger(func(l *Ledger) error { l.Add(e); return nil })
}

// SystemInfo is one system known on this machine, as the wizard's first
// screen lists it.
type SystemInfo struct {
	ID       string
	Name     string
	Path     string
	Envs     []string
	Services []string
	// Expires is the earliest expiry among its registrations in force
	// (zero when none is recorded); Level judges it.
	Expires time.Time
	Level   string
	// Err says why the answers file could not be read (nil when it could).
	Err error
}

// Systems lists the systems with an answers file, by name. An answers file
// that cannot be read is listed with its ID as its name and Err set. A
// ledger that cannot be read hides no system: they are listed without what
// it knows (the environments registered, the expiry), and its error is
// returned with them as a *LedgerUnreadError.
func (s *Store) Systems(now time.Time, within int) ([]SystemInfo, error) {
	ents, err := os.ReadDir(s.SystemsDir())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var rows []StatusRow
	l, lerr := s.Ledger()
	if lerr == nil {
		rows = l.Status(now, within)
	}
	var out []SystemInfo
	for _, de := range ents {
		id, ok := systemFileID(de.Name())
		if !ok || !de.Type().IsRegular() {
			continue
		}
		info := SystemInfo{ID: id, Name: id, Path: s.SystemPath(id), Level: LevelUnknown}
		if a, err := LoadAnswers(info.Path); err == nil {
			info.Name = a.System.Name
			info.Services = slices.Clone(a.Services)
			info.Envs = []string{a.Env}
		} else {
			info.Err = err
		}
		info.addRows(rows)
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b SystemInfo) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	if lerr != nil {
		return out, &LedgerUnreadError{Err: lerr}
	}
	return out, nil
}

// LedgerUnreadError is Systems' error when the systems are listed but the
// ledger could not be read.
type LedgerUnreadError struct{ Err error }

func (e *LedgerUnreadError) Error() string { return e.Err.Error() }
func (e *LedgerUnreadError) Unwrap() error { return e.Err }

// systemFileID is the system ID a file in the systems folder holds the
// answers of; ok is false for other files: hidden ones and the wizard's
// progress kept beside the answers (<id>.progress.json).
func systemFileID(name string) (id string, ok bool) {
	id, ok = strings.CutSuffix(name, ".json")
	if !ok || strings.HasPrefix(id, ".") || strings.HasSuffix(id, ".progress") {
		return "", false
	}
	return id, true
}

// addRows merges the ledger's registrations of the system into info.
func (info *SystemInfo) addRows(rows []StatusRow) {
	for _, r := range rows {
		if r.SystemID != info.ID {
			continue
		}
		if !slices.Contains(info.Envs, r.Env) {
			info.Envs = append(info.Envs, r.Env)
		}
		for _, sv := range r.Services {
			if !slices.Contains(info.Services, sv) {
				info.Services = append(info.Services, sv)
			}
		}
		if !r.NotAfter.IsZero() && (info.Expires.IsZero() || r.NotAfter.Before(info.Expires)) {
			info.Expires, info.Level = r.NotAfter, r.Level
		}
	}
	slices.SortFunc(info.Envs, func(a, b string) int { return envRank(a) - envRank(b) })
}

// LoadSystem reads the answers of the system id.
func (s *Store) LoadSystem(id string) (*Answers, error) { return LoadAnswers(s.SystemPath(id)) }

// SaveSystem writes a as the answers of the system id (atomic, 0600).
func (s *Store) SaveSystem(id string, a *Answers) error { return SaveAnswers(s.SystemPath(id), a) }

// NewSystemID is a free ID for a system called name: its Slug, or the Slug
// with -2, -3… when another system already has it.
func (s *Store) NewSystemID(name string) string {
	base := Slug(name)
	id := base
	for n := 2; exists(s.SystemPath(id)); n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// FindSystem is the ID of the system name names (its ID, or its name in
// any case, or the Slug of its name; see MatchSystem); "" when none does.
// A system whose ID or name is name itself wins over one whose ID is only
// the Slug of name: "Portal Ă" finds portal-a-2, the system of that name,
// before portal-a, the system "Portal A".
func (s *Store) FindSystem(name string) string {
	if id := s.findSystem(func(id string, a *Answers) bool {
		return id == strings.TrimSpace(name) || strings.EqualFold(a.System.Name, strings.TrimSpace(name))
	}); id != "" {
		return id
	}
	return s.findSystem(func(id string, a *Answers) bool { return MatchSystem(id, a.System.Name, name) })
}

// LedgerID is the ID the ledger records answers kept outside the store
// under: the store's system of their name (SystemNamed), else a free ID
// for the name (NewSystemID: its Slug, unless another system has it).
// egovsetup build and the wizard both record with it.
func (s *Store) LedgerID(name string) string {
	if id := s.SystemNamed(name); id != "" {
		return id
	}
	return s.NewSystemID(name)
}

// SystemNamed is the ID of the system called name (in any case), or "":
// answers read from a file find their system with it, so that another
// system whose name makes the same Slug is never taken for theirs.
func (s *Store) SystemNamed(name string) string {
	return s.findSystem(func(_ string, a *Answers) bool { return strings.EqualFold(a.System.Name, strings.TrimSpace(name)) })
}

// findSystem is the ID of the first readable system match accepts, or "".
func (s *Store) findSystem(match func(id string, a *Answers) bool) string {
	ents, _ := os.ReadDir(s.SystemsDir())
	for _, de := range ents {
		id, ok := systemFileID(de.Name())
		if !ok {
			continue
		}
		if a, err := LoadAnswers(s.SystemPath(id)); err == nil && match(id, a) {
			return id
		}
	}
	return ""
}

// Migration says what Migrate did with the single answers file of earlier
// versions.
type Migration struct {
	From string // the old file, left where it was
	To   string // the system's answers file made from it
	// Recorded counts the packages it remembered, now in the ledger.
	Recorded int
}

// Migrate copies the single answers file earlier versions kept
// (<config>/egovsetup/answers.json) to the system's own file and records
// the packages it remembers in the ledger. The old file is left as it is;
// a mark with its SHA-256 keeps the same content from being migrated twice,
// while a changed old file (an older egovsetup still in use) is migrated
// again, to a new system file, so nothing typed is lost. It returns nil
// when there was nothing to do.
func (s *Store) Migrate() (*Migration, error) {
	old := s.oldAnswersPath()
	b, err := safefile.Read(old, MaxAnswersSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	mark := hex.EncodeToString(sum[:])
	if m, err := safefile.Read(s.migratedMark(), 128); err == nil && strings.TrimSpace(string(m)) == mark {
		return nil, nil
	}
	a, err := LoadAnswers(old)
	if err != nil {
		return nil, err
	}
	id := s.NewSystemID(a.System.Name)
	m := &Migration{From: old, To: s.SystemPath(id)}
	if err := WriteFileAtomic(m.To, b, 0o600); err != nil {
		return nil, err
	}
	err = s.UpdateLedger(func(l *Ledger) error {
		for _, r := range a.Registered {
			e := migratedEntry(a, id, r)
			if !slices.ContainsFunc(l.Entries, func(o LedgerEntry) bool {
				// Already recorded, under this system or under the one an
				// earlier content of the old file became.
				return o.Env == e.Env && o.SerialHex == e.SerialHex && o.Package == e.Package
			}) {
				l.Add(e)
				m.Recorded++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, WriteFileAtomic(s.migratedMark(), []byte(mark+"\n"), 0o600)
}

// migratedEntry is the ledger entry of a package an old answers file
// remembers. Its services and validity are the answers' when the
// certificate is the one they still hold.
func migratedEntry(a *Answers, id string, r Registration) LedgerEntry {
	e := LedgerEntry{SystemID: id, System: a.System.Name, Env: r.Env, SerialHex: strings.ToUpper(r.SerialHex),
		SHA256: strings.ToUpper(r.SHA256), Built: r.Built.UTC(), Package: r.Package, Services: slices.Clone(a.Services)}
	if c := a.Certificate.Facts(); c != nil && strings.EqualFold(c.SerialHex, r.SerialHex) {
		e.NotBefore, e.NotAfter = c.NotBefore.UTC(), c.NotAfter.UTC()
		if e.SHA256 == "" {
			e.SHA256 = strings.ToUpper(c.SHA256)
		}
	}
	return e
}
