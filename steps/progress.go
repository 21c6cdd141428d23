package steps

import "slices"

// Progress is how far the wizard got: the steps finished and the language
// chosen. The shell keeps it beside the answers, not in them: the answers
// are the registration's data, which `egovsetup build` reads too.
type Progress struct {
	Lang      string   `json:"lang,omitempty"`
	Completed []string `json:"completed,omitempty"`
}

// IsCompleted reports whether step id was finished.
func (p *Progress) IsCompleted(id string) bool { return slices.Contains(p.Completed, id) }

// Complete records step id as finished.
func (p *Progress) Complete(id string) {
	if !p.IsCompleted(id) {
		p.Completed = append(p.Completed, id)
	}
}
