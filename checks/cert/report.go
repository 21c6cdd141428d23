package cert

import (
	"io"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Options say what the certificate is meant for.
type Options struct {
	// Services are the platforms it will be registered with (mpass, msign,
	// mpower); empty means all.
	Services []string
	// Env is "test" or "production" ("" means test).
	Env string
	// Now is the time verdicts are judged at (zero: time.Now()).
	Now time.Time
	// TestSHA256 is the SHA-256 fingerprint (upper-case hex) of the certificate
	// already registered for the test environment; production must differ.
	TestSHA256 string
	// Data supplies the recognised issuers (nil: the embedded data).
	Data *assets.Data
}

// ChainEntry is one certificate of the chain, as shown.
type ChainEntry struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
}

// Report is everything shown about a certificate: the card and the verdicts.
// The text card and the --json object come from this one struct.
type Report struct {
	Subject            string         `json:"subject"`
	Issuer             string         `json:"issuer"`
	SerialHex          string         `json:"serial_hex"`
	SerialDecimal      string         `json:"serial_decimal"`
	NotBefore          time.Time      `json:"not_before"`
	NotAfter           time.Time      `json:"not_after"`
	DaysLeft           int            `json:"days_left"`
	KeyType            string         `json:"key_type"`
	KeyBits            int            `json:"key_bits"`
	SignatureAlgorithm string         `json:"signature_algorithm"`
	KeyUsage           []string       `json:"key_usage"`
	ExtKeyUsage        []string       `json:"ext_key_usage"`
	SANs               []string       `json:"sans"`
	SHA256             string         `json:"sha256"`
	SHA1               string         `json:"sha1"`
	Chain              []ChainEntry   `json:"chain"`
	Format             string         `json:"format"`
	HasKey             bool           `json:"has_private_key"`
	Demo               bool           `json:"demo,omitempty"`
	Verdicts           []checks.Check `json:"verdicts"`
}

// NewReport describes l and judges it for opt.
func NewReport(l *Loaded, opt Options) *Report {
	return &Report{Subject: l.Leaf.Subject.String(), Issuer: l.Leaf.Issuer.String()}
}

// WriteText writes the certificate card and verdicts as plain text in lang.
func (r *Report) WriteText(w io.Writer, lang string) error { return nil }
