// Package export holds the registration answers, keeps them on disk between
// runs, and writes the registration package AGE receives. It never imports a
// user interface, so the wizard, `egovsetup build` and the tests share it.
package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safefile"
)

// SchemaVersion is the version of the Answers layout written by this program.
// Version 2 keeps the certificate as DER; version 1 files (PEM and the
// certificate's facts beside it) are read and migrated (certificate.go).
const SchemaVersion = 2

// Answers is everything the integrator tells egovsetup about one information
// system in one environment. It is plain data: the wizard's steps fill it,
// `egovsetup build` reads it from a file, and the package is made from it.
// It never holds a password or private key material: only public facts.
type Answers struct {
	Schema int `json:"schema"`
	// Lang is the interface language older versions kept here. The wizard
	// now keeps it with its progress beside the answers and moves it there
	// when it reads such a file.
	Lang string `json:"lang,omitempty"`

	// Services are the platform IDs asked for: mpass, msign, mpower.
	Services []string `json:"services"`
	// Env is "test" or "production".
	Env string `json:"env"`
	// TestingDone: for production, the integrator confirms the integration was
	// tested on the test environment (seed 002 §6).
	TestingDone bool `json:"testing_done,omitempty"`
	// TestedOn is the day (YYYY-MM-DD) testing on the test environment was
	// finished; production e-mails state it (mpass/process2.md steps 6–8:
	// the production confirmation follows the tests).
	TestedOn string `json:"tested_on,omitempty"`

	Organization Organization `json:"organization"`
	System       System       `json:"system"`
	Service      ServiceNames `json:"service"`
	Certificate  *Certificate `json:"certificate,omitempty"`
	Network      Network      `json:"network"`
	MPass        MPass        `json:"mpass"`
	MPower       MPower       `json:"mpower,omitzero"`

	// Connectivity holds the results of the last connectivity run, if any.
	Connectivity []ConnectivityResult `json:"connectivity,omitempty"`

	// Registered records the certificates of packages already built from these
	// answers, so production can refuse the certificate registered for test.
	Registered []Registration `json:"registered,omitempty"`

	// Completed lists the wizard steps finished, as older versions kept
	// them; the wizard now keeps its progress beside the answers and moves
	// this list there when it reads such a file.
	Completed []string `json:"completed,omitempty"`
	// Updated is when the answers were last saved.
	Updated time.Time `json:"updated,omitzero"`
}

// Organization is the institution or company asking for the integration
// (seed 002 §1) and its contact person.
type Organization struct {
	// Type is public (public institution), private (private legal entity) or
	// person (natural person): public institutions need the system in the
	// state register of information systems (RSI), the others pay an annual
	// fee per integrated system (platforms/procedure.md, platforms/index.md).
	Type         string `json:"type,omitempty"`
	Name         string `json:"name"`
	IDNO         string `json:"idno"`
	ContactName  string `json:"contact_name"`
	ContactEmail string `json:"contact_email"`
	ContactPhone string `json:"contact_phone"`
}

// System is the information system being integrated (seed 002 §1).
type System struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Other       string `json:"other,omitempty"`
}

// ServiceNames are the service's name in the three languages and its
// one-sentence description (seed 002 §5).
type ServiceNames struct {
	RO          string `json:"name_ro"`
	RU          string `json:"name_ru"`
	EN          string `json:"name_en"`
	Description string `json:"description"`
}

// Certificate is the system's authentication certificate as the user gave
// it: the certificate itself (DER, public: never the key) and the user's
// choices. Subject, serial, validity and fingerprints are derived from the
// DER when needed (Parse, SerialHex, SHA256), never stored beside it.
type Certificate struct {
	// File is the path the certificate was loaded from, for the user's reference.
	File string `json:"file,omitempty"`
	// DER is the leaf certificate (JSON: base64), so the package can be
	// built again without the .pfx or its password.
	DER []byte `json:"der,omitempty"`
	// Demo marks the built-in demonstration certificate: never to be registered.
	Demo bool `json:"demo,omitempty"`
	// SerialOnly: AGE already has this certificate for the same system and
	// environment, so the e-mail names its serial instead of attaching it and
	// the package holds no .cer (mpass/process2.md steps 4 and 8,
	// msign/process.md step 3). Serial is then the serial the user gave.
	SerialOnly bool   `json:"serial_only,omitempty"`
	Serial     string `json:"serial,omitempty"`
}

// Network holds what MSign and MPower need: the addresses AGE must allow, and
// for MSign the signer type.
type Network struct {
	IPs []IPAddress `json:"ips,omitempty"`
	// SignerType is natural, legal or both (MSign only).
	SignerType string `json:"signer_type,omitempty"`
}

// IPAddress is one address the system calls AGE from. A private, CGNAT or ULA
// address names the VPN it is reached through.
type IPAddress struct {
	Address string `json:"address"`
	VPN     string `json:"vpn,omitempty"`
}

// MPass holds the MPass-specific registration data.
type MPass struct {
	// Issuer is the system's SAML entityID, the Issuer of its AuthnRequests
	// (mpass/api-reference.md, AuthnRequest/Issuer; SamlRequestIssuer in
	// Egov.Integrations.MPass.Saml's MPassSamlOptions.cs).
	Issuer string `json:"issuer,omitempty"`
	// LogoutRequestURL and LogoutResponseURL are for the environment in
	// Answers.Env (what this registration asks for).
	LogoutRequestURL  string `json:"logout_request_url,omitempty"`
	LogoutResponseURL string `json:"logout_response_url,omitempty"`
	// Test and Production are both environments' logout URLs: AGE's
	// technical-details form asks for them at once (mpass/process2.md step 3).
	Test       *LogoutURLs `json:"test,omitempty"`
	Production *LogoutURLs `json:"production,omitempty"`
	// ProductionLater: the user chose to give the production URLs later
	// (only while registering for test).
	ProductionLater bool `json:"production_later,omitempty"`
	// Attributes are the standard attributes asked for (older answers may
	// also hold custom names here).
	Attributes []string `json:"attributes,omitempty"`
	// Custom are attributes agreed with AGE outside the standard list, with
	// the values each may take (e.g. Role: admin, operator).
	Custom []CustomAttribute `json:"custom_attributes,omitempty"`
}

// LogoutURLs are one environment's MPass single-logout addresses.
type LogoutURLs struct {
	Request  string `json:"logout_request_url"`
	Response string `json:"logout_response_url"`
}

// CustomAttribute is an MPass attribute outside the standard list.
type CustomAttribute struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// MPower holds what an MPower registration needs (mpower/security.md,
// mpower/integration-development.md).
type MPower struct {
	// MPassRegistered: the system is already registered in MPass, which
	// MPower requires (mpower/integration-development.md).
	MPassRegistered bool `json:"mpass_registered,omitempty"`
	// Endpoints are the MPower API paths the system calls (AllowedEndpoints).
	Endpoints []string `json:"endpoints,omitempty"`
	// ViewAllAuthorizations: access to every power of representation, not
	// only the service provider's own.
	ViewAllAuthorizations bool `json:"view_all_authorizations,omitempty"`
}

// LogoutFor returns the logout URLs kept for env (nil if none).
func (m *MPass) LogoutFor(env string) *LogoutURLs {
	switch env {
	case "test":
		return m.Test
	case "production":
		return m.Production
	}
	return nil
}

// ConnectivityResult is one connectivity check as it is kept: language
// neutral (its texts are catalogue keys and values, see assets.Text) and
// tied to the service and environment it was run for (StaleFor). It does
// not depend on how the checks are made. WriteConnectivity puts results
// into words.
type ConnectivityResult struct {
	// ID names the check (the step: dns, tcp, tls, http, ...).
	ID         string          `json:"id"`
	Service    string          `json:"service"`
	Env        string          `json:"env"`
	Target     string          `json:"target"`
	Severity   checks.Severity `json:"severity,omitempty"`
	Message    assets.Text     `json:"message"`
	Remedy     assets.Text     `json:"remedy,omitzero"`
	DurationMS int64           `json:"duration_ms"`
}

// Registration records a package built for one environment with one certificate.
type Registration struct {
	Env       string    `json:"env"`
	SerialHex string    `json:"serial_hex"`
	SHA256    string    `json:"sha256"`
	Built     time.Time `json:"built"`
	Package   string    `json:"package,omitempty"`
}

// NewAnswers returns empty answers of the current schema.
func NewAnswers() *Answers { return &Answers{Schema: SchemaVersion, Env: "test"} }

// Has reports whether service (mpass, msign, mpower) was asked for.
func (a *Answers) Has(service string) bool { return slices.Contains(a.Services, service) }

// IsCompleted reports whether the wizard step id was finished.
func (a *Answers) IsCompleted(id string) bool { return slices.Contains(a.Completed, id) }

// Complete marks the wizard step id finished.
func (a *Answers) Complete(id string) {
	if !a.IsCompleted(id) {
		a.Completed = append(a.Completed, id)
	}
}

// TestCertificate returns the SHA-256 fingerprint of the certificate last
// registered for the test environment, or "" if none is recorded.
func (a *Answers) TestCertificate() string {
	for i := len(a.Registered) - 1; i >= 0; i-- {
		if a.Registered[i].Env == "test" {
			return a.Registered[i].SHA256
		}
	}
	return ""
}

// TestSerials lists the serials (upper-case hex) of certificates registered
// for the test environment.
func (a *Answers) TestSerials() []string {
	var out []string
	for _, r := range a.Registered {
		if r.Env == "test" && r.SerialHex != "" {
			out = append(out, r.SerialHex)
		}
	}
	return out
}

// ErrNewerSchema means the answers file was written by a newer egovsetup.
var ErrNewerSchema = errors.New("answers file written by a newer egovsetup")

// ErrNotAnswers is wrapped by every error that says a file is not an
// egovsetup answers file this program can read: not JSON, JSON of another
// shape, an unknown schema version, more data after the object, or something
// that is not a regular file at all. Such a file given with --answers is
// refused and left as it is.
var ErrNotAnswers = errors.New("not an egovsetup answers file")

// MaxAnswersSize caps how much of an answers file is read. Saved answers are
// a few kilobytes; connectivity results add a few more.
const MaxAnswersSize = 4 << 20

// utf8BOM is the byte order mark Notepad writes at the start of UTF-8 files.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func notAnswers(key string, kv ...any) error {
	return checks.Problemf(key, kv...).Wrap(ErrNotAnswers)
}

// ParseAnswers decodes answers from JSON. Unknown fields are refused, so a typo
// in a hand-written file is reported instead of silently ignored; so are a
// missing or unknown schema version and anything after the object. A UTF-8
// byte order mark at the start is skipped.
func ParseAnswers(b []byte) (*Answers, error) {
	b = bytes.TrimPrefix(b, utf8BOM)
	a := NewAnswers()
	a.Schema = 0
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(a); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, notAnswers("answers.empty")
		}
		return nil, notAnswers("answers.not_json", "Err", err.Error())
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, notAnswers("answers.trailing", "Offset", end)
	}
	switch {
	case a.Schema == 0:
		return nil, notAnswers("answers.no_schema")
	case a.Schema < 0:
		return nil, notAnswers("answers.bad_schema", "Version", a.Schema, "Max", SchemaVersion)
	case a.Schema > SchemaVersion:
		return nil, checks.Problemf("answers.newer_schema", "Version", a.Schema, "Max", SchemaVersion).Wrap(ErrNewerSchema)
	}
	return a, nil
}

// LoadAnswers reads answers from path. It never blocks on a FIFO or a device
// and reads at most MaxAnswersSize bytes. A missing file gives an error that
// wraps os.ErrNotExist; a folder, a device, a FIFO or a file that is not
// answers gives one that wraps ErrNotAnswers.
func LoadAnswers(path string) (*Answers, error) {
	b, err := safefile.Read(path, MaxAnswersSize)
	if err != nil {
		p := checks.FileProblem(path, err)
		var nr *safefile.NotRegularError
		var tl *safefile.TooLargeError
		if errors.As(err, &nr) || errors.As(err, &tl) || errors.Is(err, safefile.ErrSymlinkLoop) {
			return nil, p.Wrap(fmt.Errorf("%w: %w", ErrNotAnswers, err))
		}
		return nil, p
	}
	a, err := ParseAnswers(b)
	if err != nil {
		return nil, checks.Problemf("answers.in_file", "File", path, "Problem", err).Wrap(err)
	}
	return a, nil
}

// SaveAnswers writes a to path atomically (a temporary file in the same folder,
// then a rename) with mode 0600, creating the folder (0700) if needed.
func SaveAnswers(path string, a *Answers) error {
	a.Schema = SchemaVersion
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'), 0o600)
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so readers see the old file or the new one, never half.
// A path that is a symbolic link is written through: the file it names is
// replaced and the link stays (a ledger kept in a synchronised folder stays
// there).
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after a successful rename
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// DefaultAnswersPath is where the wizard keeps its answers:
// <user config dir>/egovsetup/answers.json.
func DefaultAnswersPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "egovsetup", "answers.json"), nil
}
