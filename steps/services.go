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

// ServiceSummary says in the user's language what a platform does; a
// service with no catalogue summary (one added by an override file) keeps
// the summary from its data.
func ServiceSummary(c *Context, s assets.Service) string {
	if key := serviceSummaryKey(s.ID); key != "" && assets.Has(c.Lang, key) {
		return c.T(key)
	}
	return s.Summary
}

// serviceSummaryKey is the catalogue key of a platform's summary, or "".
func serviceSummaryKey(id string) string {
	switch id {
	case "mpass":
		return "service.mpass.summary"
	case "msign":
		return "service.msign.summary"
	case "mpower":
		return "service.mpower.summary"
	}
	return ""
}

// servicesForm holds the values the step's fields are bound to; they are
// copied into the answers when a phase is done (or left).
type servicesForm struct {
	c        *Context
	services []string
	env      string
	tested   bool
	testedOn string
}

// servicesPhases: the platforms and environment, then, for production, that
// testing is done and when it ended.
func servicesPhases(c *Context) []phase {
	f := &servicesForm{c: c}
	return []phase{f.choose(), f.testingDone(), f.testedDay()}
}

func (f *servicesForm) choose() phase {
	c, a := f.c, f.c.Answers
	keep := func() { a.Services, a.Env = slices.Clone(f.services), f.env }
	return phase{
		build: func() *huh.Form {
			f.services, f.env = slices.Clone(a.Services), a.Env
			var opts []huh.Option[string]
			for _, s := range c.Data.Ordered() {
				opts = append(opts, huh.NewOption(c.T("services.option", "Name", s.Name, "Summary", ServiceSummary(c, s)), s.ID))
			}
			services := themed(huh.NewMultiSelect[string]()).
				Title(c.T("services.title")).
				Description(c.Desc("services.description")).
				Options(opts...).
				Filterable(false).
				Height(multiSelectHeight(len(opts))).
				Value(&f.services)
			env := themed(huh.NewSelect[string]()).
				Title(c.T("env.title")).
				Description(c.Desc("env.description")).
				Options(
					huh.NewOption(c.T("env.test"), assets.EnvTest),
					huh.NewOption(c.T("env.production"), assets.EnvProduction),
				).
				Value(&f.env)
			return newForm(c, huh.NewGroup(services, env))
		},
		commit: func() error {
			keep()
			return commitServices(c)
		},
		flush: keep,
	}
}

// commitServices checks and normalises the chosen services.
func commitServices(c *Context) error {
	a := c.Answers
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
}

// testingDone: production is registered only after testing (§6).
func (f *servicesForm) testingDone() phase {
	c, a := f.c, f.c.Answers
	keep := func() { a.TestingDone = f.tested }
	return phase{
		skip: func() bool { return a.Env != assets.EnvProduction },
		build: func() *huh.Form {
			f.tested = a.TestingDone
			return newForm(c, huh.NewGroup(themed(huh.NewConfirm()).
				Title(c.T("env.testing_done")).
				Description(c.Desc("env.testing_done.description")).
				Affirmative(c.T("common.yes")).
				Negative(c.T("common.no")).
				Value(&f.tested).
				Validate(func(done bool) error {
					if !done {
						return errors.New(c.T("env.testing_first"))
					}
					return nil
				})))
		},
		commit: func() error { keep(); return nil },
		flush:  keep,
	}
}

// testedDay: the production confirmation says when testing ended
// (mpass/process2.md step 8).
func (f *servicesForm) testedDay() phase {
	c, a := f.c, f.c.Answers
	return phase{
		skip: func() bool { return a.Env != assets.EnvProduction },
		build: func() *huh.Form {
			f.testedOn = a.TestedOn
			return newForm(c, huh.NewGroup(themed(huh.NewInput()).
				Title(c.T("env.tested_on")).
				Description(c.Desc("env.tested_on.description")).
				Placeholder(c.Now().Format("2006-01-02")).
				Value(&f.testedOn).
				Validate(validator(c, returnsNil(func(s string) (string, error) { return checks.ValidateTestedOn(s, c.Now()) })))))
		},
		commit: func() error {
			day, err := checks.ValidateTestedOn(f.testedOn, c.Now())
			if err != nil {
				return err
			}
			a.TestedOn = day
			return nil
		},
		flush: func() { a.TestedOn = strings.TrimSpace(f.testedOn) },
	}
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
	add(c.T("answers.field.env"), c.EnvName(a.Env))
	if a.Env == assets.EnvProduction {
		add(c.T("answers.field.tested_on"), orNone(c, safetext.Line(a.TestedOn)))
	}
}
