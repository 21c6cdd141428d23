package cert_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/egovmd/egovsetup/checks/cert"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the verdict table in README.md from the registry")

// The markers around the README's verdict table.
const (
	readmeBegin = "<!-- verdicts: generated from checks/cert's registry by `go generate ./checks/cert`; do not edit -->\n"
	readmeEnd   = "<!-- end of verdicts -->\n"
)

// verdictTable is the README's verdict table, one row a rule.
func verdictTable() string {
	var b strings.Builder
	b.WriteString("| rule | verdicts (IDs in `--json`) | what it checks | source |\n|---|---|---|---|\n")
	for _, r := range cert.Rules() {
		ids := make([]string, len(r.Verdicts))
		for i, v := range r.Verdicts {
			ids[i] = fmt.Sprintf("`%s` (%s)", v.ID, v.Severity)
		}
		esc := strings.NewReplacer("|", `\|`, "\n", " ")
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Name, strings.Join(ids, ", "), esc.Replace(r.Description), esc.Replace(r.Citation))
	}
	return b.String()
}

// The README's verdict list is the registry's: a rule, verdict, severity or
// source changed in the code and not in the README fails here. Rewrite the
// table with go generate ./checks/cert.
func TestREADMEVerdictsAreTheRegistry(t *testing.T) {
	path := filepath.Join(repoRoot(t), "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, readmeBegin), strings.Index(readme, readmeEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no verdict table between %q and %q", readmeBegin, readmeEnd)
	}
	got, want := readme[i+len(readmeBegin):j], verdictTable()
	if got == want {
		return
	}
	if *updateREADME {
		readme = readme[:i+len(readmeBegin)] + want + readme[j:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's verdict table differs from the registry; run go generate ./checks/cert. Want:\n%s", want)
}
