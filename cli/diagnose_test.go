package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The text report names services as the --data file does, not as the
// embedded data does.
func TestDiagnoseTextNamesServicesFromDataFile(t *testing.T) {
	embedded, err := os.ReadFile(filepath.Join("..", "assets", "services.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(string(embedded), "    name: MPass\n", "    name: MPass Staging\n", 1)
	if data == string(embedded) {
		t.Fatal("services.yaml no longer names MPass as the test expects")
	}
	file := filepath.Join(t.TempDir(), "services.yaml")
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "gone")
	}))
	defer srv.Close()

	_, out, errOut := run(t, "--data", file, "diagnose", "--service", "mpass", "--endpoint", "mpass="+srv.URL)
	for _, want := range []string{"MPass Staging (test) — 127.0.0.1:", "Cause — MPass Staging (test):"} {
		if !strings.Contains(out, want) {
			t.Errorf("diagnose does not show %q:\n%s%s", want, out, errOut)
		}
	}
}
