package steps

import (
	"slices"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
)

func ids(list []Step) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Info().ID)
	}
	return out
}

// Which steps apply follows the chosen services' properties in the data
// file: giving MSign MPass's logout property brings the logout step in.
func TestServicePropertiesDecideTheSteps(t *testing.T) {
	c := newContext()
	c.Answers.Services = []string{"msign"}
	if got := ids(Applicable(c)); slices.Contains(got, "mpass") || !slices.Contains(got, "network") {
		t.Errorf("MSign's steps: %v", got)
	}
	d := *assets.Embedded()
	d.Services = map[string]assets.Service{}
	for id, s := range assets.Embedded().Services {
		if id == "msign" {
			s.SAMLLogout = true
			s.NeedsIP, s.SignerType = false, false
		}
		d.Services[id] = s
	}
	c.Data = &d
	got := ids(Applicable(c))
	if !slices.Contains(got, "mpass") || slices.Contains(got, "network") {
		t.Errorf("with saml_logout and without needs_ip and signer_type: %v", got)
	}
}

// The review sends a problem to the step that declares the field.
func TestReviewProblemsGoToTheStepOwningTheField(t *testing.T) {
	for field, want := range map[string]string{
		"organization.idno": "organization", "system.name": "organization", "service.name_ro": "names",
		"certificate": "certificate", "network.signer_type": "network", "mpass.attributes": "mpass",
		"mpower.endpoints": "mpower", "tested_on": "services", "services": "services",
	} {
		if got := fieldStep(field); got != want {
			t.Errorf("%s goes to %q, want %q", field, got, want)
		}
	}
}

// Every step declares a title in the catalogue, and the wizard has exactly
// one first, one review and one final step.
func TestStepsDeclareWhatTheShellNeeds(t *testing.T) {
	roles := map[Role]int{}
	for _, s := range All() {
		in := s.Info()
		if in.ID == "" || !assets.Has("en", in.Title) {
			t.Errorf("step %q: title key %q not in the catalogue", in.ID, in.Title)
		}
		roles[in.Role]++
	}
	if roles[First] != 1 || roles[ReviewRole] != 1 || roles[Final] != 1 {
		t.Errorf("roles: %v", roles)
	}
}

type orderedStep struct {
	Step
	id    string
	order int
}

func (s orderedStep) Info() Info { return Info{ID: s.id, Order: s.order} }

// TestAllInOrder: the steps come in their order however they were
// registered, a step registered later takes its place among them, steps of
// the same order keep the order they were registered in, and an unregistered
// step is gone.
func TestAllInOrder(t *testing.T) {
	first := Register(orderedStep{id: "test.first", order: -1})
	a := Register(orderedStep{id: "test.a", order: 55})
	b := Register(orderedStep{id: "test.b", order: 55})
	var ids []string
	prev := -1 << 31
	for _, s := range All() {
		if s.Info().Order < prev {
			t.Fatalf("%s (order %d) after order %d", s.Info().ID, s.Info().Order, prev)
		}
		prev = s.Info().Order
		ids = append(ids, s.Info().ID)
	}
	if ids[0] != "test.first" || slices.Index(ids, "test.a") > slices.Index(ids, "test.b") {
		t.Errorf("steps in order %q", ids)
	}
	first()
	a()
	b()
	for _, s := range All() {
		if strings.HasPrefix(s.Info().ID, "test.") {
			t.Errorf("%s still registered", s.Info().ID)
		}
	}
}
