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
	field := e.Field
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	var label any = field
	if key, ok := fieldLabels[field]; ok {
		label = assets.Msg(key)
	}
	return assets.T(lang, "answers.invalid", "Field", label, "Problem", assets.Multiline(checks.Localize(e.Err, lang)))
}

// fieldLabels are the catalogue keys naming each answer a FieldError may
// point at (its JSON path without an index).
var fieldLabels = map[string]string{
	"services":                             "answers.field.services",
	"env":                                  "answers.field.env",
	"testing_done":                         "answers.field.testing_done",
	"tested_on":                            "answers.field.tested_on",
	"organization.name":                    "answers.field.organization.name",
	"organization.type":                    "answers.field.organization.type",
	"organization.idno":                    "answers.field.organization.idno",
	"organization.contact_name":            "answers.field.organization.contact_name",
	"organization.contact_email":           "answers.field.organization.contact_email",
	"organization.contact_phone":           "answers.field.organization.contact_phone",
	"system.name":                          "answers.field.system.name",
	"system.description":                   "answers.field.system.description",
	"system.other":                         "answers.field.system.other",
	"service.name_ro":                      "answers.field.service.name_ro",
	"service.name_ru":                      "answers.field.service.name_ru",
	"service.name_en":                      "answers.field.service.name_en",
	"service.description":                  "answers.field.service.description",
	"certificate":                          "answers.field.certificate",
	"network.ips":                          "answers.field.network.ips",
	"network.signer_type":                  "answers.field.network.signer_type",
	"mpass.logout_request_url":             "answers.field.mpass.logout_request_url",
	"mpass.logout_response_url":            "answers.field.mpass.logout_response_url",
	"mpass.attributes":                     "answers.field.mpass.attributes",
	"mpass.custom_attributes":              "answers.field.mpass.custom_attributes",
	"mpass.test.logout_request_url":        "answers.field.mpass.test.logout_request_url",
	"mpass.test.logout_response_url":       "answers.field.mpass.test.logout_response_url",
	"mpass.production.logout_request_url":  "answers.field.mpass.production.logout_request_url",
	"mpass.production.logout_response_url": "answers.field.mpass.production.logout_response_url",
	"mpower.endpoints":                     "answers.field.mpower.endpoints",
}

// logoutFields are the fields of each environment's MPass logout URLs
// (request, response).
var logoutFields = map[string][2]string{
	assets.EnvTest:       {"mpass.test.logout_request_url", "mpass.test.logout_response_url"},
	assets.EnvProduction: {"mpass.production.logout_request_url", "mpass.production.logout_response_url"},
}

// problems gathers the problems Validate finds, in the answers' order.
type problems []FieldError

func (f *problems) add(field string, err error) {
	if err != nil {
		*f = append(*f, FieldError{field, err})
	}
}

// Validate checks every answer a registration needs for the services asked
// for, and returns one FieldError per problem (nil when all is well).
func Validate(a *Answers, d *assets.Data) []FieldError {
	var v problems
	v.scope(a, d)
	v.organization(a.Organization)
	v.names(a)
	v.certificate(a)
	if a.NeedsNetwork(d) {
		v.network(a.Network.IPs)
	}
	if a.Has("msign") && !slices.Contains(d.MSign.SignerTypes, a.Network.SignerType) {
		v.add("network.signer_type", checks.Problemf("answers.signer_type", "Types", strings.Join(d.MSign.SignerTypes, ", ")))
	}
	if a.Has("mpass") {
		v.mpass(a, d)
	}
	if a.Has("mpower") {
		v.mpower(a.MPower, d)
	}
	return v
}

// scope checks the services asked for and the environment.
func (v *problems) scope(a *Answers, d *assets.Data) {
	if len(a.Services) == 0 {
		v.add("services", checks.Problemf("answers.no_services"))
	}
	for _, s := range a.Services {
		if _, ok := d.Service(s); !ok {
			v.add("services", checks.Problemf("answers.unknown_service", "Service", s))
		}
	}
	switch a.Env {
	case assets.EnvTest:
	case assets.EnvProduction:
		if !a.TestingDone {
			v.add("testing_done", checks.Problemf("answers.testing_not_done"))
		} else {
			_, err := checks.ValidateTestedOn(a.TestedOn, time.Now())
			v.add("tested_on", err)
		}
	default:
		v.add("env", checks.Problemf("answers.unknown_env", "Env", a.Env))
	}
}

// organization checks who the beneficiary is and whom AGE writes to.
func (v *problems) organization(o Organization) {
	if o.Type != "" && !slices.Contains(OrganizationTypes, o.Type) {
		v.add("organization.type", checks.Problemf("answers.organization_type", "Types", strings.Join(OrganizationTypes, ", ")))
	}
	v.add("organization.name", checks.ValidateText(o.Name))
	_, err := checks.ValidateIDNO(o.IDNO)
	v.add("organization.idno", err)
	v.add("organization.contact_name", checks.ValidateText(o.ContactName))
	_, err = checks.ValidateEmail(o.ContactEmail)
	v.add("organization.contact_email", err)
	_, err = checks.ValidatePhone(o.ContactPhone)
	v.add("organization.contact_phone", err)
}

// names checks the system's and the service's names and descriptions.
func (v *problems) names(a *Answers) {
	v.add("system.name", checks.ValidateText(a.System.Name))
	v.add("system.description", checks.ValidateText(a.System.Description))
	v.add("system.other", checks.ValidateOther(a.System.Other))
	v.add("service.name_ro", checks.ValidateNameRO(a.Service.RO))
	v.add("service.name_ru", checks.ValidateNameRU(a.Service.RU))
	v.add("service.name_en", checks.ValidateNameEN(a.Service.EN))
	v.add("service.description", checks.ValidateDescription(a.Service.Description))
}

// certificate checks the certificate, or the serial of one AGE already has.
func (v *problems) certificate(a *Answers) {
	switch c := a.Certificate; {
	case c != nil && c.SerialOnly:
		hex, _, err := checks.ValidateSerial(c.Serial)
		v.add("certificate", err)
		// Test and production use different certificates
		// (egov4dev docs/guides/mpass/integration-development.md).
		if err == nil && a.Env == assets.EnvProduction && slices.Contains(a.TestSerials(), hex) {
			v.add("certificate", checks.Problemf("answers.serial_is_test", "Serial", hex))
		}
	case c == nil || len(c.DER) == 0:
		v.add("certificate", checks.Problemf("answers.no_certificate"))
	}
}

// network checks the addresses MSign and MPower are to accept.
func (v *problems) network(ips []IPAddress) {
	if len(ips) == 0 {
		v.add("network.ips", checks.Problemf("answers.no_ips"))
	}
	entries := make([]checks.IPEntry, 0, len(ips))
	for _, ip := range ips {
		entries = append(entries, checks.IPEntry{Address: ip.Address, VPN: ip.VPN})
	}
	_, ipErrs := checks.ValidateIPs(entries)
	for _, e := range ipErrs {
		v.add("network.ips", e)
	}
}

// mpass checks MPass's logout URLs and attributes.
func (v *problems) mpass(a *Answers, d *assets.Data) {
	m := a.MPass
	v.add("mpass.logout_request_url", checks.ValidateLogoutURL(m.LogoutRequestURL, a.Env))
	v.add("mpass.logout_response_url", checks.ValidateLogoutURL(m.LogoutResponseURL, a.Env))
	for _, attr := range m.Attributes {
		v.add("mpass.attributes", checks.ValidateAttributeName(attr))
	}
	// Both environments' URLs, when given (mpass/process2.md step 3).
	for _, env := range assets.Envs {
		if u := m.LogoutFor(env); u != nil {
			f := logoutFields[env]
			v.add(f[0], checks.ValidateLogoutURL(u.Request, env))
			v.add(f[1], checks.ValidateLogoutURL(u.Response, env))
		}
	}
	if m.ProductionLater && a.Env == assets.EnvProduction {
		v.add("mpass.production.logout_request_url", checks.Problemf("answers.production_later"))
	}
	var custom []checks.Attribute
	for _, c := range m.Custom {
		custom = append(custom, checks.Attribute{Name: c.Name, Values: c.Values})
	}
	if len(custom) > 0 {
		_, err := checks.ParseCustomAttributes(checks.FormatCustomAttributes(custom), d.MPass.Attributes)
		v.add("mpass.custom_attributes", err)
	}
}

// mpower checks the MPower API methods asked for.
func (v *problems) mpower(m MPower, d *assets.Data) {
	if len(m.Endpoints) == 0 {
		v.add("mpower.endpoints", checks.Problemf("answers.mpower_endpoints"))
	}
	for _, e := range m.Endpoints {
		if !slices.Contains(d.MPower.Endpoints, e) {
			v.add("mpower.endpoints", checks.Problemf("answers.mpower_endpoint", "Endpoint", e))
		}
	}
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

// OrganizationTypeKey is the catalogue key naming an organization type
// ("org.type.public"), or "" for a type that is not known.
func OrganizationTypeKey(t string) string {
	switch t {
	case "public":
		return "org.type.public"
	case "private":
		return "org.type.private"
	case "person":
		return "org.type.person"
	}
	return ""
}

// SignerTypeKey is the catalogue key naming an MSign signer type
// ("network.signer.natural"), or "" for a type that is not known.
func SignerTypeKey(t string) string {
	switch t {
	case "natural":
		return "network.signer.natural"
	case "legal":
		return "network.signer.legal"
	case "both":
		return "network.signer.both"
	}
	return ""
}

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
