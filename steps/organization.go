package steps

import (
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Organization asks who requests the integration and for which system
// (procedure §1): institution, IDNO, contact person; system name,
// description and other information.
type Organization struct {
	always
	form[Organization]
}

func init() { Register(Organization{}) }

func (Organization) Info() Info {
	return Info{ID: "organization", Title: "step.organization.title", Order: 20,
		Fields: []string{"organization.", "system."}}
}

func (Organization) phases(c *Context) []phase { return []phase{organizationPhase(c)} }

// fieldHint holds the catalogue keys of a field's description and
// placeholder ("" when it has none).
type fieldHint struct{ description, placeholder string }

// fieldHints are the description and placeholder of the fields titled by
// these keys (see input and yesNo).
var fieldHints = map[string]fieldHint{
	"org.name":          {placeholder: "org.name.placeholder"},
	"org.idno":          {description: "org.idno.description", placeholder: "org.idno.placeholder"},
	"org.contact_email": {placeholder: "org.contact_email.placeholder"},
	"org.contact_phone": {placeholder: "org.contact_phone.placeholder"},
	"mpass.issuer":      {description: "mpass.issuer.description", placeholder: "mpass.issuer.placeholder"},
	"mpass.test.logout_request": {description: "mpass.test.logout_request.description",
		placeholder: "mpass.test.logout_request.placeholder"},
	"mpass.test.logout_response": {description: "mpass.test.logout_response.description"},
	"mpass.production.logout_request": {description: "mpass.production.logout_request.description",
		placeholder: "mpass.production.logout_request.placeholder"},
	"mpass.production.logout_response": {description: "mpass.production.logout_response.description"},
	"mpower.view_all":                  {description: "mpower.view_all.description"},
	"mpower.mpass_registered":          {description: "mpower.mpass_registered.description"},
}

// input is a one-line field bound to v, titled by key, checked by validate.
// Asked as a plain prompt, which cannot show the text being edited, a field
// that already holds a value names it in its title, and an empty line keeps
// it (huh keeps it, but would first judge the empty line: a required field
// would refuse it).
func input(c *Context, key string, v *string, validate func(string) error) *huh.Input {
	in := huh.NewInput().Title(c.T(key)).Value(v)
	if cur := *v; c.plainPrompts && strings.TrimSpace(cur) != "" {
		in.Title(c.T(key) + " " + c.T("form.current", "Value", safetext.Line(cur)))
		if check := validate; check != nil {
			validate = func(s string) error {
				if strings.TrimSpace(s) == "" {
					s = cur
				}
				return check(s)
			}
		}
	}
	h := fieldHints[key]
	if h.description != "" && hasText(c, h.description) {
		in.Description(c.Desc(h.description))
	}
	if h.placeholder != "" && hasText(c, h.placeholder) {
		in.Placeholder(c.T(h.placeholder))
	}
	if validate != nil {
		in.Validate(validator(c, validate))
	}
	return in
}

func hasText(c *Context, key string) bool { return c.T(key) != key }

// returnsNil adapts a validator that also returns the normalised value.
func returnsNil(f func(string) (string, error)) func(string) error {
	return func(s string) error { _, err := f(s); return err }
}

// organizationPhase asks for the institution and the system. The fields are
// bound to copies of the answers' parts, copied back on commit.
func organizationPhase(c *Context) phase {
	a := c.Answers
	var o export.Organization
	var s export.System
	keep := func() { a.Organization, a.System = o, s }
	return phase{
		build: func() *huh.Form {
			o, s = a.Organization, a.System
			if o.Type == "" {
				o.Type = export.OrganizationTypes[0]
			}
			return newForm(c,
				huh.NewGroup(
					input(c, "org.name", &o.Name, checks.ValidateText),
					input(c, "org.idno", &o.IDNO, returnsNil(checks.ValidateIDNO)),
					input(c, "org.contact_name", &o.ContactName, checks.ValidateText),
					input(c, "org.contact_email", &o.ContactEmail, returnsNil(checks.ValidateEmail)),
					input(c, "org.contact_phone", &o.ContactPhone, returnsNil(checks.ValidatePhone)),
					organizationTypeField(c, &o.Type),
				).Title(c.T("org.group.institution")),
				huh.NewGroup(
					input(c, "org.system_name", &s.Name, checks.ValidateText),
					input(c, "org.system_description", &s.Description, checks.ValidateText),
					huh.NewText().
						Title(c.T("org.other")).
						Description(c.Desc("org.other.description")).
						Lines(3).
						Value(&s.Other).
						Validate(validator(c, checks.ValidateOther)),
				).Title(c.T("org.group.system")),
			)
		},
		commit: func() error {
			keep()
			o, s := &a.Organization, &a.System
			o.IDNO, _ = checks.ValidateIDNO(o.IDNO)
			o.ContactEmail, _ = checks.ValidateEmail(o.ContactEmail)
			for _, p := range []*string{&o.Name, &o.ContactName, &o.ContactPhone, &s.Name, &s.Description, &s.Other} {
				*p = strings.TrimSpace(*p)
			}
			return nil
		},
		flush: keep,
	}
}

// organizationTypeField asks who the beneficiary is, and says what follows:
// public institutions need the system in the RSI (docs/platforms/procedure.md),
// private legal entities and natural persons pay an annual fee per integrated
// system (docs/platforms/index.md).
func organizationTypeField(c *Context, v *string) *huh.Select[string] {
	var fees []string
	for _, svc := range c.Data.Ordered() {
		if svc.AnnualFee > 0 {
			// "10.800 lei" stays on one line (a no-break space).
			fee := strings.ReplaceAll(assets.Lei(svc.AnnualFee), " ", "\u00a0")
			fees = append(fees, c.T("org.type.fee", "Service", svc.Name, "Fee", fee))
		}
	}
	var opts []huh.Option[string]
	for _, t := range export.OrganizationTypes {
		opts = append(opts, huh.NewOption(orgTypeName(c, t), t))
	}
	return huh.NewSelect[string]().
		Title(c.T("org.type")).
		Description(c.Desc("org.type.description", "RSI", c.Data.RSI, "Fees", strings.Join(fees, ", "))).
		Options(opts...).
		Value(v)
}

// orgTypeName names an organization type in the user's language; a type
// that is not known (from an answers file) is shown as it is, escaped.
func orgTypeName(c *Context, t string) string {
	if key := export.OrganizationTypeKey(t); key != "" {
		return c.T(key)
	}
	return safetext.Line(t)
}

// Section shows the institution and the system.
func (Organization) Section(c *Context, add func(label, value string)) {
	o, s := c.Answers.Organization, c.Answers.System
	if o.Type != "" {
		add(c.T("answers.field.organization.type"), orgTypeName(c, o.Type))
	}
	add(c.T("answers.field.organization.name"), orNone(c, o.Name))
	add(c.T("answers.field.organization.idno"), orNone(c, o.IDNO))
	add(c.T("answers.field.organization.contact_name"), orNone(c, o.ContactName))
	add(c.T("answers.field.organization.contact_email"), orNone(c, o.ContactEmail))
	add(c.T("answers.field.organization.contact_phone"), orNone(c, o.ContactPhone))
	add(c.T("answers.field.system.name"), orNone(c, s.Name))
	add(c.T("answers.field.system.description"), orNone(c, s.Description))
	add(c.T("answers.field.system.other"), orNoneBlock(c, s.Other))
}
