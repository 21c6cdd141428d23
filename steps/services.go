package steps

import (
	"errors"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Services is the first step: which platforms, and which environment.
type Services struct {
	always
	form[Services]
}

func init() { Register(Services{}) }

func (Services) Info() Info {
	return Info{ID: "services", Title: "step.services.title", Order: 10, Role: First,
		Fields: []string{"services", "env", "tested_on", "testing_done"}}
}

func (Services) phases(c *Context) []phase { return servicesPhases(c) }

// ServiceSummary says in the user's language what a platform does.
func ServiceSummary(c *Context, s assets.Service) string {
	if key := "service." + s.ID + ".summary"; assets.Has(c.Lang, key) {
		return c.T(key)
	}
	return s.Summary
}

func servicesPhases(c *Context) []phase {
	a := c.Answers
	choose := phase{
		build: func() *huh.Form {
			var opts []huh.Option[string]
			for _, s := range c.Data.Ordered() {
				opts = append(opts, huh.NewOption(c.T("services.option", "Name", s.Name, "Summary", ServiceSummary(c, s)), s.ID))
			}
			services := huh.NewMultiSelect[string]().
				Title(c.T("services.title")).
				Description(c.T("services.description")).
				Options(opts...).
				Filterable(false).
				Height(multiSelectHeight(len(opts))).
				Value(&a.Services)
			env := huh.NewSelect[string]().
				Title(c.T("env.title")).
				Description(c.T("env.description")).
				Options(
					huh.NewOption(c.T("env.test"), assets.EnvTest),
					huh.NewOption(c.T("env.production"), assets.EnvProduction),
				).
				Value(&a.Env)
			return newForm(c, huh.NewGroup(services, env))
		},
		commit: func() error {
			if len(a.Services) == 0 {
				return checks.Problemf("services.none")
			}
			// Keep the services in the data file's order, without duplicates.
			var ordered []string
			for _, id := range c.Data.Order {
				if slices.Contains(a.Services, id) {
					ordered = append(ordered, id)
				}
			}
			a.Services = ordered
			if a.Env != assets.EnvProduction {
				a.TestingDone = false
			}
			// The MPass URLs registered now follow the environment, when both
			// environments' were given.
			if u := a.MPass.LogoutFor(a.Env); u != nil {
				a.MPass.LogoutRequestURL, a.MPass.LogoutResponseURL = u.Request, u.Response
			}
			return nil
		},
	}
	// Production: the procedure registers it only after testing (§6), and
	// the production confirmation says when testing ended (mpass/process2.md
	// step 8). The date is bound to a screen-local value, copied on commit.
	var testedOn string
	tested := phase{
		skip: func() bool { return a.Env != assets.EnvProduction },
		build: func() *huh.Form {
			return newForm(c, huh.NewGroup(huh.NewConfirm().
				Title(c.T("env.testing_done")).
				Description(c.T("env.testing_done.description")).
				Affirmative(c.T("common.yes")).
				Negative(c.T("common.no")).
				Value(&a.TestingDone).
				Validate(func(done bool) error {
					if !done {
						return errors.New(c.T("env.testing_first"))
					}
					return nil
				})))
		},
	}
	testedDay := phase{
		skip: func() bool { return a.Env != assets.EnvProduction },
		build: func() *huh.Form {
			testedOn = a.TestedOn
			return newForm(c, huh.NewGroup(huh.NewInput().
				Title(c.T("env.tested_on")).
				Description(c.T("env.tested_on.description")).
				Placeholder(c.Now().Format("2006-01-02")).
				Value(&testedOn).
				Validate(validator(c, returnsNil(func(s string) (string, error) { return checks.ValidateTestedOn(s, c.Now()) })))))
		},
		commit: func() error {
			day, err := checks.ValidateTestedOn(testedOn, c.Now())
			if err != nil {
				return err
			}
			a.TestedOn = day
			return nil
		},
		flush: func() { a.TestedOn = strings.TrimSpace(testedOn) },
	}
	return []phase{choose, tested, testedDay}
}

// Section shows the services and the environment.
func (Services) Section(c *Context, add func(label, value string)) {
	a := c.Answers
	var names []string
	for _, id := range a.Services {
		if svc, ok := c.Data.Service(id); ok {
			names = append(names, svc.Name)
		}
	}
	add(c.T("answers.field.services"), orNone(c, strings.Join(names, ", ")))
	add(c.T("answers.field.env"), c.T("env."+a.Env))
	if a.Env == assets.EnvProduction {
		add(c.T("answers.field.tested_on"), orNone(c, safetext.Line(a.TestedOn)))
	}
}
