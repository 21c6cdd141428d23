package steps

import (
	"strings"

	"charm.land/huh/v2"

	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/export"
)

// Names asks for the service's name in Romanian, Russian and English and its
// one-sentence description (procedure §5). Romanian typed with cedilla ş ţ is
// offered the comma-below ș ț.
type Names struct {
	always
	form[Names]
}

func init() { Register(Names{}) }

func (Names) Info() Info {
	return Info{ID: "names", Title: "step.names.title", Order: 30, Fields: []string{"service."}}
}

func (Names) phases(c *Context) []phase { return namesPhases(c) }

// namesPhases ask for the names and description, then offer to fix
// Romanian typed with cedilla. The fields are bound to a copy of the names,
// copied back on commit.
func namesPhases(c *Context) []phase {
	a := c.Answers
	var draft export.ServiceNames
	n := &a.Service
	keep := func() { a.Service = draft }
	cedilla := func() bool {
		_, ro := checks.CedillaFix(n.RO)
		_, desc := checks.CedillaFix(n.Description)
		return ro || desc
	}
	names := phase{
		build: func() *huh.Form {
			draft = a.Service
			return newForm(c,
				huh.NewGroup(
					input(c, "names.ro", &draft.RO, checks.ValidateNameRO),
					input(c, "names.ru", &draft.RU, checks.ValidateNameRU),
					input(c, "names.en", &draft.EN, checks.ValidateNameEN),
					input(c, "names.description", &draft.Description, checks.ValidateDescription),
				).Title(c.T("names.group")).Description(c.Desc("names.group.description")),
			)
		},
		commit: func() error {
			keep()
			for _, p := range []*string{&n.RO, &n.RU, &n.EN, &n.Description} {
				*p = strings.TrimSpace(*p)
			}
			return nil
		},
		flush: keep,
	}
	return []phase{names, cedillaOffer(c, cedilla)}
}

// cedillaOffer shows the Romanian text with comma-below ș ț and offers to
// use it (cedilla says whether there is anything to fix).
func cedillaOffer(c *Context, cedilla func() bool) phase {
	n := &c.Answers.Service
	fix := true
	return phase{
		skip: func() bool { return !cedilla() },
		build: func() *huh.Form {
			fix = true
			return newForm(c, huh.NewGroup(huh.NewConfirm().
				Title(c.T("names.cedilla")).
				Description(func() string {
					var lines []string
					if fixed, ok := checks.CedillaFix(n.RO); ok {
						lines = append(lines, fixed)
					}
					if fixed, ok := checks.CedillaFix(n.Description); ok {
						lines = append(lines, fixed)
					}
					return c.Fit(c.T("names.cedilla.description") + "\n" + strings.Join(lines, "\n"))
				}()).
				Affirmative(c.T("names.cedilla.fix")).
				Negative(c.T("names.cedilla.keep")).
				Value(&fix)))
		},
		commit: func() error {
			if fix {
				n.RO, n.Description = checks.FixCedilla(n.RO), checks.FixCedilla(n.Description)
			}
			return nil
		},
	}
}

// Section shows the three names and the description.
func (Names) Section(c *Context, add func(label, value string)) {
	n := c.Answers.Service
	add("RO", orNone(c, n.RO))
	add("RU", orNone(c, n.RU))
	add("EN", orNone(c, n.EN))
	add(c.T("answers.field.service.description"), orNone(c, n.Description))
}
