package steps

import (
	"slices"
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
