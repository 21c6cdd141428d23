package ui

import (
	"testing"
	"time"

	"github.com/egovmd/egovsetup/export"
)

// settled waits until no key is held for a busy screen (on a loaded
// machine the moves take longer than the driver's quiet period).
func (st *shellTest) settled() {
	st.t.Helper()
	if !st.d.WaitFor(func() bool { return len(st.m.held) == 0 && !st.m.screenBusy() }, 10*time.Second) {
		st.t.Fatalf("keys still held: %d", len(st.m.held))
	}
}

// Keys typed straight after enter, faster than the form moves on, land in
// the next field, not in the one being left.
func TestFastKeysAfterEnterLandInTheNextField(t *testing.T) {
	st := organizationIn(t, "en")
	st.d.Burst("Agenția", "enter", "1024600042427", "enter", "Ion Popescu")
	st.settled()
	st.m.flush()
	o := st.m.c.Answers.Organization
	if o.Name != "Agenția" || o.IDNO != "1024600042427" || o.ContactName != "Ion Popescu" {
		t.Errorf("fields: name %q IDNO %q contact %q", o.Name, o.IDNO, o.ContactName)
	}
}

// Keys typed as one step ends reach the next step's first field.
func TestFastKeysAfterAStepReachTheNextStep(t *testing.T) {
	st := newShellTest(t, export.NewAnswers(), false)
	st.d.Burst("space", "enter", "enter", "Agenția")
	st.settled()
	st.sees("Step 2 of")
	st.m.flush()
	if got := st.m.c.Answers.Organization.Name; got != "Agenția" {
		t.Errorf("organization name %q, want the keys typed after the services step", got)
	}
}
