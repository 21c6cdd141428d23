package steps

import (
	"errors"
	"slices"
	"strings"
	"unicode"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Network asks for the IP addresses MSign and MPower must allow (with the VPN
// of any private address) and, for MSign, the signer type.
type Network struct{ form[Network] }

func (Network) Applies(c *Context) bool {
	return c.Any(needsIP) || c.Any(asksSignerType)
}

func init() { Register(Network{}) }

func (Network) Info() Info {
	return Info{ID: "network", Title: "step.network.title", Order: 50, Fields: []string{"network."}}
}

func (Network) phases(c *Context) []phase { return networkPhases(c) }

// parseIPLines reads addresses (one per line, or separated by spaces or
// commas) into entries, keeping the VPN names already known for an address.
// It returns the first problem found.
func parseIPLines(text string, known []export.IPAddress) ([]export.IPAddress, error) {
	vpn := map[string]string{}
	for _, k := range known {
		vpn[k.Address] = k.VPN
	}
	var out []export.IPAddress
	seen := map[string]bool{}
	words := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	for _, word := range words {
		addr, _, err := checks.ValidateIP(word)
		if err != nil {
			return out, err
		}
		if s := addr.String(); !seen[s] {
			seen[s] = true
			out = append(out, export.IPAddress{Address: s, VPN: vpn[s]})
		}
	}
	if len(out) == 0 {
		return nil, checks.Problemf("network.none")
	}
	return out, nil
}

func needsVPN(ip string) bool {
	_, class, err := checks.ValidateIP(ip)
	return err == nil && class.NeedsVPN()
}

// networkForm holds the values the step's fields are bound to; they are
// copied into the answers when a phase is done (or left).
type networkForm struct {
	c        *Context
	detected []string // addresses found on this machine
	chosen   []string // those the user picked
	text     string   // the address list as typed
	vpns     []string // the VPN typed for each of the answers' addresses
	signer   string
}

// networkPhases: pick among this machine's addresses, type the list, name
// the VPN of every private address, and (MSign) the signer type.
func networkPhases(c *Context) []phase {
	f := &networkForm{c: c}
	if c.Interfaces != nil {
		for _, ip := range c.Interfaces() {
			if _, _, err := checks.ValidateIP(ip); err == nil {
				f.detected = append(f.detected, ip)
			}
		}
	}
	return []phase{f.pick(), f.list(), f.vpnPhase(), f.signerPhase()}
}

func (f *networkForm) needIPs() bool { return f.c.Any(needsIP) }

func (f *networkForm) pick() phase {
	c, n := f.c, &f.c.Answers.Network
	return phase{
		skip: func() bool { return !f.needIPs() || len(f.detected) == 0 || len(n.IPs) > 0 },
		build: func() *huh.Form {
			f.chosen = nil
			var opts []huh.Option[string]
			for _, ip := range f.detected {
				kind := "network.public"
				if needsVPN(ip) {
					kind = "network.private"
				}
				opts = append(opts, huh.NewOption(c.T(kind, "IP", ip), ip))
			}
			return newForm(c, huh.NewGroup(
				huh.NewMultiSelect[string]().
					Title(c.T("network.detected")).
					Description(c.Desc("network.detected.description")).
					Options(opts...).
					Filterable(false).
					Height(multiSelectHeight(len(opts))).
					Value(&f.chosen),
			))
		},
		commit: func() error {
			for _, ip := range f.chosen {
				n.IPs = append(n.IPs, export.IPAddress{Address: ip})
			}
			return nil
		},
	}
}

func (f *networkForm) list() phase {
	c, n := f.c, &f.c.Answers.Network
	return phase{
		skip: func() bool { return !f.needIPs() },
		build: func() *huh.Form {
			var lines []string
			for _, ip := range n.IPs {
				lines = append(lines, ip.Address)
			}
			f.text = strings.Join(lines, "\n")
			return newForm(c, huh.NewGroup(
				huh.NewText().
					Title(c.T("network.ips")).
					Description(c.Desc("network.ips.description")).
					Placeholder("193.226.0.10\n10.20.0.5").
					Lines(5).
					Value(&f.text).
					Validate(func(s string) error {
						if _, err := parseIPLines(s, n.IPs); err != nil {
							return errors.New(checks.Localize(err, c.Lang))
						}
						return nil
					}),
			))
		},
		commit: func() error {
			ips, err := parseIPLines(f.text, n.IPs)
			if err != nil {
				return err
			}
			n.IPs = ips
			return nil
		},
		flush: func() {
			if ips, _ := parseIPLines(f.text, n.IPs); len(ips) > 0 {
				n.IPs = ips
			}
		},
	}
}

func (f *networkForm) vpnPhase() phase {
	c, n := f.c, &f.c.Answers.Network
	keep := func() {
		for i := range n.IPs {
			if i < len(f.vpns) {
				n.IPs[i].VPN = f.vpns[i]
			}
		}
	}
	return phase{
		skip: func() bool {
			return !f.needIPs() || !slices.ContainsFunc(n.IPs, func(ip export.IPAddress) bool { return needsVPN(ip.Address) })
		},
		build: func() *huh.Form {
			f.vpns = make([]string, len(n.IPs))
			var fields []huh.Field
			for i, ip := range n.IPs {
				f.vpns[i] = ip.VPN
				if !needsVPN(ip.Address) {
					continue
				}
				_, class, _ := checks.ValidateIP(ip.Address)
				fields = append(fields, huh.NewInput().
					Title(c.T("network.vpn", "IP", ip.Address)).
					Description(c.Desc("network.vpn.description", "Class", class.Text().In(c.Lang))).
					Value(&f.vpns[i]).
					Validate(validator(c, func(s string) error { return checks.ValidateVPN(ip.Address, class, s) })))
			}
			return newForm(c, huh.NewGroup(fields...))
		},
		commit: func() error {
			keep()
			for i := range n.IPs {
				n.IPs[i].VPN = strings.TrimSpace(n.IPs[i].VPN)
				if !needsVPN(n.IPs[i].Address) {
					n.IPs[i].VPN = ""
				}
			}
			return nil
		},
		flush: keep,
	}
}

func (f *networkForm) signerPhase() phase {
	c, n := f.c, &f.c.Answers.Network
	keep := func() { n.SignerType = f.signer }
	return phase{
		skip: func() bool { return !c.Any(asksSignerType) },
		build: func() *huh.Form {
			var opts []huh.Option[string]
			for _, t := range c.Data.MSign.SignerTypes {
				opts = append(opts, huh.NewOption(signerTypeName(c, t), t))
			}
			f.signer = n.SignerType
			if f.signer == "" && len(c.Data.MSign.SignerTypes) > 0 {
				f.signer = c.Data.MSign.SignerTypes[0]
			}
			return newForm(c, huh.NewGroup(
				huh.NewSelect[string]().
					Title(c.T("network.signer")).
					Description(c.Desc("network.signer.description")).
					Options(opts...).
					Value(&f.signer),
			))
		},
		commit: func() error { keep(); return nil },
		flush:  keep,
	}
}

// signerTypeName names an MSign signer type in the user's language; a type
// that is not known (from services data or an answers file) is shown as it
// is, escaped.
func signerTypeName(c *Context, t string) string {
	if key := export.SignerTypeKey(t); key != "" {
		return c.T(key)
	}
	return safetext.Line(t)
}

// Section shows the addresses (with their VPNs) and the signer type.
func (Network) Section(c *Context, add func(label, value string)) {
	a := c.Answers
	if c.Any(needsIP) {
		var ips []string
		for _, ip := range a.Network.IPs {
			if ip.VPN != "" {
				ips = append(ips, c.T("review.ip_vpn", "IP", ip.Address, "VPN", ip.VPN))
			} else {
				ips = append(ips, ip.Address)
			}
		}
		add(c.T("answers.field.network.ips"), orNone(c, strings.Join(ips, ", ")))
	}
	if c.Any(asksSignerType) {
		value := none(c)
		if a.Network.SignerType != "" {
			value = signerTypeName(c, a.Network.SignerType)
		}
		add(c.T("answers.field.network.signer_type"), value)
	}
}
