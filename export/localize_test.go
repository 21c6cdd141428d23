package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/assets"
	"github.com/egovmd/egovsetup/checks"
)

// Every validation error reads in the user's language through the one
// function the wizard and the commands use (checks.Localize), even wrapped,
// the field named in words and the problem in the same language.
func TestValidationErrorsSpeakRomanian(t *testing.T) {
	a := complete()
	a.Organization.ContactEmail = "ion"
	a.Network.IPs = []IPAddress{{Address: "193.226.0.10"}, {Address: "192.168.0.1"}}
	a.MPass.Test = &LogoutURLs{Request: "http://x.md/logout", Response: "https://x.md/logout"}
	errs := Validate(a, assets.Embedded())
	var got []string
	for _, e := range errs {
		got = append(got, checks.Localize(fmt.Errorf("answers.json: %w", e), "ro"))
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"E-mailul de contact: „ion”",
		"Adresele IP: 192.168.0.1 este o adresă privată",
		assets.T("ro", "answers.field.mpass.test.logout_request_url") + ": ",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if strings.Contains(all, "answers.field") || strings.Contains(all, "network.ips") {
		t.Errorf("a key or a field path instead of words:\n%s", all)
	}
	inc := &IncompleteError{Errors: errs}
	if ro := checks.Localize(inc, "ro"); !strings.HasPrefix(ro, assets.T("ro", "package.incomplete")+"\n  ") ||
		strings.Count(ro, "\n") != len(errs) {
		t.Errorf("incomplete answers in ro:\n%s", ro)
	}
}

// A field with no words of its own is named by its path, escaped.
func TestFieldErrorUnknownFieldIsNamedByPath(t *testing.T) {
	e := FieldError{Field: "odd\x07[2]", Err: checks.Problemf("answers.no_ips")}
	if got := e.In("en"); !strings.HasPrefix(got, `odd\x07: `) {
		t.Errorf("got %q", got)
	}
}

// When the new package cannot take the old one's place, the error names the
// path once, gives the reason, says the old package is kept, and reads in
// Romanian.
func TestReplaceErrorIsLocalisable(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, ".pkg.tmp-1")
	target := filepath.Join(dir, "pkg")
	for _, d := range []string{filepath.Join(tmp, "pkg"), target, filepath.Join(target+".zip", "inside")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "pkg.zip"), []byte("zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "old"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := swapIn(tmp, "pkg", target)
	var re *ReplaceError
	if !errors.As(err, &re) {
		t.Fatalf("got %T %v, want a *ReplaceError", err, err)
	}
	ro := checks.Localize(err, "ro")
	if !strings.HasPrefix(ro, "Pachetul nou nu a putut lua locul celui din "+target+" (") ||
		!strings.HasSuffix(ro, "pachetul vechi a rămas neatins.") || strings.Count(ro, target) != 1 {
		t.Errorf("ro: %q", ro)
	}
	if b, err := os.ReadFile(filepath.Join(target, "old")); err != nil || string(b) != "old" {
		t.Errorf("the old package changed: %q %v", b, err)
	}
}

// A permission refusal is said in words; a full disk too.
func TestReplaceReasonInWords(t *testing.T) {
	e := &ReplaceError{Path: "/p", Err: &os.LinkError{Op: "rename", Old: "/a", New: "/p", Err: os.ErrPermission}}
	if got := e.In("ro"); !strings.Contains(got, "(acces refuzat)") || strings.Contains(got, "/a") {
		t.Errorf("got %q", got)
	}
	e.Err = &os.LinkError{Op: "rename", Old: "/a", New: "/p", Err: errors.New("cross-device link")}
	if got := e.In("en"); !strings.Contains(got, "/p (cross-device link)") {
		t.Errorf("got %q", got)
	}
}

// A bundle holding a secret is refused in the user's language.
func TestBundleSecretIsLocalisable(t *testing.T) {
	if got := checks.Localize(ErrBundleSecret, "ro"); got != assets.T("ro", "cli.diagnose.bundle_secret") || got == assets.T("en", "cli.diagnose.bundle_secret") {
		t.Errorf("got %q", got)
	}
}
