package cli

import (
	"runtime/debug"
	"strings"
	"sync"

	"github.com/egovmd/egovsetup/assets"
)

// Version is the release version, set by the release build with
// -ldflags "-X github.com/egovmd/egovsetup/cli.Version=v1.2.3". When it is
// empty the version comes from the build information Go writes into every
// binary (see versionString).
var Version = ""

var (
	versionOnce sync.Once
	versionText string
)

// versionString is what --version prints after "egovsetup ": the version and,
// when the binary was built from a git checkout, the commit it was built from
// and whether the checkout had uncommitted changes.
func versionString() string {
	versionOnce.Do(func() {
		bi, _ := debug.ReadBuildInfo()
		versionText = describeVersion(Version, bi)
	})
	return versionText
}

// describeVersion puts the version into words from the ldflags value (set by
// the release script) and the build information:
//
//   - `go install github.com/egovmd/egovsetup@v1.2.3` records the module
//     version v1.2.3 (no vcs settings: the module proxy has no .git);
//   - `go build` in a git checkout records vcs.revision and vcs.modified, and
//     since Go 1.24 a module version derived from the tags (v1.2.3 on a tagged
//     commit, a v1.2.4-0.2026…-abcdef pseudo-version after it, "+dirty" with
//     uncommitted changes);
//   - a build outside any module and checkout records "(devel)": "dev".
func describeVersion(ldflags string, bi *debug.BuildInfo) string {
	version := strings.TrimSpace(ldflags)
	var revision, modified string
	if bi != nil {
		if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	if revision == "" {
		return version
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified == "true" {
		return version + " (commit " + revision + ", modified)"
	}
	return version + " (commit " + revision + ")"
}

// versionOnly reports whether args ask for the version and nothing else
// (--version or -v, with at most a supported --lang), so it can be printed
// without building the command tree. Anything else, an unsupported language
// included, takes the full path and its messages.
func versionOnly(args []string) bool {
	version := false
	for i := 0; i < len(args); i++ {
		arg := args[i]
		lang, isLang := strings.CutPrefix(arg, "--lang=")
		switch {
		case arg == "--version" || arg == "-v":
			version = true
			continue
		case arg == "--lang" && i+1 < len(args):
			i++
			lang, isLang = args[i], true
		}
		if !isLang || !assets.Supported(strings.ToLower(strings.TrimSpace(lang))) {
			return false
		}
	}
	return version
}
