package cli

import (
	"runtime/debug"
	"testing"
)

// TestDescribeVersion: what --version prints for each way the binary can be
// built; a tagged build never says "dev".
func TestDescribeVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev},
			{Key: "vcs.modified", Value: modified},
		}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name    string
		ldflags string
		bi      *debug.BuildInfo
		want    string
	}{
		{"go install module@version", "",
			&debug.BuildInfo{Main: debug.Module{Path: "github.com/egovmd/egovsetup", Version: "v1.4.0"}},
			"v1.4.0"},
		{"release script on a tag", "v1.4.0",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs(rev, "false")},
			"v1.4.0 (commit 0123456789ab)"},
		{"ldflags win over the module version", "v1.4.0-rc1",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"v1.4.0-rc1"},
		{"checkout on a tag", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs(rev, "false")},
			"v1.4.0 (commit 0123456789ab)"},
		{"checkout with changes", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.4.1-0.20261123221100-0123456789ab+dirty"}, Settings: vcs(rev, "true")},
			"v1.4.1-0.20261123221100-0123456789ab+dirty (commit 0123456789ab, modified)"},
		{"checkout without tags", "",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")},
			"dev (commit 0123456789ab, modified)"},
		{"no build information", "", nil, "dev"},
		{"no version, no checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := describeVersion(tc.ldflags, tc.bi); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestVersionOnly(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"--version"}, true},
		{[]string{"-v"}, true},
		{[]string{"--lang", "ru", "--version"}, true},
		{[]string{"--version", "--lang=RO"}, true},
		{[]string{"--lang", "fr", "--version"}, false}, // a usage error, said by the full path
		{[]string{"--version", "--lang"}, false},
		{[]string{"--version", "--demo"}, false},
		{[]string{"cert", "--version"}, false},
		{[]string{"--lang", "ro"}, false},
		{nil, false},
	} {
		if got := versionOnly(tc.args); got != tc.want {
			t.Errorf("versionOnly(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
