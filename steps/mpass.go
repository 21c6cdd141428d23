package steps

import (
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// MPass asks the system's SAML Issuer, where MPass sends LogoutRequest and
// LogoutResponse, and which attributes the system receives after sign-in.
type MPass struct{ form[MPass] }

func (MPass) Applies(c *Context) bool { return c.Any(samlLogout) }

func init() { Register(MPass{}) }

func (MPass) Info() Info {
	return Info{ID: "mpass", Title: "step.mpass.title", Order: 60, Fields: []string{"mpass."}}
}

func (MPass) phases(c *Context) []phase { return mpassPhases(c) }

// mpassForm holds the values the step's fields are bound to; they are
// copied into the answers on commit.
type mpassForm struct {
	c                                    *Context
	testReq, testResp, prodReq, prodResp string
	later                                string // "now" or "later" (test registrations only)
	chosen                               []string
	custom                               string
	root, issuer                         string // mpassid.go
	// attributes is the standard attributes' field while it is shown.
	attributes *huh.MultiSelect[string]
}

// mpassPhases ask both environments' logout URLs at once (AGE's
// technical-details form wants test and production: mpass/process2.md
// step 3), then the standard attributes and, apart, the custom ones with
// their values (mpass/integration-development.md).
func mpassPhases(c *Context) []phase {
	f := &mpassForm{c: c}
	f.load()
	return []phase{f.identityPhase(), f.testPhase(), f.prodPhase(), f.attributesPhase()}
}

// load reads the logout URLs from the answers.
func (f *mpassForm) load() {
	a := f.c.Answers
	m := &a.MPass
	f.testReq, f.testResp, f.prodReq, f.prodResp = "", "", "", ""
	if u := m.Test; u != nil {
		f.testReq, f.testResp = u.Request, u.Response
	} else if a.Env == assets.EnvTest {
		f.testReq, f.testResp = m.LogoutRequestURL, m.LogoutResponseURL
	}
	if u := m.Production; u != nil {
		f.prodReq, f.prodResp = u.Request, u.Response
	} else if a.Env == assets.EnvProduction {
		f.prodReq, f.prodResp = m.LogoutRequestURL, m.LogoutResponseURL
	}
	f.later = "now"
	if m.ProductionLater && a.Env == assets.EnvTest {
		f.later = "later"
	}
	f.propose()
}

// keep copies the URLs into the answers; the environment registered now
// also fills LogoutRequestURL/LogoutResponseURL.
func (f *mpassForm) keep() {
	a := f.c.Answers
	m := &a.MPass
	pair := func(req, resp string) *logoutPair {
		req, resp = strings.TrimSpace(req), strings.TrimSpace(resp)
		if resp == "" {
			resp = req
		}
		return &logoutPair{Request: req, Response: resp}
	}
	m.Test = pair(f.testReq, f.testResp).urls()
	m.ProductionLater = a.Env == assets.EnvTest && f.later == "later"
	m.Production = nil
	if !m.ProductionLater {
		m.Production = pair(f.prodReq, f.prodResp).urls()
	}
	if u := m.LogoutFor(a.Env); u != nil {
		m.LogoutRequestURL, m.LogoutResponseURL = u.Request, u.Response
	}
}

// urlField asks for one logout URL; the response URL may stay empty (the
// same as the request URL).
func (f *mpassForm) urlField(key, env string, v *string, optional bool) *huh.Input {
	return input(f.c, key, v, func(s string) error {
		if optional && strings.TrimSpace(s) == "" {
			return nil
		}
		return checks.ValidateLogoutURL(s, env)
	})
}

func (f *mpassForm) testPhase() phase {
	c := f.c
	return phase{
		build: func() *huh.Form {
			f.load()
			fields := []huh.Field{
				f.urlField("mpass.test.logout_request", assets.EnvTest, &f.testReq, false),
				f.urlField("mpass.test.logout_response", assets.EnvTest, &f.testResp, true),
			}
			if c.Answers.Env == assets.EnvTest {
				fields = append(fields, huh.NewSelect[string]().
					Title(c.T("mpass.production_when")).
					Description(c.Desc("mpass.production_when.description")).
					Options(
						huh.NewOption(c.T("mpass.production_when.now"), "now"),
						huh.NewOption(c.T("mpass.production_when.later"), "later"),
					).
					Value(&f.later))
			}
			return newForm(c, huh.NewGroup(fields...).Title(c.T("mpass.group.logout_test")))
		},
		commit: func() error { f.keep(); return nil },
		flush:  f.keep,
	}
}

func (f *mpassForm) prodPhase() phase {
	c, a := f.c, f.c.Answers
	return phase{
		skip: func() bool { return a.Env == assets.EnvTest && a.MPass.ProductionLater },
		build: func() *huh.Form {
			return newForm(c, huh.NewGroup(
				f.urlField("mpass.production.logout_request", assets.EnvProduction, &f.prodReq, false),
				f.urlField("mpass.production.logout_response", assets.EnvProduction, &f.prodResp, true),
			).Title(c.T("mpass.group.logout_production")))
		},
		commit: func() error { f.keep(); return nil },
		flush:  f.keep,
	}
}

// loadAttributes splits the answers' attributes into the standard ones
// chosen and the custom ones as text.
func (f *mpassForm) loadAttributes() {
	c, m := f.c, &f.c.Answers.MPass
	std := c.Data.MPass.Attributes
	f.chosen, f.custom = nil, ""
	current := m.Attributes
	if len(current) == 0 {
		current = c.Data.MPass.Defaults
	}
	customs := slices.Clone(m.Custom)
	for _, attr := range current {
		switch {
		case slices.Contains(std, attr):
			f.chosen = append(f.chosen, attr)
		case !slices.ContainsFunc(customs, func(x export.CustomAttribute) bool { return x.Name == attr }):
			// Older answers kept custom names among the standard ones.
			customs = append(customs, export.CustomAttribute{Name: attr})
		}
	}
	var list []checks.Attribute
	for _, x := range customs {
		list = append(list, checks.Attribute{Name: x.Name, Values: x.Values})
	}
	f.custom = checks.FormatCustomAttributes(list)
}

func (f *mpassForm) attributesPhase() phase {
	c := f.c
	std := c.Data.MPass.Attributes
	return phase{
		build: func() *huh.Form {
			f.loadAttributes()
			var opts []huh.Option[string]
			for _, attr := range std {
				label := attr
				if slices.Contains(c.Data.MPass.Always, attr) {
					label = c.T("mpass.attribute.always", "Name", attr)
				}
				opts = append(opts, huh.NewOption(label, attr))
			}
			f.attributes = huh.NewMultiSelect[string]().
				Title(c.T("mpass.attributes")).
				Description(c.Desc("mpass.attributes.description")).
				Options(opts...).
				Filterable(false).
				Height(multiSelectHeight(len(opts))).
				Value(&f.chosen)
			f.keepAlways()
			return newForm(c,
				huh.NewGroup(f.attributes).Title(c.T("mpass.group.attributes")),
				huh.NewGroup(
					huh.NewText().
						Title(c.T("mpass.custom")).
						Description(c.Desc("mpass.custom.description")).
						Placeholder("Role: admin, operator").
						Lines(4).
						Value(&f.custom).
						Validate(validator(c, func(s string) error {
							_, err := checks.ParseCustomAttributes(s, std)
							return err
						})),
				).Title(c.T("mpass.group.custom")),
			)
		},
		commit: f.commitAttributes,
		settle: f.keepAlways,
	}
}

// keepAlways ticks again the attributes MPass always returns (the SAML
// NameID): space or "select none" cannot untick them. It reports whether
// one had been unticked.
func (f *mpassForm) keepAlways() bool {
	ticked := true
	for _, attr := range f.c.Data.MPass.Always {
		if !slices.Contains(f.chosen, attr) {
			f.chosen = append(f.chosen, attr)
			ticked = false
		}
	}
	if !ticked && f.attributes != nil {
		f.attributes.Value(&f.chosen)
	}
	return !ticked
}

// commitAttributes puts the attributes MPass always returns first, then the
// standard ones in their documented order, and the custom ones apart.
func (f *mpassForm) commitAttributes() error {
	c, m := f.c, &f.c.Answers.MPass
	std := c.Data.MPass.Attributes
	parsed, err := checks.ParseCustomAttributes(f.custom, std)
	if err != nil {
		return err
	}
	list := slices.Clone(c.Data.MPass.Always)
	for _, attr := range std {
		if slices.Contains(f.chosen, attr) && !slices.Contains(list, attr) {
			list = append(list, attr)
		}
	}
	m.Attributes = list
	m.Custom = nil
	for _, x := range parsed {
		m.Custom = append(m.Custom, export.CustomAttribute{Name: x.Name, Values: x.Values})
	}
	return nil
}

// logoutPair is one environment's logout URLs as typed.
type logoutPair struct{ Request, Response string }

func (p *logoutPair) urls() *export.LogoutURLs {
	if p.Request == "" && p.Response == "" {
		return nil
	}
	return &export.LogoutURLs{Request: p.Request, Response: p.Response}
}

// Section lists both environments' logout URLs and the attributes.
func (MPass) Section(c *Context, add func(label, value string)) {
	m := c.Answers.MPass
	or := func(s string) string { return orNone(c, s) }
	add(c.T("mpass.issuer"), or(m.Issuer))
	if m.Test == nil && m.Production == nil && !m.ProductionLater {
		add("LogoutRequest", or(m.LogoutRequestURL))
		add("LogoutResponse", or(m.LogoutResponseURL))
	}
	for _, env := range []string{"test", "production"} {
		if u := m.LogoutFor(env); u != nil {
			add(c.T("review.mpass.logout", "Env", c.EnvName(env)), safetext.Line(u.Request))
			if u.Response != u.Request {
				add("LogoutResponse ("+c.EnvName(env)+")", safetext.Line(u.Response))
			}
		} else if env == "production" && m.ProductionLater {
			add(c.T("review.mpass.logout", "Env", c.EnvName(env)), c.T("review.mpass.later"))
		}
	}
	add(c.T("answers.field.mpass.attributes"), or(strings.Join(m.Attributes, ", ")))
	for _, x := range m.Custom {
		add(safetext.Line(x.Name), safetext.Line(strings.Join(x.Values, ", ")))
	}
}
