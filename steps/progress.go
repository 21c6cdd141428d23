package steps

import "slices"

// Progress is how far the wizard got: the steps finished and the language
// chosen. The shell keeps it beside the answers, not in them: the answers
// are the registration's data, which `egovsetup build` reads too.
type Progress struct {
	Lang      string   `json:"lang,omitempty"`
	Completed []string `json:"completed,omitempty"`
	// Pending is a key the certificate step made whose certificate STISC
	// has still to issue (nil when none): a resumed run names it and the
	// command that joins the two.
	Pending *PendingKey `json:"pending_key,omitempty"`
}

// PendingKey names the files of a key waiting for its certificate: paths
// only, never the key itself.
type PendingKey struct {
	Key     string `json:"key"`     // the encrypted PKCS#12 file
	Request string `json:"request"` // the PKCS#10 request beside it
}

// IsCompleted reports whether step id was finished.
func (p *Progress) IsCompleted(id string) bool { return slices.Contains(p.Completed, id) }

// Complete records step id as finished.
func (p *Progress) Complete(id string) {
	if !p.IsCompleted(id) {
		p.Completed = append(p.Completed, id)
	}
}
