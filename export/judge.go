package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
	"github.com/egovmd/egovsetup/checks/cert"
	"github.com/egovmd/egovsetup/internal/safetext"
)

// Judgement is the one verdict on a registration, judged against the
// answers' current services and environment: what the answers still lack,
// the certificate's verdicts (including the registration checks: the test
// certificate reused for production, AGE's test PKI in production) and
// whether the kept connectivity results still belong to this registration.
// The review, the last screen, `egovsetup build` and the package all use it,
// so they never disagree; judge again whenever the services, the
// environment or the certificate change.
type Judgement struct {
	// Report is the certificate's report (nil when the certificate is named
	// by its serial only, or missing).
	Report *cert.Report
	// Checks are every item judged, in order: answers, certificate,
	// connectivity. Each has a catalogue message, so it reads in any language.
	Checks []checks.Check
}

// Judge judges the answers a with the certificate l (nil: the one the
// answers keep, without its key) against the data d (nil: the embedded
// data) at now.
func Judge(a *Answers, l *cert.Loaded, d *assets.Data, now time.Time) Judgement {
	if d == nil {
		d = assets.Embedded()
	}
	var j Judgement
	for _, fe := range Validate(a, d) {
		// The FieldError names the field in words in the message's language.
		j.Checks = append(j.Checks, checks.Check{ID: "answers/" + fe.Field, Severity: checks.Fail,
			Message: assets.Msg("judge.answer", "Problem", fe)})
	}
	if l == nil && a.Certificate != nil && !a.Certificate.SerialOnly {
		l = a.Certificate.Loaded()
	}
	if l != nil {
		j.Report = cert.NewReport(l, cert.Options{Services: a.Services, Env: a.Env, Now: now, Data: d,
			TestSHA256: testSHA(a)})
		j.Checks = append(j.Checks, j.Report.Verdicts...)
	}
	j.Checks = append(j.Checks, connectivityChecks(a)...)
	return j
}

// testSHA is the certificate registered for test, which production must
// not reuse ("" outside production).
func testSHA(a *Answers) string {
	if a.Env == assets.EnvProduction {
		return a.TestCertificate()
	}
	return ""
}

// connectivityChecks says whether the kept connectivity results were run for
// another environment or services than those asked for now (stale), and
// whether any of the current ones failed. Neither stops a package: the
// network may differ where the system runs.
func connectivityChecks(a *Answers) []checks.Check {
	stale, failed := 0, 0
	for _, r := range a.Connectivity {
		switch {
		case r.StaleFor(a):
			stale++
		case r.Severity == checks.Fail:
			failed++
		}
	}
	var out []checks.Check
	if stale > 0 {
		out = append(out, checks.Check{ID: "connectivity.stale", Severity: checks.Warn,
			Message: assets.Msg("judge.connectivity_stale", "Count", stale, "Env", assets.Msg(assets.EnvKey(a.Env))),
			Remedy:  assets.Msg("judge.connectivity_stale.remedy")})
	}
	if failed > 0 {
		out = append(out, checks.Check{ID: "connectivity.failed", Severity: checks.Warn,
			Message: assets.Msg("judge.connectivity_failed", "Count", failed)})
	}
	return out
}

// StaleFor reports whether r was run for another environment, or for a
// service no longer asked for, than the answers a ask for now.
func (r ConnectivityResult) StaleFor(a *Answers) bool {
	return r.Env != a.Env || !slices.Contains(a.Services, r.Service)
}

// Failures are the failing items.
func (j Judgement) Failures() []checks.Check {
	var out []checks.Check
	for _, c := range j.Checks {
		if c.Severity == checks.Fail {
			out = append(out, c)
		}
	}
	return out
}

// Failed reports whether any item fails: such a registration is not to be
// sent unless the user says so, and then the package says so too.
func (j Judgement) Failed() bool { return len(j.Failures()) > 0 }

// WriteFailures lists the failing items in lang, one per line with its remedy.
func (j Judgement) WriteFailures(w io.Writer, lang string) {
	cert.WriteVerdicts(w, j.Failures(), lang)
}

// FailuresError refuses a package whose judgement fails. It lists the
// failing items in the user's language.
type FailuresError struct{ Judgement Judgement }

func (e *FailuresError) Error() string { return e.In(assets.DefaultLang) }

// In renders the error in lang: a heading and the failing items.
func (e *FailuresError) In(lang string) string {
	var b strings.Builder
	e.Judgement.WriteFailures(&b, lang)
	return assets.T(lang, "package.failures") + "\n" + strings.TrimRight(b.String(), "\n")
}

// overrideText is the note a package written past failures carries, in
// lang: which items failed.
func overrideText(j Judgement, lang string) string {
	var items []string
	for _, c := range j.Failures() {
		items = append(items, "  - "+c.Message.In(lang))
	}
	return assets.T(lang, "package.override") + "\n" + strings.Join(items, "\n")
}

// connectivityJSON is every field a connectivity result was ever written
// with: schema 2 (id, severity, texts) and schema 1 (step, status, and the
// message and remedy already in English words).
type connectivityJSON struct {
	ID         string          `json:"id"`
	Service    string          `json:"service"`
	Env        string          `json:"env"`
	Target     string          `json:"target"`
	Severity   checks.Severity `json:"severity"`
	Message    json.RawMessage `json:"message"`
	Remedy     json.RawMessage `json:"remedy"`
	DurationMS int64           `json:"duration_ms"`
	// Schema 1.
	Step   string `json:"step"`
	Status string `json:"status"`
}

// UnmarshalJSON reads a result of either schema; a schema 1 message or
// remedy (English words) is kept as those words (connectivity.kept_text).
func (r *ConnectivityResult) UnmarshalJSON(b []byte) error {
	var j connectivityJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*r = ConnectivityResult{ID: j.ID, Service: j.Service, Env: j.Env, Target: j.Target, Severity: j.Severity, DurationMS: j.DurationMS}
	if r.ID == "" {
		r.ID = j.Step
	}
	if !r.Severity.Valid() && j.Status != "" {
		var ok bool
		if r.Severity, ok = checks.ParseSeverity(j.Status); !ok {
			return checks.Problemf("answers.bad_status", "Status", j.Status)
		}
	}
	var err error
	if r.Message, err = keptText(j.Message); err != nil {
		return err
	}
	r.Remedy, err = keptText(j.Remedy)
	return err
}

// keptText reads a text kept as key and values, or as words (schema 1).
func keptText(raw json.RawMessage) (assets.Text, error) {
	var t assets.Text
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return t, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s == "" {
			return t, err
		}
		return assets.Msg("connectivity.kept_text", "Text", s), nil
	}
	err := json.Unmarshal(raw, &t)
	return t, err
}

// WriteConnectivity puts connectivity results into words in lang, grouped by
// service, environment and target; results run for another environment or
// services than the answers a ask for now are marked stale (a nil: none
// is). Every value from the results is escaped (safetext.Line).
func WriteConnectivity(w io.Writer, rs []ConnectivityResult, a *Answers, lang string) {
	last := ""
	for _, r := range rs {
		svc, env, target := safetext.Line(r.Service), safetext.Line(r.Env), safetext.Line(r.Target)
		if k := svc + "/" + env + "/" + target; k != last {
			if last != "" {
				fmt.Fprintln(w)
			}
			head := fmt.Sprintf("%s (%s) — %s", svc, env, target)
			if a != nil && r.StaleFor(a) {
				head += " " + assets.T(lang, "connectivity.stale_mark")
			}
			fmt.Fprintln(w, head)
			last = k
		}
		fmt.Fprintf(w, "  %-4s %-5s %s (%d ms)\n", strings.ToUpper(r.Severity.String()), safetext.Line(r.ID),
			r.Message.In(lang), r.DurationMS)
		if !r.Remedy.IsZero() && r.Severity != checks.Pass {
			fmt.Fprintf(w, "             → %s\n", r.Remedy.In(lang))
		}
	}
}
