package export

import (
	"slices"
	"strings"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// FieldError is a problem with one answer. Field is its JSON path
// ("organization.idno", "network.ips[1]").
type FieldError struct {
	Field string
	Err   error
}

func (e FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e FieldError) Unwrap() error { return e.Err }

// In renders the error in lang, naming the field in words.
func (e FieldError) In(lang string) string {
	label := e.Field
	if i := strings.IndexByte(label, '['); i >= 0 {
		label = label[:i]
	}
	return assets.T(lang, "answers.invalid", "Field", assets.Msg("answers.field."+label), "Problem", checks.Localize(e.Err, lang))
}

// Validate checks every answer a registration needs for the services asked
// for, and returns one FieldError per problem (nil when all is well).
func Validate(a *Answers, d *assets.Data) []FieldError {
	var errs []FieldError
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, FieldError{field, err})
		}
	}
	if len(a.Services) == 0 {
		add("services", checks.Problemf("answers.no_services"))
	}
	for _, s := range a.Services {
		if _, ok := d.Service(s); !ok {
			add("services", checks.Problemf("answers.unknown_service", "Service", s))
		}
	}
	switch a.Env {
	case assets.EnvTest:
	case assets.EnvProduction:
		if !a.TestingDone {
			add("testing_done", checks.Problemf("answers.testing_not_done"))
		}
	default:
		add("env", checks.Problemf("answers.unknown_env", "Env", a.Env))
	}

	o := a.Organization
	add("organization.name", checks.ValidateText(o.Name))
	_, err := checks.ValidateIDNO(o.IDNO)
	add("organization.idno", err)
	add("organization.contact_name", checks.ValidateText(o.ContactName))
	_, err = checks.ValidateEmail(o.ContactEmail)
	add("organization.contact_email", err)
	_, err = checks.ValidatePhone(o.ContactPhone)
	add("organization.contact_phone", err)

	add("system.name", checks.ValidateText(a.System.Name))
	add("system.description", checks.ValidateText(a.System.Description))
	add("system.other", checks.ValidateOther(a.System.Other))

	add("service.name_ro", checks.ValidateNameRO(a.Service.RO))
	add("service.name_ru", checks.ValidateNameRU(a.Service.RU))
	add("service.name_en", checks.ValidateNameEN(a.Service.EN))
	add("service.description", checks.ValidateDescription(a.Service.Description))

	if a.Certificate == nil || strings.TrimSpace(a.Certificate.PEM) == "" {
		add("certificate", checks.Problemf("answers.no_certificate"))
	}

	if a.NeedsNetwork(d) {
		if len(a.Network.IPs) == 0 {
			add("network.ips", checks.Problemf("answers.no_ips"))
		}
		entries := make([]checks.IPEntry, 0, len(a.Network.IPs))
		for _, ip := range a.Network.IPs {
			entries = append(entries, checks.IPEntry{Address: ip.Address, VPN: ip.VPN})
		}
		_, ipErrs := checks.ValidateIPs(entries)
		for _, e := range ipErrs {
			add("network.ips", e)
		}
	}
	if a.Has("msign") && !slices.Contains(d.MSign.SignerTypes, a.Network.SignerType) {
		add("network.signer_type", checks.Problemf("answers.signer_type", "Types", strings.Join(d.MSign.SignerTypes, ", ")))
	}
	if a.Has("mpass") {
		add("mpass.logout_request_url", checks.ValidateLogoutURL(a.MPass.LogoutRequestURL, a.Env))
		add("mpass.logout_response_url", checks.ValidateLogoutURL(a.MPass.LogoutResponseURL, a.Env))
		for _, attr := range a.MPass.Attributes {
			add("mpass.attributes", checks.ValidateAttributeName(attr))
		}
	}
	return errs
}

// NeedsNetwork reports whether a service asked for needs IP addresses
// (MSign and MPower accept registered addresses only).
func (a *Answers) NeedsNetwork(d *assets.Data) bool {
	for _, id := range a.Services {
		if s, ok := d.Service(id); ok && s.NeedsIP {
			return true
		}
	}
	return false
}
