// Package assets holds the data egovsetup embeds: the facts about AGE's platforms
// (services.yaml), the message catalogues (i18n/) and the text templates the
// registration package is made from (templates/). Of the program's own code it
// imports only the leaf internal/safefile, to read a --data file.
package assets

import (
	"bytes"
	_ "embed"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/egovmd/egovsetup/internal/safefile"
	"github.com/egovmd/egovsetup/internal/safetext"
)

//go:embed services.yaml
var servicesYAML []byte

// Environments, in the order they are offered.
const (
	EnvTest       = "test"
	EnvProduction = "production"
)

// Envs lists the environment IDs.
var Envs = []string{EnvTest, EnvProduction}

// EnvKey is the catalogue key of an environment's name ("env.test"), or ""
// for an environment that is not known.
func EnvKey(env string) string {
	switch env {
	case EnvTest:
		return "env.test"
	case EnvProduction:
		return "env.production"
	}
	return ""
}

// EnvText names an environment in any language: its catalogue message, or,
// for an environment that is not known (a value from a file), the value
// itself made safe for a terminal.
func EnvText(env string) Localizable {
	if key := EnvKey(env); key != "" {
		return Msg(key)
	}
	return unknownValue(env)
}

// unknownValue is a value with no catalogue message; it reads the same in
// every language, escaped.
type unknownValue string

// In returns the value with every control and bidi character escaped.
func (v unknownValue) In(string) string { return safetext.Line(string(v)) }

// Data is the parsed content of services.yaml (and any override).
type Data struct {
	Services  map[string]Service `yaml:"services"`
	Order     []string           `yaml:"order"`
	Mailboxes struct {
		Office        string `yaml:"office"`
		Registrations string `yaml:"registrations"`
	} `yaml:"mailboxes"`
	MPass struct {
		Attributes []string `yaml:"attributes"`
		Always     []string `yaml:"always"`
		Defaults   []string `yaml:"defaults"`
	} `yaml:"mpass"`
	MSign struct {
		SignerTypes []string `yaml:"signer_types"`
	} `yaml:"msign"`
	MPower struct {
		// Endpoints are the API paths a system may be allowed to call.
		Endpoints []string `yaml:"endpoints"`
	} `yaml:"mpower"`
	// RSI is the state register of information systems, where a public
	// institution's system must be before integrating.
	RSI     string            `yaml:"rsi"`
	Issuers map[string]Issuer `yaml:"issuers"`
}

// Service is one AGE platform.
type Service struct {
	ID         string                 `yaml:"-"`
	Name       string                 `yaml:"name"`
	Summary    string                 `yaml:"summary"`
	SummaryRO  string                 `yaml:"summary_ro"`
	Mailbox    string                 `yaml:"mailbox"`
	ClientAuth bool                   `yaml:"client_auth"`
	NeedsIP    bool                   `yaml:"needs_ip"`
	Env        map[string]Environment `yaml:"env"`
	Paths      map[string]string      `yaml:"paths"`
	// AnnualFee is the yearly fee in lei per integrated system for private
	// legal entities and natural persons (0: free of charge).
	AnnualFee int `yaml:"annual_fee"`

	// SelfSignedOK: the service accepts a self-signed certificate.
	SelfSignedOK bool `yaml:"self_signed_ok"`
	// RSAOnly: AGE's library for the service signs with RSA keys only.
	RSAOnly bool `yaml:"rsa_only"`

	// What the wizard asks for the service (the steps that apply follow
	// these, never the service's ID).
	// SignIn: the service signs users in; a system using it is registered
	// there (MPower's prerequisite).
	SignIn bool `yaml:"sign_in"`
	// SAMLLogout: the service needs the system's logout URLs.
	SAMLLogout bool `yaml:"saml_logout"`
	// SignerType: the service registers the system's signer type.
	SignerType bool `yaml:"signer_type"`
	// MPowerAPI: the service needs the API methods the system calls and
	// whether it sees every power of representation.
	MPowerAPI bool `yaml:"mpower_api"`
}

// Environment holds a service's addresses in one environment.
type Environment struct {
	Base     string `yaml:"base"`
	UserPage string `yaml:"user_page,omitempty"`
}

// Issuer names the organisations and common names a recognised CA uses.
type Issuer struct {
	Organizations []string `yaml:"organizations"`
	CommonNames   []string `yaml:"common_names"`
}

// URL joins the service's base URL in env with one of its named paths
// ("probe", "sso", "api", ...). An unknown path name gives the base URL.
func (s Service) URL(env, path string) string {
	return strings.TrimRight(s.Env[env].Base, "/") + s.Paths[path]
}

// Ordered returns the services in display order.
func (d *Data) Ordered() []Service {
	out := make([]Service, 0, len(d.Order))
	for _, id := range d.Order {
		if s, ok := d.Services[id]; ok {
			out = append(out, s)
		}
	}
	return out
}

// Service returns the service with the given ID.
func (d *Data) Service(id string) (Service, bool) {
	s, ok := d.Services[strings.ToLower(id)]
	return s, ok
}

// Names are the names of the services ids names, in that order, joined by
// ", "; an ID the data does not know stands for itself. The names are not
// escaped.
func (d *Data) Names(ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		name := id
		if s, ok := d.Service(id); ok {
			name = s.Name
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

var (
	embeddedOnce sync.Once
	embedded     *Data
)

// Embedded returns the data compiled into the program: services.yaml, held
// as Go values (services_gen.go) so that a run does not parse it.
func Embedded() *Data {
	embeddedOnce.Do(func() { embedded = embeddedData() })
	return embedded
}

// MaxDataFile is the largest --data file read (the built-in one is a few KiB).
const MaxDataFile = 1 << 20

// FileError says that the --data file could not be read; Err is the cause
// (a *safefile.NotRegularError, a *safefile.TooLargeError, an *fs.PathError).
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return "data file: " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// Load returns the embedded data with the YAML file at overridePath merged over
// it. An empty path gives the embedded data.
func Load(overridePath string) (*Data, error) {
	if overridePath == "" {
		return Embedded(), nil
	}
	b, err := safefile.Read(overridePath, MaxDataFile)
	if err != nil {
		return nil, &FileError{Path: overridePath, Err: err}
	}
	// Notepad starts a UTF-8 file with a byte order mark; it is not data.
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	d, err := parse(servicesYAML, b)
	if err != nil {
		return nil, fmt.Errorf("data file %s: %w", overridePath, err)
	}
	return d, nil
}

// parse reads services.yaml and lays the override file over it. Each file is
// parsed once, into a node tree; the trees are merged and the result decoded
// straight into Data.
func parse(base, override []byte) (*Data, error) {
	var tree yaml.Node
	if err := yaml.Unmarshal(base, &tree); err != nil {
		return nil, err
	}
	if len(override) > 0 {
		var over yaml.Node
		if err := yaml.Unmarshal(override, &over); err != nil {
			return nil, err
		}
		if len(over.Content) > 0 { // not only comments
			top := over.Content[0]
			switch {
			case top.Kind == yaml.MappingNode:
				mergeNode(tree.Content[0], top)
			case top.Tag == "!!null": // "~" or "null": nothing to change
			default:
				return nil, fmt.Errorf("line %d: the file must be a map of settings (name: value), not %s", top.Line, kindName(top))
			}
		}
	}
	var d Data
	if err := tree.Decode(&d); err != nil {
		return nil, err
	}
	for id, s := range d.Services {
		s.ID = id
		d.Services[id] = s
	}
	return &d, d.validate()
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "this"
}

// mergeNode lays the mapping over on top of base: mappings merge key by key,
// anything else in over replaces what base had.
func mergeNode(base, over *yaml.Node) {
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		found := false
		for j := 0; j+1 < len(base.Content); j += 2 {
			if base.Content[j].Value != k.Value {
				continue
			}
			found = true
			if bv := base.Content[j+1]; bv.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode {
				mergeNode(bv, v)
			} else {
				base.Content[j+1] = v
			}
			break
		}
		if !found {
			base.Content = append(base.Content, k, v)
		}
	}
}

func (d *Data) validate() error {
	for _, id := range d.Order {
		s, ok := d.Services[id]
		if !ok {
			return fmt.Errorf("order names %q, which is not a service", id)
		}
		if s.Mailbox == "" {
			return fmt.Errorf("service %s has no mailbox", id)
		}
		for _, env := range Envs {
			u, err := url.Parse(s.Env[env].Base)
			// Plain http is accepted only for a test server on this machine.
			local := err == nil && u.Scheme == "http" && isLoopback(u.Hostname())
			if err != nil || (u.Scheme != "https" && !local) || u.Host == "" {
				return fmt.Errorf("service %s: %s base %s is not an https URL", id, env, shownBase(s.Env[env].Base))
			}
		}
		if s.Paths["probe"] == "" {
			return fmt.Errorf("service %s has no probe path", id)
		}
	}
	return nil
}

// shownBase is a base URL quoted for an error message, with the password of
// a user:password@ part hidden; a URL that does not parse and holds an '@'
// is not repeated at all.
func shownBase(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err == nil && u.User != nil:
		return fmt.Sprintf("%q", u.Redacted())
	case err != nil && strings.Contains(raw, "@"):
		return "(not shown: it holds user information)"
	}
	return fmt.Sprintf("%q", raw)
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Lei formats an amount in lei as AGE writes it: 10.800 lei.
func Lei(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s + " lei"
}
