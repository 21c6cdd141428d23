package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func testApp() *app {
	return &app{env: &Env{Getenv: func(string) string { return "" }}, lang: "en"}
}

// commandPaths lists every command under c, as the words that name it.
func commandPaths(c *cobra.Command, prefix []string) [][]string {
	var out [][]string
	for _, sub := range c.Commands() {
		p := append(slices.Clone(prefix), sub.Name())
		out = append(out, p)
		out = append(out, commandPaths(sub, p)...)
	}
	return out
}

// flagUsages is the help of c's own and inherited flags.
func flagUsages(c *cobra.Command) string {
	return c.LocalFlags().FlagUsages() + "\n" + c.InheritedFlags().FlagUsages()
}

// TestCommandLinesReachTheSameCommands: a command line that names a
// command, with flags before, between and after the names, reaches the same
// command, with the same flags and help texts, as in the whole tree.
func TestCommandLinesReachTheSameCommands(t *testing.T) {
	full := testApp().rootCmd(nil)
	paths := commandPaths(full, nil)
	if len(paths) < 14 {
		t.Fatalf("only %d commands in the whole tree: %v", len(paths), paths)
	}
	for _, p := range paths {
		want, _, err := full.Find(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			p,
			append(slices.Clone(p), "--help"),
			append([]string{"--lang", "en", "--data", "x.yaml"}, p...),
			append(append([]string{p[0], "-h"}, p[1:]...), "FILE"),
			append(append([]string{p[0], "--lang=en"}, p[1:]...), "--json"),
		} {
			root := testApp().rootCmd(args)
			root.InitDefaultHelpFlag()
			got, _, err := root.Find(args)
			if err != nil {
				t.Errorf("%q: %v", args, err)
				continue
			}
			if got.CommandPath() != want.CommandPath() || got.Long != want.Long || got.Short != want.Short ||
				flagUsages(got) != flagUsages(want) {
				t.Errorf("%q reaches %q %q, want %q %q", args, got.CommandPath(), flagUsages(got), want.CommandPath(), flagUsages(want))
			}
		}
	}
}

// TestOnlyTheNamedCommandIsMade: a run of "cert inspect" makes that command
// alone (its help texts are not read for nothing); a run that shows a
// parent's usage, or names no known command, has every command to list or
// to suggest.
func TestOnlyTheNamedCommandIsMade(t *testing.T) {
	names := func(c *cobra.Command) string {
		var n []string
		for _, s := range c.Commands() {
			n = append(n, s.Name())
		}
		return strings.Join(n, " ")
	}
	root := testApp().rootCmd([]string{"cert", "inspect", "system.cer"})
	if got := names(root); got != "cert" {
		t.Errorf("cert inspect: root has %q", got)
	}
	if cert, _, _ := root.Find([]string{"cert"}); names(cert) != "inspect" {
		t.Errorf("cert inspect: cert has %q", names(cert))
	}
	full := testApp().rootCmd(nil)
	for _, args := range [][]string{{}, {"--help"}, {"help", "cert"}, {"crt", "inspect"}, {"--answers", "cert"}} {
		if got, want := names(testApp().rootCmd(args)), names(full); got != want {
			t.Errorf("%q: root has %q, want %q", args, got, want)
		}
	}
	cert, _, _ := full.Find([]string{"cert"})
	for _, args := range [][]string{{"cert"}, {"cert", "--help"}, {"cert", "inspct"}} {
		c, _, _ := testApp().rootCmd(args).Find([]string{"cert"})
		if got, want := names(c), names(cert); got != want {
			t.Errorf("%q: cert has %q, want %q", args, got, want)
		}
	}
}
