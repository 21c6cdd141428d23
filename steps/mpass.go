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

// MPass asks where MPass sends LogoutRequest and LogoutResponse, and which
// attributes the system receives after sign-in.
type MPass struct{ form[MPass] }

func (MPass) Applies(c *Context) bool { return c.Any(samlLogout) }

func init() { Register(MPass{}) }

func (MPass) Info() Info {
	return Info{ID: "mpass", Title: "step.mpass.title", Order: 60, Fields: []string{"mpass."}}
}

func (MPass) phases(c *Context) []phase { return mpassPhases(c) }

// mpassPhases ask both environments' logout URLs at once (AGE's
// technical-details form wants test and production: mpass/process2.md
// step 3), then the standard attributes and, apart, the custom ones with
// their values (mpass/integration-development.md). Every field is bound to a
// screen-local value and copied into the answers on commit.
func mpassPhases(c *Context) []phase {
	a := c.Answers
	m := &a.MPass
	var (
		testReq, testResp, prodReq, prodResp string
		later                                string // "now" or "later" (test registrations only)
	)
	load := func() {
		testReq, testResp, prodReq, prodResp = "", "", "", ""
		if u := m.Test; u != nil {
			testReq, testResp = u.Request, u.Response
		} else if a.Env == assets.EnvTest {
			testReq, testResp = m.LogoutRequestURL, m.LogoutResponseURL
		}
		if u := m.Production; u != nil {
			prodReq, prodResp = u.Request, u.Response
		} else if a.Env == assets.EnvProduction {
			prodReq, prodResp = m.LogoutRequestURL, m.LogoutResponseURL
		}
		later = "now"
		if m.ProductionLater && a.Env == assets.EnvTest {
			later = "later"
		}
	}
	load()
	// keep copies the URLs into the answers; the environment registered now
	// also fills LogoutRequestURL/LogoutResponseURL.
	keep := func() {
		pair := func(req, resp string) *logoutPair {
			req, resp = strings.TrimSpace(req), strings.TrimSpace(resp)
			if resp == "" {
				resp = req
			}
			return &logoutPair{Request: req, Response: resp}
		}
		t := pair(testReq, testResp)
		m.Test = t.urls()
		m.ProductionLater = a.Env == assets.EnvTest && later == "later"
		m.Production = nil
		if !m.ProductionLater {
			m.Production = pair(prodReq, prodResp).urls()
		}
		if u := m.LogoutFor(a.Env); u != nil {
			m.LogoutRequestURL, m.LogoutResponseURL = u.Request, u.Response
		}
	}
	urlField := func(key, env string, v *string, optional bool) *huh.Input {
		in := input(c, key, v, func(s string) error {
			if optional && strings.TrimSpace(s) == "" {
				return nil // the same as the LogoutRequest URL
			}
			return checks.ValidateLogoutURL(s, env)
		})
		return in
	}
	testPhase := phase{
		build: func() *huh.Form {
			load()
			fields := []huh.Field{
				urlField("mpass.test.logout_request", assets.EnvTest, &testReq, false),
				urlField("mpass.test.logout_response", assets.EnvTest, &testResp, true),
			}
			if a.Env == assets.EnvTest {
				fields = append(fields, huh.NewSelect[string]().
					Title(c.T("mpass.production_when")).
					Description(c.T("mpass.production_when.description")).
					Options(
						huh.NewOption(c.T("mpass.production_when.now"), "now"),
						huh.NewOption(c.T("mpass.production_when.later"), "later"),
					).
					Value(&later))
			}
			return newForm(c, huh.NewGroup(fields...).Title(c.T("mpass.group.logout_test")))
		},
		commit: func() error { keep(); return nil },
		flush:  keep,
	}
	prodPhase := phase{
		skip: func() bool { return a.Env == assets.EnvTest && m.ProductionLater },
		build: func() *huh.Form {
			return newForm(c, huh.NewGroup(
				urlField("mpass.production.logout_request", assets.EnvProduction, &prodReq, false),
				urlField("mpass.production.logout_response", assets.EnvProduction, &prodResp, true),
			).Title(c.T("mpass.group.logout_production")))
		},
		commit: func() error { keep(); return nil },
		flush:  keep,
	}
	std := c.Data.MPass.Attributes
	var chosen []string
	var custom string
	attrs := phase{
		build: func() *huh.Form {
			chosen, custom = nil, ""
			current := m.Attributes
			if len(current) == 0 {
				current = c.Data.MPass.Defaults
			}
			customs := slices.Clone(m.Custom)
			for _, attr := range current {
				switch {
				case slices.Contains(std, attr):
					chosen = append(chosen, attr)
				case !slices.ContainsFunc(customs, func(x export.CustomAttribute) bool { return x.Name == attr }):
					// Older answers kept custom names among the standard ones.
					customs = append(customs, export.CustomAttribute{Name: attr})
				}
			}
			var list []checks.Attribute
			for _, x := range customs {
				list = append(list, checks.Attribute{Name: x.Name, Values: x.Values})
			}
			custom = checks.FormatCustomAttributes(list)
			var opts []huh.Option[string]
			for _, attr := range std {
				label := attr
				if slices.Contains(c.Data.MPass.Always, attr) {
					label = c.T("mpass.attribute.always", "Name", attr)
				}
				opts = append(opts, huh.NewOption(label, attr))
			}
			return newForm(c,
				huh.NewGroup(
					huh.NewMultiSelect[string]().
						Title(c.T("mpass.attributes")).
						Description(c.T("mpass.attributes.description")).
						Options(opts...).
						Filterable(false).
						Height(multiSelectHeight(len(opts))).
						Value(&chosen),
				).Title(c.T("mpass.group.attributes")),
				huh.NewGroup(
					huh.NewText().
						Title(c.T("mpass.custom")).
						Description(c.T("mpass.custom.description")).
						Placeholder("Role: admin, operator").
						Lines(4).
						Value(&custom).
						Validate(validator(c, func(s string) error {
							_, err := checks.ParseCustomAttributes(s, std)
							return err
						})),
				).Title(c.T("mpass.group.custom")),
			)
		},
		commit: func() error {
			parsed, err := checks.ParseCustomAttributes(custom, std)
			if err != nil {
				return err
			}
			// The attributes MPass always returns come first, then the
			// standard ones in their documented order.
			list := slices.Clone(c.Data.MPass.Always)
			for _, attr := range std {
				if slices.Contains(chosen, attr) && !slices.Contains(list, attr) {
					list = append(list, attr)
				}
			}
			m.Attributes = list
			m.Custom = nil
			for _, x := range parsed {
				m.Custom = append(m.Custom, export.CustomAttribute{Name: x.Name, Values: x.Values})
			}
			return nil
		},
	}
	return []phase{testPhase, prodPhase, attrs}
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
	if m.Test == nil && m.Production == nil && !m.ProductionLater {
		add("LogoutRequest", or(m.LogoutRequestURL))
		add("LogoutResponse", or(m.LogoutResponseURL))
	}
	for _, env := range []string{"test", "production"} {
		if u := m.LogoutFor(env); u != nil {
			add(c.T("review.mpass.logout", "Env", c.T("env."+env)), safetext.Line(u.Request))
			if u.Response != u.Request {
				add("LogoutResponse ("+c.T("env."+env)+")", safetext.Line(u.Response))
			}
		} else if env == "production" && m.ProductionLater {
			add(c.T("review.mpass.logout", "Env", c.T("env."+env)), c.T("review.mpass.later"))
		}
	}
	add(c.T("answers.field.mpass.attributes"), or(strings.Join(m.Attributes, ", ")))
	for _, x := range m.Custom {
		add(safetext.Line(x.Name), safetext.Line(strings.Join(x.Values, ", ")))
	}
}
