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

// mpowerForm holds the values the step's fields are bound to; they are
// copied into the answers on commit.
type mpowerForm struct {
	c          *Context
	registered bool
	endpoints  []string
	viewAll    bool
	goOn       bool
}

func mpowerPhases(c *Context) []phase {
	f := &mpowerForm{c: c, goOn: true}
	return []phase{f.ask(), f.warn()}
}

func (f *mpowerForm) keep() {
	f.c.Answers.MPower = export.MPower{MPassRegistered: f.registered && !f.c.Any(signsIn), Endpoints: f.endpoints, ViewAllAuthorizations: f.viewAll}
}

// ask: whether the system is in MPass already (when MPass is not chosen),
// the API methods and ViewAllAuthorizations.
func (f *mpowerForm) ask() phase {
	c, a := f.c, f.c.Answers
	return phase{
		build: func() *huh.Form {
			f.registered, f.viewAll = a.MPower.MPassRegistered, a.MPower.ViewAllAuthorizations
			f.endpoints = slices.Clone(a.MPower.Endpoints)
			var opts []huh.Option[string]
			for _, e := range c.Data.MPower.Endpoints {
				opts = append(opts, huh.NewOption(c.T("mpower.endpoint", "Name", endpointName(e), "Path", e), e))
			}
			fields := []huh.Field{f.mpassField()}
			fields = append(fields,
				huh.NewMultiSelect[string]().
					Title(c.T("mpower.endpoints")).
					Description(c.Desc("mpower.endpoints.description")).
					Options(opts...).
					Filterable(false).
					Height(multiSelectHeight(len(opts))).
					Value(&f.endpoints),
				yesNo(c, "mpower.view_all", &f.viewAll),
			)
			return newForm(c, huh.NewGroup(fields...).Title(c.T("mpower.group")))
		},
		commit: func() error {
			if len(f.endpoints) == 0 {
				return checks.Problemf("answers.mpower_endpoints")
			}
			f.keep()
			return nil
		},
		flush: f.keep,
	}
}

// mpassField notes that MPass comes first or, without MPass among the
// services, asks whether the system is registered there already.
func (f *mpowerForm) mpassField() huh.Field {
	c := f.c
	if c.Any(signsIn) {
		return huh.NewNote().Title(c.T("mpower.mpass_first")).Description(c.Desc("mpower.mpass_first.with_mpass"))
	}
	return yesNo(c, "mpower.mpass_registered", &f.registered)
}

// yesNo is a yes/no question titled by key (with its description from
// fieldHints).
func yesNo(c *Context, key string, v *bool) *huh.Confirm {
	q := huh.NewConfirm().Title(c.T(key)).Affirmative(c.T("common.yes")).Negative(c.T("common.no")).Value(v)
	if d := fieldHints[key].description; d != "" && hasText(c, d) {
		q.Description(c.Desc(d))
	}
	return q
}

// warn: without MPass, the warning and the choice to go on regardless.
func (f *mpowerForm) warn() phase {
	c, a := f.c, f.c.Answers
	return phase{
		skip: func() bool { return !a.NeedsMPassFirst() },
		build: func() *huh.Form {
			return newForm(c, huh.NewGroup(
				huh.NewNote().Title(c.T("mpower.warn")).Description(c.Desc("mpower.warn.description")),
				huh.NewConfirm().
					Title(c.T("mpower.warn.go_on")).
					Affirmative(c.T("common.yes")).
					Negative(c.T("mpower.warn.back")).
					Value(&f.goOn),
			))
		},
		commit: func() error {
			if !f.goOn {
				return checks.Problemf("mpower.warn.choose_mpass")
			}
			return nil
		},
	}
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
