package export

import (
	"slices"
	"strings"
	"time"

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
		} else {
			_, err := checks.ValidateTestedOn(a.TestedOn, time.Now())
			add("tested_on", err)
		}
	default:
		add("env", checks.Problemf("answers.unknown_env", "Env", a.Env))
	}

	o := a.Organization
	if o.Type != "" && !slices.Contains(OrganizationTypes, o.Type) {
		add("organization.type", checks.Problemf("answers.organization_type", "Types", strings.Join(OrganizationTypes, ", ")))
	}
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

	switch c := a.Certificate; {
	case c != nil && c.SerialOnly:
		hex, _, err := checks.ValidateSerial(c.SerialHex)
		add("certificate", err)
		// Test and production use different certificates
		// (egov4dev docs/guides/mpass/integration-development.md).
		if err == nil && a.Env == assets.EnvProduction && slices.Contains(a.TestSerials(), hex) {
			add("certificate", checks.Problemf("answers.serial_is_test", "Serial", hex))
		}
	case c == nil || strings.TrimSpace(c.PEM) == "":
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
		// Both environments' URLs, when given (mpass/process2.md step 3).
		for _, env := range assets.Envs {
			if u := a.MPass.LogoutFor(env); u != nil {
				add("mpass."+env+".logout_request_url", checks.ValidateLogoutURL(u.Request, env))
				add("mpass."+env+".logout_response_url", checks.ValidateLogoutURL(u.Response, env))
			}
		}
		if a.MPass.ProductionLater && a.Env == assets.EnvProduction {
			add("mpass.production.logout_request_url", checks.Problemf("answers.production_later"))
		}
		var custom []checks.Attribute
		for _, c := range a.MPass.Custom {
			custom = append(custom, checks.Attribute{Name: c.Name, Values: c.Values})
		}
		if len(custom) > 0 {
			_, err := checks.ParseCustomAttributes(checks.FormatCustomAttributes(custom), d.MPass.Attributes)
			add("mpass.custom_attributes", err)
		}
	}
	if a.Has("mpower") {
		if len(a.MPower.Endpoints) == 0 {
			add("mpower.endpoints", checks.Problemf("answers.mpower_endpoints"))
		}
		for _, e := range a.MPower.Endpoints {
			if !slices.Contains(d.MPower.Endpoints, e) {
				add("mpower.endpoints", checks.Problemf("answers.mpower_endpoint", "Endpoint", e))
			}
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

// OrganizationTypes are the kinds of beneficiary AGE's pricing distinguishes
// (egov4dev docs/platforms/index.md "Access and pricing").
var OrganizationTypes = []string{"public", "private", "person"}

// PaysFee reports whether the beneficiary pays AGE's annual fee per
// integrated system: private legal entities and natural persons do, public
// institutions are exempt (docs/platforms/index.md).
func (o Organization) PaysFee() bool { return o.Type == "private" || o.Type == "person" }

// NeedsMPassFirst reports whether MPower is asked for while the system is
// neither being registered in MPass nor declared registered there already
// (MPower needs it: docs/guides/mpower/integration-development.md).
func (a *Answers) NeedsMPassFirst() bool {
	return a.Has("mpower") && !a.Has("mpass") && !a.MPower.MPassRegistered
}
