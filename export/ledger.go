package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safefile"
)

// LedgerSchema is the version of the ledger layout written by this program.
const LedgerSchema = 1

// MaxLedgerSize caps how much of the ledger is read: an entry is a few
// hundred bytes, so this holds tens of thousands of packages.
const MaxLedgerSize = 16 << 20

// LedgerEntry is one package built: which system, environment and services
// it registers, with which certificate, when, and where it was written —
// and, once the user says so, when it was sent and when AGE confirmed it.
type LedgerEntry struct {
	// SystemID names the system's answers file (systems/<id>.json); for a
	// package built from another answers file it is Slug(System).
	SystemID string   `json:"system_id"`
	System   string   `json:"system"`
	Env      string   `json:"env"`
	Services []string `json:"services"`
	// SerialHex is the certificate's serial, upper-case hex; SHA256 its
	// fingerprint ("" for a certificate named by its serial only).
	SerialHex string    `json:"serial_hex"`
	SHA256    string    `json:"sha256,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	NotAfter  time.Time `json:"not_after,omitzero"`
	Built     time.Time `json:"built"`
	Package   string    `json:"package,omitempty"`
	// Replaces is the serial a renewal package asks AGE to replace.
	Replaces string `json:"replaces,omitempty"`
	// Sent and Confirmed are days (YYYY-MM-DD) the user gave.
	Sent      string `json:"sent,omitempty"`
	Confirmed string `json:"confirmed,omitempty"`
}

// Ledger is every package built on this machine, oldest first.
type Ledger struct {
	Schema  int           `json:"schema"`
	Entries []LedgerEntry `json:"entries"`
}

// ParseLedger decodes a ledger; like answers, unknown fields and a newer
// schema are refused rather than silently dropped on the next write.
func ParseLedger(b []byte) (*Ledger, error) {
	b = bytes.TrimPrefix(b, utf8BOM)
	l := &Ledger{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(l); err != nil {
		if errors.Is(err, io.EOF) {
			return &Ledger{Schema: LedgerSchema}, nil
		}
		return nil, checks.Problemf("ledger.not_json", "Err", err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, checks.Problemf("ledger.not_json", "Err", "data after the ledger")
	}
	if l.Schema < 1 || l.Schema > LedgerSchema {
		return nil, checks.Problemf("ledger.schema", "Version", l.Schema, "Max", LedgerSchema)
	}
	return l, nil
}

// LoadLedger reads the ledger at path; a missing file is an empty ledger.
func LoadLedger(path string) (*Ledger, error) {
	b, err := safefile.Read(path, MaxLedgerSize)
	if errors.Is(err, os.ErrNotExist) {
		return &Ledger{Schema: LedgerSchema}, nil
	}
	if err != nil {
		return nil, checks.FileProblem(path, err)
	}
	l, err := ParseLedger(b)
	if err != nil {
		return nil, checks.Problemf("ledger.in_file", "File", path, "Problem", err).Wrap(err)
	}
	return l, nil
}

// save writes the ledger atomically, mode 0600.
func (l *Ledger) save(path string) error {
	l.Schema = LedgerSchema
	if l.Entries == nil {
		l.Entries = []LedgerEntry{}
	}
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'), 0o600)
}

// UpdateLedger loads the ledger at path under an exclusive lock, lets fn
// change it and writes it back, so two egovsetup processes recording at
// once both keep their entries. fn returning an error leaves the file as it
// was.
func UpdateLedger(path string, fn func(*Ledger) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	l, err := LoadLedger(path)
	if err != nil {
		return err
	}
	if err := fn(l); err != nil {
		return err
	}
	return l.save(path)
}

// Add records e. A package written again at the same place with the same
// certificate (a rebuild with --force) replaces its entry, keeping the days
// it was sent and confirmed.
func (l *Ledger) Add(e LedgerEntry) {
	for i, o := range l.Entries {
		if o.Package != "" && o.Package == e.Package && o.SerialHex == e.SerialHex && o.Env == e.Env {
			e.Sent, e.Confirmed = o.Sent, o.Confirmed
			l.Entries = append(l.Entries[:i], l.Entries[i+1:]...)
			break
		}
	}
	l.Entries = append(l.Entries, e)
}

// EntryFor is the ledger entry of a package built from a into pkgDir at
// built. A demonstration package is never registered: ok is false for it,
// and for answers without a certificate.
func EntryFor(a *Answers, systemID, pkgDir string, built time.Time) (e LedgerEntry, ok bool) {
	c := a.Certificate.Facts()
	if c == nil || c.Demo || c.SerialHex == "" {
		return LedgerEntry{}, false
	}
	if systemID == "" {
		systemID = Slug(a.System.Name)
	}
	if abs, err := filepath.Abs(pkgDir); err == nil {
		pkgDir = abs
	}
	return LedgerEntry{
		SystemID: systemID, System: a.System.Name, Env: a.Env, Services: slices.Clone(a.Services),
		SerialHex: strings.ToUpper(c.SerialHex), SHA256: strings.ToUpper(c.SHA256),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), Built: built.UTC(), Package: pkgDir,
	}, true
}

// CertUse is what the ledger knows of a certificate for one system and
// environment: whether it is already registered there, and whether it
// breaks AGE's rule.
type CertUse struct {
	// Registered: the same system and environment already use it, so AGE
	// has it and an e-mail may name its serial (egov4dev
	// docs/guides/mpass/process2.md: "A certificate can be reused across all
	// integrations of the same information system ... provided the
	// integrations are in the same environment").
	Registered bool
	// Conflict is the entry that forbids it: the same certificate recorded
	// for the other environment or for another system
	// (mpass/integration-development.md: "Service test and production
	// environments MUST use a different certificate").
	Conflict *LedgerEntry
}

// CheckCertificate judges the certificate with fingerprint sha256 (or,
// when that is unknown, serial) for system systemID in env.
func (l *Ledger) CheckCertificate(systemID, env, serial, sha256 string) CertUse {
	var u CertUse
	for i := range l.Entries {
		e := &l.Entries[i]
		same := sha256 != "" && e.SHA256 != "" && strings.EqualFold(e.SHA256, sha256)
		if !same && (sha256 == "" || e.SHA256 == "") {
			same = serial != "" && strings.EqualFold(e.SerialHex, serial)
		}
		switch {
		case !same:
		case e.SystemID == systemID && e.Env == env:
			u.Registered = true
		case u.Conflict == nil:
			u.Conflict = e
		}
	}
	return u
}

// ConflictError is the refusal CheckCertificate's Conflict leads to. It
// wraps a *LedgerConflict naming the package that uses the certificate.
func (u CertUse) ConflictError(systemID string) error {
	c := u.Conflict
	if c == nil {
		return nil
	}
	lc := &LedgerConflict{Entry: *c, SameSystem: c.SystemID == systemID}
	if lc.SameSystem {
		return checks.Problemf("ledger.other_env", "Serial", c.SerialHex, "Env", c.Env).Wrap(lc)
	}
	return checks.Problemf("ledger.other_system", "Serial", c.SerialHex, "System", c.System, "Env", c.Env).Wrap(lc)
}

// LedgerConflict is what forbids a certificate: the ledger's entry of the
// package that uses it for the other environment of the same system
// (SameSystem) or for another system. The wizard names them in its own
// words; ConflictError's text names the command-line flag.
type LedgerConflict struct {
	Entry      LedgerEntry
	SameSystem bool
}

func (c *LedgerConflict) Error() string {
	return "the certificate " + c.Entry.SerialHex + " is registered for " + c.Entry.SystemID + "/" + c.Entry.Env
}

// CertificateRule applies AGE's rule (CheckCertificate) to the certificate
// c that system systemID would register in env. It returns what the ledger
// knows and, when the ledger forbids the certificate, the refusal
// (ConflictError). No certificate, a serial-less one and the demonstration
// certificate are never refused. Both egovsetup build and the wizard check
// a certificate with it before a package is written.
func (l *Ledger) CertificateRule(systemID, env string, c *Certificate) (CertUse, error) {
	if c == nil || c.Demo {
		return CertUse{}, nil
	}
	serial := c.SerialHex()
	if serial == "" {
		return CertUse{}, nil
	}
	u := l.CheckCertificate(systemID, env, serial, c.SHA256())
	return u, u.ConflictError(systemID)
}

// CertificateRule is Ledger.CertificateRule on the store's ledger. A ledger
// that cannot be read is an error: a certificate it might forbid is not
// taken unchecked.
func (s *Store) CertificateRule(systemID, env string, c *Certificate) (CertUse, error) {
	if c == nil || c.Demo {
		return CertUse{}, nil
	}
	l, err := s.Ledger()
	if err != nil {
		return CertUse{}, err
	}
	return l.CertificateRule(systemID, env, c)
}

// envRank orders environments: test before production.
func envRank(env string) int {
	if env == assets.EnvProduction {
		return 1
	}
	return 0
}
