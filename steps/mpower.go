package steps

import (
	"path"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
	"github.com/egovmd/egovsetup/internal/safetext"
	"github.com/egovmd/egovsetup/internal/styles"
)

// MPower asks what AGE configures for an MPower client: the API methods the
// system calls (AllowedEndpoints) and whether it sees every power of
// representation (ViewAllAuthorizations), from docs/guides/mpower/security.md.
// MPower serves only systems registered in MPass
// (docs/guides/mpower/integration-development.md): without MPass among the
// services, it asks whether the system is registered there already, and warns
// when it is not.
type MPower struct{ form[MPower] }

func (MPower) Applies(c *Context) bool { return c.Any(mpowerAPI) }

func init() { Register(MPower{}) }

func (MPower) Info() Info {
	return Info{ID: "mpower", Title: "step.mpower.title", Order: 70, Fields: []string{"mpower."}}
}

func (MPower) phases(c *Context) []phase { return mpowerPhases(c) }

// endpointName is the short name of an MPower API path (Code-True-One).
func endpointName(p string) string { return path.Base(p) }

func mpowerPhases(c *Context) []phase {
	a := c.Answers
	// Screen-local values, copied into the answers on commit.
	var (
		registered bool
		endpoints  []string
		viewAll    bool
		goOn       = true
	)
	keep := func() {
		a.MPower = export.MPower{MPassRegistered: registered && !c.Any(signsIn), Endpoints: endpoints, ViewAllAuthorizations: viewAll}
	}
	ask := phase{
		build: func() *huh.Form {
			registered, viewAll = a.MPower.MPassRegistered, a.MPower.ViewAllAuthorizations
			endpoints = slices.Clone(a.MPower.Endpoints)
			var opts []huh.Option[string]
			for _, e := range c.Data.MPower.Endpoints {
				opts = append(opts, huh.NewOption(c.T("mpower.endpoint", "Name", endpointName(e), "Path", e), e))
			}
			var fields []huh.Field
			if c.Any(signsIn) {
				fields = append(fields, huh.NewNote().Title(c.T("mpower.mpass_first")).Description(c.T("mpower.mpass_first.with_mpass")))
			} else {
				fields = append(fields, huh.NewConfirm().
					Title(c.T("mpower.mpass_registered")).
					Description(c.T("mpower.mpass_registered.description")).
					Affirmative(c.T("common.yes")).
					Negative(c.T("common.no")).
					Value(&registered))
			}
			fields = append(fields,
				huh.NewMultiSelect[string]().
					Title(c.T("mpower.endpoints")).
					Description(c.T("mpower.endpoints.description")).
					Options(opts...).
					Filterable(false).
					Height(multiSelectHeight(len(opts))).
					Value(&endpoints),
				huh.NewConfirm().
					Title(c.T("mpower.view_all")).
					Description(c.T("mpower.view_all.description")).
					Affirmative(c.T("common.yes")).
					Negative(c.T("common.no")).
					Value(&viewAll),
			)
			return newForm(c, huh.NewGroup(fields...).Title(c.T("mpower.group")))
		},
		commit: func() error {
			if len(endpoints) == 0 {
				return checks.Problemf("answers.mpower_endpoints")
			}
			keep()
			return nil
		},
		flush: keep,
	}
	// Without MPass, the warning and the choice to go on regardless.
	warn := phase{
		skip: func() bool { return !a.NeedsMPassFirst() },
		build: func() *huh.Form {
			return newForm(c, huh.NewGroup(
				huh.NewNote().Title(c.T("mpower.warn")).Description(c.T("mpower.warn.description")),
				huh.NewConfirm().
					Title(c.T("mpower.warn.go_on")).
					Affirmative(c.T("common.yes")).
					Negative(c.T("mpower.warn.back")).
					Value(&goOn),
			))
		},
		commit: func() error {
			if !goOn {
				return checks.Problemf("mpower.warn.choose_mpass")
			}
			return nil
		},
	}
	return []phase{ask, warn}
}

// Section lists the MPower endpoints and warns when MPass is missing.
func (MPower) Section(c *Context, add func(label, value string)) {
	a := c.Answers
	var names []string
	for _, e := range a.MPower.Endpoints {
		names = append(names, safetext.Line(endpointName(e)))
	}
	add(c.T("answers.field.mpower.endpoints"), strings.Join(names, ", "))
	yes := c.T("common.no")
	if a.MPower.ViewAllAuthorizations {
		yes = c.T("common.yes")
	}
	add("ViewAllAuthorizations", yes)
	if a.NeedsMPassFirst() {
		add("MPass", styles.Warning.Render(c.T("mpower.warn")))
	}
}
